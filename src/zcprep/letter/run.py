"""The letter run: check, then one 补正告知单 for each applicant with something to fix.

The check is ``zcprep check``'s own (zcprep.check.run_check), so the letter lists what
the officer sees on the screen. Each letter is filled from templates/letter.md.j2 (or
the workspace's [render] templates_dir copy), parsed and laid out by render's own code,
the font checked for every character, and written atomically to
``out/<姓名>/补正告知单.pdf`` (and .docx). One letter that cannot be written is noted and
the others are still made; a broken template is the same for everyone and stops the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zcprep.cndate import DateStyle, format_date, parse_date
from zcprep.errors import (
    EXIT_FOUND_ERRORS,
    EXIT_IO,
    EXIT_OK,
    EXIT_USAGE,
    FoundErrors,
    OutputError,
    UsageError,
    ZcprepError,
)
from zcprep.letter.content import LetterContent, letter_content
from zcprep.letter.context import LETTER_FIELDS, letter_context
from zcprep.model.notice import Form, Stage
from zcprep.model.workspace import Workspace
from zcprep.oserrors import os_problem
from zcprep.render import (
    Document,
    LayoutProblem,
    check_date_style,
    field_label,
    fill_template,
    form_font,
    make_environment,
    parse,
    template_search_path,
    xml_safe_document,
)
from zcprep.xmltext import describe, removed_characters

if TYPE_CHECKING:
    from jinja2 import Environment

    from zcprep.fonts import FontChoice

LETTER_NAME = "补正告知单"
LETTER_TEMPLATE = "letter.md.j2"
LETTER_TITLE = "材料补正告知单"
# The letter as render's template machinery knows a form (its name in messages).
LETTER_FORM = Form(id="letter", title=LETTER_NAME, template=LETTER_TEMPLATE)
# Fields a letter template may print as a blank on purpose (a deadline to write by hand).
_QUIET_BLANKS = frozenset({"letter.deadline", "applicant.level"})


@dataclass(frozen=True)
class Letter:
    applicant: str
    path: Path
    errors: int
    warnings: int
    docx_path: Path | None = None


@dataclass(frozen=True)
class LetterFailure:
    applicant: str
    error: ZcprepError


@dataclass
class LetterResult:
    letters: list[Letter] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)  # checked, nothing to fix
    failed: list[LetterFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shared: int = 0  # notice-wide findings, left out of every letter
    withdrawn: list[str] = field(default_factory=list)  # old letters of now-clean dossiers
    deadline: dt.date | None = None
    font_source: str = ""

    @property
    def exit_code(self) -> int:
        """3 when a letter could not be written, 1 when one could not be laid out (a
        quoted value too long), else 0 (letters written or none needed)."""
        if any(failure.error.exit_code == EXIT_IO for failure in self.failed):
            return EXIT_IO
        return EXIT_FOUND_ERRORS if self.failed else EXIT_OK


def parse_deadline(text: str | None, today: dt.date) -> tuple[dt.date | None, list[str]]:
    """``--by`` as a date, and a warning when it is not after today."""
    if text is None or not text.strip():
        return None, []
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise UsageError(
            f"--by：{exc}。", "补正期限写成 2023-06-10、2023.6.10 或 2023年6月10日。"
        ) from None
    if day <= today:
        late = "就是今天" if day == today else "早于今天"
        return day, [f"补正期限 {format_date(day)} {late}，申报人来不及补正；请确认 --by 的日期。"]
    return day, []


def write_letters(
    ws: Workspace,
    names: list[str] | None = None,
    by: str | None = None,
    docx: bool = False,
    *,
    today: dt.date | None = None,
    stage: Stage = "submit",
    font: FontChoice | None = None,
) -> LetterResult:
    """Check the named dossiers (all when none) and write a letter for each one with
    errors or warnings; ``by`` is the reply deadline as the officer typed it."""
    from zcprep.check import run_check

    day = today or dt.date.today()
    deadline, notes = parse_deadline(by, day)
    if docx:
        from zcprep.render import require_docx

        require_docx()
    style = check_date_style(ws.notice.render.date_style)
    env = make_environment(template_search_path(ws))  # a bad templates_dir fails early
    report = run_check(ws, names, today=day, stage=stage)
    result = LetterResult(warnings=notes, shared=len(report.notice_findings), deadline=deadline)
    contents = []
    for dossier in report.dossiers:
        content = letter_content(ws.notice, dossier)
        if content is None:
            result.clean.append(dossier.applicant)
            result.withdrawn += _withdraw_old(ws, Path(dossier.path).name)
        else:
            contents.append(content)
    if not contents:
        return result
    choice = _font_for(ws, font, result)
    writer = _Writer(ws, env, choice, style, day, deadline, docx)
    for content in contents:
        try:
            result.letters.append(writer.write(content))
        except ZcprepError as exc:
            if exc.exit_code == EXIT_USAGE:
                raise  # a broken template: the same for everyone, stop
            result.failed.append(LetterFailure(content.applicant, exc))
        except OSError as exc:
            where = Path(exc.filename) if isinstance(exc.filename, str) and exc.filename else None
            where = where or letter_path(ws, content.folder)
            problem = os_problem(exc, where)
            error = OutputError(
                f"无法写入 {ws.relative(where)}：{problem.reason}。", problem.remedy
            )
            result.failed.append(LetterFailure(content.applicant, error))
    result.warnings += writer.warnings()
    return result


def _withdraw_old(ws: Workspace, folder: str) -> list[str]:
    """A letter left from an earlier run for a dossier that is now clean would be handed
    out by mistake: it is removed (it is zcprep's own output under out/), and named."""
    from zcprep.atomic import is_link, refuse_linked_output_folders

    removed = []
    for suffix in (".pdf", ".docx"):
        old = ws.out_dir / folder / f"{LETTER_NAME}{suffix}"
        refuse_linked_output_folders(old)  # out/NAME linked into the dossier: not there
        if old.is_file() and not is_link(old):
            try:
                old.unlink()
            except OSError:
                continue  # open in a viewer: left, and the next run tries again
            removed.append(ws.relative(old))
    return removed


def letter_path(ws: Workspace, folder: str) -> Path:
    return ws.out_dir / folder / f"{LETTER_NAME}.pdf"


def _font_for(ws: Workspace, font: FontChoice | None, result: LetterResult) -> FontChoice:
    """render's font: the one given, else zcprep.toml [fonts], else the system's."""
    choice = form_font(ws, font)
    result.font_source = choice.source
    if choice.warning:
        result.warnings.append(choice.warning)
    return choice


class _Writer:
    """Fills, parses, checks and writes one letter at a time; says each warning once."""

    def __init__(
        self,
        ws: Workspace,
        env: Environment,
        choice: FontChoice,
        style: DateStyle,
        today: dt.date,
        deadline: dt.date | None,
        docx: bool,
    ) -> None:
        from zcprep.fonts import register_font

        self.ws, self.env, self.choice, self.style = ws, env, choice, style
        self.today, self.deadline, self.docx = today, deadline, docx
        self.font_name = register_font(choice)
        self._warnings: list[str] = []

    def warn(self, line: str) -> None:
        if line not in self._warnings:
            self._warnings.append(line)

    def warnings(self) -> list[str]:
        return list(self._warnings)

    def write(self, content: LetterContent) -> Letter:
        from zcprep.atomic import write_with
        from zcprep.render import write_docx, write_pdf

        context = letter_context(self.ws.notice, content, self.today, self.deadline, self.style)
        doc = self._xml_safe(
            content, parse(fill_template(self.env, LETTER_FORM, context), LETTER_TEMPLATE)
        )
        self._say_blanks(doc)
        missing = self._missing_characters(content, doc)
        target = letter_path(self.ws, content.folder)
        try:
            write_with(
                target,
                lambda handle: write_pdf(handle, doc, self.font_name, missing, LETTER_TITLE),
            )
        except LayoutProblem as exc:
            shown = f"（{exc.text[:20]}……）" if exc.text else ""
            raise FoundErrors(
                f"表格中的一格{shown}内容太长，缩小字号后仍排不下一页。",
                "改短 applicant.toml 中被引用的过长内容（或修改告知单模板）后重新运行 zcprep letter。",
            ) from None
        docx_path = None
        if self.docx:
            docx_path = target.with_suffix(".docx")
            write_with(docx_path, lambda handle: write_docx(handle, doc, LETTER_TITLE))
        errors, warnings = content.count("error"), content.count("warning")
        return Letter(content.applicant, target, errors, warnings, docx_path)

    def _xml_safe(self, content: LetterContent, doc: Document) -> Document:
        """The letter without characters no file can hold (a control character quoted from
        applicant.toml, U+FFFE); file names from a Windows zip decoded. Said once."""
        removed = removed_characters(doc.text)
        if removed:
            self.warn(
                f"{content.applicant}：补正告知单中含有不能写入文件的字符（{describe(removed)}），"
                "已去掉；它们来自 applicant.toml、zcprep.toml 或文件名，请找到后删去。"
            )
        return xml_safe_document(doc)

    def _say_blanks(self, doc: Document) -> None:
        """A unit detail left empty is printed as a line to fill by hand, and said once;
        a field the template misspells, once too."""
        for blank in doc.blanks:
            name = blank.field
            if name in _QUIET_BLANKS:
                continue
            if name.startswith(("unit.", "notice.")) and not field_label(name).startswith("模板"):
                self.warn(
                    f"{field_label(name)}为空，补正告知单中已留横线供手填；"
                    "在 zcprep.toml 中填写后重新运行 zcprep letter。"
                )
            elif not _is_letter_field(name):
                self.warn(
                    f"补正告知单模板 {LETTER_TEMPLATE} 引用了未知字段 {name}，已印成横线；"
                    "请检查拼写（可用字段见 templates/README.md）。"
                )

    def _missing_characters(self, content: LetterContent, doc: Document) -> set[str]:
        from zcprep.fonts import missing_characters

        lacking = missing_characters(self.choice, doc.text)
        if lacking:
            chars = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in lacking)
            self.warn(
                f"{content.applicant}：字体中没有{chars}，补正告知单中已印成“＿”，打印后请手写；"
                "或在 zcprep.toml [fonts] path 指定含该字的 TrueType 字体后重新运行。"
            )
        return set(lacking)


def _is_letter_field(name: str) -> bool:
    prefix, _, key = name.partition(".")
    return prefix == "letter" and key in LETTER_FIELDS
