"""zcprep letter: what each applicant must fix, told to them in one letter (补正告知单).

Some provinces give an applicant one chance to fix a dossier and ask the unit to say
everything at once (一次性告知). ``write_letters`` runs ``zcprep check`` and writes, for
each applicant whose dossier has errors or warnings, ``out/<姓名>/补正告知单.pdf`` (and
.docx): from the unit to the applicant, every problem grouped by material in plain words
with what to bring or fix, errors before the points to verify (请核对), a reply deadline
when the officer sets one, and the seal and signature lines. A clean dossier gets none.

Why it is built this way:

- The letter is one more editable template (templates/letter.md.j2, overridable in the
  workspace's [render] templates_dir), in render's block markup and laid out by render's
  PDF/DOCX code: the same fonts, embedded, and the same sandbox and data protection.
- The letter goes to the applicant, not the officer: check's wording is kept, but the
  officer's tools (zcprep commands, applicant.toml keys, dossiers/ paths) are left out
  and ID and mobile numbers are masked as on the screen (zcprep.letter.wording).
- Notice-wide findings (a passed deadline, the batch's own materials) are the unit's
  business and go in no applicant's letter.

``write_findings_workbook`` is the officer's side of the same report: every finding, the
notice-wide ones too, as rows of out/检查结果.xlsx (``zcprep check --xlsx``).
"""

from zcprep.letter.content import LetterContent, letter_content
from zcprep.letter.run import (
    LETTER_NAME,
    Letter,
    LetterFailure,
    LetterResult,
    letter_path,
    parse_deadline,
    write_letters,
)
from zcprep.letter.sheet import HEADERS, WORKBOOK_NAME, finding_rows, write_findings_workbook
from zcprep.letter.wording import plain

__all__ = [
    "HEADERS",
    "LETTER_NAME",
    "WORKBOOK_NAME",
    "Letter",
    "LetterContent",
    "LetterFailure",
    "LetterResult",
    "finding_rows",
    "letter_content",
    "letter_path",
    "parse_deadline",
    "plain",
    "write_findings_workbook",
    "write_letters",
]
