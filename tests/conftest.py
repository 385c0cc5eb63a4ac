"""Fixtures every test shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from zcprep.cache import CACHE_ENV


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test gets its own empty user cache (subprocesses inherit it): no test reads
    or writes the real one, and none sees what another left there. A folder apart from
    ``tmp_path``, so a test's own files are all it finds there."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(folder))
        yield folder
