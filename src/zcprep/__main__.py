"""``python -m zcprep``."""

from zcprep.cli import run

if __name__ == "__main__":
    run()
