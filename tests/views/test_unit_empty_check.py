"""An empty [unit] is said once by ``zcprep check``: a notice-level warning naming
zcprep.toml [unit] and the keys to fill, counted once however many dossiers there are.

Real workspaces from ``zcprep init`` (whose [unit] starts empty) and the packaged example.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from zcprep.cli import main


def _report(root: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    main(["check", "-w", str(root), "--json"])
    return json.loads(capsys.readouterr().out)


def _unit_findings(report: dict) -> list[dict]:
    return [f for f in report["notice_findings"] if f["code"] == "unit-unfilled"]


def _set_unit(root: Path, **values: str) -> None:
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    section = text.index("[unit]")
    head, tail = text[:section], text[section:]
    for key, value in values.items():
        tail = re.sub(rf'(?m)^{key} = "[^"\n]*"', f'{key} = "{value}"', tail, count=1)
    config.write_text(head + tail, "utf-8")


def test_an_empty_unit_is_warned_once_for_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    root = tmp_path / "ws"
    assert main(["init", "qingdao-2024", str(root)]) == 0
    for name in ("张三", "李四"):
        assert main(["new", name, "-w", str(root)]) == 0
    report = _report(root, capsys)
    (unit,) = _unit_findings(report)
    assert unit["severity"] == "warning"
    assert "zcprep.toml 的 [unit]" in unit["message"]
    for key in ("name", "contact", "phone"):
        assert f"（{key}）" in unit["message"] and f'{key} = "' in unit["hint"]
    for dossier in report["dossiers"]:
        assert not [f for f in dossier["findings"] if f["code"] == "unit-unfilled"]

    capsys.readouterr()
    main(["check", "-w", str(root)])
    said = capsys.readouterr()
    shown = said.out + said.err
    assert shown.count("[unit]") == 2, shown  # once in the problem, once in what to do


def test_a_unit_with_name_but_no_contact_is_a_note_and_a_full_one_is_silent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "ws"
    assert main(["init", "nantong-2023", str(root)]) == 0
    _set_unit(root, name="南通示例科技有限公司")
    (unit,) = _unit_findings(_report(root, capsys))
    assert unit["severity"] == "info"
    assert "（contact）" in unit["message"] and "（name）" not in unit["message"]
    _set_unit(root, contact="李经办", phone="0513-85550000")
    assert _unit_findings(_report(root, capsys)) == []


def test_the_packaged_example_has_its_unit_filled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _unit_findings(_report(example_workspace(tmp_path), capsys)) == []
