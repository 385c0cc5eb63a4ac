"""Ctrl-C during a parallel check leaves one line, not the workers' tracebacks (issue 16,
item 4).

Windows sends Ctrl-C to every process of the console: the check pool's workers and the
probe's spawn workers get it too. Sending SIGINT to the whole process group of a real
``python -m zcprep check`` does the same on Linux. Ctrl-Break (SIGBREAK) exists only on
Windows; its handling is checked by standing another signal in for it (an emulation).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from check_helpers import NOTICE, right_dossier
from zcprep.check import PARALLEL_FROM

LINUX_ONLY = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="process groups (os.killpg) and /proc are POSIX/Linux; Windows sends Ctrl-C itself",
)
WAIT_SECONDS = 120.0
DOSSIERS = PARALLEL_FROM + 4


@pytest.fixture(scope="module")
def big_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough dossiers for the parallel pool, each file's bytes its own (no cache hit)."""
    root = tmp_path_factory.mktemp("ws") / "工作区"
    (root / "dossiers").mkdir(parents=True)
    (root / "zcprep.toml").write_text(NOTICE, "utf-8")
    first = right_dossier(root, "申报人00")
    for number in range(1, DOSSIERS):
        copy = root / "dossiers" / f"申报人{number:02d}"
        shutil.copytree(first, copy)
        for path in copy.rglob("*"):
            if path.suffix in (".pdf", ".jpg", ".png"):
                with path.open("ab") as handle:  # after %%EOF / the end marker: still valid
                    handle.write(f"\n% {number}\n".encode())
    return root


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _wait_for(condition: object, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        if process.poll() is not None:
            pytest.fail(f"the check ended before {what}")
        time.sleep(0.01)
    process.kill()
    pytest.fail(f"timed out waiting for {what}")


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@LINUX_ONLY
@pytest.mark.parametrize("isolation", ["inline", "process"])
def test_ctrl_c_to_the_whole_group_leaves_one_line(big_ws: Path, isolation: str) -> None:
    """ "process" also starts a spawn probe worker inside every pool worker."""
    env = {**os.environ, "ZCPREP_PROBE_ISOLATION": isolation, "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zcprep", "check"],
        cwd=big_ws,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        # the pool's workers (and with "process" their probe workers) are running
        needed = 4 if isolation == "process" else 2
        _wait_for(lambda: len(_descendants(process.pid)) >= needed, process, "workers started")
        os.killpg(process.pid, signal.SIGINT)
        _out, err = process.communicate(timeout=WAIT_SECONDS)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    text = err.decode("utf-8")
    assert process.returncode == 130, text
    assert "Traceback" not in text and "Process " not in text, text
    assert "已中断" in text
    assert len(text.strip().splitlines()) == 1, text
    assert [p for p in big_ws.rglob("*") if p.name.endswith(".part")] == []
    deadline = time.monotonic() + WAIT_SECONDS
    while not _group_gone(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group_gone(process.pid), "a worker outlived the run"


@pytest.mark.skipif(sys.platform == "win32", reason="emulates SIGBREAK where it does not exist")
def test_sigbreak_ends_the_run_as_ctrl_c_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Emulation: SIGUSR1 stands in for SIGBREAK (Windows only). The run is ended by
    Terminated, so the cleanups of Ctrl-C run, and the exit code is 128 + its number
    (149 for SIGBREAK, 21 on Windows)."""
    from zcprep.cli import signals

    stand_in = signal.SIGUSR1
    monkeypatch.setattr(signal, "SIGBREAK", stand_in, raising=False)
    previous = signal.signal(stand_in, signal.SIG_DFL)
    try:
        with pytest.raises(signals.Terminated) as ended, signals.ending_like_ctrl_c():
            signal.raise_signal(stand_in)
            time.sleep(5)  # interrupted at once by the handler
        assert ended.value.signum == stand_in
        assert isinstance(ended.value, KeyboardInterrupt)  # the Ctrl-C cleanups run
        assert signals.interrupted_exit_code() == 128 + stand_in
        assert signal.getsignal(stand_in) is signal.SIG_DFL  # put back after the run
    finally:
        signal.signal(stand_in, previous)
    assert 128 + 21 == 149  # SIGBREAK's number on Windows, as the README says
