"""Which forms a notice has and the templates that write them.

A form is found by the id, title or alias an officer types (the notice body and the
template may name it differently). Its template is looked up in the workspace's own
``[render] templates_dir`` first (kept inside the workspace: no ``..``, no drive, no link
leading out), then in the packaged ``templates/`` — the template and all it includes read
through one loader that refuses links (render/loader.py) — and run in jinja2's sandbox where a
missing value prints as a blank line to fill by hand. Kept apart from the data so the
rules about template files can be read in one place.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from jinja2 import ChainableUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from zcprep.errors import ConfigError, UsageError
from zcprep.model.notice import Form, Notice
from zcprep.model.workspace import Workspace
from zcprep.render.loader import TemplateFolderLoader, TemplateRefused
from zcprep.render.markup import BLANK_LINE, blank_token
from zcprep.resources import templates_dir as packaged_templates_dir

if TYPE_CHECKING:
    from jinja2 import Environment


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
    env = FormSandbox(
        # Every template, and every one it includes, extends or imports, loads through
        # this: no link, nothing outside the template folders (see render/loader.py).
        loader=TemplateFolderLoader(search_path),
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
        return env.get_template(form.template).render(context)
    except TemplateRefused as exc:
        raise _refused(form, exc) from None
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


def _refused(form: Form, exc: TemplateRefused) -> ConfigError:
    """The loader's refusal, naming the form's template and, when it is another one, the
    name that template asked for."""
    asked = "" if exc.name == form.template else f"引用的模板“{exc.name}”"
    return ConfigError(
        f"表单《{form.title}》的模板 {form.template} {asked}未读取：{exc.reason}。",
        "把要用的模板文件本身复制到 [render] templates_dir 中（替换链接），"
        "include/extends/import 只写该文件夹中的相对文件名，不写 ..、盘符或 / 开头的路径。",
    )
