"""Where the packaged data lives: presets, form templates and the example workspace.

A wheel carries ``templates/`` and ``examples/`` inside the package (see pyproject's
force-include); a source checkout keeps them at the top level. Both are looked up here.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def presets_dir() -> Path:
    return _PACKAGE / "model" / "presets"


def templates_dir() -> Path:
    return _first_existing(_PACKAGE / "templates", _CHECKOUT / "templates")


def examples_dir() -> Path:
    return _first_existing(_PACKAGE / "examples", _CHECKOUT / "examples")
