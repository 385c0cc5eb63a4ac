"""Builders for the check tests: a small notice, a right dossier, and real bad files.

Everything is generated: PDFs with reportlab (invariant=1, byte-stable) or pypdf, images
with Pillow. Import as ``from check_helpers import ...`` (tests/ is on the path).
"""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
import zlib
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A3, A4, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from hostile_corpus import raw_pdf

NOTICE = """schema = 1

[notice]
id = "test-2024"
title = "测试通知"
issuer = "测试职称办"
issued = 2024-04-01
year = 2024
region = "测试省"
specialty = "网络安全工程"

[[levels]]
id = "intermediate"
name = "中级"
qualification = "工程师"

[[levels]]
id = "assistant"
name = "初级"
qualification = "助理工程师"

[dates]
online = { start = 2024-04-10, end = 2024-06-30 }
paper = { start = 2024-07-01, end = 2024-07-15 }
seniority_cutoff = 2023-12-31
achievements_cutoff = 2024-03-31

[publicity]
min_working_days = 5

[continuing_education]
hours_per_year = 90
public_min_hours = 30
professional_min_share = 0.6667
years = 2
last_year = 2023

[eligibility]
as_of = "seniority_cutoff"

[[eligibility.rules]]
level = "intermediate"
education = ["本科", "大专"]
lower_titles = ["助理工程师"]
months = 48
count_from = "current_title"
note = "本科或大专，取得助理工程师后满4年"

[[eligibility.rules]]
level = "intermediate"
exceptional = true

[[eligibility.rules]]
level = "assistant"
education = ["本科"]
months = 12
count_from = "graduation"

[social_insurance]
months = 6
waived_when = { education = "博士研究生" }

[[materials]]
id = "application-form"
name = "评审申报表"
order = 1
formats = ["pdf"]
max_size_kb = 40
patterns = ["*申报表*"]

[[materials]]
id = "id-card"
name = "身份证"
order = 2
min_dpi = 150
patterns = ["*身份证*"]

[[materials]]
id = "labour-contract"
name = "劳动合同"
order = 3
omit_when = { freelancer = true }

[[materials]]
id = "achievements"
name = "业绩成果"
order = 4

[[materials]]
id = "exceptional-proof"
name = "破格材料"
order = 5
required = false
required_when = { exceptional = true }
"""

APPLICANT = {
    "name": "张三",
    "gender": "男",
    "id_number": "",  # filled by right_applicant()
    "birth_date": "1990-03-07",
    "phone": "13800000001",
    "employer": "测试网络安全技术有限公司",
    "education": "本科",
    "degree": "学士",
    "school": "测试大学",
    "major": "信息安全",
    "graduation_date": "2012-07-01",
    "work_start_date": "2012-07-15",
    "specialty_start_date": "2012-07-15",
    "current_title": "助理工程师",
    "current_title_date": "2018-06-30",
    "level": "中级",
    "exceptional": False,
    "freelancer": False,
    "specialized_enterprise": False,
    "labor_dispatch": False,
    "social_insurance_months": 120,
    "publicity_start": "2024-05-06",
    "publicity_end": "2024-05-10",
    "rank": 1,
    "remarks": "无",
}
CONTINUING = [
    {"year": 2022, "public_hours": 30, "professional_hours": 62},
    {"year": 2023, "public_hours": 30, "professional_hours": 60},
]


def id_with_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def right_applicant() -> dict[str, object]:
    data = dict(APPLICANT)
    data["id_number"] = id_with_check("32060219900307123")  # 17th digit 3: 男
    return data


def toml_text(data: dict[str, object], continuing: list[dict[str, int]] | None = None) -> str:
    lines = []
    for key, value in data.items():
        lines.append(f"{key} = {_toml(value)}")
    for entry in CONTINUING if continuing is None else continuing:
        lines.append("")
        lines.append("[[continuing_education]]")
        lines.extend(f"{k} = {v}" for k, v in entry.items())
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- files ---------------------------------------------------------------------------


def _cjk() -> str:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def text_pdf(
    lines_per_page: list[list[str]], sizes: list[tuple[float, float]] | None = None
) -> bytes:
    """A born-digital PDF: one page per list of lines, A4 unless ``sizes`` says otherwise."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    font = _cjk()
    for index, lines in enumerate(lines_per_page):
        size = sizes[index] if sizes else A4
        c.setPageSize(size)
        c.setFont(font, 12)
        y = size[1] - 72
        for line in lines:
            c.drawString(72, y, line)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


@cache
def scan_jpeg(pixels: tuple[int, int], seed: int = 0, quality: int = 60) -> bytes:
    image = Image.new("L", pixels, 245)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    w, h = pixels
    for _ in range(30):
        y = rng.randrange(h)
        draw.line([w // 10, y, w - w // 10, y], fill=rng.randrange(40, 120), width=max(1, w // 300))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


@cache
def png_bytes(pixels: tuple[int, int] = (1240, 1754)) -> bytes:
    image = Image.new("RGB", pixels, (250, 250, 250))
    margin = min(pixels) // 10
    ImageDraw.Draw(image).rectangle(
        [margin, margin, pixels[0] - margin, pixels[1] - margin], outline=(0, 0, 0)
    )
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


@cache
def scan_pdf(pages: int, dpi: int = 200, size: tuple[float, float] = A4, seed: int = 0) -> bytes:
    """Pages that are each one grey JPEG stretched over the page (how copiers scan)."""
    width_px, height_px = round(size[0] / 72 * dpi), round(size[1] / 72 * dpi)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1)
    for page in range(pages):
        jpeg = scan_jpeg((width_px, height_px), seed=seed * 100 + page)
        c.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width=size[0], height=size[1])
        c.showPage()
    c.save()
    return buf.getvalue()


def rotated_pdf(rotation: int) -> bytes:
    """An A4 portrait page shown rotated (/Rotate), as scanners store landscape pages."""
    writer = PdfWriter()
    page = writer.add_blank_page(*A4)
    page.rotate(rotation)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf(
    user_password: str, owner_password: str = "owner", permissions: int = -1
) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.encrypt(
        user_password=user_password,
        owner_password=owner_password,
        algorithm="AES-128",
        permissions_flag=permissions,
    )
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def many_pages_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def slow_text_page_pdf(operators: int = 400_000, padding: int = 0) -> bytes:
    """One page whose text layer takes seconds to extract (about 17 µs per operator)
    while the file stays small: a single step no page-by-page deadline can cut short.
    ``padding`` adds an unused stream of random bytes (so that the file's two 64 KB ends
    differ from its middle)."""
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"(x) Tj " * operators + b"ET", 9)
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if padding:
        filler = random.Random(5).randbytes(padding)
        bodies.append(b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream")
    return raw_pdf(bodies)


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


HTML_BYTES = (
    "<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head><body>证书</body></html>".encode()
)
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

PAGE_SIZES = {"A4": A4, "A3": A3, "letter": letter}


# --- a right dossier -----------------------------------------------------------------


def write_notice(root: Path) -> None:
    (root / "dossiers").mkdir(parents=True, exist_ok=True)
    (root / "zcprep.toml").write_text(NOTICE, "utf-8")


def right_dossier(root: Path, name: str = "张三", seed: int = 0) -> Path:
    """A dossier that passes every check (files unique per ``seed``)."""
    folder = root / "dossiers" / name
    data = right_applicant()
    data["name"] = name
    files = {
        "01-评审申报表/评审申报表.pdf": text_pdf(
            [[f"专业技术资格评审申报表 {name} {seed}"], ["第二页"]]
        ),
        "02-身份证/身份证.jpg": scan_jpeg((1240, 1754), seed=seed),
        "03-劳动合同/劳动合同.pdf": scan_pdf(2, seed=seed),
        "04-业绩成果/1-项目验收报告.pdf": text_pdf([[f"项目验收报告 {name} {seed}"]]),
        "04-业绩成果/2-获奖证书.png": png_bytes((1240 + seed, 1754)),
        "05-破格材料/.keep": b"",
    }
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (folder / "applicant.toml").write_text(toml_text(data), "utf-8")
    return folder


def tree_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (to prove that check writes nothing)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def put_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
