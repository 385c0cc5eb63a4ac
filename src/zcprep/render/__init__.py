"""zcprep render: the forms a unit signs and seals, filled from applicant.toml and zcprep.toml.

Each form of the notice (``[[render.forms]]``) is a jinja2 template that writes the small
block markup of :mod:`zcprep.render.markup`; it is filled for every applicant and laid out
on A4 with reportlab into ``out/<姓名>/forms/<表名>.pdf``, the CJK font embedded.

Why it is built this way:

- Templates are files (packaged ``templates/``, or the workspace's ``[render]
  templates_dir`` overriding them by file name), so next year's wording changes without
  a release. They run in jinja2's sandbox.
- Data is text. Every value is protected before it reaches the template (markup
  characters become inert stand-ins), and applicant data is only ever a template
  *variable*, never template source.
- A missing value prints as a line to fill by hand, never "None", and is reported.
- A character the embedded font lacks would print as an empty box without any error from
  reportlab: it is printed as "＿" to write by hand, and reported with its field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from jinja2 import ChainableUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from zcprep.cndate import DateStyle, format_date, format_year_month
from zcprep.errors import (
    EXIT_FOUND_ERRORS,
    EXIT_IO,
    EXIT_OK,
    ConfigError,
    OutputError,
    UsageError,
    ZcprepError,
)
from zcprep.idcard import validate_id
from zcprep.model.applicant import FIELD_BY_KEY, FIELDS, NONE_VALUE, Applicant, load_applicant
from zcprep.model.notice import Form, Notice
from zcprep.model.workspace import Workspace
from zcprep.names import NAME_MAX_BYTES, portable_name
from zcprep.render.markup import BLANK_DATE, BLANK_LINE, Document, blank_token, parse, protect
from zcprep.resources import templates_dir as packaged_templates_dir

if TYPE_CHECKING:
    from jinja2 import Environment

    from zcprep.fonts import FontChoice

DATE_STYLES: tuple[DateStyle, ...] = ("arabic", "chinese")
FORMS_FOLDER = "forms"
# Fields where 无 cannot be a real answer: a form needs the value or a line to write on.
_NONE_IS_MISSING = frozenset({"name", "id_number", "employer", "phone"})

# Labels of the fields templates may use, for warnings about blanks.
_APPLICANT_LABELS = {spec.key: spec.label for spec in FIELDS if spec.kind != "list"} | {
    "qualification": "申报资格名称",
    "level_id": "申报级别编号",
}
_NOTICE_LABELS = {
    "title": "通知标题",
    "issuer": "发文单位",
    "doc_number": "文号",
    "issued": "发文日期",
    "year": "年度",
    "region": "地区",
    "series": "系列",
    "specialty": "专业",
    "kind": "评审类别",
}
_UNIT_LABELS = {"name": "单位名称", "contact": "经办人", "phone": "经办人电话"}


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
        """3 when a form could not be written, 1 when an applicant was skipped, else 0."""
        if self.failed:
            return EXIT_IO
        return EXIT_FOUND_ERRORS if self.skipped else EXIT_OK


# --------------------------------------------------------------------------- selection


def find_form(notice: Notice, key: str) -> Form:
    """A form by id, alias or title (the notice body and the template may name it
    differently: 保证书 / 承诺书)."""
    wanted = _normalise(key)
    for form in notice.render.forms:
        names = (form.id, form.title, *form.aliases)
        if wanted in {_normalise(n) for n in names}:
            return form
    available = "、".join(f"{f.id}（{f.title}）" for f in notice.render.forms) or "（无）"
    raise UsageError(
        f"zcprep.toml 中没有表单“{key}”。本通知的表单：{available}。",
        "用 --form 加表单编号、名称或别名，如 --form publicity-result；不加 --form 则生成全部表单。",
    )


def _normalise(name: str) -> str:
    return re.sub(r"[\s《》“”\"']", "", name).lower()


def check_date_style(style: str) -> DateStyle:
    if style not in DATE_STYLES:
        raise UsageError(
            f"日期格式“{style}”无效。",
            "--date-style 只能是 arabic（2023年5月8日）或 chinese（二〇二三年五月八日）。",
        )
    return style


# --------------------------------------------------------------------------- templates


def workspace_templates_dir(ws: Workspace) -> Path | None:
    """The workspace's own template folder, checked to stay inside the workspace."""
    configured = ws.notice.render.templates_dir
    if configured is None or not configured.strip():
        return None
    text = configured.strip()
    where = f"zcprep.toml [render] templates_dir = {text!r}"
    hint = '写工作区内的相对路径，如 templates_dir = "模板"；不能用 ..、盘符或以 / 开头的路径。'
    posix, windows = PurePosixPath(text), PureWindowsPath(text)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or ".." in windows.parts:
        raise ConfigError(f"{where}：模板文件夹必须在工作区之内。", hint)
    try:
        folder = (ws.root / text).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        raise ConfigError(f"{where}：该路径是循环链接，无法打开。", hint) from None
    if not folder.is_relative_to(ws.root.resolve()):
        raise ConfigError(f"{where}：该路径（经链接）指向工作区之外。", hint)
    if not folder.is_dir():
        raise ConfigError(
            f"{where}：文件夹 {ws.relative(folder)} 不存在。",
            "新建该文件夹并放入要替换的模板（文件名与 templates/ 中的相同），或删去这一行。",
        )
    return folder


def template_search_path(ws: Workspace) -> list[Path]:
    """Where templates are looked up, first match wins: the workspace's, then packaged."""
    own = workspace_templates_dir(ws)
    return [*([own] if own else []), packaged_templates_dir()]


class BlankUndefined(ChainableUndefined):
    """Missing data: falsy, ``is defined`` is false, printed as a blank token naming the
    field (``applicant.publicity_start``) so the parser can list it."""

    __slots__ = ("_shape",)

    def __init__(self, *args: Any, shape: str = BLANK_LINE, **kwargs: Any) -> None:
        self._shape = shape
        super().__init__(*args, **kwargs)

    def __str__(self) -> str:
        return blank_token(self.field_name, self._shape)

    @property
    def field_name(self) -> str:
        prefix = getattr(self._undefined_obj, "prefix", "")
        name = self._undefined_name or "?"
        return f"{prefix}.{name}" if prefix else name


class FormSandbox(ImmutableSandboxedEnvironment):
    """jinja2's sandbox (templates cannot change the data either), where touching Python
    internals is an error rather than a blank."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"不允许访问 {attribute}")


def make_environment(search_path: list[Path]) -> Environment:
    """A sandboxed jinja2 environment whose missing values print as blank lines."""
    from jinja2 import FileSystemLoader

    env = FormSandbox(
        loader=FileSystemLoader([str(p) for p in search_path], encoding="utf-8"),
        undefined=BlankUndefined,
        autoescape=False,  # the markup is not HTML: values are protected at the source
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    # HTML escaping would print &lt; literally; data needs no escape hatch.
    for name in ("safe", "escape", "e", "forceescape", "urlize", "xmlattr"):
        env.filters.pop(name, None)
    return env


def _finalize(value: Any) -> Any:
    """``{{ expr }}`` that yields None prints a blank, never the word None."""
    return blank_token("（空值）") if value is None else value


class Record(dict[str, Any]):
    """A namespace for templates (``applicant.name``) that knows its own name, so a
    field missing from it is reported as ``applicant.name``."""

    def __init__(self, prefix: str, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.prefix = prefix


def fill_template(env: Environment, form: Form, context: dict[str, Any]) -> str:
    """Run the form's template; any template problem is a ConfigError naming the file."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    try:
        template = env.get_template(form.template)
        if not _inside_search_path(env, template.filename):
            raise ConfigError(
                f"模板 {form.template} 是指向模板文件夹以外的链接（快捷方式），未使用。",
                "把模板文件本身复制到 [render] templates_dir 中，替换这个链接。",
            )
        return template.render(context)
    except TemplateNotFound as exc:
        searched = "、".join(str(p) for p in getattr(env.loader, "searchpath", []))
        raise ConfigError(
            f"找不到表单《{form.title}》的模板 {exc.name}（查找了：{searched}）。",
            "检查 zcprep.toml [[render.forms]] 的 template 文件名，或把模板放进 [render] templates_dir。",
        ) from None
    except TemplateSyntaxError as exc:
        raise ConfigError(
            f"模板 {exc.filename or form.template} 第 {exc.lineno} 行语法错误：{exc.message}。",
            "对照 templates/README.md 修改模板；jinja2 的 {{ }} {% %} 要成对。",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"模板 {form.template} 不是 UTF-8 编码，无法读取。",
            "用记事本打开该模板，选择“另存为”，编码选 UTF-8 后保存，再运行一次。",
        ) from None
    except SecurityError as exc:
        raise ConfigError(
            f"模板 {form.template} 做了不允许的操作：{exc}。", "模板只能读取字段和做简单判断。"
        ) from None
    except (TemplateError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        raise ConfigError(
            f"模板 {form.template} 运行出错：{type(exc).__name__}: {exc}。",
            "对照 templates/README.md 检查模板中的字段名与表达式。",
        ) from None


def _inside_search_path(env: Environment, filename: str | None) -> bool:
    """A template file found through a link must not lead outside its folder (jinja2
    refuses ``..`` in names, but follows links)."""
    folders = [Path(p).resolve() for p in getattr(env.loader, "searchpath", [])]
    if filename is None:
        return True
    try:
        real = Path(filename).resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return any(real.is_relative_to(folder) for folder in folders)


# --------------------------------------------------------------------------- data


@dataclass
class FormData:
    """The template context for one applicant, and what was learnt building it."""

    context: dict[str, Any]
    raw: dict[str, str]  # field -> unprotected text, for the font check
    notes: list[str] = field(default_factory=list)  # values present but unusable


def build_context(
    notice: Notice, applicant: Applicant, style: DateStyle, make_blank: Callable[[str, str], Any]
) -> FormData:
    """Every field a template may use; missing ones become ``make_blank(field, shape)``."""
    raw: dict[str, str] = {}

    def record(prefix: str, values: dict[str, str | None], shapes: dict[str, str]) -> Record:
        out: dict[str, Any] = {}
        for key, value in values.items():
            name = f"{prefix}.{key}"
            if value is None:
                out[key] = make_blank(name, shapes.get(key, BLANK_LINE))
            else:
                raw[name] = value
                out[key] = protect(value)
        return Record(prefix, out)

    applicant_values, applicant_shapes, notes = applicant_fields(notice, applicant, style)
    ident = notice.notice
    notice_values: dict[str, str | None] = {
        "title": ident.title,
        "issuer": ident.issuer,
        "doc_number": ident.doc_number,
        "issued": format_date(ident.issued, style),
        "year": str(ident.year),
        "region": ident.region,
        "series": ident.series,
        "specialty": ident.specialty,
        "kind": ident.kind,
    }
    unit = notice.unit
    unit_values = {
        "name": unit.name or None,
        "contact": unit.contact or None,
        "phone": unit.phone or None,
    }
    context = {
        "applicant": record("applicant", applicant_values, applicant_shapes),
        "notice": record("notice", {k: v or None for k, v in notice_values.items()}, {}),
        "unit": record("unit", unit_values, {}),
        "date_style": style,
    }
    return FormData(context=context, raw=raw, notes=notes)


def applicant_fields(
    notice: Notice, applicant: Applicant, style: DateStyle
) -> tuple[dict[str, str | None], dict[str, str], list[str]]:
    """Applicant values as printed text (None when missing), the blank shape of each, and
    notes on values that were written but cannot be used (a date that is not one)."""
    values: dict[str, str | None] = {}
    shapes: dict[str, str] = {}
    notes: list[str] = []
    for spec in FIELDS:
        if spec.kind == "list" or spec.key == "level":
            continue
        if spec.kind == "date":
            shapes[spec.key] = BLANK_DATE
        values[spec.key] = _field_text(applicant, spec.key, style)
        written = applicant.text(spec.key) or NONE_VALUE
        parsed = spec.kind in ("date", "month", "int")
        if values[spec.key] is None and parsed and written != NONE_VALUE:
            notes.append(f"applicant.toml 的 {spec.key} = “{written}”无法识别（{spec.label}）")
    written_level = applicant.text("level")
    level = notice.level(written_level or "")
    if level is None and written_level and written_level != NONE_VALUE:
        known = "、".join(f"{lv.id}/{lv.name}" for lv in notice.levels)
        notes.append(
            f"applicant.toml 的 level = “{written_level}”不是本通知的级别（可用：{known}）"
        )
    values["level"] = level.name if level else None
    values["qualification"] = level.qualification if level else None
    values["level_id"] = level.id if level else None
    return values, shapes, notes


def _field_text(applicant: Applicant, key: str, style: DateStyle) -> str | None:
    kind = FIELD_BY_KEY[key].kind
    if kind == "bool":
        return "是" if applicant.flag(key) else "否"
    if kind == "int":
        number = applicant.number(key)
        return None if number is None else str(number)
    if key == "birth_date":
        derived, from_id = applicant.birth_date()
        if from_id and derived is not None:  # left out: the ID number holds it
            return format_year_month(derived)
    text = applicant.text(key)
    if text is None or (text == NONE_VALUE and key in _NONE_IS_MISSING):
        return None
    if kind in ("date", "month"):
        if text == NONE_VALUE:
            return NONE_VALUE
        day = applicant.date(key)
        if day is None:
            return None
        return format_year_month(day) if kind == "month" else format_date(day, style)
    return text


def field_label(name: str) -> str:
    """A field as the officer should find it: 公示开始日期（applicant.toml 的 publicity_start）."""
    prefix, _, key = name.partition(".")
    if prefix == "applicant" and key in _APPLICANT_LABELS:
        if key in ("qualification", "level_id"):
            return (
                f"{_APPLICANT_LABELS[key]}（由 applicant.toml 的 level 对应 zcprep.toml 的 levels）"
            )
        return f"{_APPLICANT_LABELS[key]}（applicant.toml 的 {key}）"
    if prefix == "notice" and key in _NOTICE_LABELS:
        return f"{_NOTICE_LABELS[key]}（zcprep.toml [notice] 的 {key}）"
    if prefix == "unit" and key in _UNIT_LABELS:
        return f"{_UNIT_LABELS[key]}（zcprep.toml [unit] 的 {key}）"
    return f"模板中的未知字段 {name}"


def is_known_field(name: str) -> bool:
    prefix, _, key = name.partition(".")
    labels = {"applicant": _APPLICANT_LABELS, "notice": _NOTICE_LABELS, "unit": _UNIT_LABELS}
    return key in labels.get(prefix, {})


def is_workspace_field(name: str) -> bool:
    return name.startswith(("unit.", "notice."))


# --------------------------------------------------------------------------- fonts


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


# --------------------------------------------------------------------------- the run


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
) -> RenderResult:
    """Fill every selected form for every selected applicant and write the PDFs (and,
    with ``docx``, an editable .docx beside each)."""
    from zcprep.fonts import find_font

    notice = ws.notice
    style = check_date_style(date_style or notice.render.date_style)
    forms = [find_form(notice, form_key)] if form_key else list(notice.render.forms)
    if docx:
        from zcprep.render.docx import require_docx

        require_docx()
    result = RenderResult()
    if not forms:
        result.warnings.append(
            "zcprep.toml 中没有要填写的表单（[[render.forms]] 为空），未生成任何文件。"
            "本通知如需表单，可参照 templates/README.md 添加。"
        )
        return result
    dossiers = ws.dossier_paths(names)
    if not dossiers:
        result.warnings.append(
            "dossiers/ 中还没有申报人档案，未生成任何文件；先运行 zcprep new 姓名。"
        )
        return result
    env = make_environment(template_search_path(ws))
    choice = font or find_font(notice.fonts.path, notice.fonts.subfont_index, base_dir=ws.root)
    result.font_source = choice.source
    if choice.warning:
        result.warnings.append(choice.warning)
    collector = _Warnings()
    for dossier in dossiers:
        applicant = _load(ws, dossier, result)
        if applicant is None:
            continue
        identity = identity_problems(ws.notice, applicant)
        if identity:
            collector.add(
                f"{applicant.name}：applicant.toml 中{'；'.join(identity)}。表单仍按所填内容生成，"
                "盖章报送前请先改正（zcprep check 会列出详情），再运行 zcprep render。"
            )
        for form in forms:
            try:
                result.outputs.append(
                    render_one(ws, env, choice, form, dossier, applicant, style, collector, docx)
                )
            except ZcprepError as exc:
                if exc.exit_code != EXIT_IO:
                    raise  # a broken template or config: the same for everyone, stop
                # A file that could not be written must not stop everyone else's forms.
                result.failed.append(RenderFailure(ws.relative(dossier), form, exc))
            except OSError as exc:
                where = exc.filename or output_path(ws, dossier, form)
                error = OutputError(
                    f"无法写入 {where}：{exc.strerror or exc}。",
                    "检查磁盘空间、文件夹权限，关闭正在打开该文件的程序后重试。",
                )
                result.failed.append(RenderFailure(ws.relative(dossier), form, error))
    result.warnings += collector.all()
    return result


def identity_problems(notice: Notice, applicant: Applicant) -> list[str]:
    """What ``check`` would call an error in the fields that say whose form this is and
    for which level, found cheaply (no file checks): a wrong ID on a form to be sealed
    must be heard before it is sealed."""
    problems = []
    name = applicant.data.get("name")
    if not isinstance(name, str) or not name.strip() or name.strip() == NONE_VALUE:
        problems.append("姓名（name）未填")
    raw_id = applicant.text("id_number")
    if raw_id is None or raw_id == NONE_VALUE:
        problems.append("身份证号（id_number）未填")
    else:
        errors = [p.message for p in validate_id(raw_id).problems if p.severity == "error"]
        if errors:
            problems.append(f"身份证号（id_number）有误：{'，'.join(errors)}")
    level = applicant.text("level")
    if level is None or level == NONE_VALUE:
        problems.append("申报级别（level）未填")
    elif notice.level(level) is None:
        problems.append(f"申报级别“{level}”不是本通知的级别")
    return problems


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


def render_one(
    ws: Workspace,
    env: Environment,
    choice: FontChoice,
    form: Form,
    dossier: Path,
    applicant: Applicant,
    style: DateStyle,
    warnings: _Warnings,
    docx: bool = False,
) -> RenderedForm:
    """One applicant's form: fill, parse, check the font, lay out, write atomically."""
    from zcprep.atomic import write_with
    from zcprep.render.pdf import write_pdf

    data = build_context(ws.notice, applicant, style, _missing)
    text = fill_template(env, form, data.context)
    doc = parse(text, form.template)
    who = applicant.name
    fonts = check_font(choice, who, form, data, doc)
    for line in fonts.workspace_warnings + fonts.template_warnings + fonts.data_warnings:
        warnings.add(line)
    blanks = _unique(blank.field for blank in doc.blanks)
    report_blanks(who, form, blanks, data.notes, warnings)
    target = output_path(ws, dossier, form)
    write_with(
        target,
        lambda handle: write_pdf(handle, doc, register(choice), fonts.missing, title=form.title),
    )
    docx_path = None
    if docx:
        from zcprep.render.docx import write_docx

        docx_path = target.with_suffix(".docx")
        write_with(docx_path, lambda handle: write_docx(handle, doc, form.title))
    return RenderedForm(who, form, target, tuple(field_label(n) for n in blanks), docx_path)


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


def _missing(name: str, shape: str) -> BlankUndefined:
    """A known field without a value: prints as a blank, tests as not defined."""
    prefix, _, key = name.partition(".")
    return BlankUndefined(obj=Record(prefix, {}), name=key, shape=shape)


def register(choice: FontChoice) -> str:
    from zcprep.fonts import register_font

    return register_font(choice)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
