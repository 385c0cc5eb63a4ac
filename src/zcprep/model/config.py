"""Reading zcprep.toml: one validation at the boundary, errors said in Chinese.

``load_notice`` is the only way a notice enters zcprep. A bad value raises
``ConfigError`` naming the key, the value and the line (pydantic's first three errors,
translated); an unknown key is kept out of the model but reported back as a warning so
that a typo is never dropped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from zcprep.errors import ConfigError
from zcprep.model.notice import Notice
from zcprep.model.tomlfile import TomlDocument, load_toml, locate


class LoadedNotice(BaseModel):
    """A validated notice plus what the user should hear about the file itself."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    notice: Notice
    path: Path
    warnings: list[str]


def load_notice(path: Path) -> LoadedNotice:
    doc = load_toml(path)
    notice = validate_notice(doc)
    warnings = list(doc.notes)
    warnings.extend(
        f"{path}：未知的配置项“{key}”已忽略，请检查拼写。" for key in unknown_keys(notice)
    )
    return LoadedNotice(notice=notice, path=path, warnings=warnings)


def validate_notice(doc: TomlDocument) -> Notice:
    try:
        return Notice.model_validate(doc.data)
    except ValidationError as exc:
        raise config_error_from(exc, doc) from None


def config_error_from(exc: ValidationError, doc: TomlDocument) -> ConfigError:
    """Turn pydantic's first error into one Chinese line naming key, value and line."""
    lines = []
    for error in exc.errors()[:3]:
        loc = tuple(error["loc"])
        key = _dotted(loc)
        line = locate(doc.text, loc) if loc else None
        where = f"第 {line} 行，" if line else ""
        value = error.get("input")
        shown = (
            "" if error["type"] == "missing" or isinstance(value, dict) else f"（现值：{value!r}）"
        )
        lines.append(f"{doc.path}：{where}{key or '顶层'}：{_explain(error)}{shown}")
    more = len(exc.errors()) - 3
    if more > 0:
        lines.append(f"……另有 {more} 处错误。")
    return ConfigError(
        "\n".join(lines),
        "按提示修改配置文件后重试；各配置项的含义见 README 的“配置说明”。",
    )


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_MESSAGES = {
    "missing": "缺少这一项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为用双引号括起来的文字",
    "list_type": '应为列表，如 ["a", "b"]',
    "dict_type": "应为表（[节] 或 {…}）",
    "model_type": "应为表（[节] 或 {…}）",
    "too_short": "至少要有一项",
    "string_pattern_mismatch": "只能用小写英文字母、数字和连字符（如 intermediate）",
}


def _explain(error: Any) -> str:
    kind = error["type"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"取值应为 {expected} 之一"
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {error['ctx'].get('ge', error['ctx'].get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {error['ctx'].get('le', error['ctx'].get('lt'))}"
    if kind in ("value_error", "assertion_error"):
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return _MESSAGES.get(kind, error["msg"])


def unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    """Dotted names of keys the models do not know (kept in ``model_extra``)."""
    found = [f"{prefix}{key}" for key in (model.model_extra or {})]
    for name, value in model:
        if isinstance(value, BaseModel):
            found += unknown_keys(value, f"{prefix}{name}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    found += unknown_keys(item, f"{prefix}{name}[{index + 1}].")
    return found
