"""The only code that writes the output folder: a staging folder first, then a swap."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class UnsafeOutputPath(ValueError):
    pass


def safe_relative(path: str) -> PurePosixPath:
    """`path` as a relative path that cannot leave the output folder."""
    pure = PurePosixPath(path)
    if (pure.is_absolute() or "\\" in path or "\x00" in path
            or any(part in ("..", "") for part in pure.parts) or not pure.parts):
        raise UnsafeOutputPath(f"refusing to write outside the output folder: {path!r}")
    return pure


def write_site(files: dict[str, bytes], out_dir: Path) -> int:
    """Write `files` into `out_dir` atomically; returns the number of files written.

    Everything is written to a staging folder beside `out_dir`; only when all of it is
    there does the staging folder replace `out_dir`. On any failure `out_dir` is untouched
    and the staging folder is removed.
    """
    relative = {safe_relative(name): data for name, data in files.items()}
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        for name in sorted(relative):
            target = staging.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(relative[name])
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(relative)


def _swap(staging: Path, out_dir: Path) -> None:
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
