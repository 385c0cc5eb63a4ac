"""Where an operating-system error reaches the officer — a config or applicant.toml, an
import table, a dossier's file — it is said in zcprep's words, never the system's own
English ("Input/output error") and never with a doubled full stop.

The errors are raised by the real ``os`` functions the code calls, replaced for the one
call with a function raising what a failing disk raises (an emulation: a disk cannot
be made to fail on demand here).
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from zcprep.cli import main

ENGLISH = ("Input/output error", "Permission denied", "Errno")


def _failing(real: object, target: str, exc: OSError):  # type: ignore[no-untyped-def]
    def read(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == target:
            raise exc
        return real(path, *args, **kwargs)  # type: ignore[operator]

    return read


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_an_unreadable_config_is_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_workspace(tmp_path)
    exc = OSError(errno.EIO, "Input/output error", str(root / "zcprep.toml"))
    monkeypatch.setattr(Path, "open", _failing(Path.open, "zcprep.toml", exc))
    code = main(["check", "-w", str(root)])
    said = _said(capsys)
    assert code == 3, said
    assert "zcprep.toml" in said and "。。" not in said
    assert not any(word in said for word in ENGLISH), said


def test_an_unreadable_import_table_is_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_workspace(tmp_path)
    table = tmp_path / "名单.csv"
    table.write_text("姓名\n王五\n", "utf-8")
    exc = OSError(errno.EIO, "Input/output error", str(table))
    monkeypatch.setattr(Path, "open", _failing(Path.open, "名单.csv", exc))
    code = main(["import", str(table), "-w", str(root)])
    said = _said(capsys)
    assert code == 3, said
    assert "名单.csv" in said and "。。" not in said
    assert not any(word in said for word in ENGLISH), said


def test_a_file_that_fails_while_checked_is_a_chinese_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import zcprep.check.context as context

    root = example_workspace(tmp_path)
    exc = PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(
        context, "probe_file_cached", _failing(context.probe_file_cached, "获奖证书.pdf", exc)
    )
    main(["check", "-w", str(root), "--json"])
    report = json.loads(capsys.readouterr().out)
    unreadable = [
        f
        for d in report["dossiers"]
        for f in d["findings"]
        if f["code"] == "file-unreadable" and f["file"].endswith("获奖证书.pdf")
    ]
    assert unreadable, report
    assert not any(word in unreadable[0]["message"] for word in ENGLISH), unreadable
