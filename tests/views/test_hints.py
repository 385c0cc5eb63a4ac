"""Hints written for the finding: the folder a loose file fits (by the item's patterns,
else by its name, said as a guess), 写“无” only where 无 is a value, a rule that cannot be
judged names the field it cannot read, bind in a notice that binds nothing, and unknown
names answered with the nearest dossier names.

Real workspaces (the test notice, the packaged Nantong example, the Qingdao preset), real
generated files, the command line run and its output read back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bind_helpers import example_workspace
from check_helpers import (
    right_applicant,
    right_dossier,
    scan_jpeg,
    text_pdf,
    toml_text,
    write_notice,
)
from zcprep.check.materials import fitting_materials
from zcprep.cli import main
from zcprep.model.workspace import open_workspace


def _check_json(root: Path, capsys: pytest.CaptureFixture[str], *names: str) -> dict:
    capsys.readouterr()
    main(["check", *names, "-w", str(root), "--json"])
    return json.loads(capsys.readouterr().out)


def _findings(report: dict, code: str) -> list[dict]:
    return [f for d in report["dossiers"] for f in d["findings"] if f["code"] == code]


def _hint_for(report: dict, file_name: str) -> str:
    found = [f for f in _findings(report, "material-unexpected") if f["file"].endswith(file_name)]
    assert len(found) == 1, found
    return found[0]["hint"]


def test_a_loose_file_is_sent_to_the_folder_that_fits_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_workspace(tmp_path)
    dossier = root / "dossiers" / "张三"
    page = text_pdf([["一页说明"]])
    for name in ("02人员简介表.pdf", "工作总结.pdf", "08.pdf", "随便看看.pdf"):
        (dossier / name).write_bytes(page)
    report = _check_json(root, capsys, "张三")

    assert "可能属于 02-人员简介（公示）表" in _hint_for(report, "02人员简介表.pdf")
    assert "dossiers/张三/02-人员简介（公示）表/" in _hint_for(report, "02人员简介表.pdf")
    assert "可能属于 05-任期内专业技术工作总结" in _hint_for(report, "工作总结.pdf")
    for vague in ("08.pdf", "随便看看.pdf"):
        hint = _hint_for(report, vague)
        assert "属于 0" not in hint  # no folder claimed for a bare number or an unlike name
        assert "（如 01-" not in hint
        assert "01 至 08 开头的文件夹" in hint


def test_a_file_matching_an_items_patterns_belongs_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_notice(tmp_path)
    dossier = right_dossier(tmp_path)
    (dossier / "张三身份证反面.jpg").write_bytes(scan_jpeg((1240, 1754), seed=7))
    report = _check_json(tmp_path, capsys)
    assert not _findings(report, "material-unexpected")  # a loose match is bound with its item
    items = open_workspace(tmp_path).notice.checklist
    fits, sure = fitting_materials("张三身份证反面.JPG", items)
    assert [m.folder for m in fits] == ["02-身份证"] and sure
    fits, sure = fitting_materials("劳动合同扫描.pdf", items)
    assert [m.folder for m in fits] == ["03-劳动合同"] and not sure
    assert fitting_materials("08.pdf", items) == ([], False)
    assert fitting_materials("05", items, extension=False) == ([], False)
    fits, _ = fitting_materials("04 我的文件.pdf", items)
    assert [m.folder for m in fits] == ["04-业绩成果"]  # a number with text after it


def test_an_unexpected_folder_is_told_the_name_it_resembles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_workspace(tmp_path)
    folder = root / "dossiers" / "张三" / "个人工作总结"
    folder.mkdir()
    (folder / "总结.pdf").write_bytes(text_pdf([["总结"]]))
    said = [f for f in _findings(_check_json(root, capsys, "张三"), "material-unexpected")]
    assert len(said) == 1 and "可能是 05-任期内专业技术工作总结" in said[0]["hint"]
    assert "03-…" not in said[0]["hint"]


def test_a_number_reads_as_collect_reads_it_and_generic_words_say_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = example_workspace(tmp_path)
    dossier = root / "dossiers" / "张三"
    page = text_pdf([["一页"]])
    for name in ("1寸照片.jpg", "3-证书.pdf", "证明材料.pdf"):
        (dossier / name).write_bytes(page)
    report = _check_json(root, capsys, "张三")
    assert "01-" not in _hint_for(report, "1寸照片.jpg")  # "1寸" is no item number
    assert "可能属于 03-现任专业技术资格证书复印件" in _hint_for(report, "3-证书.pdf")
    assert "可能属于" not in _hint_for(report, "证明材料.pdf")  # 证明、材料 fit every item


def test_a_batch_file_in_a_dossier_is_sent_to_the_batch_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "sd"
    assert main(["init", "shandong-2022", str(root)]) == 0
    assert main(["new", "王芳", "-w", str(root)]) == 0
    page = text_pdf([["花名册"]])
    (root / "dossiers" / "王芳" / "花名册.pdf").write_bytes(page)
    (root / "batch" / "王芳评审表.pdf").write_bytes(page)
    report = _check_json(root, capsys)
    hint = _hint_for(report, "花名册.pdf")
    assert "可能属于 整批材料 01-申报人员花名册" in hint
    assert "batch/01-申报人员花名册/" in hint
    batch = [
        f
        for f in report["notice_findings"]
        if f["code"] == "material-unexpected" and f["file"].endswith("王芳评审表.pdf")
    ]
    assert len(batch) == 1, report["notice_findings"]
    assert "dossiers/姓名/02-山东省专业技术职称评审表/" in batch[0]["hint"]
    assert "移出 batch 文件夹" in batch[0]["hint"]


def _xinjiang(tmp_path: Path, fields: dict[str, object]) -> Path:
    """The Xinjiang preset (its 无 rule) with a notice-own optional choice 岗位类别."""
    root = tmp_path / "xj"
    assert main(["init", "xinjiang-2021", str(root)]) == 0
    config = root / "zcprep.toml"
    own = (
        '[[applicant.custom]]\nkey = "post_kind"\nlabel = "岗位类别"\nkind = "choice"\n'
        'choices = ["管理", "技术"]\nrequired = false\n\n'
    )
    config.write_text(
        config.read_text("utf-8").replace(
            "[[applicant.custom]]\n", own + "[[applicant.custom]]\n", 1
        ),
        "utf-8",
    )
    assert main(["new", "张三", "-w", str(root)]) == 0
    path = root / "dossiers" / "张三" / "applicant.toml"
    text = path.read_text("utf-8")
    for key, value in fields.items():
        text, count = re.subn(
            rf"(?m)^{key} = .*$", f"{key} = {json.dumps(value, ensure_ascii=False)}", text
        )
        assert count == 1, key
    path.write_text(text, "utf-8")
    return root


def _field_finding(report: dict, key: str) -> dict | None:
    found = [
        f
        for f in report["dossiers"][0]["findings"]
        if f["code"].startswith("applicant-field") and f"（{key}）" in f["message"]
    ]
    return found[0] if found else None


def test_write_none_only_where_none_is_a_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _xinjiang(
        tmp_path,
        {
            "gender": "",
            "id_number": "",
            "graduation_date": "",
            "school": "",
            "post_kind": "无",
            "level": "",
        },
    )
    report = _check_json(root, capsys)
    for key in ("gender", "id_number", "graduation_date"):
        finding = _field_finding(report, key)
        assert finding is not None, key
        assert "无" not in finding["hint"], finding
        assert "写“无”" not in finding["message"], finding
    school = _field_finding(report, "school")
    assert school is not None and "确实没有的写“无”" in school["hint"]
    gender = _field_finding(report, "gender")
    assert gender is not None and "男、女" in gender["hint"]
    level = _field_finding(report, "level")
    assert level is not None and "副高级、中级、初级 之一" in level["hint"]
    assert "身份证" not in level["hint"]
    assert _field_finding(report, "post_kind") is None  # 无 is a value under the notice's rule


def test_none_in_a_choice_without_it_is_refused_outside_the_none_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_notice(tmp_path)
    dossier = right_dossier(tmp_path)
    data = right_applicant() | {"education": "无", "degree": "无"}
    (dossier / "applicant.toml").write_text(toml_text(data), "utf-8")
    report = _check_json(tmp_path, capsys)
    education = _field_finding(report, "education")
    assert education is not None and "不能写“无”" in education["message"]
    assert _field_finding(report, "degree") is None  # 无 is one of 学位's choices


def _nantong_with(tmp_path: Path, **fields: object) -> Path:
    root = example_workspace(tmp_path)
    path = root / "dossiers" / "张三" / "applicant.toml"
    text = path.read_text("utf-8")
    for key, value in fields.items():
        text = re.sub(
            rf"(?m)^{key} = .*$", f"{key} = {json.dumps(value, ensure_ascii=False)}", text
        )
    path.write_text(text, "utf-8")
    return root


@pytest.mark.parametrize("exceptional", [False, True])
def test_an_unreadable_date_says_the_rule_cannot_be_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], exceptional: bool
) -> None:
    root = _nantong_with(tmp_path, current_title_date="2019年某月", exceptional=exceptional)
    report = _check_json(root, capsys, "张三")
    said = _findings(report, "eligibility-not-met")
    assert len(said) == 1, said
    message, hint = said[0]["message"], said[0]["hint"]
    assert "“取得时间”（current_title_date）写的是“2019年某月”" in message
    assert "无法判断" in message
    assert "不符合" not in message and "最接近" not in message
    assert "current_title_date" in hint and "2016-12-30" in hint
    assert said[0]["severity"] == "warning"
    assert ("已选破格申报" in message) == exceptional


def test_a_rule_failing_anyway_names_the_unreadable_date_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _nantong_with(tmp_path, current_title="技术员", current_title_date="2019年某月")
    said = _findings(_check_json(root, capsys, "张三"), "eligibility-not-met")
    assert len(said) == 1
    message, hint = said[0]["message"], said[0]["hint"]
    assert "不符合申报中级" in message
    # the 本科 applicant's own path, not the 博士 one whose single condition fails too
    assert "最接近的一条是“大学本科或专科学历" in message and "博士" not in message
    assert "现专业技术资格为“技术员”" in message
    assert "“取得时间”（current_title_date）写的是“2019年某月”" in message
    assert "current_title_date" in hint


def test_an_unknown_title_is_compared_with_the_path_of_its_education(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _nantong_with(tmp_path, current_title="技术员")
    (said,) = _findings(_check_json(root, capsys, "张三"), "eligibility-not-met")
    assert "最接近的一条是“大学本科或专科学历" in said["message"]
    assert "无法识别" not in said["message"]


def test_bind_where_the_notice_binds_nothing_says_so_and_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "qd"
    assert main(["init", "qingdao-2024", str(root)]) == 0
    assert main(["new", "王芳", "-w", str(root)]) == 0
    (root / "dossiers" / "王芳" / "02-六公开监督卡" / "监督卡.pdf").write_bytes(
        text_pdf([["监督卡"]])
    )
    capsys.readouterr()
    assert main(["bind", "-w", str(root)]) == 0
    said = capsys.readouterr().err
    assert "本通知不要求装订申报册" in said
    assert "错误" not in said and "（如 ）" not in said
    assert not list((root / "out").rglob("*.pdf"))
    assert main(["bind", "王方", "-w", str(root)]) == 2  # an unknown name is still said


def test_bind_before_submission_when_only_paper_items_are_bound_points_to_the_paper_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_notice(tmp_path)
    right_dossier(tmp_path)
    config = tmp_path / "zcprep.toml"
    text = config.read_text("utf-8").replace(
        'name = "业绩成果"\norder = 4\n',
        'name = "业绩成果"\norder = 4\nbound = true\nstage = "paper"\n',
    )
    assert 'stage = "paper"' in text
    config.write_text(text, "utf-8")
    capsys.readouterr()
    assert main(["bind", "-w", str(tmp_path)]) == 0
    said = capsys.readouterr().err
    assert "网上申报前没有需要装订的材料" in said and "zcprep bind --stage paper" in said
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


@pytest.mark.parametrize("command", ["check", "bind"])
def test_an_unknown_name_gets_the_nearest_dossier_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    root = example_workspace(tmp_path)
    (root / "dossiers" / "李四").rename(root / "dossiers" / "王芳")
    capsys.readouterr()
    assert main([command, "王方", "-w", str(root)]) == 2
    said = capsys.readouterr().err
    assert "没有名为“王方”的档案" in said and "是否指：王芳？" in said
    assert main([command, "欧阳修远", "-w", str(root)]) == 2
    said = capsys.readouterr().err
    assert "是否指" not in said and "欧阳修远" in said
