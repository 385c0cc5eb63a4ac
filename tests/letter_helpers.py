"""Shared builders for the letter tests: the example workspace with the tiny test font,
and reading a letter back (text, fonts) as a person's PDF reader would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pypdf import PdfReader

from fontgen import build_ttf
from zcprep.resources import examples_dir, templates_dir

LETTER = "补正告知单"


def letter_font(folder: Path) -> Path:
    """The tiny TrueType CJK font with every character of the templates."""
    extra = "".join(p.read_text(encoding="utf-8") for p in templates_dir().glob("*.j2"))
    return build_ttf(folder / "test-song.ttf", extra=extra + "＿〔〕")


def example_workspace(root: Path, font: Path) -> Path:
    """A copy of the packaged example (张三 clean, 李四 with mistakes), the font configured."""
    ws = root / "nantong-2023"
    shutil.copytree(examples_dir() / "nantong-2023", ws)
    config = ws / "zcprep.toml"
    text = config.read_text(encoding="utf-8")
    assert "[fonts]\n" in text
    config.write_text(text.replace("[fonts]\n", f"[fonts]\npath = '{font}'\n", 1), "utf-8")
    return ws


def letter_pdf(ws: Path, name: str = "李四") -> Path:
    return ws / "out" / name / f"{LETTER}.pdf"


def pdf_text(path: Path) -> str:
    """All text of a PDF with whitespace removed (table cells wrap anywhere)."""
    reader = PdfReader(path)
    return squeeze("".join(page.extract_text() for page in reader.pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
