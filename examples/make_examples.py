"""Build examples/nantong-2023: a ready workspace with two sample applicants.

张三 (中级) has a complete, correct dossier; 李四 (初级) carries the mistakes officers
meet most: a wrong ID check character, a missing 工作总结, a 公示 of three days, too few
继续教育 hours, a picture saved as .pdf, a blank 备注, a stray WeChat photo, and too
little 资历 for the level. Every file is small (≤ 50 KB) and byte-stable: run

    python examples/make_examples.py

to rebuild them after changing this script. Needs reportlab and Pillow (zcprep's own
dependencies).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
ROOT = HERE / "nantong-2023"
PRESET = HERE.parent / "src" / "zcprep" / "model" / "presets" / "nantong-2023.toml"

UNIT = """[unit]
name = "南通示例网络安全技术有限公司"   # 示例单位
contact = "王五"
phone = "0513-85550000"
"""

ZHANG = """# 张三 的申报信息（示例：材料齐全、信息正确）。
name = "张三"
gender = "男"
id_number = "{zhang_id}"
birth_date = "1990-03-07"
phone = "13800000001"
employer = "南通示例网络安全技术有限公司"
education = "本科"
degree = "学士"
school = "南京示例大学"
major = "信息安全"
graduation_date = 2012-07-01
work_start_date = 2012-07-15
specialty_start_date = 2012-07-15
current_title = "助理工程师"
current_title_date = 2016-12-30
level = "中级"
exceptional = false
publicity_start = 2023-05-08
publicity_end = 2023-05-12
remarks = "无"

[[continuing_education]]
year = 2022
public_hours = 30
professional_hours = 62
"""

LI = """# 李四 的申报信息（示例：带有常见错误，运行 zcprep check 可看到）。
name = "李四"
gender = "女"
id_number = "{li_id}"              # 错误：最后一位校验码不对
birth_date = "1999年10月1日"
phone = "13800000002"
employer = "南通示例网络安全技术有限公司"
education = "本科"
degree = "学士"
school = "苏州示例学院"
major = "计算机科学与技术"
graduation_date = "2022.7.1"              # 警告：按全国基线，到资历截止日 2022-12-31 不满 12 个月
work_start_date = "2022-07-10"
specialty_start_date = "2022-07-10"
current_title = "无"
current_title_date = "无"
level = "初级"
exceptional = false
publicity_start = 2023-05-08
publicity_end = 2023-05-10                # 错误：公示只有 3 个工作日，不足 5 个
remarks = ""                              # 备注可不填，留空不算错

[[continuing_education]]
year = 2022
public_hours = 20
professional_hours = 40                   # 警告：合计 60 学时，不足全国基线 90 学时（本通知未写学时数）
"""


def id_with_check(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def wrong_check(valid: str) -> str:
    last = valid[-1]
    return valid[:-1] + ("1" if last != "1" else "2")


def pdf(path: Path, title: str, lines: list[str], pages: int = 1) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    width, height = A4
    for page in range(1, pages + 1):
        c.setFont("STSong-Light", 18)
        c.drawCentredString(width / 2, height - 30 * mm, title)
        c.setFont("STSong-Light", 11)
        y = height - 50 * mm
        for line in lines:
            c.drawString(25 * mm, y, line)
            y -= 8 * mm
        if pages > 1:
            c.drawCentredString(width / 2, 40 * mm, f"（示例材料 第{page}页/共{pages}页）")
        c.rect(20 * mm, 20 * mm, width - 40 * mm, height - 40 * mm)
        c.showPage()
    c.save()
    write(path, buf.getvalue())


def scan_jpeg(path: Path, caption: str, size: tuple[int, int] = (827, 1169)) -> None:
    """A grey 'scan' of a certificate at 100 dpi: a frame, a seal circle, some lines."""
    image = Image.new("L", size, 250)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([40, 40, w - 40, h - 40], outline=60, width=6)
    draw.text((80, 90), caption, fill=20)
    for row in range(8):
        y = 200 + row * 60
        draw.line([90, y, w - 90 - (row % 3) * 80, y], fill=120, width=3)
    draw.ellipse([w - 300, h - 330, w - 110, h - 140], outline=90, width=5)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=40, optimize=True)
    write(path, buf.getvalue())


def png_named_pdf(path: Path) -> None:
    """A phone screenshot saved with a .pdf name: the classic upload mistake."""
    image = Image.new("RGB", (300, 400), (240, 240, 240))
    ImageDraw.Draw(image).text((20, 20), "award certificate (photo)", fill=(0, 0, 0))
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    write(path, buf.getvalue())


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    assert len(data) <= 50 * 1024, f"{path} is {len(data)} bytes, over 50 KB"


def build_config(root: Path) -> None:
    text = PRESET.read_text(encoding="utf-8")
    start = text.index("\n[unit]") + 1
    end = text.index("\n\n", start)
    (root / "zcprep.toml").write_text(text[:start] + UNIT.rstrip("\n") + text[end:], "utf-8")


def build_zhang(root: Path) -> None:
    folder = root / "dossiers" / "张三"
    zhang_id = id_with_check("32060219900307123")
    (folder).mkdir(parents=True, exist_ok=True)
    (folder / "applicant.toml").write_text(ZHANG.format(zhang_id=zhang_id), "utf-8")
    pdf(
        folder / "01-专业技术资格评审申报表" / "评审申报表.pdf",
        "专业技术资格评审申报表",
        ["申报人：张三", "申报资格：工程师（中级）", "工作单位：南通示例网络安全技术有限公司"],
        2,
    )
    pdf(
        folder / "02-人员简介（公示）表" / "人员简介表.pdf",
        "人员简介（公示）表",
        ["姓名：张三", "现专业技术资格：助理工程师（2016年12月）", "推荐意见：同意推荐"],
    )
    scan_jpeg(
        folder / "03-现任专业技术资格证书复印件" / "助理工程师证书.jpg",
        "Qualification certificate - Zhang San",
    )
    pdf(
        folder / "04-继续教育材料" / "2022年继续教育证明.pdf",
        "继续教育学时证明",
        ["2022年度：公需科目 30 学时，专业科目 62 学时"],
    )
    pdf(
        folder / "05-任期内专业技术工作总结" / "工作总结.pdf",
        "任期内专业技术工作总结",
        ["一、基本情况", "二、主要业绩", "三、今后打算"],
        3,
    )
    scan_jpeg(
        folder / "06-业绩成果证明材料及获奖证书" / "1-发明专利证书.jpg",
        "Patent certificate - Zhang San",
    )
    pdf(
        folder / "06-业绩成果证明材料及获奖证书" / "2-项目验收报告.pdf",
        "工程技术项目验收报告",
        ["项目名称：某市政务网络安全防护体系建设", "本人角色：技术负责人"],
        2,
    )
    pdf(
        folder / "07-任期内标志性论文、著作材料" / "论文.pdf",
        "基于零信任的政务网络访问控制研究",
        ["作者：张三", "期刊：示例网络安全学报 2021年第3期"],
        2,
    )
    (folder / "08-符合破格申报的证明材料").mkdir(exist_ok=True)


def build_li(root: Path) -> None:
    folder = root / "dossiers" / "李四"
    li_id = wrong_check(id_with_check("32061119991001202"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "applicant.toml").write_text(LI.format(li_id=li_id), "utf-8")
    pdf(
        folder / "01-专业技术资格评审申报表" / "评审申报表.pdf",
        "专业技术资格评审申报表",
        ["申报人：李四", "申报资格：助理工程师（初级）"],
        2,
    )
    pdf(folder / "02-人员简介（公示）表" / "人员简介表.pdf", "人员简介（公示）表", ["姓名：李四"])
    (folder / "03-现任专业技术资格证书复印件").mkdir(exist_ok=True)
    pdf(
        folder / "04-继续教育材料" / "继续教育证明.pdf",
        "继续教育学时证明",
        ["2022年度：公需科目 20 学时，专业科目 40 学时"],
    )
    (folder / "05-任期内专业技术工作总结").mkdir(exist_ok=True)  # 错误：工作总结没有放
    png_named_pdf(
        folder / "06-业绩成果证明材料及获奖证书" / "获奖证书.pdf"
    )  # 错误：PNG 改名为 .pdf
    (folder / "07-任期内标志性论文、著作材料").mkdir(exist_ok=True)
    (folder / "08-符合破格申报的证明材料").mkdir(exist_ok=True)
    scan_jpeg(folder / "微信图片_20230506.jpg", "WeChat photo", (400, 300))  # 错误：不属于任何材料


def build(root: Path = ROOT) -> Path:
    """Write the example workspace to ``root`` (replacing it); tests build a copy."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    build_config(root)
    build_zhang(root)
    build_li(root)
    for empty in root.rglob("*"):
        if empty.is_dir() and not any(empty.iterdir()):
            (empty / ".keep").write_text("", "utf-8")  # git keeps empty folders this way
    return root


def main() -> None:
    print(f"wrote {build()}")


if __name__ == "__main__":
    main()
