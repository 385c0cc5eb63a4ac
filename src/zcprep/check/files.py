"""Files: what each file really is and whether a reviewer could read and print it.

Every check works on the read-only probe of the file (zcprep.probe): the type comes from
the file's first bytes, never from its name. A file zcprep wrote itself (an unsigned form
from render, a bound volume) is not the signed scan a material folder wants: see
:mod:`zcprep.check.drafts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from zcprep.check import drafts
from zcprep.check.base import Check, error, page_ranges, warning
from zcprep.check.context import DossierContext, DossierFile
from zcprep.model.notice import Material
from zcprep.privacy import printable
from zcprep.probe import ACCEPTED_KINDS, FORMAT_KIND, KIND_LABELS, FileProbe
from zcprep.report import Finding
from zcprep.units import size_text

# A scanner set to 200 dpi may store 199.6 dpi after rounding the page size.
_DPI_SLACK = 0.98

_PREFERRED_EXTENSION = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}

_CONVERT_HINTS = {
    "heic": "在手机“设置—相机—格式”中选“兼容性最佳”后重拍，或把照片转存为 JPG 后放入。",
    "ole": "用 Word/WPS 打开后“另存为 PDF”；需签字盖章的，打印签章后扫描为 PDF。",
    "docx": "用 Word/WPS 打开后“另存为 PDF”；需签字盖章的，打印签章后扫描为 PDF。",
    "xlsx": "用 Excel/WPS 打开后“另存为 PDF”（页面设为 A4）。",
    "pptx": "用 PowerPoint/WPS 打开后“另存为 PDF”。",
    "html": "这是网页而不是 PDF：用浏览器打开后“打印—另存为 PDF”，或从原网站重新下载 PDF。",
    "ofd": "用 OFD 阅读器（如数科阅读器）打开后“打印为 PDF”。",
    "archive": "先解压，再把其中的文件放入对应的材料文件夹。",
}
_DEFAULT_CONVERT_HINT = "转换为 PDF（或 JPG、PNG）后再放入；扫描件请重新扫描为 PDF。"
_SHORTCUT_HINT = (
    "把它指向的原文件复制到这个文件夹，替换快捷方式：在资源管理器中右键它，选“打开文件所在的位置”，"
    "复制那里的文件后粘贴到这里；文件在申报人电脑上的，请申报人发送原文件。"
)


def _probed(context: DossierContext) -> Iterator[tuple[DossierFile, FileProbe, Material]]:
    for item in context.material_files():
        if item.probe is not None and item.material is not None:
            yield item, item.probe, item.material


def file_link_outside(context: DossierContext) -> Iterator[Finding]:
    for item in context.files:
        if item.link_outside:
            where = "档案文件夹以外" if item.path.exists() else "不存在的位置或指向自身（循环）"
            yield error(
                "file-link-outside",
                f"{item.path.name} 是指向{where}的链接（符号链接或目录联接），没有检查其内容。",
                "把真正的文件复制到该文件夹中，替换这个链接。",
                material=item.material.id if item.material else None,
                file=item.rel,
            )


def file_name_undecodable(context: DossierContext) -> Iterator[Finding]:
    """A name that is not UTF-8 (GBK bytes from a Windows zip) shows as gibberish
    elsewhere; it is shown here decoded as GBK where it can be."""
    for item in context.files:
        name = item.path.name
        shown = printable(name)
        if shown != name:
            yield warning(
                "file-name-undecodable",
                f"文件名“{shown}”不是 UTF-8 编码（多来自 Windows 压缩包），在其他电脑上可能显示为乱码。",
                "把文件改个名（如“证书.pdf”）；用 zcprep add 解压压缩包可自动识别中文文件名。",
                material=item.material.id if item.material else None,
                file=item.rel,
            )


def file_not_readable(context: DossierContext) -> Iterator[Finding]:
    for item in context.material_files():
        if item.read_error is not None:
            assert item.material is not None
            yield error(
                "file-unreadable",
                f"无法读取 {item.path.name}（{item.read_error}）。",
                "检查文件是否存在、是否被其他程序占用、是否有读取权限。",
                material=item.material.id,
                file=item.rel,
            )


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _label_and_hint(
    context: DossierContext, item: DossierFile, probe: FileProbe
) -> tuple[str, str]:
    """What the file is, in words, and how to make it one the notice accepts; a .docx
    zcprep render wrote is said to be the unsigned draft, to print, sign, seal and scan."""
    label = KIND_LABELS[probe.kind]
    draft = drafts.docx_draft(context, item) if probe.kind == "docx" else None
    if draft is not None:
        return f"{label}，是 zcprep render 生成的《{draft}》未签字盖章的草稿", drafts.DRAFT_HINT
    return label, _CONVERT_HINTS.get(probe.kind, _DEFAULT_CONVERT_HINT)


def _shortcut(item: DossierFile, material: Material) -> Finding:
    """A Windows shortcut: Explorer hides its .lnk, so it looks like the file itself."""
    return error(
        "file-shortcut",
        f"{item.path.name} 是 Windows 快捷方式（.lnk），不是文件本身，其中没有材料的内容。",
        _SHORTCUT_HINT,
        material=material.id,
        file=item.rel,
    )


def file_type(context: DossierContext) -> Iterator[Finding]:
    for item, probe, material in _probed(context):
        name = item.path.name
        if probe.kind == "empty":
            yield error(
                "file-empty",
                f"{name} 是空文件（0 字节）。",
                "重新扫描或重新复制该文件。",
                material=material.id,
                file=item.rel,
            )
            continue
        if probe.kind == "shortcut":
            yield _shortcut(item, material)
            continue
        label, convert = _label_and_hint(context, item, probe)
        if probe.extension_kind != probe.kind:
            suffix = _extension(name)
            said = f"扩展名是 .{suffix}" if suffix else "没有扩展名"
            if probe.kind in ACCEPTED_KINDS:
                right = _PREFERRED_EXTENSION[probe.kind]
                hint = f"把文件名改为以 .{right} 结尾（它本来就是 {label}），或转换为 PDF。"
            else:
                hint = convert
            yield error(
                "file-type-mismatch",
                f"{name} {said}，实际是 {label}。",
                hint,
                material=material.id,
                file=item.rel,
            )
        elif probe.kind not in ACCEPTED_KINDS:
            yield error(
                "file-unsupported",
                f"{name} 是{label}，申报材料只接受 PDF、JPG、PNG。",
                convert,
                material=material.id,
                file=item.rel,
            )
        allowed = {FORMAT_KIND[f] for f in material.formats}
        if probe.kind in ACCEPTED_KINDS and probe.kind not in allowed:
            formats = "、".join(f.upper() for f in material.formats)
            yield error(
                "file-format-not-allowed",
                f"第 {material.order} 项“{material.name}”只接受 {formats}，{name} 是{label}。",
                f"转换为 {formats} 后放入（如把图片插入 Word 后另存为 PDF，或重新扫描为 PDF）。",
                material=material.id,
                file=item.rel,
            )


def file_contents(context: DossierContext) -> Iterator[Finding]:
    """Broken, password-protected, restricted, repaired or too slow to read."""
    for item, probe, material in _probed(context):
        name = item.path.name
        if probe.status == "unreadable":
            yield error(
                "file-unreadable",
                f"{name} 无法打开：{probe.detail}。",
                "用原软件重新导出或重新扫描，确认能在阅读器中打开全部页面后再放入。",
                page=probe.failed_page,
                material=material.id,
                file=item.rel,
            )
        elif probe.status == "encrypted":
            yield error(
                "file-encrypted",
                f"{name} 设置了打开密码（{probe.detail}），评审和装订时都无法打开。",
                "用原软件输入密码打开后取消加密另存，或重新扫描为不加密的 PDF。",
                material=material.id,
                file=item.rel,
            )
        elif probe.status == "timeout":
            total = f"（共 {probe.page_count} 页）" if probe.page_count else ""
            reached = (
                f"只读完前 {len(probe.pages)} 页{total}" if probe.pages else "未能读完其中的页面"
            )
            # bind binds only what check could read through: the same verdict
            yield error(
                "file-check-timeout",
                f"{name} 结构异常复杂，读取{probe.detail}，{reached}，无法装订。",
                "用阅读器“打印为 PDF”另存一份，或重新扫描，再检查一次。",
                material=material.id,
                file=item.rel,
            )
        elif probe.status == "skipped":
            yield warning(
                "file-check-skipped",
                f"{name} 有 {size_text(probe.size)}，{probe.detail}。",
                "扫描件一般只有几 MB：确认没有放错文件；确需提交的，降低分辨率重新扫描或拆分后再放入。",
                material=material.id,
                file=item.rel,
            )
        if probe.restricted is not None:
            denied = f"（禁止{'、'.join(probe.restricted)}）" if probe.restricted else ""
            yield warning(
                "file-permissions-restricted",
                f"{name} 设置了权限密码{denied}，部分评审系统拒收加密文件。",
                "用原软件取消权限密码后另存，或用阅读器“打印为 PDF”另存一份。",
                material=material.id,
                file=item.rel,
            )
        if probe.repaired:
            yield warning(
                "file-repaired",
                f"{name} 的 PDF 结构有错误，已自动修复：装订时使用修复后的副本，原文件未改动。",
                "打开申报册核对这份材料的页面；上传原文件前最好用原软件重新导出一份。",
                material=material.id,
                file=item.rel,
            )


def file_too_large(context: DossierContext) -> Iterator[Finding]:
    for item, probe, material in _probed(context):
        limit = material.max_size_kb
        if limit is not None and probe.size > limit * 1024:
            yield error(
                "file-too-large",
                f"{item.path.name} 有 {size_text(probe.size)}，超过通知规定的 {size_text(limit * 1024)}。",
                "降低扫描分辨率（如 200 dpi 灰度）或用压缩工具减小文件后再放入。",
                material=material.id,
                file=item.rel,
            )


def page_size(context: DossierContext) -> Iterator[Finding]:
    for item, probe, material in _probed(context):
        by_class: dict[str, list[int]] = defaultdict(list)
        first_other = None
        for page in probe.pages:
            size_class = page.size_class
            if size_class == "A4":
                continue
            by_class[size_class].append(page.number)
            if size_class == "other" and first_other is None:
                first_other = page
        name = item.path.name
        if by_class.get("A3") and material.paper_size != "A3":
            pages = by_class["A3"]
            yield warning(
                "page-size",
                f"{name} {page_ranges(pages)}是 A3 纸，装订时要折叠成 A4 大小。",
                "图纸等确需 A3 的可以保留并折叠装订；否则缩印为 A4 后重新扫描。",
                page=pages[0],
                material=material.id,
                file=item.rel,
            )
        if first_other is not None:
            pages = by_class["other"]
            size = f"{first_other.width_mm:.0f}×{first_other.height_mm:.0f} 毫米"
            yield warning(
                "page-size",
                f"{name} {page_ranges(pages)}不是 A4 纸（如第 {first_other.number} 页为 {size}）。",
                "用 A4 重新扫描，或“打印为 PDF”时选 A4 纸；手机拍照请用扫描类 App 裁成 A4。",
                page=pages[0],
                material=material.id,
                file=item.rel,
            )


def scan_resolution(context: DossierContext) -> Iterator[Finding]:
    for item, probe, material in _probed(context):
        floor = material.min_dpi
        if floor is None:
            continue
        low = [
            (p.number, p.scan_dpi)
            for p in probe.pages
            if p.scan_dpi and p.scan_dpi < floor * _DPI_SLACK
        ]
        if probe.image_dpi is not None and probe.image_dpi < floor * _DPI_SLACK:
            low.append((1, round(probe.image_dpi, 1)))
        if not low:
            continue
        worst = min(dpi for _, dpi in low if dpi is not None)
        pages = page_ranges(n for n, _ in low) if probe.kind == "pdf" else "图片"
        yield error(
            "scan-resolution-low",
            f"{item.path.name} {pages}的扫描分辨率约 {worst:.0f} dpi，低于通知要求的 {floor} dpi，评审时可能看不清。",
            f"用扫描仪以不低于 {floor} dpi 重新扫描；不要用微信等会压缩图片的方式传送。",
            material=material.id,
            file=item.rel,
            page=low[0][0] if probe.kind == "pdf" else None,
        )


def classified_marking(context: DossierContext) -> Iterator[Finding]:
    for item, probe, material in _probed(context):
        marked = [p for p in probe.pages if p.marking]
        if marked:
            yield error(
                "classified-marking",
                f"{item.path.name} {page_ranges(p.number for p in marked)}有密级标志“{marked[0].marking}”，"
                "涉密材料不得作为申报材料。",
                "换用不涉密的证明材料（如单位出具的业绩证明），不要提交涉密文件。",
                material=material.id,
                file=item.rel,
                page=marked[0].number,
            )


def material_draft(context: DossierContext) -> Iterator[Finding]:
    """zcprep's own unsigned form (or a bound volume, a 补正告知单) where a signed scan
    belongs: see :mod:`zcprep.check.drafts`."""
    yield from drafts.draft_findings(context)


CHECKS: tuple[Check, ...] = (
    file_link_outside,
    file_name_undecodable,
    file_not_readable,
    file_type,
    file_contents,
    file_too_large,
    page_size,
    scan_resolution,
    classified_marking,
    material_draft,
)
