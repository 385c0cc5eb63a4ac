"""File-system facts a test needs to know about the machine it runs on."""

from __future__ import annotations

import tempfile
from pathlib import Path


def permissions_bind(folder: Path) -> bool:
    """Whether a folder without write permission refuses a new file here (not for root)."""
    probe = Path(tempfile.mkdtemp(dir=folder))
    probe.chmod(0o500)
    try:
        (probe / "x").write_bytes(b"")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o700)
    return False
