"""A finding said to the applicant, not to the officer.

``check`` words its messages for the officer at the keyboard: where a file sits in
``dossiers/``, which key of applicant.toml to type, which zcprep command to run next,
how to make a baseline rule an error in zcprep.toml. The applicant who receives the
letter has none of these, so each message and hint is put in plain words here: the
dossier's own path prefix goes, a clause about zcprep or about typing a TOML line goes,
a field's English key in brackets goes, "applicant.toml" becomes 申报信息, and ID and
mobile numbers are masked as on the screen (a letter is handed on, mailed, pinned up).
What stays is the check's own wording, so the letter and ``zcprep check`` agree.
"""

from __future__ import annotations

import re

from zcprep.privacy import mask_private

# A clause meant for the officer: a zcprep command or setting, or a line of TOML to type.
_OFFICER_CLAUSE = re.compile(
    r"zcprep|\[\[|(?<![A-Za-z0-9_])[a-z][a-z0-9_]*\s*=\s*\S"  # `graduation_date = 2023-05-08`
)
# The English key after a field's Chinese label: “毕业时间”（graduation_date）.
_KEY_IN_BRACKETS = re.compile(r"[（(]\s*[a-z][a-z0-9_]*\s*[）)]")
_APPLICANT_FILE = re.compile(r"\s*(?:[^\s“”]*/)?applicant\.toml\s*(?:的\s*)?")
# Clauses end at these; the mark stays with its clause.
_CLAUSE_END = re.compile(r"(?<=[；。！？])")
_TRAILING_JOINER = re.compile(r"[；，、：\s]+$")

# Said when nothing of a hint is left for the applicant.
FALLBACK_REMEDY = {
    "error": "请按上述问题改正或补齐后交回。",
    "warning": "请核对；情况属实的请说明，有误的请改正。",
}


def plain(text: str, dossier: str, officer_clauses: bool = True) -> str:
    """``text`` of a finding as the applicant should read it (``dossier`` is the dossier's
    path relative to the workspace, e.g. ``dossiers/李四``). ``officer_clauses=False``
    also drops the clauses only the officer can act on (a hint's zcprep command)."""
    text = text.replace(f"{dossier}/", "").replace(f"{dossier}\\", "")
    if not officer_clauses:
        clauses = [c for c in _CLAUSE_END.split(text) if c.strip()]
        text = "".join(c for c in clauses if not _OFFICER_CLAUSE.search(c)).strip()
        if text and not text.endswith(("。", "！", "？", "）", "”")):
            text = _TRAILING_JOINER.sub("", text) + "。"
    text = _KEY_IN_BRACKETS.sub("", text)
    text = _APPLICANT_FILE.sub(_applicant_info, text)
    return mask_private(text.strip())


def _applicant_info(match: re.Match[str]) -> str:
    """applicant.toml → 申报信息; “applicant.toml 的 X” → “申报信息中的 X”."""
    return "申报信息中的" if match.group(0).rstrip().endswith("的") else "申报信息"


def remedy(hint: str, dossier: str, severity: str) -> str:
    """What the applicant should do: the hint in plain words, or a general request when
    the whole hint was about the officer's own tools."""
    said = plain(hint, dossier, officer_clauses=False)
    return said or FALLBACK_REMEDY.get(severity, FALLBACK_REMEDY["warning"])
