"""Small helpers the check families share: building findings and describing pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from zcprep.check.context import DossierContext
from zcprep.report import Finding, Severity

Check = Callable[[DossierContext], Iterable[Finding]]


def _make(
    severity: Severity,
    code: str,
    message: str,
    hint: str,
    material: str | None,
    file: str | None,
    page: int | None,
) -> Finding:
    return Finding(code, severity, message, hint, material=material, file=file, page=page)


def error(
    code: str,
    message: str,
    hint: str,
    *,
    material: str | None = None,
    file: str | None = None,
    page: int | None = None,
) -> Finding:
    return _make("error", code, message, hint, material, file, page)


def warning(
    code: str,
    message: str,
    hint: str,
    *,
    material: str | None = None,
    file: str | None = None,
    page: int | None = None,
) -> Finding:
    return _make("warning", code, message, hint, material, file, page)


def info(
    code: str,
    message: str,
    hint: str,
    *,
    material: str | None = None,
    file: str | None = None,
    page: int | None = None,
) -> Finding:
    return _make("info", code, message, hint, material, file, page)


def run_checks(context: DossierContext, checks: Iterable[Check]) -> Iterator[Finding]:
    """Run each check; a check that breaks is reported, the others still run."""
    for check in checks:
        try:
            yield from check(context)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the rest
            yield error(
                "check-failed",
                f"检查项 {check.__name__} 运行出错（{type(exc).__name__}），这一项没有检查完。",
                "其余检查结果仍然有效；请加 --debug 重新运行，并把输出（遮盖个人信息）反馈给开发者。",
                file=context.rel,
            )


def page_ranges(pages: Iterable[int]) -> str:
    """[1, 2, 3, 7, 9, 10] → "第 1–3、7、9–10 页"."""
    numbers = sorted(set(pages))
    parts: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if (
            start is not None
            and number is not None
            and previous is not None
            and number == previous + 1
        ):
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = number
    return f"第 {'、'.join(parts)} 页"
