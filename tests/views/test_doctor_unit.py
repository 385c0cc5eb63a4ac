"""doctor says once, in one row, when [unit] in zcprep.toml is left empty; and it names
the faces forms are set in (正文, 标题) with their files."""

from __future__ import annotations

from pathlib import Path

from zcprep.doctor import gather
from zcprep.model.workspace import init_workspace


def _unit_rows(root: Path) -> list:
    return [row for row in gather(workspace=root) if row.item == "单位信息"]


def test_empty_unit_is_one_warning_naming_what_to_fill(tmp_path: Path) -> None:
    root = init_workspace("nantong-2023", tmp_path / "ws")
    rows = _unit_rows(root)
    assert len(rows) == 1
    assert rows[0].status == "warning"
    assert "单位名称" in rows[0].value and "联系电话" in rows[0].value
    assert "[unit]" in rows[0].hint and "name" in rows[0].hint


def test_filled_unit_has_no_warning(tmp_path: Path) -> None:
    root = init_workspace("nantong-2023", tmp_path / "ws")
    config = root / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('name = ""', 'name = "南通某某科技有限公司"', 1)
    text = text.replace('contact = ""', 'contact = "张三"', 1)
    text = text.replace('phone = ""', 'phone = "0513-12345678"', 1)
    config.write_text(text, encoding="utf-8")
    assert _unit_rows(root) == []


def test_doctor_names_the_body_and_title_faces(tmp_path: Path) -> None:
    from fontgen import build_ttf, small_characters

    font = build_ttf(
        tmp_path / "fang.ttf", chars=small_characters(), family="Zcprep Fang", ps_name="ZcprepFang"
    )
    root = init_workspace("nantong-2023", tmp_path / "ws")
    config = root / "zcprep.toml"
    text = config.read_text(encoding="utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n")
    config.write_text(text, encoding="utf-8")
    rows = {row.item: row for row in gather(workspace=root)}
    body, title = rows["中文字体（正文）"], rows["中文字体（标题）"]
    assert body.status == "ok" and "Zcprep Fang（fang.ttf）" in body.value
    assert title.status == "ok" and "同正文" in title.value and "[fonts]" in title.value
