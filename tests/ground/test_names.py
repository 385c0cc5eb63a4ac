"""zcprep.names: Windows-safe names, and the five places that make them.

The properties hold for any text and any limits; the examples pin down what each caller
does with the shared rules (refuse, rename and report, or rewrite silently), and the
end-to-end tests write real folders, zip entries and workbooks and read them back.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from intake_helpers import add, build_zip, utf8
from roster_helpers import TODAY, base_applicant, configure, write_applicant
from zcprep.errors import UsageError
from zcprep.intake import portable_part
from zcprep.model.collect import material_for_folder
from zcprep.model.notice import Material
from zcprep.model.workspace import check_dossier_name, init_workspace, new_dossier, open_workspace
from zcprep.names import (
    FORBIDDEN,
    NAME_MAX_BYTES,
    RESERVED,
    is_reserved,
    portable_file_name,
    portable_name,
    truncate,
    windows_problem,
)
from zcprep.render import safe_file_name
from zcprep.roster import make_roster
from zcprep.roster.layout import _safe_name

# Text built to hit the rules: forbidden characters, dots and spaces, device names,
# combining marks, joiners, 4-byte characters, decomposed (NFD) letters.
_PIECES = st.sampled_from(
    [
        *"\\/:*?\"<>|. '[]\x00\x07\x1f\x7f\t",
        *sorted(RESERVED),
        "con",
        "Nul",
        "张三",
        "职称",
        "e\u0301",
        "\u0301",
        "\u200d",
        "\ufe0f",
        "😀",
        "👨\u200d👩",
        "\u3000",
        "txt",
        "pdf",
    ]
)
NAMES = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=3))).map("".join))
LIMITS = st.one_of(st.none(), st.integers(1, 300))


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


# --- properties ------------------------------------------------------------------------


@given(
    name=NAMES,
    replacement=st.sampled_from(["_", ""]),
    max_chars=LIMITS,
    max_bytes=LIMITS,
    also_strip=st.sampled_from(["", ".", " .'"]),
)
@example(name="CONSOLE", replacement="_", max_chars=3, max_bytes=None, also_strip="")
@example(name="CON .", replacement="_", max_chars=None, max_bytes=None, also_strip="")
@example(name="e/\u0301", replacement="", max_chars=None, max_bytes=None, also_strip="")
@example(name="😀😀", replacement="_", max_chars=None, max_bytes=5, also_strip="")
def test_portable_name_is_always_safe_within_limits_and_idempotent(
    name: str, replacement: str, max_chars: int | None, max_bytes: int | None, also_strip: str
) -> None:
    options = {
        "replacement": replacement,
        "max_chars": max_chars,
        "max_bytes": max_bytes,
        "also_strip": also_strip,
    }
    safe = portable_name(name, **options)  # type: ignore[arg-type]
    assert FORBIDDEN.search(safe) is None
    assert not is_reserved(safe)
    assert not safe.endswith((".", " "))
    assert safe and windows_problem(safe) is None
    assert unicodedata.is_normalized("NFC", safe)
    assert max_chars is None or len(safe) <= max_chars
    assert max_bytes is None or utf8_len(safe) <= max_bytes
    assert not safe.startswith(tuple(also_strip)) or safe == "_"
    assert portable_name(safe, **options) == safe  # type: ignore[arg-type]


@given(NAMES)
def test_a_name_without_a_problem_only_gets_normalised(name: str) -> None:
    if windows_problem(name) is None:
        assert portable_name(name) == unicodedata.normalize("NFC", name)
    else:
        assert portable_name(name) != name


@given(NAMES, LIMITS, LIMITS)
def test_truncate_cuts_whole_characters_within_both_limits(
    text: str, max_chars: int | None, max_bytes: int | None
) -> None:
    cut = truncate(text, max_chars, max_bytes)
    assert text.startswith(cut)
    assert max_chars is None or len(cut) <= max_chars
    assert max_bytes is None or utf8_len(cut) <= max_bytes
    rest = text[len(cut) :]
    if rest and cut:  # never between a character and its mark, never beside a joiner
        assert unicodedata.category(rest[0]) not in ("Mn", "Mc", "Me")
        assert rest[0] != "\u200d" and not cut.endswith("\u200d")
    if max_chars is None and max_bytes is None:
        assert cut == text


@given(
    stem=NAMES,
    suffix=st.sampled_from([".pdf", ".jpeg", ".JPG", ".docx"]),
    max_bytes=st.integers(16, 300),
)
def test_a_cut_file_name_keeps_its_extension(stem: str, suffix: str, max_bytes: int) -> None:
    safe = portable_file_name(stem + suffix, max_bytes)
    assert utf8_len(safe) <= max_bytes
    assert windows_problem(safe) is None
    assert safe.endswith(suffix)
    assert portable_file_name(safe, max_bytes) == safe


def test_long_chinese_file_name_is_cut_before_the_extension() -> None:
    name = "关于" + "某某项目技术研究" * 20 + "的报告.pdf"
    safe = portable_file_name(name)
    assert NAME_MAX_BYTES - 3 < utf8_len(safe) <= NAME_MAX_BYTES < utf8_len(name)
    assert safe.endswith(".pdf") and name.startswith(safe.removesuffix(".pdf"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("nul .pdf", "_nul .pdf"),
        ("LPT9.tar.gz", "_LPT9.tar.gz"),
        ("COM\u00b9", "_COM\u00b9"),
        ("CONOUT$", "_CONOUT$"),
        ("CONSOLE", "CONSOLE"),
        ("COM10", "COM10"),
        ("报告:终稿?.pdf", "报告_终稿_.pdf"),
        ("a\x00b\x1f", "a_b_"),
        ("简历. . ", "简历"),
        ("...", "_"),
        ("", "_"),
        ("张三", "张三"),
        (unicodedata.normalize("NFD", "José"), "José"),
    ],
)
def test_portable_name_examples(name: str, expected: str) -> None:
    assert portable_name(name) == expected


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("", "为空"),
        ("张三?", "“?”"),
        ("a\x07", "控制字符 U+0007"),
        ("a/b\\c", "“/”、“\\”"),
        ("张三.", "以点或空格结尾"),
        ("张三 ", "以点或空格结尾"),
        ("CON", "“CON”是 Windows 保留的设备名"),
        ("aux.张三", "“aux”是 Windows 保留的设备名"),
    ],
)
def test_windows_problem_says_what_is_wrong(name: str, phrase: str) -> None:
    problem = windows_problem(name)
    assert problem is not None and phrase in problem


@pytest.mark.parametrize(
    "name", ["张三", "张三-技术部", "CONSOLE", "COM0", "a.b", ".hidden", "（草稿）"]
)
def test_windows_problem_accepts_plain_names(name: str) -> None:
    assert windows_problem(name) is None


def test_replacement_and_limits_are_checked() -> None:
    with pytest.raises(ValueError):
        portable_name("a", replacement="/")
    with pytest.raises(ValueError):
        portable_name("a", max_bytes=0)


# --- zcprep new: refuses, never rewrites ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("CON", "保留的设备名"),
        ("con.txt", "保留的设备名"),
        ("COM\u00b9", "保留的设备名"),
        ("张三?", "“?”"),
        ("张三:李四", "“:”"),
        ("张三.", "以点或空格结尾"),
        ("张" * 61, "太长"),
        ("_张三", "不能作档案名"),
        ("..", "不能作档案名"),
    ],
)
def test_check_dossier_name_refuses_with_the_reason(name: str, phrase: str) -> None:
    with pytest.raises(UsageError) as refused:
        check_dossier_name(name)
    assert phrase in refused.value.message and name in refused.value.message
    assert refused.value.hint


def test_check_dossier_name_keeps_a_good_name_in_nfc() -> None:
    assert check_dossier_name(" 张三 ") == "张三"
    assert check_dossier_name(unicodedata.normalize("NFD", "José")) == "José"
    assert check_dossier_name("张" * 60) == "张" * 60


# --- zcprep add: renames each bad character and reports it ------------------------------


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("报告:终稿?.pdf", "报告_终稿_.pdf"),
        ('a<>"|b.jpg', "a____b.jpg"),
        ("CON.txt", "_CON.txt"),
        ("照片. ", "照片"),
        ("证书.pdf", "证书.pdf"),
    ],
)
def test_portable_part_examples(part: str, expected: str) -> None:
    assert portable_part(part) == expected


def test_zip_entry_with_a_name_too_long_for_the_disk_is_saved_shorter(tmp_path: Path) -> None:
    ws = open_workspace(init_workspace("nantong-2023", tmp_path / "ws"))
    long = "长" * 100  # 300 bytes: fine on Windows, too long for Linux and macOS
    archive = build_zip(tmp_path / "long.zip", [utf8(f"{long}.pdf"), utf8(f"{long}/证书.pdf")])
    result, written = add(ws, archive)
    assert result.refused == []
    assert sorted(written) == ["长" * 83 + ".pdf", "长" * 85 + "/证书.pdf"]
    assert written["长" * 83 + ".pdf"] == f"内容：{long}.pdf".encode()
    assert (f"{long}.pdf", "长" * 83 + ".pdf") in result.renamed


# --- zcprep render: form titles ---------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("公示结果证明", "公示结果证明"),
        ("“六公开”监督卡（2023）", "“六公开”监督卡（2023）"),
        ("申报表/审核表", "申报表_审核表"),
        (" .承诺书. ", "承诺书"),
        ("CON", "_CON"),
        ("???", "___"),
        ("", "表单"),
        ("...", "表单"),
        ("表" * 79 + ".x", "表" * 79),
    ],
)
def test_safe_file_name_examples(title: str, expected: str) -> None:
    assert safe_file_name(title) == expected


def test_safe_file_name_leaves_room_for_pdf() -> None:
    name = safe_file_name("😀" * 80)
    assert utf8_len(name + ".pdf") <= NAME_MAX_BYTES
    assert len(safe_file_name("表" * 100)) == 80


# --- zcprep roster: level names in file and sheet names ---------------------------------


@pytest.mark.parametrize(
    ("level", "limit", "expected"),
    [
        ("中级", 31, "中级"),
        ("'中级[工程师]'", 31, "中级工程师"),
        ("中级/初级", 60, "中级初级"),
        ("..", 31, "级别"),
        ("工" * 40, 31, "工" * 31),
        ("工" * 30 + " .x", 31, "工" * 30),
    ],
)
def test_roster_safe_name_examples(level: str, limit: int, expected: str) -> None:
    assert _safe_name(level, limit) == expected


def test_roster_workbook_and_sheet_named_after_an_awkward_level(tmp_path: Path) -> None:
    root = tmp_path / "工作区"
    init_workspace("nantong-2023", root)
    configure(root)
    config = root / "zcprep.toml"
    awkward = "'中级:[工程师]/专业.技术岗位'"
    config.write_text(
        config.read_text("utf-8").replace('name = "中级"', f'name = "{awkward}"', 1), "utf-8"
    )
    write_applicant(root, base_applicant("张三", "intermediate"))
    result = make_roster(open_workspace(root), today=TODAY)
    assert [p.name for p in result.outputs] == ["情况一览表-中级工程师专业.技术岗位.xlsx"]
    book = openpyxl.load_workbook(result.outputs[0])
    assert book.sheetnames[0] == "中级工程师专业.技术岗位"


# --- zcprep new: checklist folders ------------------------------------------------------


def material(name: str, short: str | None = None) -> Material:
    return Material(id="item", name=name, short=short, order=5)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("任期内专业技术工作总结", "05-任期内专业技术工作总结"),
        (" 学历 证书\u3000", "05-学历证书"),
        ("论文/著作: 目录", "05-论文著作目录"),
        (".隐藏.", "05-隐藏"),
        ("附件\x01", "05-附件"),
        ("?*", "05-材料"),
        ("材" * 45, "05-" + "材" * 40),
        ("材" * 39 + ".x", "05-" + "材" * 39),
    ],
)
def test_material_folder_examples(name: str, expected: str) -> None:
    assert material(name).folder == expected


def test_new_dossier_makes_folders_that_map_back_to_their_items(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace("nantong-2023", root)
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    text = text.replace('name = "任期内专业技术工作总结"', 'name = "工作 总结: 2023."', 1)
    config.write_text(text, "utf-8")
    ws = open_workspace(root)
    folder = new_dossier(ws, "张三")
    assert (folder / "05-工作总结2023").is_dir()
    for sub in folder.iterdir():
        if sub.is_dir():
            assert windows_problem(sub.name) is None
            found = material_for_folder(ws.notice, sub.name)
            assert found is not None and found.folder == sub.name
