"""One row as applicant.toml text, laid out like the file ``zcprep new`` writes: the
notice's declared fields in order, each under its Chinese comment, the tables last, and
a first line saying which file and row it came from."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from zcprep.importing.columns import EARLIER_KEY, HOURS_KEY
from zcprep.importing.rows import RowData
from zcprep.importing.values import blank
from zcprep.model.applicant import continuing_education_years
from zcprep.model.fields import NONE_VALUE
from zcprep.model.notice import Notice

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b"}


def toml_string(text: str) -> str:
    """A TOML basic string that reads back as exactly ``text`` (control characters
    escaped; a lone surrogate, which no file can hold, becomes U+FFFD)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        elif 0xD800 <= ord(char) <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """Any value tomllib gives back (so that a field carried over is written unchanged)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # nan, inf and 1e+16 are TOML as Python writes them
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return toml_string("" if value is None else str(value))


def hours_value(hours: dict[int, dict[str, Any]]) -> Any:
    """[[continuing_education]] entries for the years with any hours written; "无" when
    every written cell says 无 (a notice whose empty fields are written 无)."""
    written = [v for parts in hours.values() for v in parts.values() if not blank(v)]
    if not written:
        return None
    if all(isinstance(v, str) and v.strip() == NONE_VALUE for v in written):
        return NONE_VALUE
    entries = []
    for year in sorted(hours):
        parts = hours[year]
        if all(blank(v) for v in parts.values()):
            continue
        entry: dict[str, Any] = {"year": year}
        for part in ("public_hours", "professional_hours"):
            entry[part] = "" if blank(parts.get(part)) else parts[part]
        entries.append(entry)
    return entries


def earlier_value(earlier: dict[str, Any]) -> Any:
    """One [[earlier_education]] entry; blank degree and date are left out (check says
    what is missing), nothing at all when the three cells are blank."""
    if all(blank(v) for v in earlier.values()):
        return None
    entry: dict[str, Any] = {"education": earlier.get("education") or ""}
    for part in ("degree", "graduation_date"):
        if not blank(earlier.get(part)):
            entry[part] = earlier[part]
    return [entry]


def applicant_text(notice: Notice, data: RowData, carried: dict[str, Any], source: str) -> str:
    """The file for one row. Fields the sheet has no column for keep what the existing
    applicant.toml holds (``carried``), else are left blank to fill in."""
    section = notice.applicant
    lines = [
        f"# {data.name} 的申报信息（{notice.notice.title}），由 zcprep import 从{source}导入。",
        '# 键名为英文，值填中文；日期写成 2023-05-08（也可写 "2023年5月8日"），是/否写 true/false。',
        "# 改过本文件后再导入，不会覆盖它（加 --force 才覆盖，原文件另存到 out/备份/）。",
        "",
    ]
    tables: list[str] = []
    covered = data.covered
    for spec, required in section.declared():
        optional = "" if required else ("（没有的写“无”）" if section.none_rule else "（可不填）")
        comment = f"# {spec.label}{optional}" + (f"：{spec.comment}" if spec.comment else "")
        if spec.key not in covered and spec.key not in carried:
            comment += "（表格中没有这一栏，请在此填写）"
        value = _value(spec.key, data, carried)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append(comment)
            for entry in value:
                tables.append(f"[[{spec.key}]]")
                tables += [f"{toml_key(k)} = {toml_value(v)}" for k, v in entry.items()]
            continue
        if value is None and spec.kind in ("hours", "education"):
            tables += [comment, *_example_table(spec.key, notice)]
            continue
        lines += [comment, f"{spec.key} = {toml_value('' if value is None else value)}"]
    return "\n".join([*lines, "", *tables, ""]) if tables else "\n".join([*lines, ""])


def _example_table(key: str, notice: Notice) -> list[str]:
    """A table left out, offered commented out as ``zcprep new`` offers it."""
    if key == EARLIER_KEY:
        lines = [f"[[{key}]]", 'education = "大专"', 'degree = "无"', "graduation_date = 2008-07"]
    else:
        lines = []
        for year in continuing_education_years(notice):
            lines += [f"[[{key}]]", f"year = {year}", "public_hours = 0", "professional_hours = 0"]
    return [f"# {line}" for line in lines]


def _value(key: str, data: RowData, carried: dict[str, Any]) -> Any:
    if key == HOURS_KEY and data.hours is not None:
        return hours_value(data.hours)
    if key == EARLIER_KEY and data.earlier is not None:
        return earlier_value(data.earlier)
    if key in data.values:
        return data.values[key]
    return carried.get(key)
