"""Fuzz and property tests of everything that reads what officers and applicants hand in.

* the config loaders (zcprep.model.tomlfile.decode_text, notice.load_notice,
  applicant.load_applicant) get random bytes, random TOML documents and random edits of
  the real preset: only ZcprepError subclasses may escape, with a Chinese message;
* check gets applicant.toml files with random values: no check may break (check-failed);
* the file probe gets random bytes behind every magic number it knows and byte-level
  mutations of real PDFs, PNGs and JPEGs: it always returns a result;
* bind gets the same mutated files: a volume, or an InputError naming the file;
* the privacy filters keep lengths, hide every embedded number, and always give text a
  UTF-8 terminal can print.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bind_helpers import example_workspace
from hostile_corpus import image_bytes, nested_arrays_pdf, text_pdf
from zcprep.check import check_dossier
from zcprep.errors import InputError, ZcprepError
from zcprep.model.applicant import FIELDS, load_applicant
from zcprep.model.config import load_notice
from zcprep.model.tomlfile import decode_text
from zcprep.privacy import mask_private, printable
from zcprep.probe import FileProbe, probe_file
from zcprep.resources import examples_dir

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FEW = settings(FUZZ, max_examples=60)
PRESET = (examples_dir() / "nantong-2023" / "zcprep.toml").read_text("utf-8")
APPLICANT = (examples_dir() / "nantong-2023" / "dossiers" / "张三" / "applicant.toml").read_text(
    "utf-8"
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _assert_clear(error: ZcprepError) -> None:
    """A refusal the officer can act on: a Chinese message (and no Python repr noise)."""
    assert error.message and CJK.search(error.message), error.message
    assert "Traceback" not in error.message


# --------------------------------------------------------------------------- TOML values

_keys = st.sampled_from(
    ["id", "name", "year", "order", "materials", "levels", "notice", "dates", "x", "中文键"]
)
_scalars = st.one_of(
    st.text(max_size=20),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_keys | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    escaped = "".join(
        c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in value
    )
    return f'"{escaped}"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_value(key)


def toml_document(data: dict[str, Any]) -> str:
    return "\n".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()) + "\n"


def _surrogate_free(text: str) -> bool:
    return not any(0xD800 <= ord(c) <= 0xDFFF for c in text)


toml_documents = st.dictionaries(_keys | st.text(max_size=8), _values, max_size=6).filter(
    lambda d: _surrogate_free(toml_document(d))
)


@st.composite
def edited_preset(draw: st.DrawFn) -> str:
    """The real preset with a few lines deleted, duplicated or given a random value."""
    lines = PRESET.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "revalue", "garbage"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "revalue" and "=" in lines[index]:
            key = lines[index].split("=", 1)[0]
            lines[index] = f"{key}= {toml_value(draw(_values))}"
        else:
            lines.insert(index, draw(st.text(max_size=30)))
        if not lines:
            break
    return "\n".join(lines)


# --------------------------------------------------------------------------- loaders


@FUZZ
@given(raw=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("gb18030")))
def test_decode_text_returns_text_or_a_config_error(raw: bytes) -> None:
    try:
        text, notes = decode_text(raw, Path("zcprep.toml"))
    except ZcprepError as exc:
        _assert_clear(exc)
        return
    assert isinstance(text, str) and all(isinstance(n, str) for n in notes)
    text.encode("utf-8")  # real text: no lone surrogates standing in for bytes


def _load_notice_bytes(folder: Path, raw: bytes) -> None:
    path = folder / "zcprep.toml"
    path.write_bytes(raw)
    try:
        loaded = load_notice(path)
    except ZcprepError as exc:
        _assert_clear(exc)
        return
    assert loaded.notice.materials and loaded.notice.levels
    assert all(isinstance(w, str) for w in loaded.warnings)


@FUZZ
@given(raw=st.binary(max_size=600))
def test_load_notice_on_random_bytes(tmp_path: Path, raw: bytes) -> None:
    _load_notice_bytes(tmp_path, raw)


@FUZZ
@given(data=toml_documents)
def test_load_notice_on_random_toml(tmp_path: Path, data: dict[str, Any]) -> None:
    _load_notice_bytes(tmp_path, toml_document(data).encode("utf-8"))


@FUZZ
@given(text=edited_preset(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_load_notice_on_edited_presets(tmp_path: Path, text: str, encoding: str) -> None:
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        return
    _load_notice_bytes(tmp_path, raw)


@FUZZ
@given(raw=st.binary(max_size=400) | toml_documents.map(lambda d: toml_document(d).encode()))
def test_load_applicant_returns_data_or_a_zcprep_error(tmp_path: Path, raw: bytes) -> None:
    (tmp_path / "applicant.toml").write_bytes(raw)
    try:
        applicant = load_applicant(tmp_path)
    except ZcprepError as exc:
        _assert_clear(exc)
        return
    for spec in FIELDS:  # the accessors never raise, whatever the values
        applicant.text(spec.key)
        applicant.date(spec.key)
        applicant.flag(spec.key)
        applicant.number(spec.key)
    assert isinstance(applicant.name, str)


# --------------------------------------------------------------------------- check


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_workspace(tmp_path_factory.mktemp("fuzz"))


@FEW
@given(
    values=st.dictionaries(st.sampled_from([s.key for s in FIELDS]), _values, max_size=8),
)
def test_check_survives_any_applicant_values(workspace: Path, values: dict[str, Any]) -> None:
    from zcprep.model.workspace import open_workspace

    dossier = workspace / "dossiers" / "张三"
    lines = [line for line in APPLICANT.splitlines() if line.split("=")[0].strip() not in values]
    text = "\n".join([toml_document(values), *lines])
    if not _surrogate_free(text):
        return
    (dossier / "applicant.toml").write_text(text, "utf-8")
    report = check_dossier(open_workspace(workspace), dossier, today=dt.date(2023, 6, 1))
    assert "check-failed" not in {f.code for f in report.findings}, [
        f.message for f in report.findings if f.code == "check-failed"
    ]


# --------------------------------------------------------------------------- probe and bind

MAGIC = [
    b"",
    b"%PDF-1.4\n",
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    b"GIF89a",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\x00\x00\x00\x18ftypheic",
    b"<html>",
    b"\xef\xbb\xbf",
]
SEEDS = {
    "pdf": text_pdf("seed", pages=2),
    "nested.pdf": nested_arrays_pdf(50),
    "png": image_bytes(Image.new("RGBA", (40, 30), (9, 9, 9, 128)), "PNG"),
    "jpg": image_bytes(Image.new("RGB", (40, 30), (200, 10, 10)), "JPEG"),
}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real file with bytes flipped, cut, inserted or a chunk repeated."""
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))] * draw(st.integers(2, 20))
    suffix = {"pdf": ".pdf", "nested.pdf": ".pdf", "png": ".png", "jpg": ".jpg"}[kind]
    return suffix, bytes(data)


@FUZZ
@given(
    head=st.sampled_from(MAGIC),
    tail=st.binary(max_size=600),
    name=st.sampled_from(["证书.pdf", "照片.jpg", "扫描.png", "无扩展名", "a.heic", ".pdf"]),
)
def test_probe_always_returns_a_result_on_random_bytes(
    tmp_path: Path, head: bytes, tail: bytes, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(head + tail)
    probe = probe_file(path, time_limit=5.0)
    assert isinstance(probe, FileProbe) and probe.size == len(head + tail)
    assert probe.status in ("ok", "unreadable", "encrypted", "timeout", "skipped")
    assert probe.status == "ok" or probe.detail


@FUZZ
@given(sample=mutated())
def test_probe_always_returns_a_result_on_mutated_files(
    tmp_path: Path, sample: tuple[str, bytes]
) -> None:
    suffix, data = sample
    path = tmp_path / f"样本{suffix}"
    path.write_bytes(data)
    probe = probe_file(path, time_limit=5.0)
    assert isinstance(probe, FileProbe)
    assert probe.status == "ok" or probe.detail


@pytest.fixture(scope="module")
def bind_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, Any]:
    from zcprep.bind.plan import _volume_font
    from zcprep.model.workspace import open_workspace

    root = example_workspace(tmp_path_factory.mktemp("fuzzbind"))
    dossier = root / "dossiers" / "张三"
    for folder in dossier.iterdir():
        if folder.is_dir() and folder.name[:2] >= "03":
            shutil.rmtree(folder)
    (dossier / "03-现任专业技术资格证书复印件").mkdir()
    ws = open_workspace(root)
    return ws, dossier, _volume_font(ws, [])


@FEW
@given(sample=mutated())
def test_bind_gives_a_volume_or_names_the_file(
    bind_setup: tuple[Any, Path, Any], sample: tuple[str, bytes]
) -> None:
    from pypdf import PdfReader

    from zcprep.bind import bind_dossier

    ws, dossier, font = bind_setup
    folder = dossier / "03-现任专业技术资格证书复印件"
    for old in folder.iterdir():
        old.unlink()
    suffix, data = sample
    (folder / f"样本{suffix}").write_bytes(data)
    try:
        volume = bind_dossier(ws, dossier, font)
    except InputError as exc:
        assert "样本" in exc.message, exc.message
        _assert_clear(exc)
        return
    assert volume.pdf is not None
    assert len(PdfReader(volume.pdf).pages) == volume.total_pages
    assert not [p for p in volume.pdf.parent.iterdir() if p.name.endswith(".part")]


# --------------------------------------------------------------------------- privacy

_ids = st.from_regex(r"\A[1-8][0-9]{16}[0-9X]\Z")
_mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
_around = st.text(alphabet=st.characters(blacklist_categories=["Nd", "Cs"]), max_size=12)


@FUZZ
@given(before=_around, number=_ids | _mobiles, after=_around)
def test_masks_hide_every_number_and_keep_the_length(before: str, number: str, after: str) -> None:
    text = f"{before}{number}{after}"
    masked = mask_private(text)
    assert len(masked) == len(text)
    assert number not in masked
    assert masked[len(before) : len(before) + len(number)].count("*") >= 4
    assert mask_private(masked) == masked


@FUZZ
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60))
def test_masks_leave_short_numbers_and_dates_alone(text: str) -> None:
    runs = re.findall(r"[0-9]+", text)
    if any(len(run) >= 11 for run in runs):
        return
    assert mask_private(text) == text


# os.fsdecode keeps undecodable bytes as surrogates only on POSIX; on Windows the
# file-system encoding is strict UTF-8 and such byte names cannot exist on NTFS.
POSIX_BYTE_NAMES = pytest.mark.skipif(
    sys.platform == "win32",
    reason="os.fsdecode raises on non-UTF-8 bytes on Windows; NTFS has no byte names",
)


@POSIX_BYTE_NAMES
@FUZZ
@given(raw=st.binary(max_size=40))
def test_printable_always_gives_utf8_text(raw: bytes) -> None:
    name = os.fsdecode(raw)
    shown = printable(f"无法读取 dossiers/{name}（已损坏）")
    shown.encode("utf-8")  # never a lone surrogate
    assert shown.startswith("无法读取 dossiers/") and shown.endswith("（已损坏）")


@POSIX_BYTE_NAMES
def test_printable_decodes_gbk_names() -> None:
    for name in ("证书.pdf", "身份证正反面.jpg", "职称评审表.pdf", "继续教育证明2023.pdf"):
        assert printable(os.fsdecode(name.encode("gbk"))) == name
    assert printable("普通的名字.pdf") == "普通的名字.pdf"
