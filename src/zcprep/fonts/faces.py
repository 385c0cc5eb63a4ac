"""The two faces a form is set in: the body's and the title's (GB/T 9704 habits).

The body prefers 仿宋, then 宋体, then whatever Chinese font the machine has
(:data:`zcprep.fonts.search.SYSTEM_FONT_FILES`); the title prefers 方正小标宋 where the
unit installed it, then 黑体 (:data:`zcprep.fonts.search.TITLE_FONT_FILES`), and is set
in the body's font when neither is there (one Chinese font only, as WenQuanYi on
Linux). A font named in zcprep.toml ``[fonts] path`` serves both: the one font the
officer named is the one embedded; only a rare character it lacks comes from an
extension face of the system's (SimSun-ExtB, :mod:`zcprep.fonts.fallback`). The title
face uses the body's extension faces too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zcprep.fonts.choice import FontChoice, _choice, find_font, with_extensions
from zcprep.fonts.files import _Unusable
from zcprep.fonts.memo import choose
from zcprep.fonts.search import TITLE_FONT_FILES, default_font_dirs, named_font_files

_ZH_CN = 0x804  # Windows language id of the name records in simplified Chinese


@dataclass(frozen=True)
class FormFonts:
    """The body's font and the title's; the same one when the title has no face of its
    own (``own_title`` false: the title is then stroked to look bold)."""

    body: FontChoice
    title: FontChoice

    @property
    def own_title(self) -> bool:
        return (self.title.path, self.title.subfont_index) != (
            self.body.path,
            self.body.subfont_index,
        )


def find_form_fonts(
    path: str | Path | None = None,
    subfont_index: int | None = None,
    *,
    search_dirs: Sequence[Path] | None = None,
    base_dir: Path | None = None,
) -> FormFonts:
    """The body's font as :func:`zcprep.fonts.find_font` finds it, and the title's."""
    body = find_font(path, subfont_index, search_dirs=search_dirs, base_dir=base_dir)
    configured = path is not None and bool(str(path).strip())
    if configured or not body.embedded:
        return FormFonts(body, body)
    dirs = default_font_dirs() if search_dirs is None else tuple(search_dirs)
    title = title_font(dirs)
    if title is None:
        return FormFonts(body, body)
    return FormFonts(body, with_extensions(title, body.extensions))


def title_font(dirs: Sequence[Path]) -> FontChoice | None:
    """The first usable title face (小标宋, 黑体) under ``dirs``, or None."""
    for candidate in named_font_files(dirs, TITLE_FONT_FILES):
        try:
            index = choose(candidate, None)
        except _Unusable:
            continue
        return _choice(candidate, index, f"系统字体 {candidate}")
    return None


def face_name(choice: FontChoice) -> str:
    """The face's family name as the system shows it (仿宋, 文泉驿正黑), or the file's."""
    if choice.path is None:
        return choice.name
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(choice.path, fontNumber=choice.subfont_index, lazy=True) as font:
            names = font["name"]
            record = names.getName(1, 3, 1, _ZH_CN) or names.getName(1, 3, 1, 0x409)
            found = record.toUnicode() if record is not None else names.getBestFamilyName()
    except (TTLibError, OSError, KeyError, ValueError, UnicodeDecodeError, AssertionError):
        found = None
    return found or choice.path.name
