"""Chinese for the words typer and click print themselves.

Why this exists: typer writes its help ("Usage:", "Options:", "[default: …]") and click
its usage errors ("No such option: …") in English, and neither offers a translation
hook. zcprep's users read Chinese, so the help text is caught and its labels replaced,
and usage errors are translated phrase by phrase. Both match on plain text, so they work
with any typer/click version; an unknown phrase stays in English rather than breaking.
"""

from __future__ import annotations

import re

from zcprep.units import text_width

# Labels typer and click print in help, by line; version-agnostic (plain text).
_HELP_LABELS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.MULTILINE), chinese)
    for pattern, chinese in (
        (r"^Usage: ", "用法："),
        (r"^(\s*)Options:$", "\\1选项："),
        (r"^(\s*)Commands:$", "\\1命令："),
        (r"^(\s*)Arguments:$", "\\1参数："),
        (r"Show this message and exit\.", "显示本帮助并退出。"),
        (r"\[required\]", "[必填]"),
        (r"\[default: ([^\]]*)\]", "[默认：\\1]"),
        (r"\[OPTIONS\]", "[选项]"),
        (r"\bCOMMAND \[ARGS\]\.\.\.", "命令 [参数]..."),
    )
)
# typer's type labels after a metavar (姓名 <str>, <list[str]>, <path>): the Chinese
# metavar says enough. Blanked to spaces of the same width so that columns stay aligned.
_TYPE_LABEL = re.compile(r"(?<=\S) <[a-z][a-z0-9_\[\]|, .]*>")


def translate_help(text: str) -> str:
    text = _TYPE_LABEL.sub("", text)
    for pattern, chinese in _HELP_LABELS:
        text = pattern.sub(chinese, text)
    return _realign(text)


_SECTION = re.compile(r"^(选项|参数|命令)：$")
_ENTRY = re.compile(r"^  (\S(?:\S| (?! ))*)(?:  +(.*))?$")
_Entry = tuple[str | None, str]  # (term, help); None term: a continuation line


def _realign(text: str) -> str:
    """Re-pad the two columns of each section by display width: click counts a Chinese
    metavar (姓名, 文件夹) as one column per character, but a terminal shows two."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        out.append(lines[index])
        index += 1
        if not _SECTION.match(out[-1]):
            continue
        block: list[_Entry] = []
        while index < len(lines) and lines[index].startswith("  "):
            block.append(_entry(lines[index]))
            index += 1
        out.extend(_aligned(block))
    return "\n".join(out)


def _entry(line: str) -> _Entry:
    match = _ENTRY.match(line)
    if match:
        return match.group(1), match.group(2) or ""
    return None, line.strip()


def _aligned(block: list[_Entry]) -> list[str]:
    column = max((text_width(term) for term, _ in block if term), default=0) + 2
    lines = []
    for term, help_text in block:
        if term is None:
            lines.append(" " * (2 + column) + help_text)
        elif help_text:
            lines.append(f"  {term}{' ' * (column - text_width(term))}{help_text}")
        else:
            lines.append(f"  {term}")
    return lines


# click's usage errors (typer vendors click; matched on the text, so any version works).
_USAGE_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"No such command '(.+?)'\.", "没有这个命令：\\1。"),
        (r"No such option: (\S+)", "没有这个选项：\\1"),
        (r" ?\(Possible options: (.+?)\)", "（可用的选项：\\1）"),
        (r"\.? ?Did you mean (.+?)\?", "你是不是想用 \\1？"),
        (r"Missing argument '(.+?)'\.?", "缺少参数：\\1。"),
        (r"Missing option '(.+?)'\.?", "缺少选项：\\1。"),
        (r"Missing parameter: (\S+)", "缺少参数：\\1"),
        (r"Missing command\.", "缺少命令。"),
        (r"Invalid value for '(.+?)': ", "“\\1”的值无效："),
        (r"Invalid value: ", "值无效："),
        (r"Got unexpected extra argument(?:\(s\)|s)? \((.+?)\)", "多余的参数：\\1"),
        (r"Option '(.+?)' requires an argument\.", "选项 \\1 后面要写一个值。"),
        (r"Option '(.+?)' requires (\d+) arguments\.", "选项 \\1 后面要写 \\2 个值。"),
        (r"Option '(.+?)' does not take a value\.", "选项 \\1 后面不能写值。"),
        (r"Argument '(.+?)' takes (\d+) values\.", "参数 \\1 要写 \\2 个值。"),
        (r"is not a valid", "不是有效的"),
        (r"does not exist", "不存在"),
    )
)


def translate_usage(message: str) -> str:
    for pattern, chinese in _USAGE_PHRASES:
        message = pattern.sub(chinese, message)
    return message
