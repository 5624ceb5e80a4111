"""Entry point: python build.py build | check | serve  (see README)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from evidencesite.commands.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
