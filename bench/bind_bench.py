"""Benchmark: the whole ``zcprep bind NAME`` command against qpdf and pikepdf merging alone.

Each dossier is generated here in a workspace of the nantong-2023 preset, with an
applicant.toml that passes ``zcprep check`` (the example's 张三, renamed):

* scanned, 30 and 300 pages (``--pages 3000`` or ``--large`` adds 3000): grey 150 dpi
  JPEG scans, unique content each (~85 KB), as multi-page scanner PDFs and loose JPEG
  files over the five bound items, with A3, landscape, /Rotate 90 and EXIF-rotated pages;
* born-digital, 150 pages: PDFs as a word processor exports them (text, rules, a picture
  on each file's first page, an embedded Chinese font subset).

Measured, each as a child process (time from start to exit, peak RSS from wait4: the
child and its descendants, the largest of them), ``--repeat`` runs, median:

* zcprep — ``python -m zcprep bind NAME --workspace WS``, without --force, so bind runs
  its own check first. COLD is one run with an empty cache (ZCPREP_CACHE_DIR set to a new
  folder), WARM the following runs with the same cache folder. Before it, ``zcprep check
  NAME`` must report no errors (warnings are fine), or the dossier is reported as failed;
* qpdf — ``qpdf --empty --pages <inputs> -- --overlay numbers.pdf -- out.pdf`` (with
  --keep-files-open=y, its faster mode for many files), when qpdf is on PATH;
* pikepdf — a small program that opens the same inputs, appends their pages, overlays the
  same numbers PDF with ``Page.add_overlay`` and saves, when pikepdf is importable.

qpdf and pikepdf get the same pages as PDFs (each loose JPEG wrapped as a one-page PDF,
not timed: neither reads images) and a prepared numbers PDF ("第 n 页" in the same CJK
font, one page per page); zcprep also lays out and draws its 目录. Printed per dossier:
median wall time, peak RSS, output size against the dossier's files, the ratios
zcprep/qpdf and zcprep/pikepdf, and the goals of issue 13 next to them (300 scanned
≤ 1.5× qpdf, 3000 ≤ 1.2× qpdf with peak memory ≤ inputs + 150 MB, born-digital ≤ 2×
qpdf with the volume ≤ inputs + 2 %), then all dossiers as one Markdown table. First
comes the start-up floor: the interpreter importing typer, rich, pydantic and pikepdf and
doing nothing else, the least any bind on this stack can take. The CJK
font is the system TrueType font zcprep finds itself when there is one (``--test-font``:
never), else the test font of tests/fontgen.py set in ``[fonts] path``; the font embedded
in the volume's 目录 is printed.

Run (POSIX; pip packages only, qpdf optional; zcprep and pikepdf run with this Python):

    python bench/bind_bench.py [--repeat 3] [--pages 3000 | --large] [--keep DIR]

``--keep DIR`` generates the data into DIR once and reuses it on later runs (the
3000-page dossier takes about a minute to generate). The bench exits with 1 when a
dossier could not be measured (check reported errors, or a program failed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PRESET = "nantong-2023"
EXAMPLE_APPLICANT = REPO / "examples" / PRESET / "dossiers" / "张三" / "applicant.toml"
MANIFEST = "bench.json"
DATA_VERSION = 2  # bump when the generated data changes
DPI = 150
A4_PX = (1240, 1754)
A3_PX = (1754, 2480)
BORN_PAGES = 150
BORN_NAME = f"电子文档{BORN_PAGES}页"
TEST_FONT = "test font of tests/fontgen.py, set in [fonts] path"
GOALS = {300: 1.5, 3000: 1.2}  # scanned pages → zcprep/qpdf at most
BORN_GOAL, BORN_GROWTH = 2.0, 2.0  # × qpdf, % over the inputs
MEMORY_SLACK = 150e6  # bytes over the inputs, at 3000 pages
ScanPage = tuple[bytes, tuple[int, int], int]  # JPEG, pixel size as stored, /Rotate

PIKEPDF_PROGRAM = """\
import sys
import pikepdf
out_path, numbers_path, *inputs = sys.argv[1:]
out = pikepdf.new()
sources = [pikepdf.open(path) for path in inputs]
for source in sources:
    out.pages.extend(source.pages)
numbers = pikepdf.open(numbers_path)
for page, number in zip(out.pages, numbers.pages):
    page.add_overlay(number)
out.save(out_path)
"""

FONT_PROGRAM = """\
import sys
import pikepdf
names = set()
def walk(resources, depth):
    for font in resources.get("/Font", {}).values():
        names.add(str(font.get("/BaseFont", "?"))[1:])
    for xobject in resources.get("/XObject", {}).values():
        if depth < 4 and "/Resources" in xobject:
            walk(xobject.Resources, depth + 1)
with pikepdf.open(sys.argv[1]) as pdf:
    walk(pdf.pages[0].obj.get("/Resources", {}), 0)
standard = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}
print(", ".join(sorted(n for n in names if n not in standard)) or "none embedded")
"""


# --------------------------------------------------------------------------- the data


@dataclass
class Dossier:
    """One generated dossier, as the manifest records it (paths relative to the base)."""

    name: str
    kind: str  # "scanned" or "born-digital"
    pages: int
    files: int
    input_bytes: int
    tool_inputs: list[str]  # the same pages as PDFs, in the volume's order
    numbers: str  # one "第 n 页" page per page


def scan_image(rng: random.Random, size: tuple[int, int], label: str) -> Any:
    """A grey page of text-like bars with scanner grain: ~85 KB as a q36 JPEG."""
    from PIL import Image, ImageDraw

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


def jpeg_bytes(im: Any, exif_orientation: int | None = None) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    exif = b""
    if exif_orientation:
        tags = Image.Exif()
        tags[0x0112] = exif_orientation
        exif = tags.tobytes()
    im.save(out, "JPEG", quality=36, dpi=(DPI, DPI), exif=exif)
    return out.getvalue()


def scan_pdf(pages: list[ScanPage]) -> bytes:
    """A scanner's PDF, written directly: per page one grey JPEG filling the page at 150
    dpi, and the page's /Rotate. ``pages`` holds (jpeg, pixel size, rotate)."""
    bodies: list[bytes] = [b"", b""]  # catalog, page tree: filled in below
    kids = []
    for jpeg, (w, h), rotate in pages:
        bodies.append(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
            % (w, h, len(jpeg), jpeg)
        )
        image = len(bodies)
        pt_w, pt_h = w * 72 / DPI, h * 72 / DPI
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pt_w, pt_h)
        bodies.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        bodies.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
            % (pt_w, pt_h, rotate, image, image + 1)
        )
        kids.append(len(bodies))
    bodies[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    bodies[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def new_applicant(root: Path, name: str) -> list[Path]:
    """The dossier NAME with the example's correct applicant, a one-page 人员简介表 (due
    before the online submission, not bound), and the folders of the bound items."""
    from zcprep.model.workspace import new_dossier, open_workspace

    ws = open_workspace(root)
    dossier = new_dossier(ws, name)
    text = EXAMPLE_APPLICANT.read_text("utf-8")
    (dossier / "applicant.toml").write_text(
        re.sub(r'(?m)^name = ".*"$', f'name = "{name}"', text), "utf-8"
    )
    folders = []
    for material in ws.notice.materials:
        if material.bound and material.id != "exceptional-proof":  # not 破格
            folders.append(dossier / material.folder)
        elif not material.bound and material.required and material.stage == "submit":
            write_text_pdf(dossier / material.folder / "人员简介表.pdf", 1, random.Random(1))
    return folders


def split(total: int, parts: int) -> list[int]:
    """Pages per bound item, the achievements and papers the thickest."""
    shares = (0.06, 0.12, 0.14, 0.42, 0.26)[:parts]
    counts = [max(1, int(total * share)) for share in shares[:-1]]
    return [*counts, total - sum(counts)]


def page_shape(page_no: int) -> tuple[int, int]:
    if page_no % 53 == 0:
        return A3_PX
    if page_no % 41 == 0:
        return (A4_PX[1], A4_PX[0])  # landscape
    return A4_PX


def scan_page(rng: random.Random, page_no: int, loose: bool) -> ScanPage:
    """One scanned page: its JPEG, pixel size as stored, and the /Rotate that shows it
    upright. A loose JPEG now and then is stored sideways with EXIF orientation 6."""
    w, h = page_shape(page_no)
    im = scan_image(rng, (w, h), f"page {page_no}")
    if loose and page_no % 7 == 0:
        return jpeg_bytes(im.rotate(90, expand=True), 6), (h, w), 90
    return jpeg_bytes(im), (w, h), 90 if not loose and page_no % 37 == 0 else 0


def make_scanned(base: Path, root: Path, total: int) -> Dossier:
    """Multi-page scanner PDFs and loose JPEGs (certificates, and now and then in the
    achievements), with A3, landscape, /Rotate 90 and EXIF-rotated pages here and there."""
    rng = random.Random(total)
    name = f"扫描件{total}页"
    folders = new_applicant(root, name)
    wrapped = base / "tool-inputs" / name
    wrapped.mkdir(parents=True)
    tool_inputs: list[Path] = []
    sizes: list[tuple[float, float]] = []
    page_no = 0
    for item, (folder, count) in enumerate(zip(folders, split(total, len(folders)), strict=True)):
        remaining, part = count, 0
        while remaining:
            part += 1
            loose = item in (0, 1) or (item == 3 and part % 3 == 0)
            pages = [
                scan_page(rng, page_no + k, loose)
                for k in range(1, 1 + (1 if loose else min(remaining, rng.randint(8, 40))))
            ]
            page_no += len(pages)
            for _jpeg, (w, h), rotate in pages:
                shown = (w * 72 / DPI, h * 72 / DPI)
                sizes.append(shown[::-1] if rotate % 180 else shown)
            if loose:
                (folder / f"{part}-扫描.jpg").write_bytes(pages[0][0])
                target = wrapped / f"{page_no:05d}.pdf"  # the same page for qpdf and pikepdf
            else:
                target = folder / f"{part}-扫描件.pdf"
            target.write_bytes(scan_pdf(pages))
            tool_inputs.append(target)
            remaining -= len(pages)
    dossier = Dossier(name, "scanned", page_no, len(tool_inputs), 0, [], "")
    return finish(base, root, dossier, tool_inputs, sizes)


def system_font() -> tuple[Path, int] | None:
    """The system TrueType CJK font zcprep finds itself (no [fonts] path), if there is one."""
    from zcprep.fonts import find_font

    choice = find_font()
    return (choice.path, choice.subfont_index) if choice.embedded and choice.path else None


def write_text_pdf(target: Path, pages: int, rng: random.Random) -> None:
    """Text in an embedded Chinese font subset and in Times, 40 rules, a picture on page 1."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    hanzi = "专业技术资格证书继续教育工作总结业绩成果获奖论文著作发明专利课题项目网络安全工程"
    target.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(target), invariant=1)
    for page in range(pages):
        canvas.setFont("BenchSong", 14)
        canvas.drawString(60, 800, "".join(rng.choice(hanzi) for _ in range(20)))
        canvas.setFont("Times-Roman", 10)
        for line in range(60):
            words = " ".join(f"{rng.getrandbits(36):x}" for _ in range(9))
            canvas.drawString(60, 770 - line * 12, words)
        for _ in range(40):
            x1, x2 = rng.randint(40, 550), rng.randint(40, 550)
            canvas.line(x1, rng.randint(40, 800), x2, rng.randint(40, 800))
        if page == 0:
            chart = io.BytesIO(jpeg_bytes(scan_image(rng, (600, 400), "chart")))
            canvas.drawImage(ImageReader(chart), 300, 500, 240, 160)
        canvas.showPage()
    canvas.save()


def make_born_digital(base: Path, root: Path) -> Dossier:
    rng = random.Random(5)
    folders = new_applicant(root, BORN_NAME)
    inputs: list[Path] = []
    for folder, count in zip(folders, split(BORN_PAGES, len(folders)), strict=True):
        remaining, part = count, 0
        while remaining:
            part += 1
            size = min(remaining, rng.randint(2, 8))
            target = folder / f"{part}-文档.pdf"
            write_text_pdf(target, size, rng)
            inputs.append(target)
            remaining -= size
    sizes = [(595.2756, 841.8898)] * BORN_PAGES  # reportlab's A4
    dossier = Dossier(BORN_NAME, "born-digital", BORN_PAGES, len(inputs), 0, [], "")
    return finish(base, root, dossier, inputs, sizes)


def finish(
    base: Path, root: Path, dossier: Dossier, inputs: list[Path], sizes: list[tuple[float, float]]
) -> Dossier:
    """The dossier's input size, and the numbers PDF qpdf and pikepdf overlay."""
    from reportlab.pdfgen.canvas import Canvas

    folder = root / "dossiers" / dossier.name
    dossier.input_bytes = sum(
        p.stat().st_size for p in folder.rglob("*") if p.suffix in (".pdf", ".jpg")
    )
    dossier.tool_inputs = [str(p.relative_to(base)) for p in inputs]
    numbers = base / "tool-inputs" / f"numbers-{dossier.name}.pdf"
    numbers.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(numbers), invariant=1)
    for n, (w, h) in enumerate(sizes, start=1):
        canvas.setPageSize((w, h))
        canvas.setFont("BenchCJK", 10.5)
        canvas.drawCentredString(w / 2, 28, f"第 {n} 页")
        canvas.showPage()
    canvas.save()
    dossier.numbers = str(numbers.relative_to(base))
    return dossier


def generate(base: Path, sizes: list[int], test_font: bool) -> None:
    """Child mode: build what the manifest lacks of ``sizes`` and the born-digital dossier
    (all of it when there is no manifest, or it was made for another font)."""
    sys.path.insert(0, str(REPO / "tests"))
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from fontgen import build_ttf
    from zcprep.model.workspace import init_workspace

    found = None if test_font else system_font()
    font = f"system font zcprep finds itself: {found[0]}" if found else TEST_FONT
    root = base / "ws"
    manifest = load_manifest(base)
    if manifest is None or manifest["font"] != font:
        for old in ("ws", "tool-inputs", "tool-out"):
            shutil.rmtree(base / old, ignore_errors=True)
        init_workspace(PRESET, root)
        build_ttf(base / "testfont.ttf")
        if found is None:  # the test font, named in zcprep.toml
            shutil.copy(base / "testfont.ttf", root / "testfont.ttf")
            config = root / "zcprep.toml"
            text = re.sub(
                r"(?m)^\[fonts\]\n(#.*\n)*",
                '[fonts]\npath = "testfont.ttf"\n',
                config.read_text("utf-8"),
            )
            config.write_text(text, "utf-8")
        manifest = {"version": DATA_VERSION, "font": font, "dossiers": {}}
    pdfmetrics.registerFont(TTFont("BenchSong", str(base / "testfont.ttf")))
    path, index = found or (base / "testfont.ttf", 0)
    pdfmetrics.registerFont(TTFont("BenchCJK", str(path), subfontIndex=index))
    made: dict[str, Any] = manifest["dossiers"]
    wanted = [(f"扫描件{n}页", n) for n in sizes] + [(BORN_NAME, 0)]
    for name, pages in wanted:
        if name in made:
            continue
        start = time.perf_counter()
        dossier = make_scanned(base, root, pages) if pages else make_born_digital(base, root)
        made[name] = dossier.__dict__
        (base / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        print(f"generated {name} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def load_manifest(base: Path) -> dict[str, Any] | None:
    path = base / MANIFEST
    if not path.is_file():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return manifest if manifest.get("version") == DATA_VERSION else None


# --------------------------------------------------------------------------- the runs


@dataclass
class Runs:
    """Wall seconds and peak RSS (bytes) of each run of one program, and its output size."""

    seconds: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    output_bytes: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int, str]:
    """Wall seconds, peak RSS in bytes (wait4), exit code and stderr of one child."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return elapsed, rss, proc.returncode, text


def record(runs: Runs, args: list[str], out: Path, env: dict[str, str] | None = None) -> None:
    seconds, rss, code, err = run_child(args, env)
    if code != 0:
        raise RuntimeError(f"{Path(args[0]).name} exited with {code}:\n{err.strip()}")
    runs.seconds.append(seconds)
    runs.rss.append(rss)
    runs.output_bytes = out.stat().st_size


def zcprep_env(cache: Path) -> dict[str, str]:
    return {**os.environ, "ZCPREP_CACHE_DIR": str(cache)}


def run_check(root: Path, name: str, cache: Path) -> tuple[int, int, float, list[str]]:
    """Errors, warnings, seconds and the error messages of ``zcprep check NAME``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "zcprep", "check", name, "--json", "--workspace", str(root)],
        capture_output=True,
        env=zcprep_env(cache),
        check=False,
    )
    seconds = time.perf_counter() - start
    try:
        report = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        return -1, 0, seconds, [done.stderr.decode("utf-8", "replace").strip()]
    findings = [f for d in report["dossiers"] for f in d["findings"]]
    findings += report.get("notice_findings", [])
    errors = [f"{f.get('file') or ''} {f['message']}" for f in findings if f["severity"] == "error"]
    warnings = sum(f["severity"] == "warning" for f in findings)
    return len(errors), warnings, seconds, errors


def measure(base: Path, dossier: Dossier, repeat: int, pikepdf: bool) -> dict[str, Runs]:
    """Cold zcprep, then ``repeat`` rounds of warm zcprep, qpdf and pikepdf, interleaved
    so that load from elsewhere on the machine hits all alike."""
    root = base / "ws"
    volume = root / "out" / dossier.name / f"{dossier.name}-申报材料.pdf"
    bind = [sys.executable, "-m", "zcprep", "bind", dossier.name, "--workspace", str(root)]
    inputs = [str(base / p) for p in dossier.tool_inputs]
    numbers = str(base / dossier.numbers)
    programs: dict[str, tuple[list[str], Path]] = {"zcprep": (bind, volume)}
    (base / "tool-out").mkdir(exist_ok=True)
    qpdf = shutil.which("qpdf")
    if qpdf is not None:
        out = base / "tool-out" / f"qpdf-{dossier.name}.pdf"
        args = [qpdf, "--keep-files-open=y", "--empty", "--pages", *inputs, "--"]
        programs["qpdf"] = ([*args, "--overlay", numbers, "--", str(out)], out)
    if pikepdf:
        out = base / "tool-out" / f"pikepdf-{dossier.name}.pdf"
        script = base / "tool-out" / "pikepdf_merge.py"
        script.write_text(PIKEPDF_PROGRAM, "utf-8")
        programs["pikepdf"] = ([sys.executable, str(script), str(out), numbers, *inputs], out)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=base))
    try:
        runs = {"cold": Runs(), **{key: Runs() for key in programs}}
        record(runs["cold"], bind, volume, zcprep_env(cache))
        for _ in range(repeat):
            for key, (args, out) in programs.items():
                record(runs[key], args, out, zcprep_env(cache) if key == "zcprep" else None)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return runs


# What any bind on the requested stack pays before its first page: the interpreter and
# the libraries it cannot do without (typer and rich for the command line, pydantic for
# the config, pikepdf for the PDF), imported and nothing else done.
FLOOR_PROGRAM = "import typer, rich.console, pydantic, pikepdf"


def start_up_floor(repeat: int) -> str:
    runs = Runs()
    for _ in range(max(3, repeat)):
        seconds, rss, code, err = run_child([sys.executable, "-c", FLOOR_PROGRAM])
        if code != 0:
            return f"start-up floor: not measured ({err.strip().splitlines()[-1:]})"
        runs.seconds.append(seconds)
        runs.rss.append(rss)
    return (
        f"start-up floor: {runs.median:.2f} s, {mib(max(runs.rss))} "
        f"(python -c '{FLOOR_PROGRAM}': what every zcprep bind pays before its first page)"
    )


def embedded_font(volume: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", FONT_PROGRAM, str(volume)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


# --------------------------------------------------------------------------- the report


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def seconds(runs: Runs | None) -> str:
    return "—" if runs is None else f"{runs.median:.2f} s"


def goals(dossier: Dossier, runs: dict[str, Runs], growth: float) -> list[tuple[str, bool]]:
    """Issue 13's goals for this dossier: what each says, and whether this run meets it."""
    qpdf = runs.get("qpdf")
    ratio = runs["zcprep"].median / qpdf.median if qpdf else None
    wanted: list[tuple[str, bool]] = []
    limit = BORN_GOAL if dossier.kind == "born-digital" else GOALS.get(dossier.pages)
    if limit is not None and ratio is not None:
        wanted.append((f"≤ {limit}× qpdf", ratio <= limit))
    if dossier.kind == "born-digital":
        wanted.append((f"size ≤ inputs + {BORN_GROWTH:.0f} %", growth <= BORN_GROWTH))
    if dossier.kind == "scanned" and dossier.pages >= 3000:
        budget = dossier.input_bytes + MEMORY_SLACK
        peak = max(runs["zcprep"].rss + runs["cold"].rss)
        wanted.append((f"peak RSS ≤ inputs + 150 MB = {mib(budget)}", peak <= budget))
    return wanted


def report(dossier: Dossier, runs: dict[str, Runs], repeat: int) -> str:
    """Print one dossier's figures; return its row of the summary table."""
    growth = {k: (r.output_bytes / dossier.input_bytes - 1) * 100 for k, r in runs.items()}
    print(f"{'':15}{'time':>8}  {'peak RSS':>8}  size vs inputs")
    labels = {"cold": "zcprep cold", "zcprep": "zcprep warm", "qpdf": "qpdf", "pikepdf": "pikepdf"}
    for key, label in labels.items():
        r = runs.get(key)
        if r is None:
            why = "not on PATH" if key == "qpdf" else "not importable"
            print(f"{label:<13}: {why}, comparison skipped")
            continue
        how = "1 run, empty cache" if key == "cold" else f"median of {repeat}"
        rss = mib(max(r.rss))
        print(f"{label:<13}: {r.median:6.2f} s  {rss:>8}  {growth[key]:+6.2f} %   ({how})")
    warm, cold = runs["zcprep"].median, runs["cold"].median
    ratios = []
    for tool in ("qpdf", "pikepdf"):
        if tool in runs:
            other = runs[tool].median
            print(f"zcprep/{tool:<7}: warm {warm / other:5.2f}×, cold {cold / other:5.2f}×")
            ratios.append(f"{warm / other:.2f}×")
        else:
            ratios.append("—")
    verdicts = goals(dossier, runs, growth["zcprep"])
    for text, ok in verdicts:
        print(f"goal         : {text}: {'met' if ok else 'NOT met'}")
    label = f"{dossier.pages} {dossier.kind}, {dossier.input_bytes / 2**20:.1f} MiB"
    cells = [label, seconds(runs["cold"]), seconds(runs["zcprep"])]
    cells += [seconds(runs.get("qpdf")), seconds(runs.get("pikepdf")), *ratios]
    cells += [mib(max(runs["zcprep"].rss)), f"{growth['zcprep']:+.2f} %"]
    cells.append("; ".join(f"{t}: {'met' if ok else 'NOT met'}" for t, ok in verdicts) or "—")
    return "| " + " | ".join(cells) + " |"


SUMMARY_HEAD = (
    "| dossier | zcprep cold | zcprep warm | qpdf | pikepdf | warm ÷ qpdf | warm ÷ pikepdf "
    "| zcprep peak RSS | zcprep size vs inputs | goals |\n" + "|---" * 10 + "|"
)


def bench_dossier(base: Path, dossier: Dossier, repeat: int, pikepdf: bool) -> str | None:
    """Check, then measure and print one dossier; its summary row, or None if it failed."""
    name = dossier.name
    print(
        f"\n== {name}: {dossier.pages} {dossier.kind} pages in {dossier.files} files, "
        f"{dossier.input_bytes / 2**20:.1f} MiB"
    )
    cache = Path(tempfile.mkdtemp(prefix="check-cache-", dir=base))
    errors, warnings, took, messages = run_check(base / "ws", name, cache)
    shutil.rmtree(cache, ignore_errors=True)
    print(f"zcprep check : {errors} errors, {warnings} warnings ({took:.2f} s)")
    if errors:
        print(f"FAILED: check reports errors, so bind refuses {name}:", *messages[:10], sep="\n  ")
        return None
    try:
        runs = measure(base, dossier, repeat, pikepdf)
    except RuntimeError as error:
        print(f"FAILED: {error}")
        return None
    volume = base / "ws" / "out" / name / f"{name}-申报材料.pdf"
    print(f"font in 目录  : {embedded_font(volume)}")
    return report(dossier, runs, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages",
        type=int,
        action="append",
        default=[],
        help="add a scanned dossier of this many pages (e.g. 3000)",
    )
    parser.add_argument("--large", action="store_true", help="same as --pages 3000")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per program (median)")
    parser.add_argument("--keep", type=Path, help="generate the data here once and reuse it")
    parser.add_argument(
        "--test-font", action="store_true", help="use the test font even if a system one exists"
    )
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sizes = sorted({30, 300, *options.pages, *([3000] if options.large else [])})
    options.repeat = max(1, options.repeat)
    if options.generate:
        generate(options.generate, sizes, options.test_font)
        return
    base = (options.keep or Path(tempfile.mkdtemp(prefix="zcprep-bind-bench-"))).resolve()
    base.mkdir(parents=True, exist_ok=True)
    rows: list[str | None] = []
    try:
        # Generated in a child, so that this process stays small: the children's peak
        # memory (wait4) would otherwise include pages inherited from it.
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--generate", str(base), *(f"--pages={n}" for n in sizes)]
            + (["--test-font"] if options.test_font else []),
            check=True,
        )
        manifest = load_manifest(base)
        assert manifest is not None
        print(f"data ready in {time.perf_counter() - start:.0f} s under {base}")
        print(
            f"cpu cores: {os.cpu_count()}; python {sys.version.split()[0]}; qpdf: "
            f"{shutil.which('qpdf') or 'not on PATH'}; CJK font: {manifest['font']}"
        )
        probe = [sys.executable, "-c", "import pikepdf"]
        pikepdf = subprocess.run(probe, check=False).returncode == 0
        print(start_up_floor(options.repeat))
        for name in [f"扫描件{n}页" for n in sizes] + [BORN_NAME]:
            dossier = Dossier(**manifest["dossiers"][name])
            rows.append(bench_dossier(base, dossier, options.repeat, pikepdf))
        print(f"\nsummary (times: median of {options.repeat}; cold: 1 run)", SUMMARY_HEAD, sep="\n")
        print(*(row for row in rows if row), sep="\n")
        if not any(rows):
            print("(no dossier could be measured)")
    finally:
        if options.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    if None in rows:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
