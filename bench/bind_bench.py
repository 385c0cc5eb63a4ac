"""Benchmark: `zcprep bind` on a 311-page scanned dossier (~25 MB) against qpdf.

The dossier is generated here: JPEG scan pages (150 dpi A4, unique content each),
spread over the six bound items of the Nantong notice as multi-page scanned PDFs and
loose JPEG files, with a few landscape, A3, /Rotate 90 and EXIF-rotated pages. A second
dossier of born-digital PDFs (text, vector and a picture, fonts embedded; 150 pages) checks the size limit
(volume ≤ inputs + 2 %) where it is hardest to keep.

Measured, each the best of ``--repeat`` runs:
* zcprep core — ``bind_dossiers`` in this process (目录, overlay, merge, write);
* zcprep CLI — ``python -m zcprep bind`` as a child process (imports included), with
  its peak memory (ru_maxrss from wait4);
* qpdf — ``qpdf --empty --pages <the same pages as PDFs> -- --overlay numbers.pdf``,
  merge + overlay of a prepared numbers PDF (JPEGs pre-wrapped as one-page PDFs, not
  timed: qpdf cannot read images), when qpdf is installed.

Run: python bench/bind_bench.py [--pages 311] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # fontgen: a TrueType CJK test font

from PIL import Image, ImageDraw  # noqa: E402

DPI = 150
A4_PX = (1240, 1754)
A3_PX = (1754, 2480)
SCANNED = "扫描件"
BORN_DIGITAL = "电子文档"


@dataclass
class Dossier:
    root: Path
    pages: int
    input_bytes: int
    qpdf_inputs: list[Path]


def scan_image(rng: random.Random, size: tuple[int, int], label: str) -> Image.Image:
    """A grey page of text-like bars with scanner grain: ~80 KB as a q50 JPEG."""
    w, h = size
    im = Image.new("L", size, 245)
    draw = ImageDraw.Draw(im)
    y = 140
    while y < h - 160:
        x = 130
        end = w - 130 if rng.random() < 0.85 else rng.randint(w // 3, w - 130)
        while x < end:
            word = rng.randint(20, 80)
            draw.rectangle((x, y, x + word, y + 12), fill=rng.randint(30, 80))
            x += word + rng.randint(12, 20)
        y += 62 + (rng.randint(20, 50) if rng.random() < 0.1 else 0)
    draw.text((w // 2 - 40, h - 90), label, fill=0)
    grain = Image.effect_noise((w // 8, h // 8), 30).resize(size)
    return Image.blend(im, grain, 0.03)


def jpeg_bytes(im: Image.Image, exif_orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = None
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
    im.save(out, "JPEG", quality=36, dpi=(DPI, DPI), exif=exif.tobytes() if exif else b"")
    return out.getvalue()


def write_scanned_pdf(path: Path, jpegs: list[bytes], rotate: set[int]) -> None:
    """A scanner's multi-page PDF: one JPEG per page, some pages with /Rotate 90."""
    from pypdf import PdfWriter

    from zcprep.bind.image_data import load_image
    from zcprep.bind.images import add_image_page

    writer = PdfWriter()
    for index, data in enumerate(jpegs):
        tmp = path.with_suffix(f".{index}.jpg")
        tmp.write_bytes(data)
        page = add_image_page(writer, load_image(tmp))
        tmp.unlink()
        page.compress_content_streams()
        if index in rotate:
            page.rotation = 90
    with path.open("wb") as handle:
        writer.write(handle)


def jpeg_as_pdf(jpeg: Path, target: Path) -> Path:
    from pypdf import PdfWriter

    from zcprep.bind.image_data import load_image
    from zcprep.bind.images import add_image_page

    writer = PdfWriter()
    add_image_page(writer, load_image(jpeg)).compress_content_streams()
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def make_workspace(base: Path) -> Path:
    from fontgen import build_ttf
    from zcprep.model.workspace import init_workspace

    root = init_workspace("nantong-2023", base / "ws")
    build_ttf(root / "font.ttf")
    config = root / "zcprep.toml"
    config.write_text(
        config.read_text("utf-8").replace(
            '# path = "C:/Windows/Fonts/simsun.ttc"', 'path = "font.ttf"'
        ),
        "utf-8",
    )
    return root


def new_applicant(root: Path, name: str) -> tuple[Path, list[Path]]:
    from zcprep.model.workspace import new_dossier, open_workspace

    ws = open_workspace(root)
    dossier = new_dossier(ws, name)
    toml = dossier / "applicant.toml"
    toml.write_text(toml.read_text("utf-8").replace('level = ""', 'level = "中级"'), "utf-8")
    return dossier, [dossier / m.folder for m in ws.notice.bound_materials]


def _split(total: int) -> list[int]:
    """Pages per bound item (six items), summing to ``total``."""
    counts = [max(1, int(total * share)) for share in (0.08, 0.10, 0.12, 0.40, 0.25)]
    return [*counts, total - sum(counts)]


def make_scanned(root: Path, qpdf_dir: Path, total: int, seed: int = 4) -> Dossier:
    """311 scan pages: multi-page scanner PDFs and loose JPEGs (some EXIF-rotated),
    with A3, landscape and /Rotate 90 pages here and there."""
    rng = random.Random(seed)
    dossier, folders = new_applicant(root, SCANNED)
    qpdf_inputs: list[Path] = []
    page_no = 0
    for item_index, (folder, count) in enumerate(zip(folders, _split(total), strict=True)):
        remaining, part = count, 0
        while remaining:
            part += 1
            loose = item_index in (0, 2) or (item_index == 3 and part % 3 == 0)
            size = 1 if loose else min(remaining, rng.randint(8, 40))
            jpegs, rotate = [], set()
            for k in range(size):
                page_no += 1
                shape = (
                    A3_PX
                    if page_no % 53 == 0
                    else (A4_PX[1], A4_PX[0])
                    if page_no % 41 == 0
                    else A4_PX
                )
                im = scan_image(rng, shape, f"page {page_no}")
                orientation = None
                if loose and page_no % 29 == 0:
                    im = im.rotate(90, expand=True)  # stored sideways, EXIF turns it upright
                    orientation = 6
                jpegs.append(jpeg_bytes(im, orientation))
                if not loose and page_no % 37 == 0:
                    rotate.add(k)
            if loose:
                target = folder / f"{part}-扫描.jpg"
                target.write_bytes(jpegs[0])
                qpdf_inputs.append(jpeg_as_pdf(target, qpdf_dir / f"{page_no:04d}.pdf"))
            else:
                target = folder / f"{part}-扫描件.pdf"
                write_scanned_pdf(target, jpegs, rotate)
                qpdf_inputs.append(target)
            remaining -= size
    size_total = sum(p.stat().st_size for p in dossier.rglob("*") if p.suffix in (".pdf", ".jpg"))
    return Dossier(root, page_no, size_total, qpdf_inputs)


def make_born_digital(root: Path, total: int, seed: int = 5) -> Dossier:
    """PDFs as a word processor exports them: text, rules, a chart picture on the first
    page and an embedded Chinese font subset in every file (fontgen's test font)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("BenchSong", str(root / "font.ttf")))
    rng = random.Random(seed)
    _dossier, folders = new_applicant(root, BORN_DIGITAL)
    hanzi = "专业技术资格证书继续教育工作总结业绩成果获奖论文著作发明专利课题项目网络安全工程"
    inputs: list[Path] = []
    page_no = 0
    for folder, count in zip(folders, _split(total), strict=True):
        remaining, part = count, 0
        while remaining:
            part += 1
            size = min(remaining, rng.randint(2, 8))
            target = folder / f"{part}-文档.pdf"
            canvas = Canvas(str(target), invariant=1)
            for page in range(size):
                page_no += 1
                canvas.setFont("BenchSong", 14)
                canvas.drawString(60, 800, "".join(rng.choice(hanzi) for _ in range(20)))
                canvas.setFont("Times-Roman", 10)
                for line in range(60):
                    words = " ".join(f"{rng.getrandbits(36):x}" for _ in range(9))
                    canvas.drawString(60, 770 - line * 12, words)
                for _ in range(40):
                    canvas.line(
                        rng.randint(40, 550),
                        rng.randint(40, 800),
                        rng.randint(40, 550),
                        rng.randint(40, 800),
                    )
                if page == 0:
                    chart = io.BytesIO(jpeg_bytes(scan_image(rng, (600, 400), "chart")))
                    canvas.drawImage(ImageReader(chart), 300, 500, 240, 160)
                canvas.showPage()
            canvas.save()
            inputs.append(target)
            remaining -= size
    size_total = sum(p.stat().st_size for p in inputs)
    return Dossier(root, page_no, size_total, inputs)


def numbers_pdf(target: Path, inputs: list[Path], first: int) -> Path:
    """One page per input page, each of that page's size, carrying its number."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(target), invariant=1)
    n = first
    for path in inputs:
        for page in PdfReader(path).pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            if page.rotation % 180:
                w, h = h, w
            canvas.setPageSize((w, h))
            canvas.setFillGray(1)
            canvas.rect(w / 2 - 30, 22, 60, 16, stroke=0, fill=1)
            canvas.setFillGray(0)
            canvas.drawCentredString(w / 2, 28, f"- {n} -")
            canvas.showPage()
            n += 1
    canvas.save()
    return target


def run_child(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB (wait4) and exit code of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace"))
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return elapsed, rss_mb, code


def bench_core(root: Path, name: str, repeat: int) -> tuple[float, int]:
    from zcprep.bind import bind_dossiers
    from zcprep.model.workspace import open_workspace

    best, size = float("inf"), 0
    for _ in range(repeat):
        ws = open_workspace(root)
        start = time.perf_counter()
        result = bind_dossiers(ws, [name], force=True)
        best = min(best, time.perf_counter() - start)
        if result.failed:
            raise SystemExit(f"bind failed: {result.failed[0].error}")
        size = result.volumes[0].output_bytes
    return best, size


def generate(base: Path, pages: int) -> None:
    """Child mode: build both dossiers, print their description as JSON."""
    root = make_workspace(base)
    qpdf_dir = base / "qpdf-inputs"
    qpdf_dir.mkdir()
    made = {
        SCANNED: make_scanned(root, qpdf_dir, pages),
        BORN_DIGITAL: make_born_digital(root, 150),
    }
    print(
        json.dumps(
            {
                name: {
                    "root": str(d.root),
                    "pages": d.pages,
                    "input_bytes": d.input_bytes,
                    "qpdf_inputs": [str(p) for p in d.qpdf_inputs],
                }
                for name, d in made.items()
            }
        )
    )


def measure_children(base: Path, name: str, dossier: Dossier, repeat: int) -> dict[str, float]:
    """CLI and qpdf runs as child processes: time and peak memory of each."""
    mb = dossier.input_bytes / 2**20
    cli_runs = [
        run_child(
            [
                sys.executable,
                "-m",
                "zcprep",
                "bind",
                name,
                "--force",
                "--workspace",
                str(dossier.root),
            ]
        )
        for _ in range(repeat)
    ]
    figures = {"cli": min(r[0] for r in cli_runs), "rss": max(r[1] for r in cli_runs), "mb": mb}
    qpdf = shutil.which("qpdf")
    if qpdf is not None:
        numbers = numbers_pdf(base / f"numbers-{name}.pdf", dossier.qpdf_inputs, 1)
        out = base / f"qpdf-{name}.pdf"
        args = [qpdf, "--empty", "--pages", *map(str, dossier.qpdf_inputs), "--"]
        args += ["--overlay", str(numbers), "--", str(out)]
        runs = [run_child(args) for _ in range(repeat)]
        figures["qpdf"] = min(r[0] for r in runs)
        figures["qpdf_rss"] = max(r[1] for r in runs)
        figures["qpdf_growth"] = (out.stat().st_size / dossier.input_bytes - 1) * 100
    return figures


def report(name: str, dossier: Dossier, figures: dict[str, float], repeat: int) -> None:
    mb = figures["mb"]
    print(f"\n== {name}: {dossier.pages} pages, {mb:.1f} MiB of inputs (best of {repeat})")
    print(
        f"zcprep CLI  : {figures['cli']:6.2f} s  peak RSS {figures['rss']:5.0f} MiB "
        f"(budget 2×input + 100 MiB = {2 * mb + 100:.0f})"
    )
    q = figures.get("qpdf")
    if q is None:
        print("qpdf        : not installed (apt-get install qpdf): comparison skipped")
    else:
        print(
            f"qpdf        : {q:6.2f} s  peak RSS {figures['qpdf_rss']:5.0f} MiB, "
            f"volume {figures['qpdf_growth']:+.2f} % vs inputs"
        )
    core, size = bench_core(dossier.root, name, repeat)
    growth = (size / dossier.input_bytes - 1) * 100
    print(
        f"zcprep core : {core:6.2f} s  volume {size / 2**20:.2f} MiB ({growth:+.2f} % vs inputs, limit +2 %)"
    )
    if q is not None:
        print(
            f"ratio       : core {core / q:.2f}× qpdf, CLI {figures['cli'] / q:.2f}× qpdf (goal ≤ 2.5×, aim 1.5×)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=311)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the data here and keep it")
    parser.add_argument("--profile", action="store_true", help="cProfile one core run")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.generate:
        generate(options.generate, options.pages)
        return
    base = options.keep or Path(tempfile.mkdtemp(prefix="zcprep-bind-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        # Generated in a child: later children's peak memory (wait4) would otherwise
        # include this process's pages, inherited through fork.
        for old in ("ws", "qpdf-inputs"):
            shutil.rmtree(base / old, ignore_errors=True)
        start = time.perf_counter()
        made = subprocess.run(
            [sys.executable, __file__, "--generate", str(base), "--pages", str(options.pages)],
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(made.stdout.strip().splitlines()[-1])
        print(f"data generated in {time.perf_counter() - start:.0f} s under {base}")
        dossiers = {
            name: Dossier(
                Path(d["root"]), d["pages"], d["input_bytes"], [Path(p) for p in d["qpdf_inputs"]]
            )
            for name, d in info.items()
        }
        # every child first, while this process is still small (see above)
        children = {
            name: measure_children(base, name, d, options.repeat) for name, d in dossiers.items()
        }
        for name, dossier in dossiers.items():
            report(name, dossier, children[name], options.repeat)
        if options.profile:
            import cProfile
            import pstats

            from zcprep.bind import bind_dossiers
            from zcprep.model.workspace import open_workspace

            profile = cProfile.Profile()
            profile.runcall(
                bind_dossiers, open_workspace(dossiers[SCANNED].root), [SCANNED], force=True
            )
            pstats.Stats(profile).sort_stats("tottime").print_stats(20)
    finally:
        if options.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
