"""Materials: every required checklist item is there, nothing stray, nothing twice."""

from __future__ import annotations

import difflib
import fnmatch
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from zcprep.check.base import Check, error, warning
from zcprep.check.context import DossierContext, DossierFile
from zcprep.check.sources import breach, origin, quoted
from zcprep.model.notice import Material
from zcprep.probe import content_digest
from zcprep.report import Finding


def _why_required(context: DossierContext, material: Material) -> str:
    """Explain a conditional requirement (破格, a level, the path met…) so the officer
    sees why."""
    if material.required:
        return ""
    if context.members is not None:
        who = [
            person.name
            for person, level_id in context.members
            if any(person.matches(c, level_id) for c in material.required_when)
        ]
        shown = "、".join(who[:3]) + (f" 等 {len(who)} 人" if len(who) > 3 else "")
        return f"（{shown}的申报信息要求提交）" if who else ""
    if context.applicant is None:
        return ""
    spec = context.notice.applicant.spec
    for condition in material.required_when:
        if context.applicant.matches(condition, context.level_id):
            reasons = []
            for key, value in condition.items():
                if key == "exceptional" and value is True:
                    reasons.append("破格申报")
                elif key == "level":
                    level = context.level
                    reasons.append(f"申报{level.name if level else value}")
                else:
                    field = spec(key)
                    label = field.label if field else key
                    shown = ("是" if value else "否") if isinstance(value, bool) else f"“{value}”"
                    reasons.append(f"{label}为{shown}")
            return f"（{'、'.join(reasons)}须提交）"
    found = context.verdict
    path = found.requires(material.id) if found is not None else None
    if path is not None:
        return f"（按“{path.rule.note or '所符合的资格条件'}”申报须提交）"
    return ""


def material_missing(context: DossierContext) -> Iterator[Finding]:
    for material in context.checklist:
        if material.not_accepted or not context.due(material):
            continue
        if not context.required(material) or context.files_of(material):
            continue
        whose = "整批材料" if context.is_batch else "材料"
        yield breach(
            material,
            "material-missing",
            f"缺少第 {material.order} 项{whose}“{material.name}”{_why_required(context, material)}"
            f"{origin(material) if material.source != 'notice' else ''}。",
            _supply_hint(context, material),
            material=material.id,
        )


def _supply_hint(context: DossierContext, material: Material) -> str:
    formats = "、".join(f.upper() for f in material.formats)
    place = f"{context.rel}/{material.folder}/"
    paper = f"（{material.paper_note}）" if material.paper_note else ""
    if material.stage == "generated":
        return f"网上审核通过后从系统打印{paper}；留底的扫描件（{formats}）放入 {place} 文件夹。"
    if material.stage == "paper":
        return f"按通知准备纸质原件{paper}；留底的扫描件（{formats}）放入 {place} 文件夹。"
    return f"把扫描件（{formats}）放入 {place} 文件夹。"


def material_not_accepted(context: DossierContext) -> Iterator[Finding]:
    """Files of a kind the notice refuses (青岛：“一律不受理各种获奖证明、用稿证明”),
    wherever they lie: loose, or inside another item's folder."""
    refused = [m for m in context.checklist if m.not_accepted]
    for item in context.files:
        name = unicodedata.normalize("NFC", item.path.name).casefold()
        for material in refused:
            if item.material is material or any(
                fnmatch.fnmatchcase(name, p.casefold()) for p in material.patterns
            ):
                cite = quoted(material) or origin(material)
                yield warning(
                    "material-not-accepted",
                    f"文件 {item.path.name} 像是“{material.name}”，本通知不受理这类材料。{cite}",
                    "确认后把它移出档案文件夹，不要上传或报送。",
                    material=material.id,
                    file=item.rel,
                )
                break


def material_unexpected(context: DossierContext) -> Iterator[Finding]:
    candidates = _candidates(context)
    for item in context.files:
        if item.material is None and not item.link_outside:
            yield warning(
                "material-unexpected",
                f"文件 {item.path.name} 不属于任何一项材料，不会被装订和报送。",
                _move_hint(context, item.path.name, candidates),
                file=item.rel,
            )
    for folder in context.unexpected_folders:
        yield warning(
            "material-unexpected",
            f"文件夹 {folder.path.name}（{folder.file_count} 个文件）不对应任何一项材料，其中文件不会被装订和报送。",
            _rename_hint(context, folder.path.name, candidates),
            file=folder.rel,
        )


def _candidates(context: DossierContext) -> list[Material]:
    """The items a stray file may belong to: this folder's checklist first, then the
    other scope's (a 花名册 put in a dossier belongs to the batch folder); never an item
    the notice refuses."""
    mine, theirs = context.notice.items("applicant"), context.notice.items("batch")
    if context.is_batch:
        mine, theirs = theirs, mine
    return [m for m in [*mine, *theirs] if not m.not_accepted]


def _own(context: DossierContext, material: Material) -> bool:
    return material.scope == ("batch" if context.is_batch else "applicant")


def _named(context: DossierContext, material: Material) -> str:
    """02-人员简介（公示）表, or 整批材料 01-申报人员花名册 for the other scope's item."""
    if _own(context, material):
        return material.folder
    return (
        f"{'每位申报人的材料' if material.scope == 'applicant' else '整批材料'} {material.folder}"
    )


def _place(context: DossierContext, material: Material) -> str:
    """The folder the item's files go in, as the officer finds it in the workspace."""
    if _own(context, material):
        return f"{context.rel}/{material.folder}/"
    if material.scope == "batch":
        return f"{context.workspace.relative(context.workspace.batch_dir)}/{material.folder}/"
    return f"{context.workspace.relative(context.workspace.dossiers_dir)}/姓名/{material.folder}/"


def _move_hint(context: DossierContext, file_name: str, candidates: list[Material]) -> str:
    """Where a loose file goes: the item whose patterns it matches, else the item its
    name resembles (said as a guess), else the numbered folders to choose from."""
    fits, sure = fitting_materials(file_name, candidates)
    if fits and sure:
        return f"它属于 {_named(context, fits[0])}：移入 {_place(context, fits[0])} 文件夹。"
    if fits:
        named = " 或 ".join(_named(context, m) for m in fits)
        places = " 或 ".join(_place(context, m) for m in fits)
        return f"按文件名看，可能属于 {named}：确认后移入 {places}；{_away(context)}"
    own = [m for m in candidates if _own(context, m)]
    return (
        f"属于某项材料的，移入它所属那项材料的编号文件夹{_folders(context, own)}；{_away(context)}"
    )


def _away(context: DossierContext) -> str:
    where = f" {context.rel} 文件夹" if context.is_batch else "档案文件夹"
    return f"无关的文件移出{where}。"


def _folders(context: DossierContext, items: list[Material]) -> str:
    """The numbered folders to choose from: named when few, else their range."""
    if not items:
        return ""
    if len(items) <= 4:
        return f"（{'、'.join(m.folder for m in items)}）"
    orders = sorted(m.order for m in items)
    return f"（{context.rel}/ 中 {orders[0]:02d} 至 {orders[-1]:02d} 开头的文件夹）"


def _rename_hint(context: DossierContext, folder_name: str, candidates: list[Material]) -> str:
    fits, _ = fitting_materials(folder_name, candidates, extension=False)
    fits = [m for m in fits if _own(context, m)]
    if fits:
        return (
            f"按名称看，可能是 {' 或 '.join(m.folder for m in fits)}：确认后把文件夹改为这个名称，"
            "或把其中文件移入这个文件夹。"
        )
    own = [m for m in candidates if _own(context, m)]
    return (
        f"把文件夹改名为它所属那项材料的编号文件夹名{_folders(context, own)}，"
        "或把其中文件移入对应的材料文件夹。"
    )


# How collect.material_for_folder reads a leading number: two digits, or one digit and a
# separator ("02人员简介表", "2-简介"; not "1寸照片" nor "2023年").
_LEADING_NUMBER = re.compile(r"\s*(?:(\d{2})(?!\d)|(\d)(?=\s*[-_.、－．＿\s]))[\s\-_.、－．＿]*")
# Words nearly every item's name holds: shared, they say nothing about which item.
_GENERIC = re.compile(r"复印件|扫描件|原件|材料|相关|以及|[的及和或等、，,（）()《》“”\s]")


def fitting_materials(
    name: str, items: list[Material], *, extension: bool = True
) -> tuple[list[Material], bool]:
    """The items a file (or folder) name fits, and whether for sure.

    Matching an item's patterns is sure. Else a guess: the items (at most two, the
    likeliest) whose name or short name shares runs of at least 2 characters, 3 in all
    or half of that name (generic words such as 复印件、材料 left out); else the item
    whose number leads the name, when text follows it (a bare ``08.pdf`` says nothing).
    ([], False) when nothing fits.
    """
    folded = unicodedata.normalize("NFC", name).strip().casefold()
    for material in items:
        if any(fnmatch.fnmatchcase(folded, p.casefold()) for p in material.patterns):
            return [material], True
    stem = folded.rsplit(".", 1)[0] if extension and "." in folded else folded
    number = _LEADING_NUMBER.match(stem)
    text = _GENERIC.sub("", stem[number.end() :] if number else stem)
    if not text:
        return [], False
    scored = [(_shared(text, m), m) for m in items]
    best = max((score for score, _ in scored), default=0)
    if best > 0:
        return [m for score, m in scored if score == best][:2], False
    if number is not None:
        order = int(number.group(1) or number.group(2))
        return [m for m in items if m.order == order][:1], False
    return [], False


def _shared(text: str, material: Material) -> int:
    """Characters ``text`` shares with the item's name (or short name) in runs of two or
    more, counted when they are at least 3 or half the name; else 0."""
    best = 0
    for label in {material.name, material.short or material.name}:
        label = _GENERIC.sub("", unicodedata.normalize("NFC", label).casefold())
        matcher = difflib.SequenceMatcher(None, text, label, autojunk=False)
        shared = sum(block.size for block in matcher.get_matching_blocks() if block.size >= 2)
        if shared >= 3 or (shared >= 2 and shared * 2 >= len(label)):
            best = max(best, shared)
    return best


def duplicate_file(context: DossierContext) -> Iterator[Finding]:
    by_fingerprint: dict[str, list[DossierFile]] = defaultdict(list)
    for item in context.material_files():
        if item.probe is not None and item.probe.fingerprint is not None:
            by_fingerprint[item.probe.fingerprint].append(item)
    for group in by_fingerprint.values():
        if len(group) < 2:
            continue
        first_by_digest: dict[str, DossierFile] = {}
        for item in group:
            try:
                digest = content_digest(item.path)
            except OSError:
                continue
            first = first_by_digest.setdefault(digest, item)
            if first is item or item.material is None:
                continue
            yield error(
                "duplicate-file",
                f"{item.path.name} 与 {first.rel} 内容完全相同，同一份材料放了两次。",
                "删去其中一份；同一证明确需用于两项材料时，只在第一项中放，第二项放一页说明。",
                material=item.material.id,
                file=item.rel,
            )


CHECKS: tuple[Check, ...] = (
    material_missing,
    material_not_accepted,
    material_unexpected,
    duplicate_file,
)
