"""What earlier builds made, reused when the inputs are the same.

Results are kept under the digest of everything they were made from: content files read
and checked (with their Markdown rendered), the parsed and the formatted bibliography,
fragments shared by many pages and exports, pooled syntheses (`get`/`keep` by kind),
rendered pages and the search index. The dev server keeps one `BuildCache` in memory across
rebuilds; the command line keeps results in `.cache/evidencesite/`, one file per result,
read only when asked for and written only when new. Rendered pages and the search index are not copied there:
the cache records where in the output folder they were written, with their size and CRC,
and reads them back only if they are still intact.
"""
from __future__ import annotations

import io
import pickle
import threading
import zlib
from pathlib import Path

from evidencesite.content.model import STAGE_TYPES
from evidencesite.evidence.model import EVIDENCE_TYPES
from evidencesite.output.write import replace_file

FOLDER = Path(".cache") / "evidencesite"
_VERSION = "v4"  # of the layout below; another version's files are never read
_OUTPUTS = "outputs.pickle"
KINDS = ("documents", "bibliography", "references", "fragments", "syntheses")
# Only the site's own data types may be read back: a cache file is data, never code.
_ALLOWED: dict[str, set[str]] = {"builtins": {"set", "frozenset"}}
for _type in (*STAGE_TYPES, *EVIDENCE_TYPES):
    _ALLOWED.setdefault(_type.__module__, set()).add(_type.__qualname__)


class _DataOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if name in _ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a build cache")


def _read_data(path: Path):
    """The data in a cache file, or None when it is missing or cannot be read (a cache is
    never worth failing a build for)."""
    try:
        return _DataOnly(io.BytesIO(path.read_bytes())).load()
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError,
            IndexError, ImportError, KeyError):
        return None


class LiveValues(dict):
    """Objects worth keeping only in this process (the dev server's): what one build did
    not look up or keep is forgotten after it (`forget_untouched`), so that the values of
    edited files do not pile up."""

    def __init__(self) -> None:
        super().__init__()
        self.touched: set = set()

    def __getitem__(self, key):
        self.touched.add(key)
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self.touched.add(key)
        return super().__contains__(key)

    def __setitem__(self, key, value) -> None:
        self.touched.add(key)
        super().__setitem__(key, value)

    def get(self, key, default=None):
        self.touched.add(key)
        return super().get(key, default)

    def forget_untouched(self) -> None:
        for key in set(self) - self.touched:
            super().__delitem__(key)
        self.touched = set()


class BuildCache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder / _VERSION if folder is not None else None
        self.results: dict[str, dict] = {kind: {} for kind in KINDS}
        self.pages: dict[str, bytes] = {}
        self.search: dict[str, dict[str, bytes]] = {}
        # results written by an earlier build: digest -> where, and what they must be
        self.stored_pages: dict[str, tuple[str, int, int]] = {}
        self.stored_search: dict[str, list[tuple[str, int, int]]] = {}
        self.stored_in: Path | None = None
        self.changed = False  # something new to save
        self.written: dict[str, bytes] = {}  # what the last build in this process wrote
        self.live = LiveValues()  # objects worth keeping only in this process
        self._new: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self._used: dict[str, set[str]] = {kind: set() for kind in (*KINDS, "pages", "search")}
        self._saving: threading.Thread | None = None
        self._saving_failed: OSError | None = None

    # -- lookups ---------------------------------------------------------------
    def get(self, kind: str, key: str):
        """The result of `kind` kept under `key`, or None."""
        store = self.results[kind]
        if key not in store and self.folder is not None:
            found = _read_data(self.folder / kind / key)
            if found is not None:
                store[key] = found
        found = store.get(key)
        if found is not None:
            self._used[kind].add(key)
        return found

    def holds(self, kind: str) -> bool:
        """Whether any result of `kind` is kept (here, or in the folder)."""
        if self.results[kind]:
            return True
        folder = self.folder / kind if self.folder is not None else None
        return folder is not None and folder.is_dir() and any(folder.iterdir())

    def keep(self, kind: str, key: str, result) -> None:
        if key not in self.results[kind]:
            self.changed = True
            self._new[kind].add(key)
        self.results[kind][key] = result
        self._used[kind].add(key)

    def get_or_make(self, kind: str, key: str, make):
        found = self.get(kind, key)
        if found is None:
            found = make()
            self.keep(kind, key, found)
        return found

    def page(self, key: str) -> bytes | None:
        found = self.pages.get(key)
        if found is None and key in self.stored_pages:
            found = self._read_stored(*self.stored_pages[key])
            if found is not None:
                self.pages[key] = found
        if found is not None:
            self._used["pages"].add(key)
        return found

    def keep_page(self, key: str, data: bytes) -> None:
        self.changed = self.changed or key not in self.pages
        self.pages[key] = data
        self._used["pages"].add(key)

    def search_index(self, key: str) -> dict[str, bytes] | None:
        found = self.search.get(key)
        if found is None and key in self.stored_search:
            files = {name: self._read_stored(name, size, crc)
                     for name, size, crc in self.stored_search[key]}
            if all(data is not None for data in files.values()):
                found = self.search[key] = files
        if found is not None:
            self._used["search"].add(key)
        return found

    def latest_search_index(self) -> dict[str, bytes]:
        """The index kept last (for a dev server that indexes in the background)."""
        if not self.search:
            return {}
        latest = list(self.search)[-1]
        self._used["search"].add(latest)
        return self.search[latest]

    def keep_search_index(self, key: str, files: dict[str, bytes]) -> None:
        self.changed = self.changed or key not in self.search
        self.search.pop(key, None)  # re-inserted: the latest is last
        self.search[key] = files
        self._used["search"].add(key)

    def _read_stored(self, name: str, size: int, crc: int) -> bytes | None:
        if self.stored_in is None or not isinstance(name, str) or ".." in name.split("/"):
            return None
        try:
            data = self.stored_in.joinpath(*name.split("/")).read_bytes()
        except (OSError, ValueError):
            return None
        return data if len(data) == size and zlib.crc32(data) == crc else None

    # -- between builds ------------------------------------------------------------
    def forget_unused(self) -> None:
        """Keep only what the last build used, so that the cache does not grow forever."""
        for kind, used in self._used.items():
            store = self.results[kind] if kind in KINDS else getattr(self, kind)
            for key in set(store) - used:
                del store[key]
            self._used[kind] = set()
        self._new = {kind: set() for kind in KINDS}
        self.changed = False
        self.live.forget_untouched()

    def needs_saving(self) -> bool:
        """Whether the build made anything new, or left something unused (to forget)."""
        return (self.changed or bool(set(self.stored_pages) - self._used["pages"])
                or bool(set(self.stored_search) - self._used["search"]))

    def save_results_early(self) -> None:
        """Start writing the results in a thread, once the build will make no more of them
        (after rendering), so that the writing overlaps with the build's last stages."""
        if self.folder is not None and self._saving is None:
            self._saving = threading.Thread(target=self._save_results_reporting)
            self._saving.start()

    def save(self, out_dir: Path, files: dict[str, bytes]) -> None:
        """Write the new results, remove the unused ones, and record where the pages and
        the index now are in `out_dir`."""
        if self.folder is None:
            return
        if self._saving is None:
            self._save_results()
        else:
            self._saving.join()
            self._saving = None
            if self._saving_failed is not None:
                raise self._saving_failed
        where = {id(data): name for name, data in files.items()}
        pages = {key: _stored(where[id(data)], data) for key, data in self.pages.items()
                 if key in self._used["pages"] and id(data) in where}
        search = {key: [_stored(name, data) for name, data in index.items()]
                  for key, index in self.search.items() if key in self._used["search"]}
        replace_file(self.folder / _OUTPUTS, pickle.dumps(
            {"out_dir": str(out_dir), "pages": pages, "search": search}, protocol=5))

    def _save_results_reporting(self) -> None:
        try:
            self._save_results()
        except OSError as exc:
            self._saving_failed = exc

    def _save_results(self) -> None:
        for kind in KINDS:
            (self.folder / kind).mkdir(parents=True, exist_ok=True)
            for key in sorted(self._new[kind] & self._used[kind]):
                # written in place: a file cut short by a crash fails to unpickle and is
                # simply made again
                (self.folder / kind / key).write_bytes(
                    pickle.dumps(self.results[kind][key], protocol=5))
            kept = self.folder / kind
            for path in kept.iterdir() if kept.is_dir() else ():
                if path.name not in self._used[kind]:
                    path.unlink(missing_ok=True)

    @classmethod
    def load(cls, folder: Path, out_dir: Path) -> BuildCache:
        """The cache in `folder`, knowing what the last build wrote into `out_dir`; results
        are read from it only when a build asks for them."""
        cache = cls(folder)
        outputs = _read_data(cache.folder / _OUTPUTS)
        if isinstance(outputs, dict) and outputs.get("out_dir") == str(out_dir):
            cache.stored_pages = {key: where for key, where in outputs["pages"].items()
                                  if _is_stored(where)}
            cache.stored_search = {key: files for key, files in outputs["search"].items()
                                   if all(_is_stored(where) for where in files)}
            cache.stored_in = out_dir
        return cache


def _is_stored(where) -> bool:
    return (isinstance(where, tuple) and len(where) == 3 and isinstance(where[0], str)
            and all(isinstance(n, int) for n in where[1:]))


def _stored(name: str, data: bytes) -> tuple[str, int, int]:
    return name, len(data), zlib.crc32(data)
