"""GB 11643-1999 citizen identity numbers (居民身份证号码) and privacy masks.

An 18-character number is: 6 digits of region code (GB/T 2260), 8 digits of birth date
(YYYYMMDD), 3 digits of sequence (the last odd for men, even for women) and one check
character computed with ISO 7064 MOD 11-2, where a value of 10 is written X. Residence
permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证) use the same layout
with region codes 81, 82 and 83.

:func:`validate_id` never raises: it returns an :class:`IdInfo` that lists every problem
(in Chinese, with what to do) and what could still be read from the number.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Gender = Literal["男", "女"]

_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
_LENGTH = 18
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_PERMITS = {"81": "香港居民居住证", "82": "澳门居民居住证", "83": "台湾居民居住证"}
# Province-level codes of GB/T 2260 (plus 71 Taiwan); 81–83 are the residence permits.
_PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64"}
    | {"65", "71", "81", "82", "83"}
)


@dataclass(frozen=True)
class IdProblem:
    """One thing wrong with an ID number. ``code`` is stable; texts are Chinese."""

    code: str
    message: str
    hint: str
    severity: Severity = "error"


@dataclass(frozen=True)
class IdInfo:
    """What :func:`validate_id` found.

    ``number`` is the normalised text (trimmed, full-width characters folded, x → X).
    ``birth_date``, ``gender`` and ``region_code`` are None when they could not be read.
    """

    number: str
    problems: tuple[IdProblem, ...]
    birth_date: dt.date | None
    gender: Gender | None
    region_code: str | None
    residence_permit: str | None

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not any(p.severity == "error" for p in self.problems)

    @property
    def is_residence_permit(self) -> bool:
        """True for a 港澳台居民居住证 number (prefix 81, 82 or 83)."""
        return self.residence_permit is not None


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') for 17 ASCII digits."""
    if len(first17) != _LENGTH - 1 or not _ascii_digits(first17):
        raise ValueError(f"“{first17}”应为 17 位数字，才能计算校验码")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def checksum_ok(number: str) -> bool:
    """True when ``number`` is 17 digits plus the right check character (x accepted)."""
    text = normalize_id(number)
    if len(text) != _LENGTH or not _ascii_digits(text[:17]):
        return False
    return check_character(text[:17]) == text[17]


def normalize_id(text: str) -> str:
    """Fold full-width characters (１２３Ｘ), drop spaces and hyphens people type between
    the groups ("320684 19920708 1019"), upper-case a trailing x."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(c for c in folded if not c.isspace() and c not in "-‐‑–—")


def spaced(text: str) -> bool:
    """Whether the ID was typed with spaces or hyphens (the messages then say so)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return any(c.isspace() or c in "-‐‑–—" for c in folded)


# A mainland mobile (11 digits, 13x–19x) or a landline with its area code (0 + 2–3 digits,
# then 7–8 digits, an extension after 转/-/#), after spaces and hyphens are read through.
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")


def normalize_phone(text: str) -> str | None:
    """One printed form of a phone number (13912345678, 0513-85550000, 0513-85550000转123),
    or None when it is neither a mainland mobile nor a landline with an area code."""
    folded = unicodedata.normalize("NFKC", text).strip()
    compact = re.sub(r"[\s()（）]", "", folded)
    mobile = _MOBILE.fullmatch(compact.replace("-", ""))
    if mobile:
        return mobile.group(1)
    parts = compact.split("-", 1)
    joined = parts[0] + (parts[1] if len(parts) > 1 else "")
    extension = None
    for mark in ("转", "#"):
        if mark in joined:
            joined, extension = joined.split(mark, 1)
    landline = re.fullmatch(r"(0\d{2,3})(\d{7,8})", joined)
    if landline is None or (extension is not None and not extension.isdigit()):
        return None
    area, number = landline.groups()
    if len(area) == 4 and len(number) == 7 and area[1] in "12":
        area, number = area[:3], area[3] + number  # 010/02x areas: 3 digits, 8-digit numbers
    return f"{area}-{number}" + (f"转{extension}" if extension else "")


def _ascii_digits(text: str) -> bool:
    return all("0" <= c <= "9" for c in text)


def validate_id(text: str, today: dt.date | None = None) -> IdInfo:
    """Check an 18-character ID number; list every problem instead of raising."""
    number = normalize_id(text)
    shape = _shape_problems(number)
    if shape:
        return IdInfo(number, shape, None, None, None, None)
    birth, birth_problems = _birth_date(number[6:14], today or dt.date.today())
    problems = [*birth_problems, *_region_problems(number), *_check_problems(number)]
    return IdInfo(
        number=number,
        problems=tuple(problems),
        birth_date=birth,
        gender="男" if int(number[16]) % 2 else "女",
        region_code=number[:6],
        residence_permit=_PERMITS.get(number[:2]),
    )


def _shape_problems(number: str) -> tuple[IdProblem, ...]:
    if not number:
        return (IdProblem("id-empty", "身份证号为空", "请填写 18 位公民身份号码"),)
    if len(number) != _LENGTH:
        hint = "请核对后填写 18 位号码"
        if len(number) == 15:
            hint = "15 位为旧号码，请改填第二代身份证上的 18 位号码"
        message = f"身份证号“{number}”有 {len(number)} 位，应为 18 位"
        return (IdProblem("id-length", message, hint),)
    bad = [c for c in number[:17] if not _ascii_digits(c)]
    if not _ascii_digits(number[17]) and number[17] != "X":
        bad.append(number[17])
    if bad:
        shown = "、".join(f"“{c}”" for c in dict.fromkeys(bad))
        return (
            IdProblem(
                "id-characters",
                f"身份证号“{number}”含有非法字符 {shown}",
                "前 17 位只能是数字，最后一位是数字或 X；请去掉空格等其他字符",
            ),
        )
    return ()


def _birth_date(digits: str, today: dt.date) -> tuple[dt.date | None, list[IdProblem]]:
    shown = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None, [
            IdProblem(
                "id-birth-date",
                f"身份证号第 7–14 位的出生日期 {shown} 不存在",
                "请对照身份证原件核对号码",
            )
        ]
    if not _EARLIEST_BIRTH <= birth <= today:
        return None, [
            IdProblem(
                "id-birth-date",
                f"身份证号中的出生日期 {shown} 不合理（早于 1900 年或晚于今天）",
                "请对照身份证原件核对号码",
            )
        ]
    return birth, []


def _region_problems(number: str) -> list[IdProblem]:
    if number[:2] in _PROVINCES:
        return []
    return [
        IdProblem(
            "id-region",
            f"身份证号开头的地区码 {number[:6]} 不属于任何省级行政区",
            "请对照身份证原件核对前 6 位",
            severity="warning",
        )
    ]


def _check_problems(number: str) -> list[IdProblem]:
    expected = check_character(number[:17])
    if number[17] == expected:
        return []
    return [
        IdProblem(
            "id-check-character",
            f"身份证号“{number}”的校验码错误：最后一位是 {number[17]}，"
            f"按前 17 位计算应为 {expected}",
            "号码中很可能有一位抄错，请对照身份证原件逐位核对",
        )
    ]


def _mask(text: str, keep_head: int, keep_tail: int) -> str:
    if len(text) <= keep_head + keep_tail:
        return "*" * len(text)
    hidden = len(text) - keep_head - keep_tail
    return text[:keep_head] + "*" * hidden + text[len(text) - keep_tail :]


def mask_id(text: str) -> str:
    """1101**********002X: keep the first 4 and last 4 characters, same length."""
    return _mask(text, 4, 4)


def mask_phone(text: str) -> str:
    """138****0000: keep the first 3 and last 4 characters, same length."""
    return _mask(text, 3, 4)
