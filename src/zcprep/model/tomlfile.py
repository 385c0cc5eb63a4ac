"""Read TOML files as Windows editors save them, and point at the line of a bad key.

Notepad writes UTF-8 with a byte-order mark; older editors and WPS may write GBK;
Notepad's "Unicode" and Windows PowerShell 5.1's ``Out-File`` write UTF-16 with a BOM.
A UTF-8 file (with or without BOM) is read as is, and so is a UTF-16 one with its BOM
(little- or big-endian: the BOM says which; without one no file is taken for UTF-16). A file that is not UTF-8 but decodes
as GB18030 (a superset of GBK) is read that way and the caller gets a note advising to
re-save it as UTF-8. Anything else is refused with a message that says how to re-save.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from zcprep.errors import ConfigError, InputError
from zcprep.units import size_text

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little-endian (Notepad's "Unicode"), big-endian
_RESAVE_HINT = "用记事本打开该文件，选择“另存为”，编码选 UTF-8 后保存，再运行一次。"


@dataclass
class TomlDocument:
    path: Path
    text: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)


TomlKind = Literal["config", "applicant"]

# What to do after a syntax error, per kind of file: README's config section is about
# zcprep.toml only; an applicant.toml is best compared with the template ``zcprep new``
# writes.
_SYNTAX_HINTS: dict[TomlKind, str] = {
    "config": "对照 README 的配置说明修改该行；文字要用英文双引号括起来，日期写成 2023-04-20。",
    "applicant": "对照 zcprep new 生成的 applicant.toml 模板修改该行：文字要用英文双引号括起来，"
    "日期写成 2023-05-08，是/否写 true/false。",
}
_PATH_HINT = (
    "Windows 路径写在双引号中时，其中的 \\ 会被当作转义符：把 \\ 都改为 /，"
    "如 \"C:/Windows/Fonts/simsun.ttc\"；或改用英文单引号，如 'C:\\Windows\\Fonts\\simsun.ttc'。"
)


def decode_text(raw: bytes, path: Path, shown: str | None = None) -> tuple[str, list[str]]:
    """Decode bytes from a config file; return the text and notes for the user."""
    where = shown or str(path)
    notes: list[str] = []
    if raw.startswith(_UTF16_BOMS):
        return _decode_utf16(raw, where), notes
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
            f"{where}：文件既不是 UTF-8 也不是 GBK 编码，无法读取（第 {exc.start} 字节处）。",
            _RESAVE_HINT,
        ) from None
    if "\x00" in text:
        raise ConfigError(f"{where}：文件含有空字节，不是文本文件。", _RESAVE_HINT)
    notes.append(f"{path.name} 是 GBK 编码，已按 GBK 读取；建议另存为 UTF-8。")
    return text, notes


def _decode_utf16(raw: bytes, where: str) -> str:
    """A file that starts with a UTF-16 BOM; the codec reads the BOM and drops it."""
    try:
        text = raw.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{where}：文件开头标明是 UTF-16（记事本的“Unicode”）编码，"
            f"但内容不是有效的 UTF-16，无法读取（第 {exc.start} 字节处）。",
            _RESAVE_HINT,
        ) from None
    if "\x00" in text:  # UTF-32, whose BOM starts as UTF-16's does, or binary data
        raise ConfigError(f"{where}：文件含有空字节，不是 UTF-16 文本文件。", _RESAVE_HINT)
    return text


def load_toml(path: Path, kind: TomlKind | None = None, shown: str | None = None) -> TomlDocument:
    """Read and parse a TOML file; errors name the file and the line.

    ``kind`` picks the advice after a syntax error (by default from the file name);
    ``shown`` is how messages name the file (the workspace-relative path when the
    caller knows it), else the path as given.
    """
    where = shown or str(path)
    if kind is None:
        kind = "applicant" if path.name == "applicant.toml" else "config"
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            raise InputError(
                f"{where} 不是普通文件（可能是管道或设备），未读取。", "换成真正的文本文件。"
            )
        raw = _read_capped(path, kind, where)
    except FileNotFoundError:
        raise ConfigError(f"找不到文件 {where}。", "检查路径是否正确。") from None
    except IsADirectoryError:
        raise ConfigError(f"{where} 是文件夹，不是配置文件。", "检查路径是否正确。") from None
    except OSError as exc:
        from zcprep.oserrors import os_problem

        problem = os_problem(exc, path)
        raise InputError(f"无法读取 {where}：{problem.reason}。", problem.remedy) from None
    text, notes = decode_text(raw, path, where)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _error_line(str(exc))
        hint = _SYNTAX_HINTS[kind]
        if _is_escape_error(str(exc)) and line is not None and _windows_path_on(text, line):
            hint = _PATH_HINT
        raise ConfigError(
            f"{where}：TOML 格式错误（{translate_toml_error(str(exc))}）。", hint
        ) from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise ConfigError(
            f"{where}：列表或表嵌套的层数多得不合常理，无法读取。",
            "这不是正常的配置文件：对照 README 的配置说明改写。"
            if kind == "config"
            else "这不是正常的申报信息文件：用 zcprep new 生成的模板重新填写。",
        ) from None
    return TomlDocument(path=path, text=text, data=data, notes=notes)


# The most bytes read of each kind of file: 4 MiB is some 200 times the largest preset
# (about 20 KB), 1 MiB some 1,000 times a filled applicant.toml (about 1 KB), so no file
# anyone wrote comes near, while parsing that much still takes only a second or two.
# Only cap + 1 bytes are ever read: a huge (or sparse) file costs neither memory nor time.
SIZE_CAPS: dict[TomlKind, int] = {"config": 4 * 1024 * 1024, "applicant": 1024 * 1024}
_WHAT: dict[TomlKind, str] = {"config": "配置文件", "applicant": "申报信息文件"}


def _read_capped(path: Path, kind: TomlKind, where: str) -> bytes:
    cap = SIZE_CAPS[kind]
    with path.open("rb") as handle:
        raw = handle.read(cap + 1)
        if len(raw) <= cap:
            return raw
        size = max(os.fstat(handle.fileno()).st_size, len(raw))
    raise ConfigError(
        f"{where} 有 {size_text(size)}，超过{_WHAT[kind]}的上限 {size_text(cap)}，未读取。",
        "正常的配置文件只有几十 KB：对照 README 的配置说明检查是否选错了文件或被其他内容覆盖。"
        if kind == "config"
        else "正常的申报信息文件只有几 KB：用 zcprep new 生成的模板重新填写。",
    )


# tomllib's messages (Python 3.11–3.14) in Chinese; {0} is what the message names.
# Anything not listed stays as tomllib wrote it.
_ESCAPE_ERRORS = (
    r"^Unescaped '\\' in a string$",
    r"^Invalid hex value$",
    r"^Escaped character is not a Unicode scalar value$",
)
_TOML_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (_ESCAPE_ERRORS[0], "双引号中的反斜杠 \\ 后面不是合法的转义（如 Windows 路径）"),
        (_ESCAPE_ERRORS[1], "双引号中的 \\u 或 \\U 后面不是十六进制数（如 Windows 路径）"),
        (_ESCAPE_ERRORS[2], "双引号中的 \\u 转义写的字符不存在"),
        (
            r"^Invalid value$",
            "值的写法不对：文字要用英文双引号括起来，日期写成 2023-04-20，是/否写 true/false",
        ),
        (r"^Cannot declare (.+) twice$", "表 [{0}] 写了两次，同名的表只能有一个"),
        (r"^Cannot overwrite a value$", "这个键前面已经写过（同一个键只能写一次）"),
        (r"^Cannot (?:mutate immutable|redefine) namespace (.+)$", "{0} 已经定义过，不能再改写"),
        (
            r"^Expected newline or end of document after a statement$",
            "一行只能写一项：这一项的值后面还有多余的内容（文字是否少了引号？）",
        ),
        (
            r"^Invalid statement$",
            "这一行不是“键 = 值”或 [表名] 的写法（键名只能用英文字母、数字、- 和 _）",
        ),
        (r"^Expected '=' after a key in a key/value pair$", "键名后面缺少 =（键名中有空格？）"),
        (
            r"^Invalid initial character for a key part$",
            "键名写法不对：键名用英文字母、数字、- 或 _",
        ),
        (r"^Expected '\]' at the end of a table declaration$", "表名后面缺少 ]"),
        (r"^Expected '\]\]' at the end of an array declaration$", "[[表名]] 后面缺少 ]]"),
        (r"^Unclosed array$", "列表缺少结尾的 ]，或列表中的两项之间缺少英文逗号"),
        (r"^Unclosed inline table$", "{{ }} 缺少结尾的 }}，或其中两项之间缺少英文逗号"),
        (r"^Duplicate inline table key '(.*)'$", "{{ }} 中的键 {0} 写了两次"),
        (r"^Unterminated string$", "文字缺少结尾的引号"),
        (r"^Expected (.+)$", "缺少结尾的 {0}"),
        (r"^Illegal character '\\n'$", "文字缺少结尾的引号（普通文字中也不能直接换行）"),
        (r"^Illegal character (.+)$", "文字中有不允许的字符 {0}（普通文字中不能直接换行）"),
        (r"^Found invalid character (.+)$", "有不允许的字符 {0}"),
        (r"^Invalid date or datetime$", "日期不存在或写法不对，应写成 2023-04-20"),
    )
)
_LINE_RE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")
_KEY_TUPLE = re.compile(r"\((?:'[^']*'(?:, )?)+,?\)")
_CONTROL = {"'\\n'": "换行", "'\\t'": "制表符", "'\\r'": "回车"}


def _error_line(message: str) -> int | None:
    match = _LINE_RE.search(message)
    return int(match.group(1)) if match and match.group(1) else None


def _is_escape_error(message: str) -> bool:
    detail = _LINE_RE.sub("", message).strip()
    return any(re.match(pattern, detail) for pattern in _ESCAPE_ERRORS)


def translate_toml_error(message: str) -> str:
    """tomllib's English message in Chinese, with the line and column kept."""
    match = _LINE_RE.search(message)
    detail = _LINE_RE.sub("", message).strip()
    for pattern, chinese in _TOML_MESSAGES:
        found = pattern.match(detail)
        if found:
            names = [
                _CONTROL.get(group, _KEY_TUPLE.sub(_key_text, group)) for group in found.groups()
            ]
            detail = chinese.format(*names)
            break
    if match and match.group(1):
        return f"第 {match.group(1)} 行第 {match.group(2)} 列：{detail}"
    if match:
        return f"文件末尾：{detail}"
    return detail


def _key_text(match: re.Match[str]) -> str:
    """('fonts',) → fonts; ('render', 'forms') → render.forms."""
    return ".".join(re.findall(r"'([^']*)'", match.group(0)))


# A double-quoted string holding a backslash: what a pasted Windows path looks like.
_BACKSLASH_IN_QUOTES = re.compile(r'"[^"\n]*\\')


def _windows_path_on(text: str, line: int) -> bool:
    lines = text.splitlines()
    return 0 < line <= len(lines) and bool(_BACKSLASH_IN_QUOTES.search(lines[line - 1]))


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
            if hit is None and not any(isinstance(p, int) for p in loc[:i]):
                # [[eligibility.exclusions]] may come before [eligibility]: outside an
                # array's element the full header is unique, so count from the top
                hit = _nth_header(lines, 0, f"[[{header}]]", int(loc[i + 1]))
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
