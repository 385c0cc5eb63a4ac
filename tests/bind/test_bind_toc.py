"""The 目录's page ranges are the page numbers really printed on the bound pages.

A property test over random checklists: item counts, page counts and material names
long enough to wrap, so that the 目录 itself runs to two or three pages. For each
example a real volume is bound; the ranges are then read back from the 目录 page
(the text in its 页码 column) and compared with the numbers found on the first and last
page of each item (located by a marker text in the source PDFs).
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bind_helpers import example_workspace, markers, multiply, pdf, stamped_numbers, text_runs
from zcprep.bind import bind_dossiers
from zcprep.bind.toc import COLUMNS, MARGIN_X, PAGE, page_ranges, rows_for
from zcprep.model.workspace import open_workspace

WORDS = (
    "专业技术资格证书复印件继续教育相关材料证明任期内工作总结业绩成果获奖论文著作发明专利课题项目"
)
PAGE_COLUMN_X = PAGE[0] - MARGIN_X - COLUMNS[2]  # type: ignore[operator]


def checklist_workspace(base: Path, names: list[str], numbered: bool) -> Path:
    """The example workspace with its checklist replaced by ``names`` (all bound)."""
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    root = example_workspace(base)
    config = root / "zcprep.toml"
    text = config.read_text("utf-8")
    head, tail = text.split("[[materials]]", 1)[0], text[text.index("[render]") :]
    blocks = [
        f'[[materials]]\nid = "item-{i}"\nname = "{name}"\norder = {i}\nbound = true\nrequired = false\n'
        for i, name in enumerate(names, start=1)
    ]
    tail = tail.replace("toc_numbered = false", f"toc_numbered = {'true' if numbered else 'false'}")
    config.write_text(head + "\n".join(blocks) + "\n" + tail, "utf-8")
    for dossier in (root / "dossiers").iterdir():
        for child in dossier.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    shutil.rmtree(root / "dossiers" / "李四")
    return root


def printed_ranges(reader: PdfReader, toc_pages: int) -> list[str]:
    """The texts in the 目录's 页码 column, top to bottom, page after page."""
    found = []
    for page in reader.pages[:toc_pages]:
        for text, cm, tm in text_runs(page):
            x = multiply(tm, cm)[4]
            if x >= PAGE_COLUMN_X and re.fullmatch(r"\d+(-\d+)?", text.strip()):
                found.append(text.strip())
    return found


names_strategy = st.lists(
    st.tuples(st.integers(min_value=2, max_value=90), st.integers(min_value=0, max_value=10_000)),
    min_size=1,
    max_size=28,
)


def make_names(specs: list[tuple[int, int]]) -> list[str]:
    return [
        "".join(WORDS[(seed + k * 7) % len(WORDS)] for k in range(length)) for length, seed in specs
    ]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=names_strategy,
    sizes=st.lists(st.integers(min_value=1, max_value=4), min_size=28, max_size=28),
    numbered=st.booleans(),
)
@example(specs=[(70, i) for i in range(24)], sizes=[1, 3, 2, 1] * 7, numbered=True)
@example(specs=[(70, i) for i in range(24)], sizes=[2, 1] * 14, numbered=False)
def test_toc_ranges_are_the_printed_page_numbers(
    tmp_path_factory: pytest.TempPathFactory,
    specs: list[tuple[int, int]],
    sizes: list[int],
    numbered: bool,
) -> None:
    names = make_names(specs)
    counts = sizes[: len(names)]
    root = checklist_workspace(tmp_path_factory.mktemp("toc"), names, numbered)
    ws = open_workspace(root)
    dossier = root / "dossiers" / "张三"
    for index, (material, count) in enumerate(
        zip(ws.notice.checklist, counts, strict=True), start=1
    ):
        pdf(dossier / material.folder / "材料.pdf", count, marker=f"I{index}")

    result = bind_dossiers(ws, ["张三"], force=True)
    assert not result.failed, result.failed
    volume = result.volumes[0]
    reader = PdfReader(root / "out" / "张三" / "张三-申报材料.pdf", strict=True)
    numbers = stamped_numbers(reader)
    where = markers(reader, [f"I{i}-{j}" for i, c in enumerate(counts, 1) for j in (1, c)])

    real = []
    for index, count in enumerate(counts, start=1):
        first, last = numbers[where[f"I{index}-1"]], numbers[where[f"I{index}-{count}"]]
        assert first is not None and last is not None
        real.append(str(first) if first == last else f"{first}-{last}")
    assert printed_ranges(reader, volume.toc_pages) == real
    assert [item.pages for item in volume.items] == real
    # numbering starts at 1 on the first bound page, or on the 目录 when it is numbered
    start = 1 if numbered else volume.toc_pages + 1
    assert numbers[start - 1] == 1
    assert numbers[: volume.toc_pages] == (
        list(range(1, volume.toc_pages + 1)) if numbered else [None] * volume.toc_pages
    )
    if len(names) >= 24:
        assert volume.toc_pages >= 2  # the explicit examples do wrap


@given(
    st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=40), st.integers(1, 9)
)
def test_page_ranges_are_contiguous(counts: list[int], first: int) -> None:
    ranges = page_ranges(counts, first)
    assert ranges[0][0] == first
    for (start, end), count in zip(ranges, counts, strict=True):
        assert end - start + 1 == count
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert start == end + 1
    rows = rows_for([f"项{i}" for i in range(len(counts))], counts, first)
    assert [row.number for row in rows] == list(range(1, len(counts) + 1))
