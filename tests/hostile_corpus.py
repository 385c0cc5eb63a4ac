"""A hostile workspace: every kind of file and name that reaches an officer, built fresh.

Scans arrive from applicants' phones, WeChat, e-mail and Windows zips. This module
builds, in a temporary folder, a copy of the Nantong example (张三 right, 李四 with
mistakes) plus dossiers full of what must never crash, hang or be changed:

* 王五: broken, encrypted and pathological PDFs, odd images, files that lie about their
  type, a folder named like a file, symbolic links (a loop, one leaving the workspace),
  names that are not UTF-8, NFD names and names near the 255-byte limit;
* 赵六 / 钱七 / 孙八: applicant.toml in UTF-8 with BOM and Chinese dates, in GBK, and
  with wrong types and unknown keys;
* a dossier whose name is near the 255-byte limit.

Import as ``from hostile_corpus import build_corpus`` (tests/ is on the path). Every file
is generated here; nothing is committed.
"""

# Names that are not UTF-8 are made and read through bytes paths on purpose, below
# pathlib's str API (the way a Windows zip leaves them on disk): os.path throughout.
# ruff: noqa: PTH106, PTH108, PTH112, PTH114, PTH115, PTH118, PTH120, PTH123, PTH208

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import stat
import sys
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bind_helpers import example_workspace

# What a leaked outside file would carry into a volume.
OUTSIDE_MARKER = "OUTSIDE-SECRET-4711"
GBK_NAME = "证书".encode("gbk") + b".pdf"  # b'\xd6\xa4\xca\xe9.pdf': not valid UTF-8
NFD_NAME = unicodedata.normalize("NFD", "获奖证书（扫描）.pdf")
LONG_NAME = "很" * 82 + ".pdf"  # 250 bytes in UTF-8
LONG_DOSSIER = "档" * 84  # 252 bytes

# The corpus is POSIX-only: named pipes, file names that are raw GBK bytes and symbolic
# links into /etc cannot be made on Windows (NTFS names are UTF-16; os.fsdecode of GBK
# bytes raises there). Every test that builds it carries this marker.
POSIX_CORPUS = pytest.mark.skipif(
    sys.platform == "win32",
    reason="the hostile corpus needs named pipes (os.mkfifo), non-UTF-8 byte file names "
    "and links to /etc/passwd, none of which NTFS or Windows has",
)


def gbk_dossier() -> str:
    """The name of a dossier folder from a Windows zip: 陈静 in GBK bytes, as the file
    system hands it back. Built on call, never at import: on Windows the bytes cannot be
    decoded to a file name at all."""
    return os.fsdecode("陈静".encode("gbk"))


# Bound folders of the Nantong example (03–08 are bound into the volume).
QUALIFICATION = "03-现任专业技术资格证书复印件"
EDUCATION = "04-继续教育材料"
SUMMARY = "05-任期内专业技术工作总结"
ACHIEVEMENTS = "06-业绩成果证明材料及获奖证书"
PAPERS = "07-任期内标志性论文、著作材料"


@dataclass
class Corpus:
    root: Path  # the workspace
    outside: Path  # a folder beside the workspace that links point into
    hostile: list[str] = field(default_factory=list)  # dossier names built here
    files: int = 0  # hostile files written (links and folders not counted)


# --------------------------------------------------------------------------- PDFs


def text_pdf(text: str, pages: int = 1) -> bytes:
    """A small born-digital PDF whose pages carry ``text`` (Helvetica, ASCII), its content
    uncompressed so that a test can look for the text in a volume's bytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    for page in range(pages):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 700, f"{text} {page + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object n is ``objects[n-1]``) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_CONTENT = b"<< /Length 0 >>\nstream\n\nendstream"


def nested_arrays_pdf(depth: int) -> bytes:
    """One page whose dictionary holds ``depth`` nested arrays: parsers recurse on it."""
    nested = b"[" * depth + b"0" + b"]" * depth
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Zc %s >>"
    return raw_pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page % nested,
            _CONTENT,
        ]
    )


def huge_count_pdf() -> bytes:
    """A page tree that claims two thousand million pages and holds one."""
    return raw_pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _CONTENT,
        ]
    )


def page_tree_loop_pdf() -> bytes:
    """A /Pages node that lists itself among its kids, with a huge /Count."""
    return raw_pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 999999999 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _CONTENT,
        ]
    )


def many_kids_pdf(kids: int = 1500) -> bytes:
    """A page tree listing the same page object ``kids`` times: a real huge page count
    in a file of a few hundred kilobytes."""
    refs = b" ".join(b"3 0 R" for _ in range(kids))
    return raw_pdf(
        [
            _CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, kids),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            _CONTENT,
        ]
    )


def encrypted_pdf(user_password: str) -> bytes:
    """AES-128 with an owner password; ``user_password`` "" means owner-only."""
    writer = PdfWriter()
    writer.add_blank_page(*A4)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def broken_xref_pdf() -> bytes:
    """A real PDF whose middle is overwritten with garbage (xref offsets point nowhere)."""
    data = bytearray(text_pdf("broken xref", pages=3))
    middle = len(data) // 2
    data[middle : middle + 200] = bytes(random.Random(7).randrange(256) for _ in range(200))
    return bytes(data)


# --------------------------------------------------------------------------- images


def _picture(mode: str, size: tuple[int, int] = (620, 877)) -> Image.Image:
    image = Image.new("RGB", size, (240, 240, 240))
    for x in range(0, size[0], 31):
        for y in range(0, size[1], 3):
            image.putpixel((x, y), (20, 20, 20))
    return image.convert(mode) if mode != "RGB" else image


def image_bytes(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def exif_orientation_jpeg(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return image_bytes(_picture("RGB"), "JPEG", exif=exif.tobytes())


def png_16bit() -> bytes:
    image = Image.new("I;16", (300, 400))
    for y in range(0, 400, 4):
        for x in range(0, 300, 7):
            image.putpixel((x, y), (x * y * 17) % 65536)
    return image_bytes(image, "PNG")


def jpeg_bomb_header() -> bytes:
    """A JPEG header that claims 40000 × 40000 pixels (1.6 Gpx): a decompression bomb."""
    data = bytearray(image_bytes(_picture("L", (16, 16)), "JPEG"))
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = (40000).to_bytes(2, "big") + (40000).to_bytes(2, "big")
    return bytes(data)


def png_bomb_header() -> bytes:
    """A valid-looking PNG whose IHDR claims 60000 × 60000 pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


HTML = "<!DOCTYPE html>\n<html><body>证书查询结果</body></html>".encode()
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(range(256)) * 4


def hostile_files() -> dict[str, bytes]:
    """Relative path (inside a dossier) → content, one entry per hostile input."""
    rng = random.Random(2024)
    good = text_pdf("good file")
    jpeg = image_bytes(_picture("RGB"), "JPEG", quality=70)
    return {
        f"{QUALIFICATION}/0-正常证书.pdf": good,
        f"{QUALIFICATION}/1-空文件.pdf": b"",
        f"{QUALIFICATION}/2-随机字节.pdf": bytes(rng.randrange(256) for _ in range(4096)),
        f"{QUALIFICATION}/3-截断.pdf": text_pdf("truncated", pages=4)[:900],
        f"{QUALIFICATION}/4-交叉引用损坏.pdf": broken_xref_pdf(),
        f"{QUALIFICATION}/5-嵌套数组.pdf": nested_arrays_pdf(5000),
        f"{QUALIFICATION}/6-嵌套数组-浅.pdf": nested_arrays_pdf(400),
        f"{QUALIFICATION}/7-页数巨大.pdf": huge_count_pdf(),
        f"{QUALIFICATION}/8-页树循环.pdf": page_tree_loop_pdf(),
        f"{QUALIFICATION}/9-用户密码.pdf": encrypted_pdf("secret"),
        f"{QUALIFICATION}/10-权限密码.pdf": encrypted_pdf(""),
        f"{EDUCATION}/1-截断图片.jpg": jpeg[: len(jpeg) // 2],
        f"{EDUCATION}/2-CMYK.jpg": image_bytes(_picture("CMYK"), "JPEG"),
        f"{EDUCATION}/3-16位.png": png_16bit(),
        f"{EDUCATION}/4-透明.png": image_bytes(_picture("RGBA"), "PNG"),
        f"{EDUCATION}/5-手机照片.heic": HEIC,
        f"{EDUCATION}/6-方向9.jpg": exif_orientation_jpeg(9),
        f"{EDUCATION}/7-方向0.jpg": exif_orientation_jpeg(0),
        f"{EDUCATION}/8-截断透明.png": image_bytes(_picture("RGBA"), "PNG")[:3000],
        f"{EDUCATION}/9-巨图.jpg": jpeg_bomb_header(),
        f"{EDUCATION}/10-巨图.png": png_bomb_header(),
        f"{EDUCATION}/11-随机字节.jpg": bytes(rng.randrange(256) for _ in range(2048)),
        f"{SUMMARY}/1-Word文档.pdf": docx_bytes(),
        f"{SUMMARY}/2-旧版Word.pdf": OLE,
        f"{SUMMARY}/3-网页.pdf": HTML,
        f"{SUMMARY}/证书.pdf/里面的文件.pdf": text_pdf("inside a folder named like a file"),
        f"{ACHIEVEMENTS}/{NFD_NAME}": text_pdf("nfd name"),
        f"{ACHIEVEMENTS}/{LONG_NAME}": text_pdf("long name"),
        f"{PAPERS}/页数很多.pdf": many_kids_pdf(),
    }


# --------------------------------------------------------------------------- applicants


APPLICANT_BOM = """name = "赵六"
gender = "男"
id_number = "110101199003070011"
birth_date = "1990年3月"
phone = "13912345678"
employer = "南通示例网络安全技术有限公司"
education = "本科"
degree = "学士"
school = "示例大学"
major = "信息安全"
graduation_date = "2012.7.1"
work_start_date = "2012年7月15日"
specialty_start_date = "2012/7/15"
current_title = "助理工程师"
current_title_date = "20160630"
level = "中级"
exceptional = false
freelancer = false
specialized_enterprise = false
labor_dispatch = false
social_insurance_months = 12
publicity_start = "2023.5.8"
publicity_end = "2023年5月15日"
rank = 1
remarks = "无"
"""

APPLICANT_WRONG_TYPES = """name = ["孙", "八"]
gender = 1
id_number = 110101199003070011
birth_date = 1990
phone = 13912345678
employer = { name = "某公司" }
education = true
degree = 3.5
graduation_date = "2012-13-45"
work_start_date = 2012-07-15T08:00:00
specialty_start_date = "明年"
current_title = ""
current_title_date = "无"
level = 2
exceptional = "是"
freelancer = "maybe"
social_insurance_months = "十二"
publicity_start = []
publicity_end = "=HYPERLINK(\\"http://x\\")"
rank = "first"
remarks = "+cmd|' /C calc'!A0"
continuing_education = "每年90学时"
favourite_colour = "蓝"
idnumber = "typo of id_number"
"""


def write_applicants(root: Path) -> list[str]:
    """赵六 (UTF-8 with BOM, dates as 2023.5.8 / 2023年5月8日), 钱七 (GBK), 孙八 (wrong
    types, unknown keys, formula-like values), 周九 (neither UTF-8 nor GBK), 褚十三
    (lists nested 5000 deep: the TOML parser recurses); each with one good file."""
    dossiers = root / "dossiers"
    good = text_pdf("applicant file")
    texts: dict[str, bytes] = {
        "赵六": b"\xef\xbb\xbf" + APPLICANT_BOM.encode("utf-8"),
        "钱七": APPLICANT_BOM.replace("赵六", "钱七").encode("gbk"),
        "孙八": APPLICANT_WRONG_TYPES.encode("utf-8"),
        "周九": b'name = "\xff\xfe\x00 broken',  # neither UTF-8 nor GBK, and no TOML
        "褚十三": 'name = "褚十三"\nremarks = '.encode() + b"[" * 5000 + b"]" * 5000,
    }
    for name, raw in texts.items():
        folder = dossiers / name
        (folder / QUALIFICATION).mkdir(parents=True)
        (folder / QUALIFICATION / "证书.pdf").write_bytes(good)
        (folder / "applicant.toml").write_bytes(raw)
    return list(texts)


# --------------------------------------------------------------------------- names, links


def write_odd_names(dossier: Path) -> int:
    """A GBK file name (bytes that are not UTF-8) written below the str API."""
    folder = os.fsencode(dossier / ACHIEVEMENTS)
    with open(os.path.join(folder, GBK_NAME), "wb") as handle:
        handle.write(text_pdf("gbk name"))
    with open(os.path.join(folder, b"\xb7\xc7UTF8-" + b"\xff" * 3 + b".jpg"), "wb") as handle:
        handle.write(image_bytes(_picture("L", (200, 280)), "JPEG"))
    return 2


def write_special(dossier: Path, depth: int = 1200) -> None:
    """Named pipes (reading one waits forever) and a folder tree ``depth`` levels deep
    (deeper than Python's recursion limit) with a PDF at the bottom."""
    folder = dossier / SUMMARY
    os.mkfifo(folder / "管道.pdf")
    (folder / "管道链接.pdf").symlink_to("管道.pdf")
    deep = dossier / ACHIEVEMENTS
    for _ in range(depth):  # pathlib's and os's makedirs recurse: one level at a time
        deep = deep / "d"
        deep.mkdir()
    (deep / "最深处.pdf").write_bytes(text_pdf("deep"))


def write_links(dossier: Path, outside: Path) -> None:
    """A loop, a self-link, a dangling link, links leaving the workspace (file and
    folder) and a harmless link to a file of the same dossier."""
    folder = dossier / PAPERS
    (folder / "环a.pdf").symlink_to("环b.pdf")
    (folder / "环b.pdf").symlink_to("环a.pdf")
    (folder / "自环.pdf").symlink_to("自环.pdf")
    (folder / "断链.pdf").symlink_to("不存在.pdf")
    (folder / "外部文件.pdf").symlink_to(outside / "secret.pdf")
    (folder / "外部文件夹").symlink_to(outside, target_is_directory=True)
    (folder / "系统文件.pdf").symlink_to("/etc/passwd")
    (folder / "同档案.pdf").symlink_to(dossier / QUALIFICATION / "0-正常证书.pdf")
    (dossier / "根目录外链.pdf").symlink_to(outside / "secret.pdf")
    (dossier / "08-外部").symlink_to(outside, target_is_directory=True)
    (dossier / "dossier-loop").symlink_to(dossier, target_is_directory=True)


# --------------------------------------------------------------------------- the corpus


def build_corpus(tmp_path: Path) -> Corpus:
    """The example workspace plus every hostile input, under ``tmp_path``."""
    if sys.platform == "win32":  # a guard for a test that forgot POSIX_CORPUS
        pytest.skip(POSIX_CORPUS.kwargs["reason"])
    root = example_workspace(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(text_pdf(OUTSIDE_MARKER))
    (outside / "secret.jpg").write_bytes(image_bytes(_picture("L", (100, 100)), "JPEG"))
    corpus = Corpus(root=root, outside=outside)

    dossier = root / "dossiers" / "王五"
    shutil.copytree(root / "dossiers" / "张三", dossier)
    applicant = dossier / "applicant.toml"
    applicant.write_text(applicant.read_text("utf-8").replace("张三", "王五"), "utf-8")
    for rel, data in hostile_files().items():
        path = dossier / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        corpus.files += 1
    (dossier / "空文件夹.pdf").mkdir()
    corpus.files += write_odd_names(dossier)
    write_links(dossier, outside)
    write_special(dossier)
    corpus.hostile.append("王五")

    corpus.hostile += write_applicants(root)
    corpus.files += 5

    linked = root / "dossiers" / "吴十"
    (linked / QUALIFICATION).mkdir(parents=True)
    (linked / QUALIFICATION / "证书.pdf").write_bytes(text_pdf("linked applicant"))
    (outside / "applicant.toml").write_text(APPLICANT_BOM.replace("赵六", "外人"), "utf-8")
    (linked / "applicant.toml").symlink_to(outside / "applicant.toml")
    (root / "dossiers" / "链接档案").symlink_to(outside, target_is_directory=True)
    corpus.hostile.append("吴十")

    piped = root / "dossiers" / "冯十二"
    (piped / QUALIFICATION).mkdir(parents=True)
    (piped / QUALIFICATION / "证书.pdf").write_bytes(text_pdf("piped applicant"))
    os.mkfifo(piped / "applicant.toml")
    corpus.hostile.append("冯十二")

    # A dossier whose folder name is GBK bytes and whose applicant.toml has no name:
    # the folder name is what forms, the 目录 and the roster must print.
    gbk_name = gbk_dossier()
    gbk = root / "dossiers" / gbk_name
    shutil.copytree(root / "dossiers" / "张三", gbk)
    text = (gbk / "applicant.toml").read_text("utf-8")
    (gbk / "applicant.toml").write_text(text.replace('name = "张三"', 'name = ""'), "utf-8")
    corpus.hostile.append(gbk_name)

    long = root / "dossiers" / LONG_DOSSIER
    shutil.copytree(root / "dossiers" / "张三", long)
    corpus.hostile.append(LONG_DOSSIER)
    return corpus


def remove_deep_tree(corpus: Corpus) -> None:
    """Remove the deep folder tree bottom-up: shutil.rmtree (and so pytest's clean-up of
    old temporary folders) recurses once per level and would fail on it."""
    top = os.fsencode(corpus.root / "dossiers" / "王五" / ACHIEVEMENTS / "d")
    if not os.path.isdir(top):
        return
    deepest = top
    while os.path.isdir(os.path.join(deepest, b"d")):
        deepest = os.path.join(deepest, b"d")
    while True:
        for name in os.listdir(deepest):
            os.unlink(os.path.join(deepest, name))
        os.rmdir(deepest)
        if deepest == top:
            return
        deepest = os.path.dirname(deepest)


def walk(base: bytes) -> Iterator[tuple[bytes, list[bytes], list[bytes]]]:
    """os.walk (not following links) with a stack, yielding paths relative to ``base``:
    os.walk recurses once per level on Python 3.11 and the corpus holds a tree deeper
    than the recursion limit (and relpath on such paths is slow)."""
    pending = [b""]
    while pending:
        relative = pending.pop()
        dirs, names = [], []
        for entry in os.scandir(os.path.join(base, relative) if relative else base):
            (dirs if entry.is_dir(follow_symlinks=False) else names).append(entry.name)
        yield relative, sorted(dirs), sorted(names)
        pending.extend(os.path.join(relative, d) if relative else d for d in dirs)


def input_hashes(root: Path) -> dict[bytes, str]:
    """sha256 of every regular file outside out/ (names as bytes: some are not UTF-8).

    Links are listed by their target text, never followed, so a loop costs nothing.
    """
    found: dict[bytes, str] = {}
    base = os.fsencode(root)
    for relative, _dirs, names in walk(base):
        if relative == b"out" or relative.startswith(b"out" + os.sep.encode()):
            continue
        for name in names:
            key = os.path.join(relative, name) if relative else name
            path = os.path.join(base, key)
            if os.path.islink(path):
                found[key] = "link:" + os.fsdecode(os.readlink(path))
            elif not stat.S_ISREG(os.lstat(path).st_mode):
                found[key] = "special"  # a named pipe: opening it would wait forever
            else:
                with open(path, "rb") as handle:
                    found[key] = hashlib.sha256(handle.read()).hexdigest()
    return found


def tree_listing(root: Path) -> set[bytes]:
    """Every path (files, folders, links) under ``root``, not following links."""
    listing: set[bytes] = set()
    for relative, dirs, names in walk(os.fsencode(root)):
        listing.update(
            os.path.join(relative, name) if relative else name for name in [*dirs, *names]
        )
    return listing
