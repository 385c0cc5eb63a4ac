"""Two promises a run on real files broke on stderr and in the exit code.

* ``bind --force`` left out a link and a pipe found in a material folder and exited 0, as
  if the volume were whole: it exits 1 and names both, as its help says.
* Pillow printed "UserWarning: Image appears to be a malformed MPO file" (and its source
  line) in the middle of check's and bind's output; library warnings and log lines are
  silenced (what matters of them is a finding already), in the command and in the worker
  process that reads files, and shown only with ``--debug``.

Each runs ``python -m zcprep`` as a separate process: stderr is what the officer sees.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bind_helpers import example_workspace

SUMMARY = "05-任期内专业技术工作总结"
MPO_WARNING = "malformed MPO"


def zcprep(
    root: Path, *args: str, debug: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    first = ["--debug"] if debug else []
    return subprocess.run(
        [sys.executable, "-m", "zcprep", *first, *args, "--workspace", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": "200", **env},
        timeout=300,
        check=False,
    )


def malformed_mpo_jpeg() -> bytes:
    """A readable JPEG scan whose APP2 "MPF" segment has an MP index without its count:
    Pillow reads it as a plain JPEG and warns."""
    buffer = io.BytesIO()
    Image.new("L", (1240, 1754), 235).save(buffer, "JPEG", dpi=(150, 150))
    data = buffer.getvalue()
    payload = b"MPF\x00" + b"MM\x00\x2a\x00\x00\x00\x08" + b"\x00\x00" + b"\x00\x00\x00\x00"
    segment = b"\xff\xe2" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return example_workspace(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_bind_force_that_leaves_files_out_exits_1_and_names_them(root: Path) -> None:
    folder = root / "dossiers" / "张三" / SUMMARY
    outside = root.parent / "外部.pdf"
    outside.write_bytes((folder / "工作总结.pdf").read_bytes())
    (folder / "链接.pdf").symlink_to(outside)
    os.mkfifo(folder / "管道.pdf")
    run = zcprep(root, "bind", "张三", "--force")
    assert run.returncode == 1, run.stderr
    assert "链接.pdf" in run.stderr and "管道.pdf" in run.stderr
    assert "未装订" in run.stderr
    volumes = sorted(p.name for p in (root / "out" / "张三").glob("*.pdf"))
    assert len(volumes) == 1, volumes  # a volume was still made, of what could be bound


@pytest.mark.parametrize("isolation", ["inline", "process"])
def test_a_library_warning_never_reaches_the_screen(root: Path, isolation: str) -> None:
    scan = root / "dossiers" / "张三" / SUMMARY / "扫描.jpg"
    scan.write_bytes(malformed_mpo_jpeg())
    with pytest.warns(UserWarning, match=MPO_WARNING), Image.open(scan) as image:
        image.load()  # the file is one that warns, and still reads
    for command in (["check", "张三"], ["bind", "张三"]):
        run = zcprep(root, *command, ZCPREP_PROBE_ISOLATION=isolation)
        assert run.returncode in (0, 1), run.stderr
        assert MPO_WARNING not in run.stderr, run.stderr
        assert "Warning" not in run.stderr and "warnings.warn" not in run.stderr
    assert list((root / "out" / "张三").glob("张三-申报材料.pdf")), "the scan was bound"


def test_debug_shows_what_the_libraries_say(root: Path) -> None:
    scan = root / "dossiers" / "张三" / SUMMARY / "扫描.jpg"
    scan.write_bytes(malformed_mpo_jpeg())
    run = zcprep(root, "check", "张三", debug=True, ZCPREP_PROBE_ISOLATION="inline")
    assert MPO_WARNING in run.stderr
