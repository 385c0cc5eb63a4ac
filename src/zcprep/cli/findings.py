"""The check report on screen: one block per finding below 100 columns, a table with
pre-wrapped cells above. Either way a line never splits a file name or a number
(zcprep.cli.wrap), and the English codes appear only with ``--verbose``."""

from __future__ import annotations

from typing import Any

from zcprep.cli.console import mark, shown
from zcprep.cli.console import table as new_table
from zcprep.cli.wrap import atoms, cells, wrap

TABLE_FROM = 100  # columns; below this a table's narrow cells break every other word

SEVERITY_LABELS = {
    "error": ("错误", "bold red"),
    "warning": ("警告", "yellow"),
    "info": ("提示", "cyan"),
}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

# Box edges and the padding of five columns: │ x │ x │ x │ x │ x │
_TABLE_FRAME = 16
_NUMBER_WIDTH = 4
_LABEL_WIDTH = 4


def show_report(console: Any, report: Any, notice: Any, verbose: bool) -> None:
    """Every finding of ``report`` on ``console``, laid out for its width."""
    materials = {m.id: m for m in notice.materials}
    width = max(console.width, 20)
    show = _show_table if width >= TABLE_FROM else _show_blocks
    shared = report.notice_findings
    if shared:
        head = f"整批与通知：{len(shared)} 条（只列一次，不计入各份档案）"
        show(console, head, ordered(shared), "", materials, verbose, width)
    for dossier in report.dossiers:
        head = f"{dossier.applicant}（{dossier.level or '级别未填'}，{dossier.path}）"
        own = dossier.findings
        if not own:
            _print_lines(
                console,
                wrap(f"{mark('ok', console)} {head}：没有发现问题", width, "  "),
                "green",
                1,
            )
            continue
        errors = sum(1 for f in own if f.severity == "error")
        warnings = sum(1 for f in own if f.severity == "warning")
        head = f"{head}：{errors} 个错误，{warnings} 个警告"
        show(console, head, ordered(own), dossier.path, materials, verbose, width)


def ordered(findings: list[Any]) -> list[Any]:
    return sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))


def finding_place(dossier_path: str, finding: Any, materials: dict[str, Any]) -> list[str]:
    """材料 / 文件 / 页, as short as the finding allows (the file name alone when the
    material already says which folder it is in)."""
    parts = []
    material = materials.get(finding.material) if finding.material else None
    if material is not None:
        parts.append(f"{material.order:02d} {material.short or material.name}")
    if finding.file:
        prefix = dossier_path + "/"
        named = finding.file[len(prefix) :] if finding.file.startswith(prefix) else finding.file
        parts.append(named.rsplit("/", 1)[-1] if material is not None else named)
    if finding.page:
        parts.append(f"第 {finding.page} 页")
    return parts or ["通知"]


def _print_lines(console: Any, lines: list[str], style: str, styled_cells: int) -> None:
    """Lines as wrapped; the first ``styled_cells`` characters of the first in ``style``."""
    from rich.text import Text

    for number, line in enumerate(lines):
        text = Text(line)
        if number == 0 and style:
            text.stylize(style, 0, styled_cells)
        console.print(text)


def _show_blocks(
    console: Any,
    head: str,
    findings: list[Any],
    dossier_path: str,
    materials: dict[str, Any],
    verbose: bool,
    width: int,
) -> None:
    from rich.text import Text

    console.print()
    _print_lines(console, wrap(shown(head), width, "  "), "bold", len(head))
    digits = len(str(len(findings)))
    indent = " " * (digits + 2)
    for number, finding in enumerate(findings, start=1):
        label, style = SEVERITY_LABELS.get(finding.severity, (finding.severity, ""))
        lead = f"{number:>{digits}}. {label} "
        place = f" {mark('dot', console)} ".join(finding_place(dossier_path, finding, materials))
        lines = wrap(shown(place), width, indent + "     ", lead)
        first = Text(lines[0])
        first.stylize(style, digits + 2, digits + 2 + len(label))
        console.print(first)
        for line in lines[1:]:
            console.print(line)
        for line in wrap(shown(finding.message), width, indent, indent):
            console.print(line)
        if finding.hint:
            hint = wrap(shown(finding.hint), width, indent + "        ", indent + "怎么办：")
            _print_lines(console, hint, "", 0)
        if verbose:
            console.print(Text(f"{indent}代码：{finding.code}", style="dim"))


def _show_table(
    console: Any,
    head: str,
    findings: list[Any],
    dossier_path: str,
    materials: dict[str, Any],
    verbose: bool,
    width: int,
) -> None:
    from rich.text import Text

    places = [finding_place(dossier_path, f, materials) for f in findings]
    longest = max((cells(atom) for parts in places for p in parts for atom in atoms(p)), default=0)
    place_width, problem_width, hint_width = _column_widths(width, longest)
    console.print()
    _print_lines(console, wrap(shown(head), width, "  "), "bold", len(head))
    table = new_table(console, show_lines=True)
    table.add_column("序号", justify="right", no_wrap=True, width=_NUMBER_WIDTH)
    table.add_column("类型", no_wrap=True, width=_LABEL_WIDTH)  # 级别 means the level applied for
    table.add_column("位置", no_wrap=True, width=place_width)
    table.add_column("问题", no_wrap=True, width=problem_width)
    table.add_column("怎么办", no_wrap=True, width=hint_width)
    for number, (finding, parts) in enumerate(zip(findings, places, strict=True), start=1):
        label, style = SEVERITY_LABELS.get(finding.severity, (finding.severity, ""))
        place = [line for part in parts for line in wrap(shown(part), place_width)]
        problem = Text("\n".join(wrap(shown(finding.message), problem_width)))
        if verbose:
            problem.append(f"\n{finding.code}", style="dim")
        table.add_row(
            str(number),
            Text(label, style=style),
            "\n".join(place),
            problem,
            "\n".join(wrap(shown(finding.hint), hint_width)) if finding.hint else "",
        )
    console.print(table)


def _column_widths(width: int, longest_place: int) -> tuple[int, int, int]:
    """位置, 问题 and 怎么办 share what the frame leaves, about 1 : 3 : 2; 位置 widens
    to hold its longest file name whole, up to a third of the row."""
    free = width - _TABLE_FRAME - _NUMBER_WIDTH - _LABEL_WIDTH
    place = min(max(free // 6, 16, longest_place), free // 3)
    hint = max(free * 2 // 6, 20)
    return place, free - place - hint, hint


def summary_lines(text: str, width: int) -> list[str]:
    return wrap(shown(text), max(width, 20), "")


__all__ = ["TABLE_FROM", "cells", "finding_place", "ordered", "show_report", "summary_lines"]
