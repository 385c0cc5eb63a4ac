"""Read TOML files as Windows editors save them, and point at the line of a bad key.

Notepad writes UTF-8 with a byte-order mark; older editors and WPS may write GBK.
A UTF-8 file (with or without BOM) is read as is. A file that is not UTF-8 but decodes
as GB18030 (a superset of GBK) is read that way and the caller gets a note advising to
re-save it as UTF-8. Anything else is refused with a message that says how to re-save.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcprep.errors import ConfigError, InputError

_UTF8_BOM = b"\xef\xbb\xbf"
_RESAVE_HINT = "用记事本打开该文件，选择“另存为”，编码选 UTF-8 后保存，再运行一次。"


@dataclass
class TomlDocument:
    path: Path
    text: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def decode_text(raw: bytes, path: Path) -> tuple[str, list[str]]:
    """Decode bytes from a config file; return the text and notes for the user."""
    notes: list[str] = []
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    try:
        return raw.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}：文件既不是 UTF-8 也不是 GBK 编码，无法读取（第 {exc.start} 字节处）。",
            _RESAVE_HINT,
        ) from None
    if "\x00" in text:
        raise ConfigError(f"{path}：文件含有空字节，不是文本文件。", _RESAVE_HINT)
    notes.append(f"{path.name} 是 GBK 编码，已按 GBK 读取；建议另存为 UTF-8。")
    return text, notes


def load_toml(path: Path) -> TomlDocument:
    """Read and parse a TOML file; errors name the file and the line."""
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            raise InputError(
                f"{path} 不是普通文件（可能是管道或设备），未读取。", "换成真正的文本文件。"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"找不到文件 {path}。", "检查路径是否正确。") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} 是文件夹，不是配置文件。", "检查路径是否正确。") from None
    except OSError as exc:
        raise InputError(f"无法读取 {path}：{exc.strerror}。", "检查文件权限后重试。") from None
    text, notes = decode_text(raw, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}：TOML 格式错误（{_translate_toml_error(str(exc))}）。",
            "对照 README 的配置说明修改该行；字符串要用英文双引号括起来，日期写成 2023-04-20。",
        ) from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise ConfigError(
            f"{path}：列表或表嵌套的层数多得不合常理，无法读取。",
            "这不是正常的配置文件：用 zcprep new 重新生成，或对照 README 的配置说明改写。",
        ) from None
    return TomlDocument(path=path, text=text, data=data, notes=notes)


_LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _translate_toml_error(message: str) -> str:
    match = _LINE_RE.search(message)
    detail = _LINE_RE.sub("", message).strip()
    if match:
        return f"第 {match.group(1)} 行第 {match.group(2)} 列：{detail}"
    return detail


def locate(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort 1-based line of a key path such as ("materials", 2, "copies").

    TOML parsers do not keep positions, so this walks the text: an integer index selects
    the n-th ``[[table]]`` header of that array, a string selects ``key =`` or a
    ``[table]`` header after the current position.
    """
    lines = text.splitlines()
    start = 0
    prefix: list[str] = []
    found: int | None = None
    i = 0
    while i < len(loc):
        part = loc[i]
        if isinstance(part, str) and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            header = ".".join([*prefix, part])
            hit = _nth_header(lines, start, f"[[{header}]]", int(loc[i + 1]))
            if hit is None:
                return _key_line(lines, start, part) or found
            found, start = hit + 1, hit + 1
            prefix.append(part)
            i += 2
            continue
        if isinstance(part, int):
            i += 1
            continue
        header_hit = _nth_header(lines, start, "[" + ".".join([*prefix, part]) + "]", 0)
        key_hit = _key_line(lines, start, part)
        if key_hit is not None and (header_hit is None or key_hit - 1 <= header_hit):
            found, start = key_hit, key_hit - 1
        elif header_hit is not None:
            found, start = header_hit + 1, header_hit + 1
        else:
            return found
        prefix.append(part)
        i += 1
    return found


def _nth_header(lines: list[str], start: int, header: str, n: int) -> int | None:
    count = 0
    for idx in range(start, len(lines)):
        if lines[idx].strip().replace(" ", "") == header:
            if count == n:
                return idx
            count += 1
    return None


def _key_line(lines: list[str], start: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=|[{{,]\s*{re.escape(key)}\s*=")
    for idx in range(start, len(lines)):
        if pattern.search(lines[idx]):
            return idx + 1
    return None
