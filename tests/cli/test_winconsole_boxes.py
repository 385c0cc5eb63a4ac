"""Tables and markers in the classic Windows console (issue 16, item 6).

conhost with a GBK code page (cp936) draws box characters and ✓ ★ · two columns wide, so
borders misalign: there every table is drawn in ASCII and the markers are OK * -. A
UTF-8 console (Windows Terminal, Linux, macOS) keeps the current look. The console is
built on a real GBK-encoded stream, as Python gives it for ``PYTHONIOENCODING=gbk``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from check_helpers import NOTICE, right_dossier
from zcprep.cli import console as console_module
from zcprep.cli import main
from zcprep.cli.console import is_legacy_encoding, mark, out, table_box
from zcprep.cli.findings import show_report

BOX_DRAWING = re.compile("[\u2500-\u257f✓★·→]")
FUTURE_NOTICE = NOTICE.replace("end = 2024-06-30", "end = 2099-06-30").replace(
    "end = 2024-07-15", "end = 2099-07-15"
)


def _stream(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding)  # strict: ✓ would raise in GBK


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode(stream.encoding)


@pytest.mark.parametrize("encoding", ["gbk", "cp936", "GB2312", "gb18030", "cp950", "big5"])
def test_legacy_code_pages_are_recognised(encoding: str) -> None:
    assert is_legacy_encoding(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-8-sig", None, "no-such-codec"])
def test_utf8_and_unknown_keep_the_current_look(encoding: str | None) -> None:
    assert not is_legacy_encoding(encoding)


def test_markers_and_box_follow_the_stream() -> None:
    from rich import box

    gbk, utf8 = out(_stream("gbk")), out(_stream("utf-8"))
    assert [mark(m, gbk) for m in ("ok", "star", "dot", "arrow")] == ["OK", "*", "-", "->"]
    assert [mark(m, utf8) for m in ("ok", "star", "dot", "arrow")] == ["✓", "★", "·", "→"]
    assert table_box(gbk) is box.ASCII and table_box(utf8) is box.HEAVY_HEAD


@pytest.fixture(scope="module")
def report_and_notice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """One clean dossier (the ✓ line) and one with errors (a table or blocks)."""
    from zcprep.cache import CACHE_ENV
    from zcprep.check import run_check
    from zcprep.model.workspace import open_workspace

    root = tmp_path_factory.mktemp("boxes") / "工作区"
    (root / "dossiers").mkdir(parents=True)
    (root / "zcprep.toml").write_text(FUTURE_NOTICE, "utf-8")
    right_dossier(root, "张三")
    broken = right_dossier(root, "李四", seed=1)
    (broken / "02-身份证" / "身份证.jpg").unlink()
    with pytest.MonkeyPatch.context() as patch:  # built before the per-test cache is set
        patch.setenv(CACHE_ENV, str(tmp_path_factory.mktemp("boxes-cache")))
        ws = open_workspace(root)
        report = run_check(ws)
    assert not report.ok and any(not d.findings for d in report.dossiers)
    return report, ws.notice


@pytest.mark.parametrize("width", [120, 80], ids=["table", "blocks"])
def test_check_report_on_a_gbk_console_is_ascii_drawn(
    report_and_notice: tuple[Any, Any], width: int
) -> None:
    report, notice = report_and_notice
    stream = _stream("gbk")
    console = out(stream)
    console.width = width
    show_report(console, report, notice, verbose=False)
    text = _written(stream)
    assert "李四" in text and "张三" in text
    assert BOX_DRAWING.findall(text) == []
    assert "OK 张三" in text
    if width >= 100:
        assert "+--" in text and "|" in text


def test_check_report_on_a_utf8_console_keeps_its_look(
    report_and_notice: tuple[Any, Any],
) -> None:
    report, notice = report_and_notice
    stream = _stream("utf-8")
    console = out(stream)
    console.width = 120
    show_report(console, report, notice, verbose=False)
    text = _written(stream)
    assert "✓ 张三" in text and "┃" in text


def test_every_command_table_goes_through_the_one_switch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The detection patched at its single point: ``notices`` (a table on stdout)."""
    monkeypatch.setattr(console_module, "is_legacy_encoding", lambda encoding: True)
    assert main(["notices"]) == 0
    text = capsys.readouterr().out
    assert "内置通知预设" in text and BOX_DRAWING.findall(text) == []
    assert "+--" in text


def test_no_table_is_built_past_the_switch() -> None:
    """Every table in cli/ is made by console.table (grep for ``Table(``)."""
    folder = Path(console_module.__file__).parent
    for path in folder.glob("*.py"):
        if path.name == "console.py":
            continue
        assert "Table(" not in path.read_text("utf-8"), path.name
