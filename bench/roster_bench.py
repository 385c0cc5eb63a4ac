"""Benchmark ``zcprep roster``: 1,000 applicants across two levels must take under 2 s.

Generates a temporary workspace from the nantong-2023 preset with N applicant.toml files
(half 中级, half 初级, every column filled), then times each stage separately:
load (read every applicant.toml), plan (typed rows, warnings), build (openpyxl layout)
and save (atomic .xlsx writes), best of three runs with the median beside it. The
verdict is on load + plan + build + save; the real command in a fresh interpreter is
timed too (wall and CPU), where Python start-up and imports add about 0.6 s of CPU.
Run: ``python bench/roster_bench.py [N] [--sheet]``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The applicant.toml builder is the tests' own (tests/check_helpers.py): one correct applicant.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from check_helpers import CONTINUING, right_applicant, toml_text
from zcprep.idcard import check_character
from zcprep.model.workspace import init_workspace, open_workspace
from zcprep.roster import build_workbooks, load_applicants, plan_roster, save_workbooks

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def applicant_toml(i: int) -> str:
    """The tests' right applicant, varied by ``i``: every column filled, half 中级."""
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + str(i)
    first17 = f"32060219{80 + i % 20:02d}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
    data = right_applicant() | {
        "name": name,
        "gender": "男" if i % 3 else "女",
        "id_number": first17 + check_character(first17),
        "birth_date": f"19{80 + i % 20}-0{1 + i % 9}-1{i % 10}",
        "phone": f"138{i:08d}",
        "employer": f"南通示例网络安全技术有限公司第{i % 7}研发中心",
        "school": "南京示例大学",
        "major": "网络空间安全与信息对抗技术",
        "current_title_date": "2016-12-30",
        "level": "中级" if i % 2 else "初级",
        "exceptional": i % 50 == 0,
        "publicity_start": "2023-05-08",
        "publicity_end": "2023-05-12",
        "rank": i // 2 + 1,
        "remarks": "=SUM(A1)" if i % 100 == 0 else "无",
    }
    return toml_text(data, continuing=CONTINUING[:1])


def make_workspace(root: Path, count: int, split: str) -> Path:
    init_workspace("nantong-2023", root)
    config = root / "zcprep.toml"
    text = config.read_text(encoding="utf-8").replace('name = ""', 'name = "南通示例单位"', 1)
    if split == "sheet":
        text = text.replace('split = "file"', 'split = "sheet"')
    config.write_text(text, encoding="utf-8")
    for i in range(count):
        folder = root / "dossiers" / f"申报人{i:04d}"
        folder.mkdir(parents=True)
        (folder / "applicant.toml").write_text(applicant_toml(i), encoding="utf-8")
    return root


def time_once(root: Path) -> tuple[dict[str, float], int, int, int, int]:
    """One in-process run: seconds per stage, rows, files, bytes written, warnings."""
    timings: dict[str, float] = {}
    cpu = time.process_time()
    start = time.perf_counter()
    workspace = open_workspace(root)
    applicants, warnings = load_applicants(workspace)
    timings["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    plan = plan_roster(workspace, applicants)
    timings["plan"] = time.perf_counter() - mark
    mark = time.perf_counter()
    books = build_workbooks(workspace, plan, dt.date(2023, 6, 1))
    timings["build"] = time.perf_counter() - mark
    mark = time.perf_counter()
    outputs = save_workbooks(books)
    timings["save"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - start
    timings["cpu"] = time.process_time() - cpu
    rows = sum(len(sheet.rows) for sheet in plan.sheets)
    size = sum(path.stat().st_size for path in outputs)
    return timings, rows, len(outputs), size, len(warnings) + len(plan.warnings)


def time_command(root: Path) -> tuple[float, float, int]:
    """The real command in a fresh interpreter: wall and CPU seconds, start-up included.

    CPU time (user + system of the child) is shown beside wall time because a busy
    machine stretches wall time without the command doing more work.
    """
    before = os.times()
    mark = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "zcprep", "roster", "--workspace", str(root)],
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - mark
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, done.returncode


def run(count: int, split: str, repeat: int) -> float:
    """Best of ``repeat`` runs (the least disturbed by other processes), plus the median."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_workspace(Path(tmp) / "ws", count, split)
        runs = [time_once(root) for _ in range(repeat)]
        _, rows, files, size, warned = runs[0]
        print(
            f"split={split}: {rows} 行, {files} 个文件, {size / 1024:.0f} KB, 提示 {warned} 条；"
            f"{repeat} 次取最快（中位数）"
        )
        for stage in ("load", "plan", "build", "save", "total", "cpu"):
            values = sorted(r[0][stage] for r in runs)
            print(f"  {stage:<6} {values[0]:.3f}s（{values[len(values) // 2]:.3f}s）")
        commands = sorted(time_command(root) for _ in range(repeat))
        walls = [wall for wall, _, _ in commands]
        cpus = sorted(cpu for _, cpu, _ in commands)
        codes = {code for _, _, code in commands}
        print(
            f"  命令行 python -m zcprep roster（含启动）{walls[0]:.3f}s（{walls[len(walls) // 2]:.3f}s），"
            f"CPU {cpus[0]:.3f}s，退出码 {sorted(codes)}"
        )
        return min(r[0]["total"] for r in runs)


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 1000
    splits = ["sheet"] if "--sheet" in sys.argv else ["file", "sheet"]
    worst = max([run(count, split, repeat=3) for split in splits])
    verdict = "达标" if worst < 2.0 else "超时"
    print(f"{count} 位申报人 读取+排表+生成+保存 最慢 {worst:.3f}s（目标 < 2 s）：{verdict}")
    return 0 if worst < 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
