"""A finding in the applicant's words: the officer's tools left out, private numbers masked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from check_helpers import id_with_check
from zcprep.letter.wording import FALLBACK_REMEDY, plain, remedy

DOSSIER = "dossiers/李四"


def test_the_dossier_path_goes() -> None:
    hint = "把扫描件（PDF、JPG、PNG）放入 dossiers/李四/05-任期内专业技术工作总结/ 文件夹。"
    assert (
        plain(hint, DOSSIER) == "把扫描件（PDF、JPG、PNG）放入 05-任期内专业技术工作总结/ 文件夹。"
    )


def test_a_clause_about_zcprep_goes_and_the_sentence_still_ends() -> None:
    hint = (
        "补齐学时证明并在 applicant.toml 中如实填写（每年不少于 90 学时）；"
        "核实本省标准后，可在 zcprep.toml 该项加 enforce = true 按错误检查。"
    )
    assert (
        remedy(hint, DOSSIER, "warning")
        == "补齐学时证明并在申报信息中如实填写（每年不少于 90 学时）。"
    )


def test_applicant_toml_becomes_the_applicants_information() -> None:
    assert remedy("填错的改正 applicant.toml。", DOSSIER, "error") == "填错的改正申报信息。"
    assert plain("dossiers/李四/applicant.toml 的 level", DOSSIER) == "申报信息中的level"


def test_a_fields_english_key_goes() -> None:
    message = "“毕业时间”（graduation_date）写的是“2010.13”，不是能识别的日期。"
    assert plain(message, DOSSIER) == "“毕业时间”写的是“2010.13”，不是能识别的日期。"


def test_a_hint_that_is_only_toml_to_type_becomes_a_plain_request() -> None:
    assert (
        remedy("写成 graduation_date = 2023-05-08（不加引号）。", DOSSIER, "error")
        == (FALLBACK_REMEDY["error"])
    )
    assert (
        remedy("运行 zcprep new 李四 生成模板后填写。", DOSSIER, "warning")
        == (FALLBACK_REMEDY["warning"])
    )


def test_messages_keep_every_clause() -> None:
    """Only hints lose clauses: a message is the problem itself."""
    message = "2022 年继续教育：合计 60 学时，不足 90 学时（本通知未写明，请按本省标准核对）。"
    assert plain(message, DOSSIER) == message


def test_id_and_mobile_numbers_are_masked() -> None:
    number = id_with_check("32061119991001202")
    said = plain(f"身份证号“{number}”与性别不符；联系电话 13912345678。", DOSSIER)
    assert number not in said and "13912345678" not in said
    assert f"{number[:4]}**********{number[-4:]}" in said and "139****5678" in said


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.text(max_size=20))
def test_no_id_number_passes_through(first17: str, around: str) -> None:
    number = id_with_check(first17)
    assert number not in plain(f"{around}“{number}”{around}", DOSSIER)
