"""Where outputs land, and what a run ended from outside leaves behind.

Links under out/: with ``out/张三 -> ../dossiers/张三`` bind and render wrote into the
dossier, and with ``out`` itself a link roster wrote wherever it pointed. Every output
goes through zcprep.atomic, which now refuses (exit 3, naming the link) out/ or any folder
under it that is a link; a linked output *file* is replaced, never written through.

Signals: SIGTERM (kill, a shutdown) and SIGHUP (the terminal window closed) killed Python
on the spot, leaving ``.part`` files in out/ and, for ``add``, a hidden partial copy of up
to 512 MB in the dossier. They now end the run as Ctrl-C does: the temporary file is
removed and the exit code is 128 + the signal (143, 129; Ctrl-C stays 130). What a run
killed outright (kill -9) left is removed by the next write into that folder, once its
process is gone: only files named as zcprep names its own temporary files.

The signal tests start ``python -m zcprep`` and wait (no fixed sleeps) until its
temporary file exists before sending the signal; what they assert holds however far the
run got by then.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bind_helpers import example_workspace
from zcprep.atomic import (
    ABANDONED_AFTER_SECONDS,
    STALE_AFTER_SECONDS,
    is_link,
    sweep_stale_parts,
    write_bytes,
)
from zcprep.cli import main
from zcprep.errors import OutputError

POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and links")
MiB = 1 << 20
BIG_ENTRY_MIB = 200  # each of the zip's two big entries, unpacked (the limit is 512 MB)
WAIT_SECONDS = 120.0  # generous: a condition is awaited, never a fixed time


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links not followed) with its sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def parts_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.part")) if folder.exists() else []


# --- links under out/ ----------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The Nantong example (张三 correct, 李四 with errors) with the test font, out/ made."""
    workspace = example_workspace(tmp_path)
    (workspace / "out").mkdir(exist_ok=True)
    return workspace


@POSIX_ONLY
@pytest.mark.parametrize("command", ["bind", "render"])
def test_an_output_folder_linked_into_the_dossier_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    dossier = root / "dossiers" / "张三"
    (root / "out" / "张三").symlink_to(Path("..") / "dossiers" / "张三")
    before, listing = hashes(dossier), sorted(dossier.rglob("*"))
    code, _out, err = run(capsys, command, "张三", "--workspace", str(root))
    assert code == 3
    assert "out/张三 是指向 ../dossiers/张三 的链接" in err and "删除链接 out/张三" in err
    assert hashes(dossier) == before  # nothing written, replaced or removed in the dossier
    assert sorted(dossier.rglob("*")) == listing


@POSIX_ONLY
def test_a_linked_folder_deeper_in_out_is_refused(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """render writes into out/张三/forms/: that folder is checked too, not only out/张三."""
    dossier = root / "dossiers" / "张三"
    (root / "out" / "张三").mkdir()
    (root / "out" / "张三" / "forms").symlink_to(Path("..") / ".." / "dossiers" / "张三")
    before = hashes(dossier)
    code, _out, err = run(capsys, "render", "张三", "--workspace", str(root))
    assert code == 3 and "out/张三/forms 是指向" in err
    assert hashes(dossier) == before


@POSIX_ONLY
def test_out_itself_a_link_is_refused_by_roster(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (root / "out").rmdir()
    (root / "out").symlink_to(elsewhere)
    code, _out, err = run(capsys, "roster", "--workspace", str(root))
    assert code == 3 and f"out 是指向 {elsewhere} 的链接" in err
    assert list(elsewhere.iterdir()) == []


@POSIX_ONLY
def test_a_dangling_output_link_is_refused_and_left_dangling(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = root / "out" / "张三"
    link.symlink_to(root / "不存在")
    code, _out, err = run(capsys, "bind", "张三", "--workspace", str(root))
    assert code == 3 and "out/张三 是指向" in err
    assert link.is_symlink() and not (root / "不存在").exists()


@POSIX_ONLY
def test_a_linked_output_file_is_replaced_not_written_through(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The target file itself may be a link: the new volume replaces the link."""
    victim = root / "dossiers" / "张三" / "01-专业技术资格评审申报表" / "评审申报表.pdf"
    original = victim.read_bytes()
    volume = root / "out" / "张三" / "张三-申报材料.pdf"
    volume.parent.mkdir()
    volume.symlink_to(victim)
    code, _out, _err = run(capsys, "bind", "张三", "--workspace", str(root))
    assert code == 0
    assert not volume.is_symlink() and volume.read_bytes().startswith(b"%PDF")
    assert victim.read_bytes() == original


@POSIX_ONLY
def test_links_are_refused_only_inside_a_workspace_out(tmp_path: Path) -> None:
    """A link above the workspace (a home folder on another drive) is the user's own."""
    real = tmp_path / "盘" / "工作区"
    (real / "out").mkdir(parents=True)
    (real / "zcprep.toml").write_text("", "utf-8")
    (tmp_path / "捷径").symlink_to(tmp_path / "盘")
    write_bytes(tmp_path / "捷径" / "工作区" / "out" / "表.xlsx", b"ok")
    assert (real / "out" / "表.xlsx").read_bytes() == b"ok"

    (real / "out" / "张三").symlink_to(tmp_path)
    with pytest.raises(OutputError, match="out/张三 是指向"):
        write_bytes(real / "out" / "张三" / "x.pdf", b"x")
    assert not (tmp_path / "x.pdf").exists()
    not_a_workspace = tmp_path / "别处"
    not_a_workspace.mkdir()
    (not_a_workspace / "out").symlink_to(tmp_path / "盘")
    write_bytes(not_a_workspace / "out" / "y.txt", b"y")  # no zcprep.toml: no out/ rule
    assert (tmp_path / "盘" / "y.txt").read_bytes() == b"y"


def test_is_link_tells_links_from_folders_and_files(tmp_path: Path) -> None:
    folder, file = tmp_path / "folder", tmp_path / "file"
    folder.mkdir()
    file.write_bytes(b"")
    assert not is_link(folder) and not is_link(file) and not is_link(tmp_path / "missing")
    if sys.platform != "win32":
        (tmp_path / "link").symlink_to(folder)
        (tmp_path / "dangling").symlink_to(tmp_path / "missing")
        assert is_link(tmp_path / "link") and is_link(tmp_path / "dangling")


@pytest.mark.skipif(sys.platform != "win32", reason="junctions are a Windows thing")
def test_a_windows_junction_is_a_link(tmp_path: Path) -> None:
    target, junction = tmp_path / "target", tmp_path / "junction"
    target.mkdir()
    subprocess.run(["cmd", "/c", "mklink", "/J", str(junction), str(target)], check=True)
    assert is_link(junction)
    (tmp_path / "zcprep.toml").write_text("", "utf-8")
    (tmp_path / "out").mkdir()
    subprocess.run(
        ["cmd", "/c", "mklink", "/J", str(tmp_path / "out" / "张三"), str(target)], check=True
    )
    with pytest.raises(OutputError, match="链接"):
        write_bytes(tmp_path / "out" / "张三" / "x.pdf", b"x")
    assert list(target.iterdir()) == []


# --- runs ended by a signal ----------------------------------------------------------


def zcprep(args: list[str], cwd: Path, **options: Any) -> subprocess.Popen[bytes]:
    """``python -m zcprep ARGS`` in ``cwd``, its output piped unless ``options`` say else."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "120"}
    options.setdefault("stdout", subprocess.PIPE)
    options.setdefault("stderr", subprocess.PIPE)
    if sys.platform != "win32":  # Popen refuses preexec_fn on Windows
        options.setdefault("preexec_fn", ctrl_c_as_at_a_terminal)
    return subprocess.Popen([sys.executable, "-m", "zcprep", *args], cwd=cwd, env=env, **options)


def ctrl_c_as_at_a_terminal() -> None:
    """A shell starts a background job with Ctrl-C ignored, and Python keeps it ignored
    (as zcprep keeps what the caller ignores): the child gets it back as at a terminal,
    whatever runs these tests."""
    if sys.platform != "win32":
        signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_until(process: subprocess.Popen[bytes], found: Callable[[], list[Path]]) -> list[Path]:
    """Poll until ``found`` returns something; fail if the run ends (or hangs) first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        hits = found()
        if hits:
            return hits
        if process.poll() is not None:
            _out, err = process.communicate()
            pytest.fail(f"the run ended before it wrote: {err.decode('utf-8', 'replace')}")
        time.sleep(0.002)
    process.kill()
    pytest.fail("no temporary file appeared")


def big_parts(folder: Path) -> Callable[[], list[Path]]:
    return lambda: [p for p in parts_under(folder) if p.name.startswith(".大文件")]


def make_big_zip(path: Path) -> Path:
    """Two big entries, compressed about 20:1 (a real zip made with zipfile): unpacking
    them takes a while, long enough for a signal to land in the middle."""
    rng = random.Random(14)
    block = bytearray(MiB)
    for start in range(0, MiB, 1024):
        block[start : start + 48] = rng.randbytes(48)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for number in range(2):
            with archive.open(f"材料/大文件{number}.pdf", "w") as entry:
                for _ in range(BIG_ENTRY_MIB):
                    entry.write(block)
    return path


@pytest.fixture(scope="module")
def big_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_big_zip(tmp_path_factory.mktemp("zip") / "王五的材料.zip")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert main(["init", "nantong-2023", str(root)]) == 0
    return root


def assert_whole_or_absent(dossier: Path) -> None:
    """An entry is in the dossier complete, or not at all."""
    for number in range(2):
        unpacked = dossier / f"大文件{number}.pdf"
        assert not unpacked.exists() or unpacked.stat().st_size == BIG_ENTRY_MIB * MiB


@POSIX_ONLY
@pytest.mark.parametrize(
    ("signame", "code"),
    [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)],
    ids=["SIGTERM", "SIGHUP", "SIGINT"],
)
def test_add_ended_by_a_signal_leaves_no_partial_file_in_the_dossier(
    ws: Path, big_zip: Path, signame: str, code: int
) -> None:
    signum = getattr(signal, signame)  # by name: Windows has no SIGHUP to collect
    dossier = ws / "dossiers" / "王五"
    process = zcprep(["add", "王五", str(big_zip)], ws)
    wait_until(process, big_parts(dossier))
    process.send_signal(signum)
    _out, err = process.communicate(timeout=WAIT_SECONDS)
    assert process.returncode == code, err.decode("utf-8", "replace")
    text = err.decode("utf-8")
    assert "未完成的输出没有留下" in text and "Traceback" not in text
    assert parts_under(ws) == []
    assert_whole_or_absent(dossier)


@POSIX_ONLY
def test_closing_the_terminal_during_add_leaves_no_partial_file(ws: Path, big_zip: Path) -> None:
    """The terminal is gone (its streams fail with EIO) when SIGHUP arrives."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    process = zcprep(["add", "王五", str(big_zip)], ws, stdout=slave, stderr=slave)
    os.close(slave)
    dossier = ws / "dossiers" / "王五"
    wait_until(process, big_parts(dossier))
    os.close(master)  # the window closes: writing to the terminal now fails
    process.send_signal(signal.SIGHUP)
    assert process.wait(timeout=WAIT_SECONDS) == 129
    assert parts_under(ws) == []
    assert_whole_or_absent(dossier)


@POSIX_ONLY
def test_a_signal_the_caller_ignores_stays_ignored(ws: Path, big_zip: Path) -> None:
    """Under nohup SIGHUP is ignored, and the run goes on to the end."""
    process = zcprep(
        ["add", "王五", str(big_zip)],
        ws,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    wait_until(process, big_parts(ws / "dossiers" / "王五"))
    process.send_signal(signal.SIGHUP)
    out, err = process.communicate(timeout=WAIT_SECONDS)
    assert process.returncode == 1, err.decode("utf-8", "replace")  # check's findings
    assert "写入 2 个文件" in out.decode("utf-8")
    for number in range(2):
        assert (ws / "dossiers" / "王五" / f"大文件{number}.pdf").stat().st_size == (
            BIG_ENTRY_MIB * MiB
        )


def python(code: str, **options: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    if sys.platform != "win32":  # Popen refuses preexec_fn on Windows
        options.setdefault("preexec_fn", ctrl_c_as_at_a_terminal)
    return subprocess.Popen([sys.executable, "-c", code], env=env, **options)


FINALISER_RUN = """
import os, signal, time
from zcprep.cli.signals import ending_like_ctrl_c, interrupted_exit_code

class Finalised:
    def __del__(self):
        os.kill(os.getpid(), signal.{name})
        for _ in range(10_000):
            pass  # the handler runs here, inside __del__

with ending_like_ctrl_c():
    try:
        Finalised()
        for _ in range(6000):
            time.sleep(0.01)
        print("never interrupted")
    except KeyboardInterrupt as ended:
        print(type(ended).__name__, interrupted_exit_code())
"""


@POSIX_ONLY
@pytest.mark.parametrize(
    ("name", "expected"),
    [("SIGTERM", ["Terminated", "143"]), ("SIGINT", ["KeyboardInterrupt", "130"])],
)
def test_a_signal_landing_in_a_finaliser_is_not_lost(name: str, expected: list[str]) -> None:
    """Raised inside ``__del__`` the interruption would be swallowed (Python only reports
    it; its own Ctrl-C handler too) and the run would go on to the end: while a command
    runs, zcprep raises it again right after."""
    process = python(
        FINALISER_RUN.format(name=name), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = process.communicate(timeout=WAIT_SECONDS)
    assert out.decode().split() == expected, err.decode()


@pytest.fixture
def big_volumes(root: Path) -> list[str]:
    """张三 with six large scans, and two copies of that dossier (hard links): binding
    the three writes about 150 MB into out/."""
    scans = root / "dossiers" / "张三" / "06-业绩成果证明材料及获奖证书"
    noise = Image.effect_noise((2480, 3508), 80).convert("RGB")
    for number in range(6):
        noise.putpixel((number, 0), (number * 40, 0, 0))  # six different files
        noise.save(scans / f"大图{number}.jpg", "JPEG", quality=95, dpi=(300, 300))
    names = ["张三", "张三2", "张三3"]
    for name in names[1:]:
        shutil.copytree(root / "dossiers" / "张三", root / "dossiers" / name, copy_function=os.link)
    return names


@POSIX_ONLY
@pytest.mark.parametrize(
    ("signame", "code"), [("SIGTERM", 143), ("SIGHUP", 129)], ids=["SIGTERM", "SIGHUP"]
)
def test_bind_ended_by_a_signal_leaves_no_part_in_out(
    root: Path, big_volumes: list[str], signame: str, code: int
) -> None:
    signum = getattr(signal, signame)  # by name: Windows has no SIGHUP to collect
    process = zcprep(["bind", *big_volumes], root)
    wait_until(process, lambda: parts_under(root / "out" / "张三"))
    process.send_signal(signum)
    _out, err = process.communicate(timeout=WAIT_SECONDS)
    assert process.returncode == code, err.decode("utf-8", "replace")
    assert parts_under(root / "out") == []
    for name in big_volumes:  # a volume is there whole, or not at all
        volume = root / "out" / name / f"{name}-申报材料.pdf"
        assert not volume.exists() or volume.read_bytes().rstrip().endswith(b"%%EOF")


# --- what a run killed outright left -------------------------------------------------


def dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def age(path: Path, seconds: float) -> Path:
    """Make ``path`` look untouched for ``seconds`` (a link itself, not what it points to)."""
    then = time.time() - seconds
    if path.is_symlink():
        os.utime(path, (then, then), follow_symlinks=False)
    else:
        os.utime(path, (then, then))
    return path


@POSIX_ONLY
def test_a_partial_file_left_by_a_killed_add_is_removed_by_the_next_add(
    ws: Path, big_zip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier = ws / "dossiers" / "王五"
    process = zcprep(["add", "王五", str(big_zip)], ws)
    left = wait_until(process, big_parts(dossier))
    process.kill()  # kill -9: nothing can clean up
    process.communicate()
    assert all(p.exists() for p in left)
    for part in left:
        age(part, STALE_AFTER_SECONDS + 60)
    own = dossier / ".我的笔记.abcdefgh.part"  # hidden, .part, but not zcprep's pattern
    own.write_bytes(b"mine")
    age(own, ABANDONED_AFTER_SECONDS * 2)
    small = tmp_path / "补充.zip"
    with zipfile.ZipFile(small, "w") as archive:
        archive.writestr("补充说明.txt", "补充")
    code, _out, _err = run(capsys, "add", "王五", str(small), "--workspace", str(ws))
    assert code == 1  # the dossier still has check errors
    assert [p for p in parts_under(dossier) if p != own] == []
    assert own.read_bytes() == b"mine"


def test_only_stale_temporaries_of_zcprep_are_swept(tmp_path: Path) -> None:
    gone, alive = dead_pid(), os.getpid()
    idle, day = STALE_AFTER_SECONDS + 60, ABANDONED_AFTER_SECONDS + 60

    def temporary(name: str, seconds: float) -> Path:
        path = tmp_path / name
        path.write_bytes(b"x")
        return age(path, seconds)

    stale = temporary(f".表.pdf.zcprep-{gone}-abcd_123.part", idle)
    abandoned = temporary(f".表.pdf.zcprep-{alive}-abandon0.part", day)  # ids are reused
    kept = [
        temporary(f".表.pdf.zcprep-{gone}-recent00.part", 0),  # maybe another computer's
        temporary(f".表.pdf.zcprep-{alive}-running0.part", idle),  # its process still runs
        temporary("表.pdf.part", day),  # a browser's download
        temporary(".表.pdf.abcdefgh.part", day),  # no zcprep-PID-: not clearly ours
        temporary(f".表.pdf.zcprep-{gone}-abcdefgh.part.txt", day),
        temporary(f".表.pdf.zcprep-{gone}-short.part", day),
    ]
    folder = tmp_path / f".夹.zcprep-{gone}-folder00.part"
    folder.mkdir()
    kept.append(age(folder, day))
    if sys.platform != "win32":
        link = tmp_path / f".链.zcprep-{gone}-linkxx00.part"
        link.symlink_to(kept[2])
        kept.append(age(link, day))

    assert sorted(sweep_stale_parts(tmp_path)) == sorted([stale, abandoned])
    assert not stale.exists() and not abandoned.exists()
    assert all(p.is_symlink() or p.exists() for p in kept)
    assert folder.is_dir() and kept[2].read_bytes() == b"x"


def test_writing_into_out_sweeps_what_a_killed_run_left_there(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "out" / "张三").mkdir(parents=True)
    (root / "zcprep.toml").write_text("", "utf-8")
    left = root / "out" / "张三" / f".张三-申报材料.pdf.zcprep-{dead_pid()}-x1y2z3w4.part"
    left.write_bytes(b"%PDF half")
    age(left, STALE_AFTER_SECONDS + 60)
    write_bytes(root / "out" / "张三" / "张三-申报材料.json", b"{}")
    assert sorted(p.name for p in (root / "out" / "张三").iterdir()) == ["张三-申报材料.json"]


def test_the_temporary_name_says_whose_it_is(tmp_path: Path) -> None:
    """While a write is under way its temporary file carries zcprep's mark and process id."""
    from zcprep.atomic import atomic_output

    with atomic_output(tmp_path / "表.xlsx") as handle:
        handle.write(b"x")
        (temporary,) = [p.name for p in tmp_path.iterdir()]
    prefix = f".表.xlsx.zcprep-{os.getpid()}-"
    assert temporary.startswith(prefix) and temporary.endswith(".part")
    assert len(temporary) == len(prefix) + len("abcdefgh.part")  # 8 random characters
    assert [p.name for p in tmp_path.iterdir()] == ["表.xlsx"]


def test_an_archive_cannot_deliver_a_file_the_sweep_would_remove(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An entry named as zcprep names its temporary files would be swept from the dossier
    by a later add (a day old, by its zip date): add never unpacks one."""
    dossier = ws / "dossiers" / "王五"
    trap = f".证书.pdf.zcprep-{dead_pid()}-abcdef12.part"
    archive = tmp_path / "材料.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"03-证书/{trap}", b"%PDF-1.4 applicant's own bytes")
        zipped.writestr("03-证书/证书.txt", "证书")
    code, _out, err = run(capsys, "add", "王五", str(archive), "--workspace", str(ws))
    assert code == 1, err
    assert trap in err and "临时文件" in err
    assert not list(dossier.rglob("*.part")) and list(dossier.rglob("证书.txt"))


def test_a_process_id_no_system_has_is_left_alone_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "out" / "张三").mkdir(parents=True)
    (root / "zcprep.toml").write_text("", "utf-8")
    huge = root / "out" / "张三" / ".表.pdf.zcprep-99999999999999999999-aaaaaaaa.part"
    ten = root / "out" / "张三" / ".表.pdf.zcprep-9999999999-aaaaaaaa.part"
    for path in (huge, ten):
        path.write_bytes(b"x")
        age(path, STALE_AFTER_SECONDS + 60)
    write_bytes(root / "out" / "张三" / "表.json", b"{}")
    assert huge.exists() and ten.exists()  # not clearly a dead zcprep process: kept


def remove_chain(top: Path) -> None:
    """Remove a chain of folders named d under ``top`` bottom-up, without recursion."""
    deepest = top
    while (deepest / "d").is_dir():
        deepest = deepest / "d"
    while deepest != top.parent:
        for entry in deepest.iterdir():
            entry.unlink()
        deepest.rmdir()
        deepest = deepest.parent


@POSIX_ONLY
def test_add_into_a_dossier_with_a_very_deep_folder_tree_still_works(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The sweep at add's start walks the dossier without recursion, and not past the
    depth add writes to."""
    dossier = ws / "dossiers" / "王五"
    (dossier / "杂项").mkdir(parents=True)
    here = Path.cwd()
    os.chdir(dossier / "杂项")
    try:
        for _ in range(1100):  # one level at a time: no path handed over grows long
            Path("d").mkdir()
            os.chdir("d")
    finally:
        os.chdir(here)
    archive = tmp_path / "补充.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("补充说明.txt", "补充")
    try:
        code, _out, err = run(capsys, "add", "王五", str(archive), "--workspace", str(ws))
    finally:
        remove_chain(dossier / "杂项")  # shutil.rmtree (pytest's clean-up) would recurse
    assert code in (0, 1), err
    assert "内部错误" not in err
    assert (dossier / "补充说明.txt").read_text("utf-8") == "补充"


@POSIX_ONLY
def test_a_repeated_signal_ends_a_run_whose_first_one_a_library_swallowed() -> None:
    code = textwrap.dedent(
        """
        import os, signal, time
        from zcprep.cli import signals

        signals._CLEANUP_SECONDS = 0.0
        with signals.ending_like_ctrl_c():
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)
            except BaseException:
                pass  # a bare except in a library
            print("swallowed", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(30)
            print("still running", flush=True)
        """
    )
    process = python(code, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=WAIT_SECONDS)
    assert out.decode().split() == ["swallowed"], err.decode()
    assert process.returncode == -signal.SIGTERM
