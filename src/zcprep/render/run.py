"""The render run: every selected form for every selected applicant, written to disk.

Each form is filled, parsed, checked against the font, laid out and written atomically
to ``out/<姓名>/forms/<表名>.pdf`` (and a .docx beside it on request). One applicant's
broken applicant.toml, one file that cannot be written or one value too long for its
form is noted and the others still get their forms; a broken template or config is the
same for everyone and stops the run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zcprep.cndate import DateStyle
from zcprep.errors import (
    EXIT_FOUND_ERRORS,
    EXIT_IO,
    EXIT_OK,
    EXIT_USAGE,
    FoundErrors,
    OutputError,
    ZcprepError,
)
from zcprep.model.applicant import Applicant, load_applicant
from zcprep.model.notice import Form, Notice
from zcprep.model.workspace import Workspace
from zcprep.names import NAME_MAX_BYTES, portable_name
from zcprep.oserrors import os_problem
from zcprep.render.blanks import (
    _Warnings,
    check_font,
    check_title_font,
    report_blanks,
    report_removed,
)
from zcprep.render.fit import LayoutProblem
from zcprep.render.forms import (
    BlankUndefined,
    Record,
    fill_template,
    find_form,
    make_environment,
    template_search_path,
)
from zcprep.render.markup import parse
from zcprep.render.values import (
    build_context,
    check_date_style,
    field_label,
    identity_problems,
    is_workspace_field,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from zcprep.fonts import FontChoice, FormFonts

FORMS_FOLDER = "forms"


@dataclass(frozen=True)
class RenderedForm:
    """One PDF written; ``blanks`` names the fields left to fill by hand."""

    applicant: str
    form: Form
    path: Path
    blanks: tuple[str, ...] = ()
    docx_path: Path | None = None


@dataclass(frozen=True)
class RenderFailure:
    """One form that could not be made for one applicant; the others still are."""

    dossier: str
    form: Form
    error: ZcprepError


@dataclass
class RenderResult:
    outputs: list[RenderedForm] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[RenderFailure] = field(default_factory=list)
    font_source: str = ""

    @property
    def exit_code(self) -> int:
        """3 when a form could not be written, 1 when an applicant was skipped or a form
        could not be laid out (a value too long: the applicant's data to fix), else 0."""
        if any(failure.error.exit_code == EXIT_IO for failure in self.failed):
            return EXIT_IO
        return EXIT_FOUND_ERRORS if self.skipped or self.failed else EXIT_OK


def output_path(ws: Workspace, dossier: Path, form: Form) -> Path:
    return ws.out_dir / dossier.name / FORMS_FOLDER / f"{safe_file_name(form.title)}{_PDF}"


_PDF = ".pdf"


def safe_file_name(title: str) -> str:
    """A Windows-safe file name from a form title (“” and （） are fine; / : * ? are not).

    Leading dots and spaces go too (a leading dot hides the file on macOS); at most 80
    characters, and few enough bytes that ``.pdf`` still fits in 255.
    """
    return portable_name(
        title,
        also_strip=" .",
        max_chars=80,
        max_bytes=NAME_MAX_BYTES - len(_PDF),
        fallback="表单",
    )


def render_forms(
    ws: Workspace,
    names: list[str] | None = None,
    form_key: str | None = None,
    date_style: str | None = None,
    font: FontChoice | None = None,
    docx: bool = False,
    title_font: FontChoice | None = None,
) -> RenderResult:
    """Fill every selected form for every selected applicant and write the PDFs (and,
    with ``docx``, an editable .docx beside each). ``font`` and ``title_font`` replace
    the fonts zcprep.toml or the system offer (the title's defaults to ``font``)."""
    notice = ws.notice
    style = check_date_style(date_style or notice.render.date_style)
    forms = [find_form(notice, form_key)] if form_key else list(notice.render.forms)
    if docx:
        from zcprep.render.docx import require_docx

        require_docx()
    result = RenderResult()
    dossiers = _dossiers_to_fill(ws, forms, names, result)
    if not dossiers:
        return result
    env = make_environment(template_search_path(ws))
    fonts = _fonts_for(ws, font, title_font, result)
    collector = _Warnings()
    for dossier in dossiers:
        applicant = _load(ws, dossier, result)
        if applicant is None:
            continue
        _warn_identity(ws.notice, applicant, collector)
        for form in forms:
            try:
                result.outputs.append(
                    render_one(ws, env, fonts, form, dossier, applicant, style, collector, docx)
                )
            except ZcprepError as exc:
                if exc.exit_code == EXIT_USAGE:
                    raise  # a broken template or config: the same for everyone, stop
                # A file that could not be written, or one value too long for its form,
                # must not stop everyone else's forms.
                result.failed.append(RenderFailure(ws.relative(dossier), form, exc))
            except OSError as exc:
                where = _failed_path(exc) or output_path(ws, dossier, form)
                problem = os_problem(exc, where)
                error = OutputError(
                    f"无法写入 {ws.relative(where)}：{problem.reason}。", problem.remedy
                )
                result.failed.append(RenderFailure(ws.relative(dossier), form, error))
    result.warnings += collector.all()
    return result


def _failed_path(exc: OSError) -> Path | None:
    """The file the system named in its error, when it named one."""
    return Path(exc.filename) if isinstance(exc.filename, str) and exc.filename else None


def _dossiers_to_fill(
    ws: Workspace, forms: list[Form], names: list[str] | None, result: RenderResult
) -> list[Path]:
    """The dossiers to fill in, or none (said in ``result``) when there is no form to
    fill or no applicant yet."""
    if not forms:
        result.warnings.append(
            "zcprep.toml 中没有要填写的表单（[[render.forms]] 为空），未生成任何文件。"
            "本通知如需表单，可参照 templates/README.md 添加。"
        )
        return []
    dossiers = ws.dossier_paths(names)
    if not dossiers:
        result.warnings.append(
            "dossiers/ 中还没有申报人档案，未生成任何文件；先运行 zcprep new 姓名。"
        )
        return []
    return dossiers


def _fonts_for(
    ws: Workspace, font: FontChoice | None, title: FontChoice | None, result: RenderResult
) -> FormFonts:
    """The fonts given, else those zcprep.toml [fonts] or the system offer; their source
    and any fallback warning are noted in ``result``."""
    fonts = form_fonts(ws, font, title)
    result.font_source = fonts.body.source
    if fonts.own_title:
        result.font_source = f"正文 {fonts.body.source}；标题 {fonts.title.source}"
    if fonts.body.warning:
        result.warnings.append(fonts.body.warning)
    return fonts


def form_fonts(
    ws: Workspace, font: FontChoice | None = None, title: FontChoice | None = None
) -> FormFonts:
    """The body's and the title's fonts (zcprep.fonts.find_form_fonts); a font given
    serves the title too unless ``title`` is given as well."""
    from zcprep.fonts import FormFonts, find_form_fonts

    if font is not None:
        return FormFonts(font, title or font)
    notice = ws.notice
    found = find_form_fonts(notice.fonts.path, notice.fonts.subfont_index, base_dir=ws.root)
    return found if title is None else FormFonts(found.body, title)


def form_font(ws: Workspace, font: FontChoice | None = None) -> FontChoice:
    """The font forms are laid out in: the one given, else zcprep.toml [fonts], else the
    system's (its ``warning`` says when it fell back)."""
    from zcprep.fonts import find_font

    notice = ws.notice
    return font or find_font(notice.fonts.path, notice.fonts.subfont_index, base_dir=ws.root)


def _warn_identity(notice: Notice, applicant: Applicant, collector: _Warnings) -> None:
    """A wrong name, ID number or level is heard before the form is sealed; the form is
    still made as written."""
    identity = identity_problems(notice, applicant)
    if identity:
        collector.add(
            f"{applicant.name}：applicant.toml 中{'；'.join(identity)}。表单仍按所填内容生成，"
            "盖章报送前请先改正（zcprep check 会列出详情），再运行 zcprep render。"
        )


def _load(ws: Workspace, dossier: Path, result: RenderResult) -> Applicant | None:
    """The dossier's applicant, or None (noted) when applicant.toml is absent or broken:
    one bad file must not stop the forms of everyone else."""
    if not (dossier / "applicant.toml").exists():  # a pipe or a link is load_applicant's to say
        result.skipped.append(
            f"跳过 {ws.relative(dossier)}：没有 applicant.toml（用 zcprep new 姓名 新建档案）。"
        )
        return None
    try:
        applicant = load_applicant(dossier)
    except ZcprepError as exc:
        result.skipped.append(f"跳过 {ws.relative(dossier)}：{exc.message}")
        return None
    result.warnings += [f"{ws.relative(dossier)}：{note}" for note in applicant.notes]
    return applicant


def render_one(
    ws: Workspace,
    env: Environment,
    fonts: FormFonts,
    form: Form,
    dossier: Path,
    applicant: Applicant,
    style: DateStyle,
    warnings: _Warnings,
    docx: bool = False,
) -> RenderedForm:
    """One applicant's form: fill, parse, check the font, lay out, write atomically."""
    from zcprep.atomic import write_with
    from zcprep.render.pdf import TitleFace, write_pdf

    data = build_context(ws.notice, applicant, style, _missing)
    text = fill_template(env, form, data.context)
    doc = parse(text, form.template)
    who = applicant.name
    lacking = check_font(fonts.body, who, form, data, doc)
    for line in lacking.workspace_warnings + lacking.template_warnings + lacking.data_warnings:
        warnings.add(line)
    title = check_title_font(fonts, form, doc)
    if title.warning:
        warnings.add(title.warning)
    face = TitleFace(register(fonts.title), title.missing) if title.own_face else None
    blanks = _unique(blank.field for blank in doc.blanks)
    report_blanks(who, form, blanks, data.notes, warnings)
    report_removed(who, form, data, doc, docx, warnings)
    target = output_path(ws, dossier, form)
    try:
        write_with(
            target,
            lambda handle: write_pdf(
                handle, doc, register(fonts.body), lacking.missing, form.title, face
            ),
        )
    except LayoutProblem as exc:
        raise too_long(data.raw, exc.text) from None
    docx_path = None
    if docx:
        from zcprep.render.docx import write_docx

        docx_path = target.with_suffix(".docx")
        write_with(docx_path, lambda handle: write_docx(handle, doc, form.title))
    return RenderedForm(who, form, target, tuple(field_label(n) for n in blanks), docx_path)


def too_long(raw: dict[str, str], text: str | None) -> FoundErrors:
    """The one form that cannot be laid out, naming the field whose value is in the cell
    that would not fit (the longest one found there); the failure names the dossier."""
    found = [name for name, value in raw.items() if value and text and value in text]
    name = max(found, key=lambda n: len(raw[n]), default=None)
    if name is None:
        shown = f"（{text[:20]}……）" if text else ""
        return FoundErrors(
            f"表格中的一格{shown}内容太长，缩小字号后仍排不下一页。",
            "改短这一格的内容（或修改模板）后重新运行 zcprep render；其他表单已照常生成。",
        )
    fix = "zcprep.toml" if is_workspace_field(name) else "applicant.toml"
    return FoundErrors(
        f"{field_label(name)}的内容太长（{len(raw[name])} 个字），缩小字号后表格仍排不下一页。",
        f"在 {fix} 中改短该项（详细内容可另附说明）后重新运行 zcprep render；其他表单已照常生成。",
    )


def _missing(name: str, shape: str) -> BlankUndefined:
    """A known field without a value: prints as a blank, tests as not defined."""
    prefix, _, key = name.partition(".")
    return BlankUndefined(obj=Record(prefix, {}), name=key, shape=shape)


def register(choice: FontChoice) -> str:
    from zcprep.fonts import register_font

    return register_font(choice)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
