"""``zcprep render``: the forms written, and those that could not be, said once each."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from zcprep.cli.console import err, no_dossiers, out, report_error, say_warnings, styled
from zcprep.cli.params import DocxOption, NamesArgument, WorkspaceOption
from zcprep.errors import EXIT_OK

FormOption = Annotated[
    str | None,
    typer.Option(
        "--form",
        "-f",
        metavar="表单",
        help="只生成一种表单：编号、名称或别名（如 publicity-result、公示结果证明、保证书）。",
        show_default=False,
    ),
]
DateStyleOption = Annotated[
    str | None,
    typer.Option(
        "--date-style",
        metavar="写法",
        help="日期写法：arabic（2023年5月8日）或 chinese（二〇二三年五月八日）；"
        "默认取 zcprep.toml [render] date_style。",
        show_default=False,
    ),
]


def render_command(
    names: NamesArgument = None,
    form: FormOption = None,
    date_style: DateStyleOption = None,
    docx: DocxOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """填写需签字盖章的表单（公示结果证明、真实性承诺书、“六公开”监督卡等）：out/姓名/forms/表名.pdf。

    没有数据的栏目印成横线供手填，并列出是哪些栏目；模板写法见 templates/README.md。
    """
    from zcprep.model.workspace import open_workspace
    from zcprep.render import render_forms

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    if no_dossiers(ws, names):
        return
    result = render_forms(ws, names or None, form, date_style, docx=docx)
    say_warnings(result.warnings)
    _show_rendered(ws, result)
    if result.exit_code != EXIT_OK:
        raise typer.Exit(result.exit_code)


def _show_rendered(ws: Any, result: Any) -> None:
    """Each file written on stdout (one path a line, for scripts); the rest on stderr."""
    console = out()
    for item in result.outputs:
        console.print(ws.relative(item.path))
        if item.docx_path is not None:
            console.print(ws.relative(item.docx_path))
    messages = err()
    for line in result.skipped:
        messages.print(styled("错误：", "bold red", line))
    _show_render_failures(result.failed)
    if result.outputs:
        people = len({item.path.parent.parent for item in result.outputs})
        messages.print(
            f"已为 {people} 位申报人生成 {len(result.outputs)} 份表单（字体：{result.font_source}），"
            "请核对后打印、签字、盖章。"
        )


def _show_render_failures(failed: list[Any]) -> None:
    """Each form that was not made; one failure shared by many applicants (a broken
    template, a full disk) is said once, with whom it concerned."""
    grouped: dict[tuple[str, str | None], list[str]] = {}
    for failure in failed:
        key = (failure.error.message, failure.error.hint)
        grouped.setdefault(key, []).append(f"{failure.dossier}《{failure.form.title}》")
    for (message, hint), forms in grouped.items():
        report_error(f"未生成 {'、'.join(forms)}：{message}", hint)
