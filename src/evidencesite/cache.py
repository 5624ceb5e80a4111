"""What earlier builds made, reused when the inputs are the same.

Four kinds of results, each under the digest of everything it was made from: content files
read and checked (with their Markdown rendered), the formatted bibliography, rendered pages
and the search index. The dev server keeps one `BuildCache` in memory across rebuilds; the
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
_FORMAT = 1
# Only the site's own data types may be read back: a cache file is data, never code.
_ALLOWED = {
    "evidencesite.model": {"SourceLocation", "Document", "BibRecord", "Citation", "Link",
                           "Heading", "ParsedMarkdown"},
    "evidencesite.analyse": {"Analysed"},
    "evidencesite.diagnostics": {"Diagnostic"},
    "evidencesite.markdown": {"CiteItem"},
    "evidencesite.references": {"Reference"},
    "builtins": {"set", "frozenset"},
}


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a build cache")


class BuildCache:
    def __init__(self) -> None:
        self.documents: dict[str, tuple] = {}
        self.references: dict[str, dict] = {}
        self.pages: dict[str, bytes] = {}
        self.search: dict[str, dict[str, bytes]] = {}
        # results written by an earlier build: digest -> where, and what they must be
        self.stored_pages: dict[str, tuple[str, int, int]] = {}
        self.stored_search: dict[str, list[tuple[str, int, int]]] = {}
        self.stored_in: Path | None = None
        self.fresh_pages = 0  # pages the current build rendered rather than reused
        self._used: dict[str, set[str]] = {"documents": set(), "references": set(),
                                           "pages": set(), "search": set()}

    # -- lookups ---------------------------------------------------------------
    def document(self, key: str):
        return self._get(self.documents, "documents", key)

    def keep_document(self, key: str, result: tuple) -> None:
        self.documents[key] = result
        self._used["documents"].add(key)

    def formatted_references(self, key: str):
        return self._get(self.references, "references", key)

    def keep_references(self, key: str, references: dict) -> None:
        self.references[key] = references
        self._used["references"].add(key)

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

    def has_search_index(self) -> bool:
        return bool(self.search or self.stored_search)

    def keep_search_index(self, key: str, files: dict[str, bytes]) -> None:
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
        for kind in ("documents", "references", "pages", "search"):
            store = getattr(self, kind)
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
        state = {"format": _FORMAT, "out_dir": str(out_dir),
                 "documents": {k: v for k, v in self.documents.items()
                               if k in self._used["documents"]},
                 "references": {k: v for k, v in self.references.items()
                                if k in self._used["references"]},
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
        cache.documents = state["documents"]
        cache.references = state["references"]
        if state["out_dir"] == str(out_dir):
            cache.stored_pages, cache.stored_search = state["pages"], state["search"]
            cache.stored_in = out_dir
        return cache


def _stored(name: str, data: bytes) -> tuple[str, int, int]:
    return name, len(data), zlib.crc32(data)
