"""A broken rule said as its source allows: only what the notice says is “通知要求”.

``notice`` and ``unit`` rules break as errors; a ``baseline`` rule (a national or
provincial standard the notice does not state) breaks as a warning naming the standard,
unless the officer has confirmed it with ``enforce = true``.
"""

from __future__ import annotations

from zcprep.check.base import error, warning
from zcprep.model.rules import Sourced
from zcprep.report import Finding


def demand(rule: Sourced, what: str) -> str:
    """The requirement with its source: "通知要求每年不少于 90 学时"."""
    if rule.source == "notice":
        return f"通知要求{what}"
    if rule.source == "unit":
        return f"本单位要求{what}"
    basis = rule.basis or "全国或本省的规定"
    return f"按{basis}，{what}（本通知未写明，请按本省标准核对）"


def origin(rule: Sourced) -> str:
    """Where a rule comes from, as a bracketed note: "（通知规定）",
    "（按人社部发〔2019〕16号；本通知未写明，请按本省标准核对）"."""
    if rule.source == "notice":
        return "（通知规定）"
    if rule.source == "unit":
        return "（本单位规定）"
    return f"（按{rule.basis or '全国或本省的规定'}；本通知未写明，请按本省标准核对）"


def quoted(rule: Sourced) -> str:
    """ " 通知原文：“……”" when the rule quotes the notice, else nothing."""
    if rule.source == "notice" and rule.quote:
        return f"通知原文：“{rule.quote}”"
    return ""


def breach(
    rule: Sourced,
    code: str,
    message: str,
    hint: str,
    *,
    material: str | None = None,
    file: str | None = None,
) -> Finding:
    """A finding for a broken rule: an error, or a warning when the rule is a baseline
    the officer has not confirmed (the hint then says how to confirm it)."""
    if rule.blocking:
        return error(code, message, hint, material=material, file=file)
    confirm = "；核实本省标准后，可在 zcprep.toml 该项加 enforce = true 按错误检查"
    return warning(code, message, hint.rstrip("。") + confirm + "。", material=material, file=file)
