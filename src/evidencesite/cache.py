"""What earlier builds made, reused when the inputs are the same.

Results are kept under the digest of everything they were made from: content files read
and checked (with their Markdown rendered), the parsed and the formatted bibliography,
fragments shared by many pages and exports (`get`/`keep` by kind), rendered pages and the
search index. The dev server keeps one `BuildCache` in memory across rebuilds; the
command line keeps it in `.cache/evidencesite/` between builds. Rendered pages and the
search index are not copied there: the cache records where in the output folder they were
written, with their size and CRC, and reads them back only if they are still intact.
"""
from __future__ import annotations

import io
import os
import pickle
import tempfile
import zlib
from pathlib import Path

FOLDER = Path(".cache") / "evidencesite"
_FILE = "build-cache.pickle"
_FORMAT = 2
# Only the site's own data types may be read back: a cache file is data, never code.
_ALLOWED = {
    "evidencesite.model": {"SourceLocation", "Document", "BibRecord", "Citation", "Link",
                           "Heading", "ParsedMarkdown"},
    "evidencesite.analyse": {"Analysed"},
    "evidencesite.diagnostics": {"Diagnostic"},
    "evidencesite.markdown": {"CiteItem"},
    "evidencesite.references": {"Reference"},
    "evidencesite.bibliography": {"Bibliography"},
    "evidencesite.fingerprint": {"SealedDict"},
    "builtins": {"set", "frozenset"},
}


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a build cache")


KINDS = ("documents", "bibliography", "references", "fragments")


class BuildCache:
    def __init__(self) -> None:
        self.results: dict[str, dict] = {kind: {} for kind in KINDS}
        self.pages: dict[str, bytes] = {}
        self.search: dict[str, dict[str, bytes]] = {}
        # results written by an earlier build: digest -> where, and what they must be
        self.stored_pages: dict[str, tuple[str, int, int]] = {}
        self.stored_search: dict[str, list[tuple[str, int, int]]] = {}
        self.stored_in: Path | None = None
        self.fresh_pages = 0  # pages the current build rendered rather than reused
        self.written: dict[str, bytes] = {}  # what the last build in this process wrote
        self.live: dict = {}  # objects worth keeping only in this process
        self._used: dict[str, set[str]] = {kind: set() for kind in (*KINDS, "pages", "search")}

    # -- lookups ---------------------------------------------------------------
    def get(self, kind: str, key: str):
        """The result of `kind` kept under `key`, or None."""
        return self._get(self.results[kind], kind, key)

    def keep(self, kind: str, key: str, result) -> None:
        self.results[kind][key] = result
        self._used[kind].add(key)

    def get_or_make(self, kind: str, key: str, make):
        found = self.get(kind, key)
        if found is None:
            found = make()
            self.keep(kind, key, found)
        return found

    def page(self, key: str) -> bytes | None:
        found = self._get(self.pages, "pages", key)
        if found is None and key in self.stored_pages:
            found = self._read_stored(*self.stored_pages[key])
            if found is not None:
                self.keep_page(key, found)
        return found

    def keep_page(self, key: str, data: bytes) -> None:
        self.pages[key] = data
        self._used["pages"].add(key)

    def search_index(self, key: str) -> dict[str, bytes] | None:
        found = self._get(self.search, "search", key)
        if found is None and key in self.stored_search:
            files = {name: self._read_stored(name, size, crc)
                     for name, size, crc in self.stored_search[key]}
            if all(data is not None for data in files.values()):
                found = files
                self.keep_search_index(key, found)
        return found

    def latest_search_index(self) -> dict[str, bytes]:
        """The index kept last (for a dev server that indexes in the background)."""
        if not self.search:
            return {}
        latest = list(self.search)[-1]
        self._used["search"].add(latest)
        return self.search[latest]

    def keep_search_index(self, key: str, files: dict[str, bytes]) -> None:
        self.search.pop(key, None)  # re-inserted: the latest is last
        self.search[key] = files
        self._used["search"].add(key)

    def _get(self, store: dict, kind: str, key: str):
        found = store.get(key)
        if found is not None:
            self._used[kind].add(key)
        return found

    def _read_stored(self, name: str, size: int, crc: int) -> bytes | None:
        if self.stored_in is None:
            return None
        try:
            data = self.stored_in.joinpath(*name.split("/")).read_bytes()
        except OSError:
            return None
        return data if len(data) == size and zlib.crc32(data) == crc else None

    # -- between builds ------------------------------------------------------------
    def forget_unused(self) -> None:
        """Keep only what the last build used, so that the cache does not grow forever."""
        for kind in self._used:
            store = self.results[kind] if kind in KINDS else getattr(self, kind)
            for key in set(store) - self._used[kind]:
                del store[key]
            self._used[kind] = set()
        self.fresh_pages = 0

    def save(self, folder: Path, out_dir: Path, files: dict[str, bytes]) -> None:
        """Write the cache file, recording where the pages and index now are in `out_dir`."""
        where = {id(data): name for name, data in files.items()}
        pages = {key: _stored(where[id(data)], data) for key, data in self.pages.items()
                 if key in self._used["pages"] and id(data) in where}
        search = {key: [_stored(name, data) for name, data in index.items()]
                  for key, index in self.search.items() if key in self._used["search"]}
        results = {kind: {k: v for k, v in store.items() if k in self._used[kind]}
                   for kind, store in self.results.items()}
        state = {"format": _FORMAT, "out_dir": str(out_dir), "results": results,
                 "pages": pages, "search": search}
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".build-cache-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(state, stream, protocol=5)
            os.replace(temporary, folder / _FILE)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, folder: Path, out_dir: Path) -> BuildCache:
        """The cache of the last build into `out_dir`; an empty one when there is none or
        it cannot be read (a cache is never worth failing a build for)."""
        cache = cls()
        try:
            state = _DataOnly(io.BytesIO((folder / _FILE).read_bytes())).load()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError,
                TypeError, IndexError, ImportError):
            return cache
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            return cache
        if set(state["results"]) != set(KINDS):
            return cache
        cache.results = state["results"]
        if state["out_dir"] == str(out_dir):
            cache.stored_pages, cache.stored_search = state["pages"], state["search"]
            cache.stored_in = out_dir
        return cache


def _stored(name: str, data: bytes) -> tuple[str, int, int]:
    return name, len(data), zlib.crc32(data)
