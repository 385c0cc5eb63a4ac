"""``add_archive``: the whole ``zcprep add`` command — check the dossier name, open and plan
the archive, make the dossier if needed, unpack — without the printing, which is the CLI's."""

from __future__ import annotations

from pathlib import Path

from zcprep.atomic import is_link
from zcprep.errors import InputError, UsageError
from zcprep.intake.plan import (
    IntakeResult,
    Limits,
    _compressed_bounds,
    _map_to_items,
    _open_zip,
    _plan,
    _refuse_if_exceeded_declared,
    _strip_single_top,
)
from zcprep.intake.unpack import _unpack
from zcprep.model.workspace import APPLICANT_FILE, Workspace, check_dossier_name, new_dossier


def add_archive(
    workspace: Workspace,
    name: str,
    archive: Path,
    *,
    force: bool = False,
    limits: Limits | None = None,
) -> IntakeResult:
    """Unpack ``archive`` into ``dossiers/NAME/``; make the dossier first if needed.

    Raises InputError for a missing, non-zip or corrupt archive (a corrupt entry stops the
    run; files already written are complete) and for one over the entry or size limits
    (nothing written). Entries that are unsafe, encrypted or too big are refused one by
    one and listed in the result.
    """
    limits = limits or Limits()
    name = check_dossier_name(name)
    folder = workspace.dossiers_dir / name
    if is_link(folder) or (folder.exists() and not folder.is_dir()):
        raise UsageError(
            f"{workspace.relative(folder)} 不是普通文件夹（是文件或链接），未做任何改动。",
            "换一个档案名，或先把它改成普通文件夹。",
        )
    with _open_zip(archive) as zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise InputError(
                f"压缩包 {archive.name} 有 {len(infos)} 个条目，超过上限 {limits.max_entries}，"
                "未解压任何文件。",
                "这不像一位申报人的材料；请申报人只打包申报材料后重新发送。",
            )
        result = IntakeResult(dossier=folder)
        entries = _plan(infos, _compressed_bounds(infos, zf.start_dir), limits, result)
        _refuse_if_exceeded_declared(entries, archive, limits)
        result.created = not (folder / APPLICANT_FILE).exists()
        if result.created:
            new_dossier(workspace, name)
        notice = workspace.notice
        entries = _map_to_items(_strip_single_top(entries, notice, result), notice, result)
        _unpack(zf, entries, folder.resolve(), force, limits, result, archive)
    return result
