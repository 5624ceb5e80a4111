"""Dev server: rebuild on change, reload the browser, show diagnostics in the page.

The site is built into a private folder (never site/), so a failed build leaves the last good
site being served, with the diagnostics shown on top of every page until the file is fixed.
Rebuilds reuse what the previous one made (an in-memory `BuildCache`): only changed files are
read again and only pages whose inputs changed are rendered and rewritten. The search index
follows in the background, so that a save shows in the browser at once.
"""
from __future__ import annotations

import gc
import mimetypes
import shutil
import signal
import socket
import sys
import tempfile
import threading
from dataclasses import replace
from markupsafe import escape
from pathlib import Path

from evidencesite.incremental.store import BuildCache
from evidencesite.config import Config
from evidencesite.build import BuildResult, build
from evidencesite.render.environment import CSP
from evidencesite.output.search import FOLDER, SearchIndexError, SearchIndexer, marked_pages
from evidencesite.output.write import replace_folder_files, update_in_place, write_site

# livereload injects an inline loader script; only the local dev server allows it
_PUBLISHED_CSP = str(escape(CSP))
_DEV_CSP = str(escape(CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")))


class DevSite:
    """The folder being served and the outcome of the latest rebuild."""

    def __init__(self, config: Config, folder: Path) -> None:
        self.config = replace(config, out_dir=folder, jobs=1)  # no forking beside server threads
        self.folder = folder
        self.last: BuildResult | None = None
        self.cache = BuildCache()
        self._lock = threading.Lock()
        self._generation = 0
        self._indexed_pages: dict[str, bytes] = {}  # what the served search index was made from
        self._indexer: SearchIndexer | None = None
        self._settled = False
        self.indexing: threading.Thread | None = None

    def rebuild(self) -> BuildResult:
        with self._lock:
            try:
                self.last = build(self.config, write=False, cache=self.cache)
                if self.last.files and not self.last.failed(self.config.strict):
                    self.last = self._publish(self.last)
                    self.cache.forget_unused()
                    self._index_later(self.last)
                    self._settle()
            except Exception as exc:  # the server must outlive any failure of a rebuild
                from evidencesite.diagnostics import Diagnostic
                from evidencesite.content.model import SourceLocation
                self.last = BuildResult((Diagnostic(SourceLocation("build"), "error",
                                                    "internal", repr(exc)),))
            for diagnostic in self.last.diagnostics:
                print(diagnostic.format_text(), flush=True)
            state = "failed" if self.last.errors else "ok"
            print(f"rebuild {state}: {self.last.errors} errors, {self.last.warnings} warnings",
                  flush=True)
            return self.last

    def _publish(self, result: BuildResult) -> BuildResult:
        """Write a rebuilt site into the served folder: in place, only the files whose bytes
        changed. Until the new search index is ready, the site keeps the last one."""
        files = {**result.files, **self.cache.latest_search_index()}
        if self.folder.is_dir():
            update_in_place(files, self.folder, self.cache.written)
        else:
            write_site(files, self.folder)
        self.cache.written = files
        return replace(result, files=files, written=True)

    def _settle(self) -> None:
        """The site's data lives as long as the server: the garbage collector is told so
        (`gc.freeze`), or every later rebuild would spend most of its time walking the
        millions of objects of a large review. Freed objects are still freed; only cyclic
        garbage made since the first build could stay, and rebuilds make little of it."""
        if not self._settled:
            gc.collect()
            self._settled = True
        gc.freeze()

    def _index_later(self, result: BuildResult) -> None:
        pages = marked_pages(result.files)
        last = self._indexed_pages
        if pages.keys() == last.keys() and all(
                page is last[name] or page == last[name] for name, page in pages.items()):
            return  # the pages indexed last (mostly the very same objects, from the cache)
        self._generation += 1
        generation = self._generation
        if self._indexer is not None:
            self._indexer.close()  # superseded: its pages are out of date
        try:
            indexer = self._indexer = SearchIndexer(result.language)
        except SearchIndexError as exc:
            print(f"search index not updated: {exc}", flush=True)
            return

        def index() -> None:
            try:
                indexer.add(pages)
                files = indexer.finish()
            except SearchIndexError as exc:
                if generation == self._generation:
                    print(f"search index not updated: {exc}", flush=True)
                return
            with self._lock:
                if generation != self._generation:
                    return  # a newer rebuild has its own indexing under way
                self.cache.keep_search_index(f"dev-{generation}", files)
                replace_folder_files(files, self.folder, FOLDER, f"{FOLDER}/pagefind-entry.json")
                self.cache.written = {**{name: data for name, data in self.cache.written.items()
                                         if not name.startswith(f"{FOLDER}/")}, **files}
                self._indexed_pages = pages
                print("search index updated", flush=True)

        self.indexing = threading.Thread(target=index, daemon=True)
        self.indexing.start()

    def stop(self) -> None:
        """No more indexing into the folder: it is about to be removed."""
        with self._lock:
            self._generation += 1  # a running indexing finds itself superseded
            if self._indexer is not None:
                self._indexer.close()
        if self.indexing is not None:
            self.indexing.join(timeout=10)

    def error_panel(self) -> str:
        if self.last is None or not self.last.errors:
            return ""
        lines = "\n".join(str(escape(d.format_text())) for d in self.last.diagnostics)
        return ('<div class="build-errors" role="alert"><h2>The last edit broke the build</h2>'
                "<p>Still showing the last good version. Fix these and save:</p>"
                f"<pre>{lines}</pre></div>")

    def resolve(self, url_path: str) -> Path | None:
        base = self.folder.resolve()
        relative = url_path.split("?", 1)[0].lstrip("/")
        candidate = (base / relative).resolve()
        if candidate != base and base not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def wsgi(self, environ, start_response):
        from urllib.parse import unquote

        path = self.resolve(unquote(environ.get("PATH_INFO", "/")))
        status = "200 OK"
        if path is None:
            status = "404 Not Found"
            path = self.resolve("/404.html")
        if path is None:
            body = f"<!doctype html><title>Not built</title>{self.error_panel()}".encode()
            start_response("404 Not Found" if not self.error_panel() else "500 Build failed",
                           [("Content-Type", "text/html; charset=utf-8")])
            return [body]
        data = path.read_bytes()
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":
            text = data.decode("utf-8").replace(_PUBLISHED_CSP, _DEV_CSP, 1)
            panel = self.error_panel()
            if panel:
                text = text.replace("<main", panel + "<main", 1)
            data = text.encode("utf-8")
            kind = "text/html; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [data]


def serve(config: Config, port: int = 8000) -> int:
    from livereload import Server

    try:
        port = _claim(port)
    except PortBusy as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1
    folder = Path(tempfile.mkdtemp(prefix="evidencesite-serve-"))
    previous = signal.signal(signal.SIGTERM, _interrupt)  # cleaned up as after Ctrl+C
    dev = DevSite(config, folder / "site")
    try:
        dev.rebuild()
        server = Server(app=dev.wsgi)
        for watched in (config.content_dir, config.templates_dir, config.bib_path):
            server.watch(str(watched), dev.rebuild, delay=0.2)
        print(f"Serving on http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
        server.serve(port=port, host="127.0.0.1", debug=False, restart_delay=0)
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port was taken between the check and the start
        print(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}; "
              "try `--port 0` (any free port)", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        dev.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


class PortBusy(RuntimeError):
    pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _claim(port: int) -> int:
    """The port to serve on: `port` if it is free, any free one for 0; refuses a busy one
    with a free one named."""
    if port == 0:
        return _free_port(0)
    try:
        return _free_port(port)
    except OSError as exc:
        others = (_first_free(range(port + 1, min(port + 100, 65536))) if 0 < port < 65535
                  else None)
        suggestion = f"`--port {others}` (free now) or " if others else ""
        raise PortBusy(f"port {port} on 127.0.0.1 is in use ({exc.strerror or exc}): "
                       f"try {suggestion}`--port 0` (any free port)") from exc


def _free_port(port: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", port))
        return probe.getsockname()[1]


def _first_free(ports) -> int | None:
    for candidate in ports:
        try:
            return _free_port(candidate)
        except OSError:
            continue
    return None
