"""zcprep check: every dossier against its notice, every problem found at once.

A dossier returned by the 评审委员会 can cost the applicant the year, and some provinces
give one chance to fix; so ``check`` reports everything a reviewer would find, each as a
finding with a stable code, where it is (material, file, page) and what to do.

The checks are small functions of a :class:`DossierContext`, listed in a plain registry
(:data:`CHECKS`), one module per family: materials, files, applicant, rules. Dossiers are
independent, so a large batch is spread over worker processes; results keep the order of
the dossiers. Nothing inside ``dossiers/`` is ever written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from zcprep.check import applicant, eligibility, files, materials, rules
from zcprep.check.base import Check, error, run_checks, warning
from zcprep.check.batch import notice_findings
from zcprep.check.context import DossierContext, build_context
from zcprep.interrupts import ctrl_c_held, ignore_ctrl_c
from zcprep.model.applicant import Applicant
from zcprep.model.notice import STAGES, Stage
from zcprep.model.workspace import Workspace
from zcprep.probe import FILE_TIME_LIMIT, content_digest
from zcprep.report import DossierReport, Finding, Report

__all__ = [
    "CHECKS",
    "STAGES",
    "DossierContext",
    "Stage",
    "check_dossier",
    "eligibility_findings",
    "run_check",
]

CHECKS: tuple[Check, ...] = (
    *materials.CHECKS,
    *files.CHECKS,
    *applicant.CHECKS,
    *eligibility.CHECKS,
    *rules.CHECKS,
)

# From this many dossiers on, a batch is spread over worker processes.
PARALLEL_FROM = 8
DEFAULT_WORKERS = 2

Progress = Callable[[int, int], None]
# Fingerprint (zcprep.probe.fingerprint) → [(file relative to the workspace, material id)]
# of one dossier.
Hashes = dict[str, list[tuple[str, str | None]]]


def check_dossier(
    workspace: Workspace,
    path: Path,
    *,
    today: dt.date | None = None,
    file_time_limit: float | None = FILE_TIME_LIMIT,
    stage: Stage = "submit",
) -> DossierReport:
    """Check one dossier folder (no comparison with other dossiers, no batch items)."""
    report, _ = _check_one(workspace, path, today or dt.date.today(), file_time_limit, stage)
    return report


def eligibility_findings(
    workspace: Workspace, applicant: Applicant, today: dt.date | None = None
) -> list[Finding]:
    """Whether one applicant may apply for the level written (exclusions and paths), as
    ``check`` says it; no file is read. The roster uses it to keep the ineligible out."""
    context = DossierContext(
        workspace=workspace,
        path=applicant.folder,
        rel=workspace.relative(applicant.folder),
        today=today or dt.date.today(),
        applicant=applicant,
    )
    return list(run_checks(context, (eligibility.exclusions, eligibility.eligibility)))


def run_check(
    workspace: Workspace,
    names: list[str] | None = None,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    today: dt.date | None = None,
    file_time_limit: float | None = FILE_TIME_LIMIT,
    stage: Stage = "submit",
) -> Report:
    """Check the named dossiers (all when ``names`` is empty), compare them, and check
    what belongs to the whole batch (its batch folder, the deadlines) once.

    ``jobs``: None chooses (serial below :data:`PARALLEL_FROM` dossiers, else
    :data:`DEFAULT_WORKERS` processes); 1 forces serial. ``today`` is injectable so that
    deadline findings are reproducible. ``stage``: "submit" checks what is due before the
    online submission (and says what comes later); "paper" checks every stage.
    """
    paths = list(
        dict.fromkeys(workspace.dossier_paths(names))
    )  # a name given twice is checked once
    day = today or dt.date.today()
    workers = _workers(len(paths), jobs)
    results: list[tuple[DossierReport, Hashes]] | None = None
    if workers > 1:
        results = _parallel(workspace, paths, day, file_time_limit, workers, progress, stage)
    if results is None:
        results = []
        for done, path in enumerate(paths, start=1):
            results.append(_check_one(workspace, path, day, file_time_limit, stage))
            if progress is not None:
                progress(done, len(paths))
    _compare_dossiers(workspace, results)
    return Report(
        notice=workspace.notice.id,
        dossiers=[report for report, _ in results],
        notice_findings=notice_findings(workspace, paths, day, file_time_limit, stage),
        stage=stage,
    )


def _workers(count: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, min(jobs, count))
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(DEFAULT_WORKERS, os.cpu_count() or 1, count))


def _parallel(
    workspace: Workspace,
    paths: list[Path],
    today: dt.date,
    limit: float | None,
    workers: int,
    progress: Progress | None,
    stage: Stage,
) -> list[tuple[DossierReport, Hashes]] | None:
    """Results in the order of ``paths``, or None when processes are unavailable here."""
    from concurrent.futures.process import BrokenProcessPool

    results: list[tuple[DossierReport, Hashes] | None] = [None] * len(paths)
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=ignore_ctrl_c)
        try:
            with ctrl_c_held():  # the workers start here: none sees Ctrl-C before it ignores it
                futures = {
                    pool.submit(_check_one, workspace, path, today, limit, stage): index
                    for index, path in enumerate(paths)
                }
            for done, future in enumerate(as_completed(futures), start=1):
                results[futures[future]] = future.result()
                if progress is not None:
                    progress(done, len(paths))
        except BaseException:
            # Ctrl-C or an error: the dossiers not started yet are dropped, not waited for
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    except (OSError, NotImplementedError, BrokenProcessPool):
        return None  # no process support (sandbox, frozen app): the caller runs serially
    return [r for r in results if r is not None]


def _check_one(
    workspace: Workspace, path: Path, today: dt.date, limit: float | None, stage: Stage
) -> tuple[DossierReport, Hashes]:
    rel = workspace.relative(path)
    try:
        context = build_context(workspace, path, today, limit, stage)
    except OSError as exc:
        from zcprep.oserrors import os_problem

        problem = os_problem(exc, path)
        finding = error(
            "file-unreadable",
            f"无法读取档案文件夹 {rel}（{problem.reason}）。",
            problem.remedy,
            file=rel,
        )
        return DossierReport(path=rel, applicant=path.name, level=None, findings=[finding]), {}
    findings = list(run_checks(context, CHECKS))
    hashes: Hashes = defaultdict(list)
    for item in context.material_files():
        if item.probe is not None and item.probe.fingerprint is not None:
            hashes[item.probe.fingerprint].append(
                (item.rel, item.material.id if item.material else None)
            )
    report = DossierReport(
        path=rel,
        applicant=context.applicant.name if context.applicant else path.name,
        level=_level_label(context),
        findings=findings,
    )
    return report, dict(hashes)


def _level_label(context: DossierContext) -> str | None:
    if context.level is not None:
        return context.level.name
    return context.applicant.text("level") if context.applicant else None


def _compare_dossiers(workspace: Workspace, results: list[tuple[DossierReport, Hashes]]) -> None:
    """The same file in two applicants' dossiers: probably a copy made in error.

    Candidates share a fingerprint; only they are hashed in full to confirm.
    """
    owners: dict[str, list[int]] = defaultdict(list)
    for index, (_, hashes) in enumerate(results):
        for fingerprint in hashes:
            owners[fingerprint].append(index)
    for fingerprint, indexes in owners.items():
        if len(indexes) < 2:
            continue
        by_digest: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
        for index in indexes:
            for rel, material in results[index][1][fingerprint]:
                try:
                    by_digest[content_digest(workspace.root / rel)].append((index, rel, material))
                except OSError:
                    continue
        for copies in by_digest.values():
            _warn_shared(results, copies)


def _warn_shared(
    results: list[tuple[DossierReport, Hashes]], copies: list[tuple[int, str, str | None]]
) -> None:
    dossiers = {index for index, _, _ in copies}
    if len(dossiers) < 2:
        return
    for index, rel, material in copies:
        others = list(dict.fromkeys(r for i, r, _ in copies if i != index))
        shown = "、".join(others[:3]) + (f" 等 {len(others)} 个文件" if len(others) > 3 else "")
        results[index][0].findings.append(
            warning(
                "duplicate-across-dossiers",
                f"{Path(rel).name} 与其他申报人档案中的文件内容完全相同：{shown}。",
                "确认没有把别人的材料误放进来；单位营业执照等共用材料可以忽略此提示。",
                material=material,
                file=rel,
            )
        )
