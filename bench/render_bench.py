"""Benchmark ``zcprep render``: N applicants × the three forms.

Builds a temporary workspace from the xinjiang-2021 preset plus the 六公开监督卡 (so one
run fills 公示结果证明, 真实性承诺书 and 六公开监督卡), embeds the tiny TrueType test font
from tests/fontgen.py with the GB 2312 repertoire (about 7,500 glyphs, the size class of
a real CJK font's subset tables), and times ``render_forms`` best of three, then the
real command in a fresh interpreter (start-up and imports included). Prints PDF sizes.
Run: ``python bench/render_bench.py [N]`` (default 50).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from check_helpers import toml_text  # noqa: E402
from fontgen import build_ttf  # noqa: E402
from zcprep.idcard import check_character  # noqa: E402
from zcprep.model.workspace import init_workspace, new_dossier, open_workspace  # noqa: E402
from zcprep.render import render_forms  # noqa: E402

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
SIX_OPENNESS = """
[[render.forms]]
id = "six-openness"
title = "推荐申报专业技术职称“六公开”监督卡"
template = "six-openness.md.j2"
"""


def applicant_toml(i: int) -> str:
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + str(i)
    first17 = f"65010219{80 + i % 20:02d}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
    data = {
        "name": name,
        "id_number": first17 + check_character(first17),
        "level": ("副高级", "中级", "初级")[i % 3],
        "publicity_start": "2021-10-08",
        "publicity_end": "2021-10-14",
        "rank": i + 1,
    }
    return toml_text(data, continuing=[])  # only what the three forms print


def make_workspace(root: Path, count: int) -> Path:
    font = build_ttf(root / "font.ttf")
    ws_root = init_workspace("xinjiang-2021", root / "ws")
    config = ws_root / "zcprep.toml"
    text = config.read_text(encoding="utf-8").replace("[fonts]\n", f"[fonts]\npath = '{font}'\n")
    text = text.replace('[unit]\nname = ""', '[unit]\nname = "新疆示例信息技术有限公司"')
    config.write_text(text + SIX_OPENNESS, encoding="utf-8")
    ws = open_workspace(ws_root)
    for i in range(count):
        folder = new_dossier(ws, f"申报人{i:04d}")
        (folder / "applicant.toml").write_text(applicant_toml(i), encoding="utf-8")
    return ws_root


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as tmp:
        root = make_workspace(Path(tmp), count)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = render_forms(open_workspace(root))
            times.append(time.perf_counter() - start)
        forms = len(result.outputs)
        sizes = [item.path.stat().st_size for item in result.outputs]
        print(f"{count} 位申报人 × 3 种表单 = {forms} 份 PDF")
        print(
            f"render_forms：最快 {min(times):.2f} s，中位 {statistics.median(times):.2f} s，"
            f"每份 {min(times) / forms * 1000:.1f} ms"
        )
        print(
            f"PDF 大小：平均 {statistics.mean(sizes) / 1024:.1f} KB，最大 {max(sizes) / 1024:.1f} KB"
        )
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "zcprep", "render", "-w", str(root)],
            check=True,
            capture_output=True,
        )
        print(f"命令行 zcprep render（新进程，含启动与导入）：{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
