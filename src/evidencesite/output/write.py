"""The one writer of the output folder (a staging folder, then a swap; in place for the dev
server's private folder), and `replace_file`, the atomic write of one file (citations.bib,
the build cache's record of the output)."""
from __future__ import annotations

import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable


class UnsafeOutputPath(ValueError):
    pass


@lru_cache(maxsize=1 << 17)
def safe_relative(path: str) -> PurePosixPath:
    """`path` as a relative path that cannot leave the output folder."""
    pure = PurePosixPath(path)
    if (pure.is_absolute() or "\\" in path or "\x00" in path
            or any(part in ("..", "") for part in pure.parts) or not pure.parts):
        raise UnsafeOutputPath(f"refusing to write outside the output folder: {path!r}")
    return pure


def write_site(files: dict[str, bytes], out_dir: Path,
               more: Callable[[], dict[str, bytes]] = dict) -> None:
    """Write `files`, then the files `more()` returns, into `out_dir` atomically.

    Everything goes to a staging folder beside `out_dir`; only when all of it is there does
    the staging folder replace `out_dir`. A file whose bytes are unchanged since the last
    build is hard-linked from it instead of written, so it keeps its inode and time stamp
    and only changed files are rewritten. On any failure `out_dir` is untouched and the
    staging folder is removed. `more` runs between the two, so work it waits for (the search
    indexer) overlaps with the writing.
    """
    _check_paths(files)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        _stage(files, staging, out_dir)
        later = more()
        _check_paths(later)
        _stage(later, staging, out_dir)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _check_paths(files: dict[str, bytes]) -> None:
    for name in files:
        safe_relative(name)


def _stage(files: dict[str, bytes], staging: Path, previous: Path) -> None:
    made: set[Path] = set()
    for name in sorted(files):
        parts = safe_relative(name).parts
        target = staging.joinpath(*parts)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if not _link_if_unchanged(previous.joinpath(*parts), files[name], target):
            target.write_bytes(files[name])


def _link_if_unchanged(old: Path, data: bytes, target: Path) -> bool:
    try:
        if old.is_symlink() or old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, target)
    except OSError:  # no previous file, or a file system without hard links
        return False
    return True


def update_in_place(files: dict[str, bytes], out_dir: Path, previous: dict[str, bytes]) -> None:
    """Bring a private live folder (the dev server's) up to date without a staging folder:
    only files whose bytes differ from `previous` (what was written there last) are
    replaced, each atomically; files no longer made are removed."""
    _check_paths(files)
    _replace_changed(files, out_dir, previous)
    for name in sorted(set(previous) - set(files)):
        out_dir.joinpath(*safe_relative(name).parts).unlink(missing_ok=True)


def _replace_changed(files: dict[str, bytes], out_dir: Path,
                     previous: dict[str, bytes]) -> None:
    for name in sorted(files):
        old = previous.get(name)
        if old is not files[name] and old != files[name]:
            _replace(out_dir, name, files[name])


def replace_folder_files(files: dict[str, bytes], out_dir: Path, folder: str,
                         last: str) -> None:
    """Put `files` (all under `folder`/) into a live `out_dir` one file at a time, `last`
    last, and then remove the folder's other files: a reader sees the old set or the new."""
    _check_paths(files)
    for name in sorted(files, key=lambda n: n == last):
        _replace(out_dir, name, files[name])
    root = out_dir / folder
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        if path.is_file() and path.relative_to(out_dir).as_posix() not in files:
            path.unlink()


def _replace(out_dir: Path, name: str, data: bytes) -> None:
    replace_file(out_dir.joinpath(*safe_relative(name).parts), data, mode=0o644)


def replace_file(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to a temporary file beside `path`, then put it in `path`'s place: a reader
    sees the old file or the new one, never part of one. The file gets `mode`, or else the
    permissions of the file it replaces (a new file is readable by its owner only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.partial-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        if mode is None and path.exists():
            mode = path.stat().st_mode & 0o777
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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
