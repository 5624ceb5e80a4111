"""Static files (stylesheet, scripts) copied as they are into site/static/."""
from __future__ import annotations

from pathlib import Path


def static_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
            files["static/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
