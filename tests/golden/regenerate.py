"""Rebuild tests/golden/expected/ from tests/golden/source/ after an intended change.

    python tests/golden/regenerate.py

Review the diff (git diff tests/golden/expected) before committing it.
"""
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))

from evidencesite.config import make_config  # noqa: E402
from evidencesite.build import build  # noqa: E402

EPOCH = "1767225600"


def build_golden(out: Path) -> None:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    work = out.parent / "golden-project"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(HERE / "source", work)
    shutil.copytree(REPO / "templates", work / "templates")
    result = build(make_config(work, out=out))
    shutil.rmtree(work)
    # the search index is checked by the browser tests; its bytes are not stable
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    shutil.rmtree(out / "static", ignore_errors=True)  # copied verbatim from templates/static
    if result.errors:
        raise SystemExit("\n".join(d.format_text() for d in result.diagnostics))


if __name__ == "__main__":
    target = HERE / "expected"
    shutil.rmtree(target, ignore_errors=True)
    build_golden(target)
    print(f"wrote {sum(1 for p in target.rglob('*') if p.is_file())} files to {target.relative_to(REPO)}")
