"""Build tiny fonts for tests, so that no system CJK font is needed.

``build_ttf`` writes a TrueType (glyf) font whose every glyph is a hollow box; reportlab
accepts, subsets and embeds it, and text drawn with it can be extracted again through
the ToUnicode map. By default it covers printable ASCII, the whole GB 2312 repertoire
(6,763 hanzi and its punctuation and symbols) and :data:`FORM_CHARACTERS`; pass ``extra``
for more, or ``chars`` for an exact set. A rare name character such as '䶮' (U+4DAE, CJK
Extension A, outside GB 2312) is absent unless asked for: use it to test
missing-character reports.

``build_cff`` writes an 'OTTO' (CFF outlines) font that reportlab must refuse, and
``build_ttc`` a .ttc collection of any of the two kinds.

Import it from tests as ``from fontgen import build_ttf``: pyproject puts tests/ on
sys.path (pytest's pythonpath). It is a helper module,
not a conftest.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

UNITS_PER_EM = 1000
ASCENT = 880
DESCENT = 120
ADVANCE_CJK = 1000
ADVANCE_ASCII = 500

ASCII_PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F))

# The words on zcprep's forms (目录, 公示结果证明, 真实性承诺书 …), dates, numerals and
# punctuation, whether or not GB 2312 has them.
FORM_CHARACTERS = (
    "第页共目录序号材料名称页码申报人级别中级初级高级副正张三李四王五赵六公示结果证明"
    "真实性承诺书单位盖章年月日同志身份证号码拟工程系列网络安全和信息化专业任职资格相关"
    "已于在我进行期间未收到任何不良反映该一贯表现良好存不影响的行为特此兹有本人签字"
    "〇一二三四五六七八九十百千零壹贰叁肆伍陆柒捌玖拾－（）：，。、“”‘’《》【】；！？"
    "…—·％＋＝／　男女出生学历学位毕业院校所学参加工作时间从事技术现取得推荐排序继续"
    "教育公需小时备注联系电话地址邮箱情况一览表监督卡六公开评审委员会通知附件说明核对"
    "原件复印件扫描论文业绩奖励获得项目主持参与发表期刊著作专利标准报告成果单位意见"
    "负责审核时限截止至以上内容准确无误如弄虚作假愿意承担责任并接受处理签名日期领导"
    "职务职称系列分类考试合格成绩证书编号发证机关人力资源社会保障厅局省市区县镇中华人民共和国"
)

_GB2312_ROWS = tuple(range(0xA1, 0xAA)) + tuple(range(0xB0, 0xF8))


@lru_cache(maxsize=1)
def gb2312_characters() -> str:
    """Every character GB 2312 encodes (symbols rows 1–9, hanzi rows 16–87)."""
    found: list[str] = []
    for row in _GB2312_ROWS:
        for cell in range(0xA1, 0xFF):
            try:
                found.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(found)


def default_characters(extra: str = "") -> str:
    """ASCII + GB 2312 + FORM_CHARACTERS + ``extra``, without duplicates."""
    return _unique(ASCII_PRINTABLE + gb2312_characters() + FORM_CHARACTERS + extra)


def small_characters(extra: str = "") -> str:
    """ASCII + FORM_CHARACTERS + ``extra``: enough for forms and fast to build."""
    return _unique(ASCII_PRINTABLE + FORM_CHARACTERS + extra)


def _unique(chars: Iterable[str]) -> str:
    return "".join(dict.fromkeys(c for c in chars if c not in "\r\n\t"))


def _glyph_name(char: str) -> str:
    code = ord(char)
    return f"uni{code:04X}" if code <= 0xFFFF else f"u{code:05X}"


def _advance(char: str) -> int:
    return ADVANCE_ASCII if ord(char) < 0x80 else ADVANCE_CJK


def _draw_box(pen: Any, advance: int) -> None:
    """A hollow rectangle: outer contour clockwise, inner counter-clockwise."""
    left, right, bottom, top = 50, advance - 50, -DESCENT + 40, ASCENT - 80
    inset = 60
    pen.moveTo((left, bottom))
    pen.lineTo((left, top))
    pen.lineTo((right, top))
    pen.lineTo((right, bottom))
    pen.closePath()
    pen.moveTo((left + inset, bottom + inset))
    pen.lineTo((right - inset, bottom + inset))
    pen.lineTo((right - inset, top - inset))
    pen.lineTo((left + inset, top - inset))
    pen.closePath()


def _font_builder(chars: str, cff: bool) -> tuple[Any, list[str], dict[str, int]]:
    from fontTools.fontBuilder import FontBuilder

    builder = FontBuilder(UNITS_PER_EM, isTTF=not cff)
    names = [".notdef", *(_glyph_name(c) for c in chars)]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): _glyph_name(c) for c in chars})
    advances = {".notdef": ADVANCE_CJK, **{_glyph_name(c): _advance(c) for c in chars}}
    return builder, names, advances


def _blank(char: str) -> bool:
    return char.isspace()


def _setup_common(
    builder: Any, advances: dict[str, int], family: str, ps_name: str, fs_type: int = 0
) -> None:
    builder.setupHorizontalMetrics({name: (adv, 0) for name, adv in advances.items()})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=-DESCENT)
    builder.setupNameTable(
        {
            "familyName": family,
            "styleName": "Regular",
            "uniqueFontIdentifier": f"zcprep-test:{ps_name}",
            "fullName": f"{family} Regular",
            "psName": ps_name,
            "version": "Version 1.000",
        }
    )
    builder.setupOS2(
        sTypoAscender=ASCENT,
        sTypoDescender=-DESCENT,
        usWinAscent=ASCENT,
        usWinDescent=DESCENT,
        sCapHeight=700,
        sxHeight=500,
        usWeightClass=400,
        fsType=fs_type,
        ulUnicodeRange1=0b1,
        ulCodePageRange1=(1 << 0) | (1 << 18),  # Latin 1, GB 2312
    )
    builder.setupPost()


def ttf_bytes(
    chars: str,
    family: str = "Zcprep Test Song",
    ps_name: str = "ZcprepTestSong",
    fs_type: int = 0,
) -> bytes:
    """A TrueType font (glyf outlines) covering exactly ``chars`` (plus .notdef).

    ``fs_type`` is the OS/2 embedding licence; 2 means "restricted, do not embed".
    """
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = _unique(chars)
    builder, _names, advances = _font_builder(chars, cff=False)
    shapes: dict[int, Any] = {}
    for advance in sorted(set(advances.values())):
        pen = TTGlyphPen(None)
        _draw_box(pen, advance)
        shapes[advance] = pen.glyph()
    empty = TTGlyphPen(None).glyph()
    glyphs = {".notdef": shapes[ADVANCE_CJK]}
    for char in chars:
        glyphs[_glyph_name(char)] = empty if _blank(char) else shapes[_advance(char)]
    builder.setupGlyf(glyphs)
    _setup_common(builder, advances, family, ps_name, fs_type)
    return _save(builder)


def cff_bytes(chars: str, family: str = "Zcprep Test CFF") -> bytes:
    """An 'OTTO' font with CFF (PostScript) outlines, which reportlab cannot embed."""
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    chars = _unique(chars)
    builder, names, advances = _font_builder(chars, cff=True)
    charstrings = {}
    for name in names:
        pen = T2CharStringPen(advances[name], None)
        _draw_box(pen, advances[name])
        charstrings[name] = pen.getCharString()
    ps_name = family.replace(" ", "")
    builder.setupCFF(ps_name, {"FullName": family}, charstrings, {})
    _setup_common(builder, advances, family, ps_name)
    return _save(builder)


def _save(builder: Any) -> bytes:
    out = BytesIO()
    builder.save(out)
    return out.getvalue()


@lru_cache(maxsize=8)
def _cached_ttf(chars: str, family: str, ps_name: str, fs_type: int = 0) -> bytes:
    return ttf_bytes(chars, family, ps_name, fs_type)


def build_ttf(
    path: Path,
    extra: str = "",
    *,
    chars: str | None = None,
    family: str = "Zcprep Test Song",
    ps_name: str = "ZcprepTestSong",
    fs_type: int = 0,
) -> Path:
    """Write a TrueType test font to ``path`` and return it.

    ``chars=None`` means :func:`default_characters` (ASCII, GB 2312, form words) plus
    ``extra``; an explicit ``chars`` is used as given (``extra`` is added to it).
    Results are cached in memory, so many tests may call this cheaply.
    """
    wanted = default_characters(extra) if chars is None else _unique(chars + extra)
    path.write_bytes(_cached_ttf(wanted, family, ps_name, fs_type))
    return path


def build_cff(path: Path, chars: str | None = None) -> Path:
    """Write an 'OTTO' (CFF outlines) font to ``path`` and return it.

    ``chars=None`` means :func:`small_characters`, so it looks like a Chinese font.
    """
    path.write_bytes(cff_bytes(small_characters() if chars is None else chars))
    return path


def build_ttc(
    path: Path, kinds: tuple[str, ...] = ("cff", "ttf"), chars: str | None = None
) -> Path:
    """Write a .ttc collection whose subfonts are ``kinds`` ('ttf' or 'cff') in order.

    ``chars=None`` means :func:`small_characters` (ASCII + FORM_CHARACTERS), which
    builds in a fraction of the time the full GB 2312 set takes.
    """
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection

    wanted = small_characters() if chars is None else chars
    collection = TTCollection()
    for index, kind in enumerate(kinds):
        if kind == "cff":
            data = cff_bytes(wanted, family=f"Zcprep Test CFF {index}")
        else:
            data = _cached_ttf(
                _unique(wanted), f"Zcprep Test Song {index}", f"ZcprepTestSong{index}"
            )
        collection.fonts.append(TTFont(BytesIO(data)))
    collection.save(str(path))
    return path


def font_files(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded as FontFile2) for every font a page uses."""
    from pypdf import PdfReader

    found = []
    for page in PdfReader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for item in fonts:
                descriptor = item.get("/FontDescriptor")
                embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
                found.append((str(item.get("/BaseFont")), embedded))
    return found
