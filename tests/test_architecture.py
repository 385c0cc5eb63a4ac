"""The layout of src/zcprep stays what ARCHITECTURE.md says it is.

Imports only go down: cli → verbs → model → ground. A verb uses another verb only
through that package's face (``from zcprep.check import run_check``), never its
internals. The CLI does no PDF, workbook or TOML work of its own. Modules stay small
enough to read in one sitting. Every import counts, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# The source tree, not the installed package: a wheel also carries examples/ and templates/.
SOURCE = Path(__file__).resolve().parents[1] / "src" / "zcprep"
GROUND = frozenset(
    {
        "errors",
        "names",
        "atomic",
        "cndate",
        "workdays",
        "idcard",
        "fonts",
        "privacy",
        "report",
        "units",
        "resources",
        "cache",
        "probe",
        "xmltext",
        "oserrors",
        "interrupts",
    }
)
VERBS = frozenset({"check", "bind", "render", "roster", "intake", "importing", "letter", "doctor"})
LAYERS = {"ground": 0, "model": 1, "verb": 2, "cli": 3}
FILE_FORMAT_LIBRARIES = ("pypdf", "reportlab", "openpyxl", "PIL", "fontTools", "tomllib", "docx")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top(name: str) -> str | None:
    """zcprep.bind.plan → bind; zcprep itself (its version) → None."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def layer(name: str) -> str:
    first = top(name)
    if first in ("cli", "__main__"):
        return "cli"
    if first is None or first in GROUND:
        return "ground"
    if first == "model":
        return "model"
    assert first in VERBS, f"{name}: a new top-level module must be placed in a layer here"
    return "verb"


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every zcprep import and every library import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}:{node.lineno}: use absolute imports"
            found.append((node.lineno, node.module))
            # `from zcprep.check import context` imports a submodule by another spelling
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                if (SOURCE.parent / Path(*candidate.split("."))).with_suffix(".py").is_file():
                    found.append((node.lineno, candidate))
    return found


def zcprep_imports() -> list[tuple[str, int, str]]:
    return [
        (module_name(path), line, target)
        for path in modules()
        for line, target in imports(path)
        if target == "zcprep" or target.startswith("zcprep.")
    ]


def test_every_package_is_placed_in_a_layer() -> None:
    tops = {top(module_name(path)) for path in modules()} - {None, "__main__"}
    assert tops <= GROUND | VERBS | {"model", "cli"}, tops - (GROUND | VERBS | {"model", "cli"})


def test_imports_only_go_down() -> None:
    upward = [
        f"{source}:{line} imports {target} ({layer(source)} → {layer(target)})"
        for source, line, target in zcprep_imports()
        if LAYERS[layer(target)] > LAYERS[layer(source)]
    ]
    assert upward == []


def test_a_verb_uses_another_verb_only_through_its_face() -> None:
    reaching_in = [
        f"{source}:{line} imports {target}"
        for source, line, target in zcprep_imports()
        if layer(source) == "verb"
        and layer(target) == "verb"
        and top(source) != top(target)
        and target.count(".") > 1
    ]
    assert reaching_in == []


def test_the_ground_imports_no_model_verb_or_cli() -> None:
    """Ground modules and packages (probe, fonts) stand on the standard library and
    their own kind only."""
    above = [
        f"{source}:{line} imports {target}"
        for source, line, target in zcprep_imports()
        if layer(source) == "ground" and layer(target) != "ground"
    ]
    assert above == []


def test_the_cli_reads_no_file_format_itself() -> None:
    """cli/ parses arguments and shows results: PDFs, workbooks and TOML are read and
    written by the core packages."""
    found = [
        f"{module_name(path)}:{line} imports {target}"
        for path in modules()
        if module_name(path).startswith("zcprep.cli")
        for line, target in imports(path)
        if target.split(".")[0] in FILE_FORMAT_LIBRARIES
    ]
    assert found == []


def test_the_core_never_imports_typer() -> None:
    """Core packages return results; only cli/ talks to the terminal."""
    found = [
        f"{module_name(path)}:{line} imports {target}"
        for path in modules()
        if layer(module_name(path)) != "cli"
        for line, target in imports(path)
        if target.split(".")[0] in ("typer", "click")
    ]
    assert found == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(SOURCE).as_posix())
def test_modules_and_functions_stay_small(path: Path) -> None:
    text = path.read_text("utf-8")
    lines = text.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split the module by meaning"
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []
