"""zcprep roster leaves nobody out silently: an applicant without a known level, or whom
check finds ineligible, is named once with the reason, and the command exits 1 (the
table and its fee total are incomplete). With --level only the chosen level counts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from roster_helpers import base_applicant, configure, write_applicant
from zcprep.cli import main
from zcprep.model.workspace import init_workspace

RULE = "公务员（含列入参照公务员法管理的事业单位工作人员）、离退休人员不得申报职称评审"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "工作区"
    init_workspace("nantong-2023", root)
    configure(root)
    write_applicant(root, base_applicant("张三"))
    write_applicant(root, base_applicant("王六", "初级"))
    return root


def roster(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["roster", *args, "-w", str(root)])
    captured = capsys.readouterr()
    return code, captured.err


def listed(root: Path, level: str) -> list[str]:
    ws = openpyxl.load_workbook(root / "out" / f"情况一览表-{level}.xlsx")[level]
    return [row[1] for row in ws.iter_rows(min_row=4, values_only=True) if isinstance(row[0], int)]


def test_everyone_listed_exits_0(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = roster(root, capsys)
    assert code == 0, err
    assert "未列入一览表" not in err


def test_an_applicant_without_a_level_makes_it_exit_1(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nolevel = base_applicant("钱七")
    del nolevel["level"]
    write_applicant(root, nolevel)
    code, err = roster(root, capsys)
    assert code == 1
    assert "钱七（未填写）" in err
    assert "有 1 位申报人未列入一览表（钱七），评审费用汇总也不含他们" in err
    assert listed(root, "中级") == ["张三"]


def test_an_ineligible_applicant_is_named_once_with_the_rule_once(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_applicant(root, base_applicant("赵六", rank=2) | {"civil_servant": True})
    code, err = roster(root, capsys)
    flat = err.replace("\n", "")
    assert code == 1
    assert flat.count(RULE) == 1  # check's message quotes the notice: said here once
    assert "赵六（中级）不符合本通知的申报条件，未列入一览表。" in flat
    assert "有 1 位申报人未列入一览表（赵六）" in flat
    assert listed(root, "中级") == ["张三"]


def test_with_level_only_that_level_counts(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_applicant(root, base_applicant("赵六", rank=2) | {"civil_servant": True})
    nolevel = base_applicant("钱七")
    del nolevel["level"]
    write_applicant(root, nolevel)

    code, err = roster(root, capsys, "--level", "初级")
    assert code == 0, err
    assert "赵六" not in err and "钱七" not in err and "未列入一览表" not in err
    assert listed(root, "初级") == ["王六"]

    code, err = roster(root, capsys, "--level", "中级")
    assert code == 1
    assert "赵六" in err and "钱七" not in err  # no level is a stray only without --level
    assert "有 1 位申报人未列入一览表（赵六）" in err.replace("\n", "")
