"""The per-file time bound where no alarm signal exists (Windows, threads).

There a file is probed in a persistent worker process that is terminated when it
overruns. ZCPREP_PROBE_ISOLATION=process (or ``isolation="process"``) runs that same path
on Linux, which is how these tests reach it.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import zcprep.probe
from bind_helpers import example_workspace
from check_helpers import (
    docx_bytes,
    encrypted_pdf,
    many_pages_pdf,
    png_bytes,
    rotated_pdf,
    scan_jpeg,
    scan_pdf,
    slow_text_page_pdf,
    text_pdf,
)
from hostile_corpus import PAPERS, hostile_files, many_kids_pdf
from zcprep.check import run_check
from zcprep.cli import main
from zcprep.model.workspace import open_workspace
from zcprep.probe import (
    ISOLATION_ENV,
    FileProbe,
    ProbeTimeout,
    WorkerCrashed,
    isolation,
    probe_file,
    run_bounded,
    worker,
)


@pytest.fixture(autouse=True)
def fresh_worker() -> Iterator[None]:
    """Each test starts without a worker and leaves none behind."""
    worker.close()
    yield
    worker.close()


def zombies() -> list[int]:
    """Children of this process that exited and were never waited for. Read from /proc,
    so Linux only; elsewhere none are seen (Windows has no zombie state: a process that
    ended is gone once its last handle closes)."""
    if not sys.platform.startswith("linux"):
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state == "Z" and int(ppid) == os.getpid():
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs. Not os.kill(pid, 0) on Windows: there signal 0
    is CTRL_C_EVENT, sent to every process of the console (pytest included)."""
    if sys.platform == "win32":
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _alive_on_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = ctypes.c_void_p
    kernel32.OpenProcess.argtypes = [ctypes.c_uint32, ctypes.c_int, ctypes.c_uint32]
    kernel32.GetExitCodeProcess.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint32)]
    kernel32.CloseHandle.argtypes = [ctypes.c_void_p]
    process_query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return False  # no such process (or it ended and its id is free)
    try:
        code = ctypes.c_uint32()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def sample_files(folder: Path) -> list[Path]:
    files = {
        "good.pdf": text_pdf([["第一页"], ["绝密★启用前"]]),
        "scan.pdf": scan_pdf(2, dpi=150),
        "rotated.pdf": rotated_pdf(90),
        "locked.pdf": encrypted_pdf("secret"),
        "restricted.pdf": encrypted_pdf("", permissions=0),
        "truncated.pdf": scan_pdf(2)[:3000],
        "repaired.pdf": (lambda d: d[: d.rindex(b"startxref")] + b"startxref\n9\n%%EOF\n")(
            text_pdf([["a"]])
        ),
        "scan.jpg": scan_jpeg((800, 1100)),
        "cut.jpg": scan_jpeg((800, 1100))[:2000],
        "scan.png": png_bytes((300, 400)),
        "photo.pdf": png_bytes((30, 40)),  # a picture named .pdf
        "word.pdf": docx_bytes(),
        "empty.pdf": b"",
    }
    files.update(
        {
            f"hostile-{i}{Path(name).suffix}": data
            for i, (name, data) in enumerate(hostile_files().items())
        }
    )
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- choosing


def test_isolation_follows_the_environment_and_the_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ISOLATION_ENV, raising=False)
    assert isolation() == "inline"  # the main thread on Linux: the alarm
    seen: list[str] = []
    thread = threading.Thread(target=lambda: seen.append(isolation()))
    thread.start()
    thread.join()
    assert seen == ["process"]  # no signals outside the main thread
    monkeypatch.setenv(ISOLATION_ENV, "process")
    assert isolation() == "process"
    assert isolation("inline") == "inline"
    monkeypatch.setenv(ISOLATION_ENV, "bogus")
    assert isolation() == "inline"


# --------------------------------------------------------------------------- same results


def test_results_are_identical_in_both_modes_and_one_worker_serves_all(tmp_path: Path) -> None:
    paths = sample_files(tmp_path)
    inline = [probe_file(path, isolation="inline") for path in paths]
    isolated = [probe_file(path, isolation="process") for path in paths]
    pid, starts = worker.pid, worker.starts
    assert pid is not None and starts >= 1
    again = [probe_file(path, isolation="process") for path in paths]
    assert (worker.starts, worker.pid) == (starts, pid)  # reused, never restarted
    for path, a, b, c in zip(paths, inline, isolated, again, strict=True):
        assert a == b == c, path.name
    statuses = {p.path.name: p.status for p in inline}
    assert statuses["locked.pdf"] == "encrypted" and statuses["truncated.pdf"] == "unreadable"
    assert statuses["good.pdf"] == "ok" and inline[0].pages[1].marking == "绝密★"
    assert len({p.status for p in inline}) >= 3  # the set covers more than the happy path


def test_relative_paths_survive_a_change_of_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.pdf").write_bytes(text_pdf([["a"]]))
    (tmp_path / "b" / "x.pdf").write_bytes(scan_pdf(3))
    monkeypatch.chdir(tmp_path / "a")
    first = probe_file(Path("x.pdf"), isolation="process")
    monkeypatch.chdir(tmp_path / "b")  # the worker started in a/ and stays there
    second = probe_file(Path("x.pdf"), isolation="process")
    assert (first.path, first.page_count, second.path, second.page_count) == (
        Path("x.pdf"),
        1,
        Path("x.pdf"),
        3,
    )


def test_disk_errors_are_raised_as_in_process(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        probe_file(tmp_path / "missing.pdf", isolation="process")


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes (os.mkfifo) are POSIX only")
def test_a_named_pipe_is_refused_as_in_process(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as caught:
        probe_file(fifo, isolation="process")  # never opened: that would wait forever
    assert caught.value.errno == errno.EINVAL


# --------------------------------------------------------------------------- the bound


def test_many_pages_stop_at_the_deadline_with_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(many_pages_pdf(3000))
    result = probe_file(path, 0.05, isolation="process")
    assert (result.status, result.detail) == ("timeout", "超过 0.05 秒仍未读完")
    assert result.fingerprint == probe_file(path, None, isolation="inline").fingerprint


def test_one_endless_step_is_cut_off_and_the_worker_replaced(tmp_path: Path) -> None:
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(slow_text_page_pdf())
    good = tmp_path / "good.pdf"
    good.write_bytes(text_pdf([["x"]]))
    probe_file(good, isolation="process")
    first_pid, starts = worker.pid, worker.starts
    assert first_pid is not None
    result = probe_file(slow, 0.3, isolation="process")
    assert result.status == "timeout" and result.kind == "pdf" and result.pages == ()
    assert result.fingerprint == zcprep.probe.fingerprint(slow.read_bytes())
    assert worker.pid is None and not alive(first_pid) and zombies() == []
    after = probe_file(good, isolation="process")
    assert after.status == "ok" and worker.starts == starts + 1 and worker.pid != first_pid


def test_a_thread_gets_the_hard_bound_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Windows situation: no alarm, one page that takes seconds."""
    monkeypatch.delenv(ISOLATION_ENV, raising=False)
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(slow_text_page_pdf())
    results: list[FileProbe] = []
    thread = threading.Thread(target=lambda: results.append(probe_file(slow, 0.3)))
    thread.start()
    thread.join(120)  # a guard against a hang, not a measure: the worker is killed
    (result,) = results
    assert result.status == "timeout" and result.pages == ()


def test_a_crashed_worker_is_reported_and_replaced() -> None:
    with pytest.raises(WorkerCrashed):
        run_bounded(os._exit, (3,), 10)
    assert worker.pid is None and zombies() == []
    assert run_bounded(os.getpid, (), 10) == worker.pid != os.getpid()
    with pytest.raises(ProbeTimeout):
        run_bounded(time.sleep, (30,), 0.1)
    assert zombies() == []


def test_no_worker_or_zombie_is_left(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(text_pdf([["a"]]))
    probe_file(path, isolation="process")
    pid = worker.pid
    assert pid is not None and alive(pid)
    worker.close()
    assert not alive(pid) and zombies() == []
    assert [p for p in multiprocessing.active_children() if p.name == "zcprep-probe"] == []


def test_the_worker_ends_with_the_program(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(text_pdf([["a"]]))
    script = (
        "import sys\nfrom pathlib import Path\nfrom zcprep.probe import probe_file, worker\n"
        "if __name__ == '__main__':\n"
        "    probe_file(Path(sys.argv[1]), isolation='process')\n"
        "    print(worker.pid)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    pid = int(done.stdout)
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)


# --------------------------------------------------------------------------- commands


def test_check_and_bind_in_process_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """check reports the timeout finding and bind leaves the file out with its message,
    with the worker as the only bound (the alarm is never armed in the worker, nor in
    a thread)."""
    monkeypatch.setenv(ISOLATION_ENV, "process")
    monkeypatch.setenv("COLUMNS", "400")
    root = example_workspace(tmp_path)
    slow = root / "dossiers" / "张三" / PAPERS / "慢.pdf"
    slow.write_bytes(many_kids_pdf(50000))
    # 1 s: the example's files take milliseconds even on a machine ten times busier than
    # usual, the page tree seconds on the fastest (in the worker every step counts)
    monkeypatch.setattr(zcprep.probe, "FILE_TIME_LIMIT", 1.0)

    report = run_check(open_workspace(root), ["张三"], file_time_limit=1.0)
    timeouts = [f.file for f in report.dossiers[0].findings if f.code == "file-check-timeout"]
    assert [Path(f).name for f in timeouts] == ["慢.pdf"]

    # In a thread, as on Windows, no alarm can stop bind's own reading of the file.
    monkeypatch.delenv(ISOLATION_ENV)
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(main(["bind", "张三", "--force", "--workspace", str(root)]))
    )
    thread.start()
    thread.join(120)  # a guard against a hang, not a measure
    (code,) = codes
    err = capsys.readouterr().err
    assert code == 1 and "慢.pdf：读取超过 1 秒仍未读完" in err, err
    # bind's own check meets the limit in the worker and its verdict leaves 慢.pdf out
    # (the check error on it makes the volume a preview)
    (found,) = (root / "out" / "张三").glob("张三-申报材料*.json")
    sidecar = json.loads(found.read_text("utf-8"))
    assert all("慢.pdf" not in f for item in sidecar["items"] for f in item["files"])
    assert zombies() == []


def test_parallel_check_in_process_mode_matches_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check's worker processes are forked here, from a process whose probe worker is
    running: each child must start its own instead of sharing the parent's pipe."""
    root = example_workspace(tmp_path)
    ws = open_workspace(root)

    def flat() -> list[tuple[str, str, str | None, int | None, str]]:
        report = run_check(ws, jobs=2)
        return [
            (d.path, f.code, f.file, f.page, f.message) for d in report.dossiers for f in d.findings
        ]

    monkeypatch.setenv(ISOLATION_ENV, "inline")
    inline = flat()
    monkeypatch.setenv(ISOLATION_ENV, "process")
    probe_file(next(root.glob("dossiers/*/*/*.pdf")))  # the parent's worker is running
    parent_pid = worker.pid
    assert flat() == inline and {d for d, *_ in inline} == {"dossiers/李四"}
    assert worker.pid == parent_pid and zombies() == []
