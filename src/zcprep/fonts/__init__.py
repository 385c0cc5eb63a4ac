"""Find a TrueType CJK font that reportlab can embed, or fall back with a warning.

reportlab embeds (and subsets) only fonts with TrueType outlines (a 'glyf' table). Fonts
with CFF outlines — 'OTTO' files such as Noto Sans CJK or Source Han — are refused
("postscript outlines are not supported"). The built-in CID font STSong-Light works
everywhere but is never embedded: a viewer without Chinese fonts draws boxes.

Search order: the font named in zcprep.toml ``[fonts] path`` (+ ``subfont_index``), then
the usual system fonts (Windows simsun/simhei/simfang/simkai/msyh, macOS Songti/STHeiti/
PingFang/Hiragino/Arial Unicode, Linux WenQuanYi/Droid/AR PL), then any other font file
in the font folders that covers common Chinese, and last STSong-Light with a warning.
"""

from zcprep.fonts.choice import FALLBACK_CID_FONT, FontChoice, find_font
from zcprep.fonts.drawing import missing_characters, register_font
from zcprep.fonts.files import PROBE_CHARACTERS
from zcprep.fonts.search import SYSTEM_FONT_FILES, default_font_dirs

__all__ = [
    "FALLBACK_CID_FONT",
    "PROBE_CHARACTERS",
    "SYSTEM_FONT_FILES",
    "FontChoice",
    "default_font_dirs",
    "find_font",
    "missing_characters",
    "register_font",
]
