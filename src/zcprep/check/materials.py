"""Materials: every required checklist item is there, nothing stray, nothing twice."""

from __future__ import annotations

import fnmatch
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
    items = context.checklist
    example = items[0].folder if items else "01-…"
    for item in context.files:
        if item.material is None and not item.link_outside:
            yield warning(
                "material-unexpected",
                f"文件 {item.path.name} 不属于任何一项材料，不会被装订和报送。",
                f"属于某项材料的，移入对应的编号文件夹（如 {example}）；无关的文件移出档案文件夹。",
                file=item.rel,
            )
    for folder in context.unexpected_folders:
        yield warning(
            "material-unexpected",
            f"文件夹 {folder.path.name}（{folder.file_count} 个文件）不对应任何一项材料，其中文件不会被装订和报送。",
            "把文件夹改名为材料编号开头（如 03-…），或把其中文件移入对应的材料文件夹。",
            file=folder.rel,
        )


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
