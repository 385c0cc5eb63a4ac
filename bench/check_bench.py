"""Benchmark for ``zcprep check``: 50 dossiers × 60 pages of scans, serial and parallel.

Builds a workspace from the nantong-2023 preset in a temporary folder. Every dossier holds
seven PDFs (60 A4 pages in all) of grey 1654×2339 JPEG scans (200 dpi, quality 50, the
kind a copier's scan-to-PDF produces), each file unique by its /Title, and a correct
applicant.toml. Then it times ``run_check`` serially and with 2 worker processes.

    python bench/check_bench.py [--dossiers 50] [--repeat 3] [--keep]

Target (issue 3): the whole batch in under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

# The applicant.toml builder is the tests' own (tests/check_helpers.py): one correct applicant.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from check_helpers import CONTINUING, id_with_check, right_applicant, toml_text
from zcprep.check import run_check
from zcprep.model.workspace import Workspace, init_workspace, open_workspace

PAGE_PX = (1654, 2339)  # A4 at 200 dpi
A4_PT = (595.28, 841.89)
# (material folder, pages): 60 pages a dossier, papers and achievements the thickest.
FILES = (
    ("01-专业技术资格评审申报表", "评审申报表.pdf", 4),
    ("02-人员简介（公示）表", "人员简介表.pdf", 2),
    ("03-现任专业技术资格证书复印件", "助理工程师证书.pdf", 2),
    ("04-继续教育材料", "继续教育证明.pdf", 4),
    ("05-任期内专业技术工作总结", "工作总结.pdf", 10),
    ("06-业绩成果证明材料及获奖证书", "业绩成果.pdf", 20),
    ("07-任期内标志性论文、著作材料", "论文.pdf", 18),
)


def applicant_toml(name: str, id_number: str) -> str:
    """The tests' right applicant, with a Nantong 2023 employer, dates and one year of
    continuing education."""
    data = right_applicant() | {
        "name": name,
        "id_number": id_number,
        "employer": "南通示例网络安全技术有限公司",
        "school": "南京示例大学",
        "current_title_date": "2016-12-30",
        "publicity_start": "2023-05-08",
        "publicity_end": "2023-05-12",
    }
    return toml_text(data, continuing=CONTINUING[:1])


def scan_page(seed: int) -> bytes:
    """A grey 'scan': paper noise, a frame, lines of 'text' and a seal, JPEG q50."""
    rng = random.Random(seed)
    noise = Image.effect_noise(PAGE_PX, 18).point(lambda v: 200 + v // 5)
    draw = ImageDraw.Draw(noise)
    w, h = PAGE_PX
    draw.rectangle([90, 90, w - 90, h - 90], outline=70, width=5)
    y = 260
    while y < h - 300:
        x = 150
        while x < w - 200:
            word = rng.randint(30, 140)
            draw.rectangle([x, y, x + word, y + 26], fill=rng.randint(20, 90))
            x += word + rng.randint(14, 30)
        y += rng.randint(56, 70)
    draw.ellipse([w - 560, h - 620, w - 200, h - 260], outline=110, width=9)
    image = noise.filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=50)
    return buf.getvalue()


def jpeg_pdf(pages: list[bytes], title: str) -> bytes:
    """A PDF with one full-page DCT image per page, written directly (no re-encoding)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    kids = []
    for jpeg in pages:
        image = add(
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % (*PAGE_PX, len(jpeg))
            + jpeg
            + b"\nendstream"
        )
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % A4_PT
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (tree, *A4_PT, image, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))
    info = add(b"<< /Title (" + title.encode("utf-16-be").hex().encode() + b") >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()


def build(root: Path, dossiers: int) -> tuple[int, int]:
    """The workspace; returns (files, bytes)."""
    init_workspace("nantong-2023", root)
    scans = [scan_page(seed) for seed in range(12)]
    count = size = 0
    for index in range(dossiers):
        name = f"申报人{index + 1:03d}"
        folder = root / "dossiers" / name
        folder.mkdir(parents=True)
        sequence = f"{(index * 2 + 1) % 1000:03d}"  # odd last digit: 男
        (folder / "applicant.toml").write_text(
            applicant_toml(name, id_with_check("32060219900307" + sequence)), "utf-8"
        )
        page = index
        for sub, file_name, pages in FILES:
            (folder / sub).mkdir()
            data = jpeg_pdf(
                [scans[(page + i) % len(scans)] for i in range(pages)], f"{name}/{file_name}"
            )
            page += pages
            (folder / sub / file_name).write_bytes(data)
            count += 1
            size += len(data)
    return count, size


def one_run(workspace: Workspace, jobs: int) -> float:
    start = time.perf_counter()
    report = run_check(workspace, jobs=jobs, today=dt.date(2023, 6, 1))
    elapsed = time.perf_counter() - start
    unexpected = [
        (d.applicant, f.code) for d in report.dossiers for f in d.findings if f.severity != "info"
    ]
    if unexpected:
        raise SystemExit(f"unexpected findings: {unexpected[:5]}")
    return elapsed


def timed(root: Path, repeat: int) -> dict[int, list[float]]:
    """Serial and 2-worker runs interleaved, so that load from other processes on a
    shared machine hits both alike."""
    workspace = open_workspace(root)
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for jobs in (1, 2):
            times[jobs].append(one_run(workspace, jobs))
    for jobs, label in ((1, "serial"), (2, "2 workers")):
        runs = times[jobs]
        print(
            f"  {label:<10} best {min(runs):5.2f} s, median {statistics.median(runs):5.2f} s "
            f"over {repeat} runs"
        )
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="runs per mode (best is kept)")
    parser.add_argument("--keep", action="store_true", help="keep the generated workspace")
    args = parser.parse_args(argv)
    temp = Path(tempfile.mkdtemp(prefix="zcprep-check-bench-"))
    root = temp / "ws"
    try:
        start = time.perf_counter()
        files, size = build(root, args.dossiers)
        pages = args.dossiers * sum(p for _, _, p in FILES)
        print(
            f"generated {args.dossiers} dossiers, {files} PDFs, {pages} scan pages, "
            f"{size / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s ({root})"
        )
        print(f"cpu cores: {os.cpu_count()}; python {sys.version.split()[0]}")
        first = one_run(open_workspace(root), 2)
        print(f"  first run (2 workers, just after writing the files): {first:.2f} s")
        times = timed(root, args.repeat)
        serial, parallel = min(times[1]), min(times[2])
        print(f"  speed-up {serial / parallel:.2f}×; {pages / parallel:.0f} pages/s with 2 workers")
        print(f"  target < 10 s for the batch: {'met' if parallel < 10 else 'NOT met'}")
    finally:
        if args.keep:
            print(f"kept {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
