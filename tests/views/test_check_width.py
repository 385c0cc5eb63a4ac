"""``zcprep check`` read at 60, 80, 120 and 200 columns: no line wider than the screen,
no line splitting a file name or a number, no English code unless ``--verbose``, and the
summary's counts equal the rows shown.

A real workspace (the Nantong example, 李四 with errors) with extra files whose names are
long, so that the narrow widths have to break around them.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from check_helpers import scan_pdf
from zcprep.cli import main
from zcprep.cli.wrap import cells, wrap
from zcprep.report import CODES

WIDTHS = (60, 80, 120, 200)
LONG_NAMES = ("微信图片_20230506153045123.jpg", "任期内专业技术工作总结（2019-2023）.doc")
ROW = re.compile(r"^\s*(?:│\s*)?\d+(?:\.| │) (错误|警告|提示) ")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = example_workspace(tmp_path_factory.mktemp("width"))
    dossier = root / "dossiers" / "李四"
    (dossier / LONG_NAMES[0]).write_bytes(scan_pdf(1))
    (dossier / "05-任期内专业技术工作总结" / LONG_NAMES[1]).write_bytes(b"\xd0\xcf\x11\xe0")
    return root


def _check(
    root: Path,
    width: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *extra: str,
) -> tuple[list[str], list[str]]:
    monkeypatch.setenv("COLUMNS", str(width))
    capsys.readouterr()
    code = main(["check", "-w", str(root), *extra])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    return captured.out.splitlines(), captured.err.splitlines()


def _report(root: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    main(["check", "-w", str(root), "--json"])
    return json.loads(capsys.readouterr().out)


def _unbreakables(report: dict) -> set[str]:
    """What the officer must be able to read whole: the file names the findings name
    and every date and number in their messages and hints."""
    findings = report["notice_findings"] + [f for d in report["dossiers"] for f in d["findings"]]
    words = {f["file"].rsplit("/", 1)[-1] for f in findings if f["file"]}
    for finding in findings:
        text = finding["message"] + finding["hint"]
        words |= set(re.findall(r"\d{4}年\d{1,2}月\d{1,2}日|\d+", text))
    return words


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_the_screen_or_splits_a_name_or_number(
    workspace: Path,
    width: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _report(workspace, capsys)
    lines, summary = _check(workspace, width, capsys, monkeypatch)
    for line in lines + summary:
        assert cells(line) <= width, line
    private = {word for word in _unbreakables(report) if len(word) >= 11}  # masked on screen
    for word in _unbreakables(report) - private:
        assert any(word in line for line in lines + summary), f"{word!r} is split at {width}"
    assert any(re.search(r"\d{4}\*{10}\d{3}[\dX]", line) for line in lines)
    for upper, lower in itertools.pairwise(lines):
        assert not (re.search(r"\d$", upper) and re.match(r"[│\s]*\d", lower.lstrip())), (
            upper,
            lower,
        )
    for line in lines + summary:
        content = line.strip(" │┃")
        assert not content.startswith(("。", "，", "）", "、", "；")), line
    assert any(LONG_NAMES[0] in line for line in lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_codes_only_with_verbose(
    workspace: Path,
    width: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _report(workspace, capsys)
    codes = {f["code"] for d in report["dossiers"] for f in d["findings"]}
    assert codes <= set(CODES)
    plain, _ = _check(workspace, width, capsys, monkeypatch)
    verbose, _ = _check(workspace, width, capsys, monkeypatch, "--verbose")
    shown = "\n".join(plain)
    assert not [code for code in CODES if re.search(rf"(?<![\w-]){code}(?![\w-])", shown)]
    assert all(code in "\n".join(verbose) for code in codes)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_counts_the_rows_shown(
    workspace: Path,
    width: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines, summary = _check(workspace, width, capsys, monkeypatch)
    shown = [match.group(1) for line in lines if (match := ROW.match(line))]
    said = "".join(summary)
    errors = re.search(r"共\s*(\d+)\s*个错误", said)
    warnings = re.search(r"(\d+)\s*个警告", said)
    notes = re.search(r"另有\s*(\d+)\s*条提示", said)
    assert errors and warnings, said
    assert shown.count("错误") == int(errors.group(1))
    assert shown.count("警告") == int(warnings.group(1))
    assert shown.count("提示") == (int(notes.group(1)) if notes else 0)


def test_the_layout_changes_at_one_hundred_columns(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    narrow, _ = _check(workspace, 99, capsys, monkeypatch)
    wide, _ = _check(workspace, 100, capsys, monkeypatch)
    assert not any("│" in line for line in narrow)
    assert any(line.startswith("│") for line in wide)
    assert any(line.lstrip().startswith("怎么办：") for line in narrow)


@pytest.mark.parametrize(
    "text, width, whole",
    [
        ("请把 01-专业技术资格评审申报表/ 里的申报表.pdf 换成扫描件。", 20, "申报表.pdf"),
        ("材料应按 01–08 的顺序装订，共 8 项。", 12, "01–08"),
        ("任现职满1年以上的人员才能申报。", 8, "满1年"),
        ("取值应为以下之一：'bottom-center' 或 'top-right'。", 20, "'bottom-center'"),
        ("公示于2023年5月12日结束。", 16, "2023年5月12日"),
    ],
)
def test_wrap_keeps_words_whole(text: str, width: int, whole: str) -> None:
    lines = wrap(text, width)
    assert any(whole in line for line in lines), lines
    assert all(cells(line) <= width for line in lines), lines


def test_a_full_stop_never_starts_a_line_even_at_twenty_columns() -> None:
    text = "缺少第 5 项材料“任期内专业技术工作总结”。请补上。"
    for width in range(6, 21):
        lines = wrap(text, width)
        assert not any(line.startswith(("。", "”")) for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_config_choices_are_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_workspace(tmp_path)
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    config.write_text(text.replace('position = "bottom-center"', 'position = "middle"'), "utf-8")
    capsys.readouterr()
    code = main(["check", "-w", str(root)])
    said = capsys.readouterr().err.replace("\n", "")
    assert code == 2, said
    assert "取值应为以下之一：bottom-center、bottom-outer、bottom-right、top-right" in said
    assert " or " not in said
