"""``zcprep letter``: one 补正告知单 per applicant with something to fix, and who needs none."""

from __future__ import annotations

from typing import Annotated, Any, cast

import typer

from zcprep.cli.console import (
    err,
    mark,
    no_dossiers,
    out,
    report_error,
    say_warnings,
    styled,
)
from zcprep.cli.params import DocxOption, NamesArgument, StageOption, WorkspaceOption
from zcprep.errors import EXIT_OK

ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="日期",
        help="补正期限，印在告知单中（“请于2023年6月10日前补正”）：写成 2023-06-10 或 2023年6月10日。",
        show_default=False,
    ),
]


def letter_command(
    names: NamesArgument = None,
    by: ByOption = None,
    docx: DocxOption = False,
    workspace: WorkspaceOption = None,
    stage: StageOption = "submit",
) -> None:
    """为材料有问题的申报人各写一份补正告知单：out/姓名/补正告知单.pdf（一次性告知）。

    先按 zcprep check 检查，把每人的错误（须补正）和警告（请核对）按材料分组写进告知单，注明文件、页码和怎么改。

    身份证号和手机号在告知单中遮盖；整批与通知的问题不写入；没有问题的申报人不生成。模板是 templates/letter.md.j2。

    退出码：告知单已生成（或都不需要）为 0，日期或姓名有误为 2，文件无法写入为 3。
    """
    from zcprep.letter import write_letters
    from zcprep.model.workspace import open_workspace

    ws = open_workspace(workspace)
    say_warnings(ws.loaded.warnings)
    if no_dossiers(ws, names):
        return
    result = write_letters(ws, names or None, by, docx, stage=cast(Any, stage))
    say_warnings(result.warnings)
    _show_letters(ws, result)
    if result.exit_code != EXIT_OK:
        raise typer.Exit(result.exit_code)


def _show_letters(ws: Any, result: Any) -> None:
    """Each file written on stdout (one path a line, for scripts); the rest on stderr."""
    from zcprep.cndate import format_date

    console, messages = out(), err()
    for letter in result.letters:
        console.print(ws.relative(letter.path))
        if letter.docx_path is not None:
            console.print(ws.relative(letter.docx_path))
    for letter in result.letters:
        counts = [f"须补正 {letter.errors} 条"] if letter.errors else []
        counts += [f"请核对 {letter.warnings} 条"] if letter.warnings else []
        messages.print(
            styled("已生成 ", "green", f"{letter.applicant}的补正告知单（{'、'.join(counts)}）")
        )
    for name in result.clean:
        messages.print(
            styled(f"{mark('ok', messages)} ", "green", f"{name}：没有发现问题，不需要补正告知单。")
        )
    for old in result.withdrawn:
        messages.print(
            f"已删除以前生成、现已不适用的 {old}（该申报人已没有问题），请勿再发放旧告知单。"
        )
    for failure in result.failed:
        report_error(
            f"未生成{failure.applicant}的补正告知单：{failure.error.message}", failure.error.hint
        )
    if result.shared:
        messages.print(
            f"整批与通知的 {result.shared} 条问题（申报期限、整批材料等）由单位处理，未写入告知单；"
            "运行 zcprep check 查看。"
        )
    if result.letters:
        deadline = f"，补正期限 {format_date(result.deadline)}" if result.deadline else ""
        messages.print(
            f"已为 {len(result.letters)} 位申报人生成补正告知单{deadline}（字体：{result.font_source}），"
            "请核对后盖章、交申报人。"
        )
    elif not result.failed:
        messages.print("所有申报人的材料都没有发现问题，没有生成补正告知单。")
