"""Fixtures the letter tests share: the tiny CJK font (built once per module) and the
example workspace that uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from letter_helpers import example_workspace, letter_font


@pytest.fixture(scope="module")
def font(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return letter_font(tmp_path_factory.mktemp("font"))


@pytest.fixture
def ws(tmp_path: Path, font: Path) -> Path:
    return example_workspace(tmp_path, font)
