"""What the officer must fill in by hand, and the warnings that say so once each.

Fields without data print as blank lines; characters the embedded font lacks print as
"＿" (reportlab would draw an empty box without any error). Both are reported with the
field they came from: the unit's and the notice's once per run, an applicant's per
applicant and form, a template's own mistakes once per template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from zcprep.model.notice import Form
from zcprep.render.markup import Document, TextBlock, runs_text
from zcprep.render.values import FormData, field_label, is_known_field, is_workspace_field
from zcprep.xmltext import describe, removed_characters

if TYPE_CHECKING:
    from zcprep.fonts import FontChoice, FormFonts


def char_name(char: str) -> str:
    return f"“{char}”（U+{ord(char):04X}）"


@dataclass
class FontCheck:
    """Characters the font lacks, found per field and in the template's own text."""

    missing: set[str] = field(default_factory=set)
    data_warnings: list[str] = field(default_factory=list)
    workspace_warnings: list[str] = field(default_factory=list)
    template_warnings: list[str] = field(default_factory=list)


def check_font(
    choice: FontChoice, who: str, form: Form, data: FormData, doc: Document
) -> FontCheck:
    from zcprep.fonts import missing_characters

    result = FontCheck()
    for name, value in data.raw.items():
        lacking = missing_characters(choice, value)
        if not lacking:
            continue
        result.missing.update(lacking)
        chars = "、".join(char_name(c) for c in lacking)
        message = (
            f"字体中没有{chars}，它出现在{field_label(name)}；表中已印成“＿”，打印后请手写，"
            "或在 zcprep.toml [fonts] path 指定含该字的 TrueType 字体后重新运行。"
        )
        if is_workspace_field(name):
            result.workspace_warnings.append(message)
        else:
            result.data_warnings.append(f"{who}：{message}")
    in_template = [c for c in missing_characters(choice, doc.text) if c not in result.missing]
    if in_template:
        result.missing.update(in_template)
        chars = "、".join(char_name(c) for c in in_template)
        result.template_warnings.append(
            f"《{form.title}》模板 {form.template} 中的{chars}字体中没有，已印成“＿”；"
            "请换用含该字的字体或修改模板。"
        )
    return result


@dataclass(frozen=True)
class TitleCheck:
    """Whether the title is set in its own face, the characters it prints as blanks
    there, and the warning when the title had to go back to the body's font."""

    own_face: bool
    missing: frozenset[str] = frozenset()
    warning: str | None = None


def check_title_font(fonts: FormFonts, form: Form, doc: Document) -> TitleCheck:
    """A title character the title's face (黑体, 小标宋) lacks never vanishes: the title
    is set in the body's font when that has it, with a warning; a character neither font
    has prints as "＿" and is reported by :func:`check_font` with the rest of the form."""
    from zcprep.fonts import missing_characters

    if not fonts.own_title:
        return TitleCheck(own_face=False)
    text = "".join(
        runs_text(block.runs)
        for block in doc.blocks
        if isinstance(block, TextBlock) and block.kind == "title"
    )
    lacking = missing_characters(fonts.title, text)
    if not lacking:
        return TitleCheck(own_face=True)
    in_body = [c for c in lacking if c not in missing_characters(fonts.body, "".join(lacking))]
    if not in_body:
        return TitleCheck(own_face=True, missing=frozenset(lacking))
    chars = "、".join(char_name(c) for c in in_body)
    title_file = fonts.title.path.name if fonts.title.path else fonts.title.name
    body_file = fonts.body.path.name if fonts.body.path else fonts.body.name
    return TitleCheck(
        own_face=False,
        warning=(
            f"《{form.title}》的标题中有{chars}，标题字体 {title_file} 中没有，"
            f"这一标题已整行改用正文字体 {body_file} 印出，文字完整，只是字体与其他标题不同。"
        ),
    )


class _Warnings:
    """Warnings said once: workspace-wide ones once per run, the rest per applicant."""

    def __init__(self) -> None:
        self.workspace_blanks: dict[str, list[str]] = {}
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)

    def blank_workspace_field(self, name: str, form: Form) -> None:
        titles = self.workspace_blanks.setdefault(name, [])
        if form.title not in titles:
            titles.append(form.title)

    def all(self) -> list[str]:
        shared = [
            f"{field_label(name)}为空，{'、'.join(f'《{t}》' for t in titles)}中已留横线供手填；"
            "在 zcprep.toml 中填写后重新运行 zcprep render。"
            for name, titles in self.workspace_blanks.items()
        ]
        return shared + self.lines


def report_blanks(
    who: str, form: Form, blanks: list[str], notes: list[str], warnings: _Warnings
) -> None:
    """Say which fields print as blanks: the unit's once per run, the applicant's per
    applicant and form, a template's misspelt field once per template."""
    unknown = [name for name in blanks if not is_known_field(name)]
    if unknown:
        warnings.add(
            f"《{form.title}》模板 {form.template} 引用了未知字段 {'、'.join(unknown)}，"
            "已印成横线；请检查拼写（可用字段见 templates/README.md）。"
        )
    for name in blanks:
        if is_workspace_field(name) and name not in unknown:
            warnings.blank_workspace_field(name, form)
    personal = [n for n in blanks if is_known_field(n) and not is_workspace_field(n)]
    if personal:
        fields = "、".join(field_label(name) for name in personal)
        why = f"（{'；'.join(notes)}）" if notes else ""
        warnings.add(
            f"{who}《{form.title}》：{fields}没有数据{why}，已留横线供手填；"
            "补填 applicant.toml 后可重新运行。"
        )


def report_removed(
    who: str, form: Form, data: FormData, doc: Document, docx: bool, warnings: _Warnings
) -> None:
    """Say which values lost characters no file can hold (control characters, U+FFFE, a
    lone surrogate): the unit's and the notice's once, an applicant's per applicant; and,
    for a .docx, those of the template's own text."""
    for name, chars in data.removed.items():
        if is_workspace_field(name):
            warnings.add(
                f"{field_label(name)}含有不能写入表单的字符（{describe(chars)}），表单中已去掉；"
                "请在 zcprep.toml 中删去。"
            )
        else:
            warnings.add(
                f"{who}：{field_label(name)}含有不能写入表单的字符（{describe(chars)}），"
                "表单中已去掉；请改正 applicant.toml。"
            )
    in_template = removed_characters(doc.text) if docx else ()
    if in_template:
        warnings.add(
            f"《{form.title}》模板 {form.template} 中含有不能写入 Word 文件的字符"
            f"（{describe(in_template)}），.docx 中已去掉；请修改模板。"
        )
