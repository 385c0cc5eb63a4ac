"""zcprep add: unpack an applicant's zip into their dossier, safely.

Officers receive materials as zip files made on Windows (名字 in GBK, no UTF-8 flag), on
macOS (NFD names, ``__MACOSX/`` junk) or by WeChat and phones. The archive is hostile input:
it may hold ``../`` paths, absolute paths, links, or be a zip bomb. So every entry is
planned first (name decoded, path checked, placement decided) and only then streamed to a
temporary file beside its target and renamed into place, counting the bytes actually
produced. Nothing outside ``dossiers/NAME/`` is ever written and no existing file is
replaced without ``force``.

Names. An entry with the UTF-8 flag (bit 11) is UTF-8. Otherwise its raw bytes are, in
order: the Info-ZIP Unicode Path extra field (0x7075) when its CRC matches the raw name;
UTF-8 when valid (some tools omit the flag); GB18030 (a superset of GBK: Windows
"发送到压缩文件夹" and WinRAR on Chinese Windows). Bytes valid in none of these are decoded
with replacement characters and reported. Names are normalised to NFC (macOS zips are NFD).
Western DOS names (CP437 proper) are read as GB18030: for Chinese officers that is the
better bet.

Placement. The zip's own folder structure is kept, with two conveniences:

1. A single top-level folder holding everything (``张三/…`` or ``张三材料/…``) is removed,
   repeatedly (a folder zipped inside a folder), unless that folder is itself a checklist
   item (rule 2).
2. A top-level folder that stands for a checklist item is renamed to the item's folder
   (``Material.folder``, the ``NN-材料名`` that ``zcprep new`` makes), by the same rule
   ``check`` and ``bind`` use (zcprep.model.collect.material_for_folder: the item's name, short
   name or folder; or its number, as in ``03证书``, ``03-证书``, ``3 证书``, ``3、证书``).
   Other folders and files are kept as they are, for ``check`` to match by the items'
   patterns.
"""

from __future__ import annotations

from zcprep.intake.entries import decode_entry_name, portable_part, split_entry_path
from zcprep.intake.plan import IntakeResult, Limits, Refused
from zcprep.intake.run import add_archive
from zcprep.intake.unpack import LimitExceeded, copy_limited

__all__ = [
    "IntakeResult",
    "LimitExceeded",
    "Limits",
    "Refused",
    "add_archive",
    "copy_limited",
    "decode_entry_name",
    "portable_part",
    "split_entry_path",
]
