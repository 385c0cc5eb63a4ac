"""GB 11643-1999 ID numbers: check character, birth date, gender, masks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zcprep.idcard import (
    check_character,
    checksum_ok,
    mask_id,
    mask_phone,
    spaced,
    validate_id,
)

TODAY = dt.date(2025, 6, 1)
# The worked examples printed in GB 11643-1999.
STANDARD_EXAMPLES = ("11010519491231002X", "440524188001010014")


def make_id(first17: str) -> str:
    return first17 + check_character(first17)


@pytest.mark.parametrize("number", STANDARD_EXAMPLES)
def test_standard_examples(number: str) -> None:
    assert check_character(number[:17]) == number[17]
    assert checksum_ok(number)


def test_valid_id_reads_birth_date_and_gender() -> None:
    info = validate_id("11010519491231002X", today=TODAY)
    assert info.ok and info.problems == ()
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女"  # 17th digit 2 is even
    assert info.region_code == "110105"
    assert not info.is_residence_permit


def test_male_and_lowercase_x_and_fullwidth() -> None:
    number = make_id("32060219900307001")
    assert validate_id(number, today=TODAY).gender == "男"
    lower = validate_id(" 11010519491231002x ", today=TODAY)
    assert lower.ok and lower.number == "11010519491231002X"
    wide = validate_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY)
    assert wide.ok and wide.number == "11010519491231002X"


@pytest.mark.parametrize(("prefix", "name"), [("81", "香港"), ("82", "澳门"), ("83", "台湾")])
def test_residence_permits(prefix: str, name: str) -> None:
    info = validate_id(make_id(prefix + "0000" + "19900101" + "001"), today=TODAY)
    assert info.ok and info.problems == ()
    assert info.is_residence_permit
    assert info.residence_permit is not None and name in info.residence_permit


def codes(text: str) -> list[str]:
    return [p.code for p in validate_id(text, today=TODAY).problems]


def test_wrong_length_mentions_old_15_digit_ids() -> None:
    info = validate_id("110105491231002", today=TODAY)
    assert not info.ok
    assert [p.code for p in info.problems] == ["id-length"]
    assert "15 位" in info.problems[0].hint
    assert "18 位" in info.problems[0].message
    assert codes("") == ["id-empty"]
    assert codes("1101051949123100") == ["id-length"]


def test_non_digits_are_named() -> None:
    info = validate_id("1101051949123100A2", today=TODAY)
    assert [p.code for p in info.problems] == ["id-characters"]
    assert "“A”" in info.problems[0].message
    assert codes("110105 9491231 00X") == ["id-length"]  # spaces read through: 16 left
    assert codes("X1010519491231002X") == ["id-characters"]


def test_spaces_and_hyphens_typed_between_the_groups_are_read_through() -> None:
    assert validate_id("110105 19491231 002x", today=TODAY).problems == ()
    assert validate_id("110105-19491231-002X", today=TODAY).number == "11010519491231002X"
    assert spaced("110105 19491231 002x") and not spaced(" 11010519491231002X ")


def test_bad_check_character_names_the_expected_one() -> None:
    info = validate_id("110105194912310021", today=TODAY)
    assert [p.code for p in info.problems] == ["id-check-character"]
    message = info.problems[0].message
    assert "最后一位是 1" in message and "应为 X" in message
    assert info.birth_date == dt.date(1949, 12, 31)  # still readable


@pytest.mark.parametrize("birth", ["19900230", "19901301", "21000101", "18991231"])
def test_impossible_birth_dates(birth: str) -> None:
    info = validate_id(make_id("110105" + birth + "001"), today=TODAY)
    assert [p.code for p in info.problems] == ["id-birth-date"]
    assert info.birth_date is None
    assert not info.ok


def test_unknown_province_is_only_a_warning() -> None:
    info = validate_id(make_id("99010519900101001"), today=TODAY)
    assert info.ok
    assert [(p.code, p.severity) for p in info.problems] == [("id-region", "warning")]


def test_check_character_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="17 位数字"):
        check_character("1234")
    with pytest.raises(ValueError):
        check_character("1101051949123100X")


def test_masks() -> None:
    assert mask_id("11010519491231002X") == "1101**********002X"
    assert mask_phone("13800000000") == "138****0000"
    assert mask_id("1234567") == "*******"
    assert mask_phone("") == ""


seventeen = st.text(alphabet="0123456789", min_size=17, max_size=17)
provinces = st.sampled_from(["11", "32", "44", "51", "65", "81", "82", "83"])
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(0, 999).map(lambda n: f"{n:03d}")


@given(seventeen)
def test_any_17_digits_with_computed_check_pass_the_checksum(first17: str) -> None:
    number = make_id(first17)
    assert checksum_ok(number)
    assert checksum_ok(number.lower())
    assert "id-check-character" not in codes(number)


@given(provinces, st.text("0123456789", min_size=4, max_size=4), births, sequences)
def test_well_formed_ids_validate(prefix: str, rest: str, birth: dt.date, seq: str) -> None:
    number = make_id(prefix + rest + birth.strftime("%Y%m%d") + seq)
    info = validate_id(number, today=TODAY)
    assert info.ok and info.problems == ()
    assert info.birth_date == birth
    assert info.gender == ("男" if int(seq[-1]) % 2 else "女")


@settings(max_examples=300)
@given(seventeen, st.integers(0, 17), st.integers(1, 9))
def test_changing_any_single_digit_breaks_the_checksum(
    first17: str, position: int, delta: int
) -> None:
    number = make_id(first17)
    old = number[position]
    new = str(delta) if old == "X" else str((int(old) + delta) % 10)
    changed = number[:position] + new + number[position + 1 :]
    assert changed != number
    assert not checksum_ok(changed)


@given(st.text(max_size=40))
def test_masks_keep_length_and_never_raise(text: str) -> None:
    assert len(mask_id(text)) == len(text)
    assert len(mask_phone(text)) == len(text)
    validate_id(text, today=TODAY)  # never raises


@given(seventeen)
def test_mask_hides_the_birth_date(first17: str) -> None:
    masked = mask_id(make_id(first17))
    assert masked[4:14] == "*" * 10
