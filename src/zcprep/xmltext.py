"""Text an XML 1.0 file can hold: the workbooks (.xlsx) and Word files (.docx) zcprep writes.

XML 1.0 allows tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and
U+10000–U+10FFFF. Anything else in a value — another C0 control, a lone surrogate, the
noncharacters U+FFFE and U+FFFF — makes openpyxl or python-docx raise, or (without lxml)
gives a file Excel calls corrupt. The other noncharacters (U+FDD0–U+FDEF, U+nFFFE and
U+nFFFF of every plane) are legal XML but stand for nothing and go too. One place for the
rule, so that the 一览表, 检查结果.xlsx, the blank import sheet and every .docx agree.

Undecodable file-name bytes (lone surrogates U+DC80–U+DCFF from a Windows zip) are first
read as GB18030 by :func:`zcprep.privacy.printable`, so a 证书 from a GBK name stays 证书;
only what is still not text is removed. What was removed is returned, so that the
caller can say so, naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from zcprep.privacy import printable

_PLANE_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + _PLANE_NONCHARACTERS + "]"
)


def removed_characters(text: str) -> tuple[str, ...]:
    """The characters :func:`xml_safe` would remove from ``text``, each once, in order."""
    if not _ILLEGAL.search(text):
        return ()
    return tuple(dict.fromkeys(_ILLEGAL.findall(printable(text))))


def xml_safe(text: str) -> str:
    """``text`` with file-name bytes decoded and every character XML 1.0 cannot hold removed."""
    if not _ILLEGAL.search(text):
        return text
    return _ILLEGAL.sub("", printable(text))


def describe(chars: tuple[str, ...]) -> str:
    """控制字符 U+0007、非字符 U+FFFE: what was removed, as a reader can look it up."""
    return "、".join(f"{_kind(char)} U+{ord(char):04X}" for char in chars)


def _kind(char: str) -> str:
    if char < " ":
        return "控制字符"
    if "\ud800" <= char <= "\udfff":
        return "孤立代理码位"
    return "非字符"


def removal_note(where: str, chars: tuple[str, ...], output: str, fix: str) -> str:
    """One line: what held which characters, that ``output`` left them out, where to fix."""
    return (
        f"{where}含有不能写入文件的字符（{describe(chars)}），{output}中已去掉；请在 {fix} 中删去。"
    )


# --------------------------------------------------------------------------- config text

Found = list[tuple[str, tuple[str, ...]]]


def clean_model(model: Any, sections: tuple[str, ...] | None = None) -> tuple[Any, Found]:
    """A copy of a pydantic model (zcprep.toml's notice) with every string made XML-safe,
    and (TOML place, removed characters) for each string that changed; ``sections``
    limits it to those top-level tables (the ones an output prints)."""
    found: Found = []
    return _clean_fields(model, (), found, sections), found


def config_notes(found: Found, output: str) -> list[str]:
    """One line per zcprep.toml value that lost characters in ``output``."""
    return [
        removal_note(f"zcprep.toml 的 {where} ", chars, output, "zcprep.toml")
        for where, chars in found
    ]


def _clean(value: Any, path: tuple[str | int, ...], found: Found) -> Any:
    if isinstance(value, str):
        cleaned = xml_safe(value)
        if cleaned == value:
            return value
        chars = removed_characters(value)
        if chars:
            found.append((toml_place(path), chars))
        return cleaned
    if isinstance(value, list):
        items = [_clean(item, (*path, index), found) for index, item in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if getattr(type(value), "model_fields", None) is None:
        return value
    return _clean_fields(value, path, found)


def _clean_fields(
    model: Any, path: tuple[str | int, ...], found: Found, sections: tuple[str, ...] | None = None
) -> Any:
    """The model, or a copy with its cleaned fields (named by their TOML keys)."""
    changed = {}
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        if sections is not None and key not in sections:
            continue
        current = getattr(model, name)
        cleaned = _clean(current, (*path, key), found)
        if cleaned is not current:
            changed[name] = cleaned
    return model.model_copy(update=changed) if changed else model


def toml_place(path: tuple[str | int, ...]) -> str:
    """("levels", 1, "name") → ``[[levels]] 第 2 项的 name``; ("unit", "name") → ``[unit] name``;
    ("roster", "columns", 2, "header") → ``[roster] columns 第 3 项的 header``."""
    if not path:
        return "（顶层）"
    head, rest = str(path[0]), list(path[1:])
    shown = f"[[{head}]]" if rest and isinstance(rest[0], int) else f"[{head}]"
    for part in rest:
        if isinstance(part, int):
            shown += f" 第 {part + 1} 项"
        else:
            shown += f"的 {part}" if shown.endswith("项") else f" {part}"
    return shown
