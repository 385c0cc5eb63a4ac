"""Build an offline install folder for office PCs (64-bit Windows) without registry access.

On a machine with internet access (any OS), run from the repository:

    python scripts/download_wheels.py                       # Python 3.11, win_amd64
    python scripts/download_wheels.py --python-version 3.12 --dest D:\\zcprep-wheels

It builds zcprep's own wheel (``pip wheel --no-deps .``) and downloads the win_amd64
wheels of all its dependencies for the chosen Python version (``pip download
--only-binary=:all: --platform win_amd64``) into one folder. Copy the folder to the
office PC and install from it there, with the same Python version:

    py -3.11 -m venv .venv
    .venv\\Scripts\\python -m pip install --no-index --find-links D:\\zcprep-wheels zcprep

Standard library only; pip runs as ``sys.executable -m pip`` with an argument list, never
through a shell.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = "win_amd64"
DEFAULT_PYTHON = "3.11"


def zcprep_version() -> str:
    text = (ROOT / "src" / "zcprep" / "__init__.py").read_text("utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if found is None:
        raise SystemExit("找不到 zcprep 的版本号（src/zcprep/__init__.py）。")
    return found.group(1)


def python_version(text: str) -> str:
    """``3.11`` (or ``311``) as pip's --python-version takes it."""
    found = re.fullmatch(r"3\.?(\d{1,2})", text.strip())
    if found is None:
        raise argparse.ArgumentTypeError(f"“{text}”不是 Python 版本号，请写成 3.11 这样")
    return f"3.{found.group(1)}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="download_wheels.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "为不能联网的办公电脑（64 位 Windows）准备离线安装文件夹：\n"
            "生成 zcprep 自己的 wheel，并下载它所有依赖的 win_amd64 wheel。\n"
            "(Offline install folder: zcprep's wheel plus win_amd64 wheels of its dependencies.)"
        ),
        epilog=(
            "把文件夹复制到办公电脑后，在那里（Python 版本须与 --python-version 相同）运行：\n"
            "  py -3.11 -m pip install --user --no-index --find-links 文件夹 zcprep"
        ),
    )
    parser.add_argument(
        "--python-version",
        type=python_version,
        default=DEFAULT_PYTHON,
        metavar="3.X",
        help=f"办公电脑上的 Python 版本（默认 {DEFAULT_PYTHON}）。",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=None,
        metavar="文件夹",
        help="存放 wheel 的文件夹（默认 dist/zcprep-wheels-py3XX-win_amd64）。",
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        choices=["docx"],
        help="同时下载可选功能的依赖，如 --extra docx（render --docx 用的 python-docx）。",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="只显示要运行的 pip 命令，不下载、不生成文件。",
    )
    return parser.parse_args(argv)


def commands(args: argparse.Namespace, dest: Path) -> list[list[str]]:
    """The two pip runs: build zcprep's wheel, then fetch its dependencies for Windows."""
    wheel = dest / f"zcprep-{zcprep_version()}-py3-none-any.whl"
    extras = f"[{','.join(sorted(set(args.extra)))}]" if args.extra else ""
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(dest), str(ROOT)]
    return [build, download_command(args, dest, [f"zcprep{extras} @ {wheel.as_uri()}"])]


def windows_environment(python: str) -> dict[str, str]:
    """What environment markers see on the office PC (pip evaluates them for the machine
    it runs on, --platform or not: ``colorama; platform_system == "Windows"`` would be
    left out when the folder is made on Linux)."""
    return {
        "os_name": "nt",
        "sys_platform": "win32",
        "platform_system": "Windows",
        "platform_machine": "AMD64",
        "platform_release": "10",
        "platform_version": "10.0.19045",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{python}.0",
        "python_version": python,
        "python_full_version": f"{python}.0",
    }


def missing_for_windows(dest: Path, python: str, extras: list[str]) -> list[str]:
    """Requirements of the wheels in ``dest`` that apply on Windows but have no wheel
    there. Uses the ``packaging`` copy inside pip (pip is needed anyway)."""
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

    environment = windows_environment(python)
    metadata: dict[str, list[str]] = {}
    for wheel in dest.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
            headers = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
        metadata[canonicalize_name(headers["Name"])] = headers.get_all("Requires-Dist") or []
    wanted: dict[str, set[str]] = {"zcprep": set(extras)}  # package → extras asked of it
    needed: dict[str, str] = {}  # package → the requirement, without its marker
    queue = ["zcprep"]
    while queue:
        name = queue.pop()
        for line in metadata.get(name, []):
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({**environment, "extra": extra}) for extra in {"", *wanted[name]}
            ):
                continue
            key = canonicalize_name(requirement.name)
            if key not in wanted or not requirement.extras <= wanted[key]:
                wanted.setdefault(key, set()).update(requirement.extras)
                queue.append(key)  # its own requirements (or newly asked extras) count
            if key not in needed:
                requirement.marker = None
                needed[key] = str(requirement)
    return sorted(line for key, line in needed.items() if key not in metadata)


def download_command(args: argparse.Namespace, dest: Path, requirements: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--only-binary=:all:",
        "--platform",
        PLATFORM,
        "--python-version",
        args.python_version,
        "--implementation",
        "cp",
        "--dest",
        str(dest),
        *requirements,
    ]


def run(step: list[str]) -> bool:
    print("运行：" + subprocess.list2cmdline(step), flush=True)
    done = subprocess.run(step, check=False)
    if done.returncode != 0:
        print(f"pip 出错（退出码 {done.returncode}），离线安装文件夹不完整。", file=sys.stderr)
    return done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tag = args.python_version.replace(".", "")
    dest = (args.dest or ROOT / "dist" / f"zcprep-wheels-py{tag}-{PLATFORM}").resolve()
    steps = commands(args, dest)
    if args.dry_run:
        for step in steps:
            print(subprocess.list2cmdline(step))
        return 0
    dest.mkdir(parents=True, exist_ok=True)
    if not all(run(step) for step in steps):
        return 1
    for _ in range(10):  # what only Windows needs, and what that needs in turn
        missing = missing_for_windows(dest, args.python_version, args.extra)
        if not missing:
            break
        print("补充只在 Windows 上需要的依赖：" + "、".join(missing))
        if not run(download_command(args, dest, missing)):
            return 1
    wheels = sorted(p.name for p in dest.glob("*.whl"))
    print(f"已准备好 {len(wheels)} 个 wheel：{dest}")
    for name in wheels:
        print(f"  {name}")
    print(
        f"把整个文件夹复制到办公电脑（须装 64 位 Python {args.python_version}），"
        f"如复制到 D:\\{dest.name}，在那里运行：\n"
        f"  py -{args.python_version} -m venv .venv\n"
        f"  .venv\\Scripts\\python -m pip install --no-index --find-links D:\\{dest.name} zcprep"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
