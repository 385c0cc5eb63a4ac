"""What a field may say: 无 where it is a value of the field (性别, 身份证号 and dates that
must have happened never), and the hint for a field left blank."""

from __future__ import annotations

from zcprep.model.fields import NONE_VALUE, FieldSpec


def none_problem(spec: FieldSpec, name: str) -> tuple[str, str, str] | None:
    """无 written where it is no value of the field."""
    if spec.never_none:
        return ("applicant-field-invalid", f"{name}不能写“无”。", blank_hint(spec, False))
    if spec.kind in ("date", "month"):
        return (
            "applicant-field-invalid",
            f"{name}写了“无”，这一项必须是日期。",
            blank_hint(spec, False),
        )
    if spec.kind == "choice":
        return (
            "applicant-field-invalid",
            f"{name}写了“无”，应为 {'、'.join(spec.choices)} 之一。",
            "改为其中一项（用中文，不加空格）。",
        )
    return None  # flags and numbers: 无 is read by the rules that need them


def blank_hint(spec: FieldSpec, none_ok: bool) -> str:
    """What to write in a blank field: 无 only where 无 is a value of it."""
    none = "；确实没有的写“无”。" if none_ok else "。"
    if spec.kind == "bool":
        return f"是写 {spec.key} = true，否写 {spec.key} = false（不加引号）。"
    if spec.kind == "int":
        return f"写成 {spec.key} = {spec.example}（不加引号）。"
    if spec.key == "level":
        return '填写申报级别：zcprep.toml 中 levels 的名称或 id，如 level = "中级"。'
    source = "按身份证填写" if spec.never_none else "按证书、合同等原件填写"
    if spec.kind in ("date", "month"):
        form = '"2012.7" 或 2012-07-01' if spec.kind == "month" else "2012-07-01"
        return f"{source}，写成 {spec.key} = {form} 的形式{none}"
    if spec.kind == "choice":
        listed = "、".join(spec.choices)
        return f"填 {listed} 之一" + ("。" if NONE_VALUE in spec.choices else none)
    if spec.never_none:
        return f"{source}。"
    return f"填写内容{none}"
