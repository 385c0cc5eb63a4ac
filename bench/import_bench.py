"""Benchmark ``zcprep import``: N filled rows of the officer's sheet into N dossiers.

Generates a workspace from the nantong-2023 preset, writes the blank sheet with
``zcprep import --template`` and fills N complete rows with openpyxl as a person would
(the tests' own row builder), then times the real commands in a fresh interpreter, as
the officer runs them: the first import (N dossiers made, N applicant.toml written) and
a second, unchanged one (every file compared, nothing written). Prints wall time and the
peak memory of the child process. Run: ``python bench/import_bench.py [N]``.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The row builder is the tests' own (tests/importing/import_helpers.py).
TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "importing")]

from import_helpers import complete_row, fill_template  # noqa: E402

from zcprep.model.workspace import init_workspace, open_workspace  # noqa: E402


def timed(args: list[str]) -> tuple[float, int]:
    """Wall seconds and exit code of one zcprep command in a fresh interpreter."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "zcprep", *args], capture_output=True)
    return time.perf_counter() - start, done.returncode


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory(prefix="zcprep-import-bench-") as tmp:
        root = init_workspace("nantong-2023", Path(tmp) / "ws")
        sheet = Path(tmp) / "申报人信息.xlsx"
        seconds, code = timed(["import", "--template", str(sheet), "-w", str(root)])
        print(f"import --template: {seconds:.2f} s (exit {code})")
        notice = open_workspace(root).notice
        fill_template(sheet, notice, [complete_row(notice, f"申报人{i}") for i in range(count)])
        seconds, code = timed(["import", str(sheet), "-w", str(root)])
        print(f"import, {count} rows → {count} new dossiers: {seconds:.2f} s (exit {code})")
        seconds, code = timed(["import", str(sheet), "-w", str(root)])
        print(f"import again, nothing changed: {seconds:.2f} s (exit {code})")
        made = sum(1 for _ in (root / "dossiers").glob("*/applicant.toml"))
        print(f"dossiers with applicant.toml: {made}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a child process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
