"""Find a TrueType CJK font that reportlab can embed, or fall back with a warning.

reportlab embeds (and subsets) only fonts with TrueType outlines (a 'glyf' table). Fonts
with CFF outlines — 'OTTO' files such as Noto Sans CJK or Source Han — are refused
("postscript outlines are not supported"). The built-in CID font STSong-Light works
everywhere but is never embedded: a viewer without Chinese fonts draws boxes.

Search order: the font named in zcprep.toml ``[fonts] path`` (+ ``subfont_index``), then
the usual system fonts, 仿宋 and 宋体 first (Windows simfang/simsun/simhei/simkai/msyh,
Office 华文仿宋, macOS Songti/STHeiti/PingFang/Hiragino/Arial Unicode, Linux
WenQuanYi/Droid/AR PL), then any other font file in the font folders that covers common
Chinese, and last STSong-Light with a warning. A form's title has its own search
(:mod:`zcprep.fonts.faces`: 方正小标宋, then 黑体, else the body's font). A rare
character the chosen face lacks (𠮷, 䶮) is drawn from an extension face found in the
same folders — SimSun-ExtB and SimsunExtG on Windows (:mod:`zcprep.fonts.fallback`).
"""

from zcprep.fonts.choice import FALLBACK_CID_FONT, FontChoice, find_font
from zcprep.fonts.drawing import missing_characters, register_font
from zcprep.fonts.faces import FormFonts, face_name, find_form_fonts
from zcprep.fonts.fallback import EXTENSION_FONT_FILES, ExtensionFace
from zcprep.fonts.files import PROBE_CHARACTERS
from zcprep.fonts.search import SYSTEM_FONT_FILES, TITLE_FONT_FILES, default_font_dirs

__all__ = [
    "EXTENSION_FONT_FILES",
    "FALLBACK_CID_FONT",
    "PROBE_CHARACTERS",
    "SYSTEM_FONT_FILES",
    "TITLE_FONT_FILES",
    "ExtensionFace",
    "FontChoice",
    "FormFonts",
    "default_font_dirs",
    "face_name",
    "find_font",
    "find_form_fonts",
    "missing_characters",
    "register_font",
]
