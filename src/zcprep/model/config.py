"""Reading zcprep.toml: one validation at the boundary, errors said in Chinese.

``load_notice`` is the only way a notice enters zcprep. A bad value raises
``ConfigError`` naming the key, the value and the line (pydantic's first three errors,
translated). An unknown key is a ``ConfigError`` too, naming its line and the nearest
known key: ``[rooster]`` or ``min_workingdays`` silently falling back to the defaults
would give a wrong roster or a wrong 公示 rule with nothing to show for it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
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
    unknown = unknown_keys(notice)
    if unknown:
        raise unknown_keys_error(unknown, doc)
    return LoadedNotice(notice=notice, path=path, warnings=list(doc.notes))


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
    "string_too_short": "不能为空",
    "string_too_long": "太长了",
    "too_long": "项数太多",
    "date_parsing": "应为日期，如 2026-12-01",
    "date_from_datetime_parsing": "应为日期，如 2026-12-01",
    "date_type": "应为日期，如 2026-12-01",
    "datetime_parsing": "应为日期时间，如 2026-12-01 17:00",
    "datetime_from_date_parsing": "应为日期时间，如 2026-12-01 17:00",
    "finite_number": "应为有限的数字",
    "multiple_of": "应为规定数值的整数倍",
    "extra_forbidden": "不认识这一项",
    "frozen_field": "这一项不能修改",
    "none_required": "这一项应留空",
    "url_parsing": "应为网址",
    "union_tag_invalid": "类型不对，请对照 README 中的配置说明",
}

_LITERAL_SPLIT = re.compile(r", | or ")


def _explain(error: Any) -> str:
    kind = error["type"]
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = [part.strip().strip("'\"") for part in _LITERAL_SPLIT.split(expected)]
        return "取值应为以下之一：" + "、".join(choice for choice in choices if choice)
    if kind in ("greater_than_equal", "greater_than"):
        return f"应不小于 {error['ctx'].get('ge', error['ctx'].get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"应不大于 {error['ctx'].get('le', error['ctx'].get('lt'))}"
    if kind in ("value_error", "assertion_error"):
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if kind == "enum":
        return _explain({"type": "literal_error", "ctx": error.get("ctx", {})})
    return _MESSAGES.get(kind, "取值不符合要求，请对照 README 中的配置说明")


@dataclass(frozen=True)
class UnknownKey:
    """A key no model knows: where it sits (a pydantic-style location, list indexes from
    0) and the keys its table does know."""

    loc: tuple[str | int, ...]
    known: tuple[str, ...]

    @property
    def name(self) -> str:
        return str(self.loc[-1])

    def suggestion(self) -> str | None:
        close = difflib.get_close_matches(self.name, self.known, n=1, cutoff=0.6)
        return close[0] if close else None


def unknown_keys(model: BaseModel, loc: tuple[str | int, ...] = ()) -> list[UnknownKey]:
    """Keys the models do not know (kept in ``model_extra``), in the order written, at
    any depth: tables, lists of tables, and models inside conditions (``{ not = … }``)."""
    kind = type(model)
    found = [UnknownKey((*loc, key), _known_keys(kind)) for key in (model.model_extra or {})]
    for name in kind.model_fields:
        found += _unknown_within(getattr(model, name), (*loc, _written_name(kind, name)))
    return found


def _unknown_within(value: Any, loc: tuple[str | int, ...]) -> list[UnknownKey]:
    if isinstance(value, BaseModel):
        return unknown_keys(value, loc)
    if isinstance(value, list | tuple):
        return [key for i, item in enumerate(value) for key in _unknown_within(item, (*loc, i))]
    if isinstance(value, dict):
        return [key for k, item in value.items() for key in _unknown_within(item, (*loc, str(k)))]
    return []


def _known_keys(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(_written_name(model, name) for name in model.model_fields)


def _written_name(model: type[BaseModel], name: str) -> str:
    """The key as a config writes it (``schema``, ``not``), not the Python name."""
    return model.model_fields[name].alias or name


def unknown_keys_error(unknown: list[UnknownKey], doc: TomlDocument) -> ConfigError:
    """Every unknown key (the first three, then a count) with its line and a suggestion."""
    lines = [_unknown_line(key, doc) for key in unknown[:3]]
    if len(unknown) > 3:
        lines.append(f"……另有 {len(unknown) - 3} 个未知的配置项。")
    return ConfigError(
        "\n".join(lines),
        "改正拼写，或删去这一项；各配置项的含义见 README 的“配置说明”。",
    )


def _unknown_line(key: UnknownKey, doc: TomlDocument) -> str:
    line = locate(doc.text, key.loc)
    where = f"第 {line} 行，" if line else ""
    close = key.suggestion()
    if close is not None:
        advice = f"你是不是想写 {close}？"
    else:
        advice = f"{_table_name(key.loc[:-1])}可写的配置项：{'、'.join(key.known)}。"
    return f"{doc.path}：{where}未知的配置项“{_dotted(key.loc)}”。{advice}"


def _table_name(loc: tuple[str | int, ...]) -> str:
    """顶层, [notice] 中, [[materials]] 中: the table as the file writes it."""
    names = ".".join(str(part) for part in loc if isinstance(part, str))
    if not names:
        return "顶层"
    return f"[[{names}]] 中" if isinstance(loc[-1], int) else f"[{names}] 中"
