"""Full-text search: a Pagefind index built from the rendered pages, served by the site itself.

Only pages marked `data-pagefind-body` are indexed (entries, questions, pages); filters come
from the `data-pagefind-filter` attributes the templates put on the facts of each page.

The pages go from memory to Pagefind's indexer (`pagefind --service`, the process behind
its Python API) through its pipe protocol: base64-encoded JSON messages ended by a comma.
The Python API's own client reads one answer per 0.1 s, which would cost 100 s for
1,000 pages; this client reads answers as they come, and the indexer works on its own core
while the build goes on (`SearchIndexer.add` returns at once; `finish` waits).
"""
from __future__ import annotations

import base64
import json
import queue
import re
import subprocess
import threading

from evidencesite.incremental.store import BuildCache
from evidencesite.incremental.keys import digest, digest_files, generator_fingerprint

FOLDER = "pagefind"
# Pagefind's own ready-made interfaces are not used: the site ships its own search page.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class SearchIndexError(RuntimeError):
    pass


def _is_marked(name: str, html: bytes) -> bool:
    return name.endswith(".html") and b"data-pagefind-body" in html


def marked_pages(pages: dict[str, bytes]) -> dict[str, bytes]:
    """The pages Pagefind indexes, in a stable order."""
    return {name: html for name, html in sorted(pages.items()) if _is_marked(name, html)}


_BODY = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\sdata-pagefind-body[\s>=]")
_HTML_TAG = re.compile(rb"<html\b[^>]*>")


def searchable_part(html: bytes) -> bytes:
    """What Pagefind reads of a page: the `<html>` tag (its language) and the element marked
    `data-pagefind-body`, which holds every filter and metadata attribute of the site's
    templates. Pagefind ignores the rest (head, navigation, footer) but would still parse
    it: a third of an entry page's bytes."""
    body, html_tag = _BODY.search(html), _HTML_TAG.search(html)
    if body is None or html_tag is None:
        return html
    closing = b"</" + body.group(1) + b">"
    end = html.rfind(closing)
    if end < body.start():
        return html
    return (b"<!doctype html>" + html_tag.group(0) + b"<head></head><body>"
            + html[body.start():end + len(closing)] + b"</body></html>")


def page_url(name: str) -> str:
    """Result URLs are relative to the site's root; the search page gives Pagefind the base
    path at run time."""
    return "/" + (name[: -len("index.html")] if name.endswith("index.html") else name)


class _AddFile:
    def __init__(self, index: int, url: str, html: bytes) -> None:
        self.index, self.url, self.html = index, url, html

    def payload(self) -> dict:
        return {"type": "AddFile", "index_id": self.index, "url": self.url, "file_path": None,
                "file_contents": searchable_part(self.html).decode("utf-8")}


class SearchIndexer:
    """One Pagefind index being built by the indexer process."""

    def __init__(self, language: str) -> None:
        from pagefind.service import get_executable

        executable = get_executable()
        if executable is None:
            raise SearchIndexError("the Pagefind indexer is not installed")
        try:
            self._process = subprocess.Popen([str(executable), "--service"],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise SearchIndexError(f"the Pagefind indexer could not start: {exc}") from exc
        self._answers: dict[int, dict] = {}
        self._arrived = threading.Condition()
        self._sent = 0
        # the indexer reads a message only when it is ready for it: a thread does the
        # waiting, so that the build goes on
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._write_failed: OSError | None = None
        threading.Thread(target=self._read_answers, daemon=True).start()
        threading.Thread(target=self._write_messages, daemon=True).start()
        answer = self._ask({"type": "NewIndex",
                            "config": {"force_language": language.split("-")[0]}})
        self._index = answer["index_id"]
        self._added: list[int] = []

    def add(self, pages: dict[str, bytes]) -> None:
        """Queue pages for indexing, in the order given; returns at once, the indexer works
        in the background. A queued page is encoded only when the indexer is ready for it,
        so that the queue holds no copies of the pages."""
        for name, html in pages.items():
            if _is_marked(name, html):
                self._added.append(self._send(_AddFile(self._index, page_url(name), html)))

    def finish(self) -> dict[str, bytes]:
        """Wait for the indexer; returns the files of site/pagefind/."""
        try:
            for message in self._added:
                self._wait(message)
            if not self._added:
                return {}
            files = self._ask({"type": "GetFiles", "index_id": self._index})["files"]
        finally:
            self.close()
        return {f"{FOLDER}/{file['path']}": base64.b64decode(file["content"])
                for file in sorted(files, key=lambda file: file["path"])
                if not file["path"].startswith(_UNUSED)}

    def close(self) -> None:
        self._outbox.put(None)
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()

    # -- the pipe protocol --------------------------------------------------------
    def _send(self, payload: dict) -> int:
        if self._write_failed is not None:
            raise SearchIndexError(f"the Pagefind indexer stopped: {self._write_failed}")
        self._sent += 1
        self._outbox.put((self._sent, payload))
        return self._sent

    def _write_messages(self) -> None:
        while (queued := self._outbox.get()) is not None:
            number, payload = queued
            if isinstance(payload, _AddFile):
                payload = payload.payload()
            message = {"message_id": number, "payload": payload}
            try:
                self._process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
                self._process.stdin.flush()
            except OSError as exc:  # the indexer stopped; _wait reports it
                self._write_failed = exc
                return

    def _ask(self, payload: dict) -> dict:
        return self._wait(self._send(payload))

    def _wait(self, message: int) -> dict:
        with self._arrived:
            while message not in self._answers:
                if self._process.poll() is not None:
                    raise SearchIndexError("the Pagefind indexer stopped unexpectedly")
                self._arrived.wait(timeout=0.5)
            answer = self._answers.pop(message)
        if answer.get("type") == "Error":
            raise SearchIndexError(f"search indexing failed: {answer.get('message')}")
        return answer

    def _read_answers(self) -> None:
        buffer = bytearray()  # grown in place: the answer that carries the files is large
        while chunk := self._process.stdout.read1(1 << 16):
            end = chunk.rfind(b",")  # a message ends with a comma: only new bytes are searched
            buffer += chunk if end < 0 else chunk[:end]
            if end < 0:
                continue
            complete, buffer = buffer.split(b","), bytearray(chunk[end + 1:])
            with self._arrived:
                for raw in complete:
                    answer = json.loads(base64.b64decode(raw))
                    if answer is None:
                        continue
                    message = answer.get("message_id")
                    if message is None:  # the indexer could not read a message: find its id
                        original = answer.get("payload", {}).get("original_message")
                        message = json.loads(original).get("message_id") if original else 0
                    self._answers[message] = answer["payload"]
                self._arrived.notify_all()
        with self._arrived:
            self._arrived.notify_all()


class SearchStage:
    """The search index of the site's pages: the cached one when the same pages were indexed
    before, else the indexer's. Pages are added as they render (`add`); the indexer starts
    as soon as one of them was rendered afresh rather than taken from the cache, so that it
    works on its own core while the rest render. Once every page it indexes is added
    (`start`), it builds the index while the pages it does not index render. Pages reach it
    in one order whatever the cache holds (the order changes the index files)."""

    def __init__(self, language: str, cache: BuildCache) -> None:
        self.language, self.cache = language, cache
        self.indexer: SearchIndexer | None = None
        self.pages: dict[str, bytes] = {}  # marked pages in the order they were added
        self.sent = 0
        self._key: str | None = None  # of the pages the index is being built from
        self._building: _Building | None = None

    def add(self, pages: dict[str, bytes], started: bool) -> None:
        """Pages as they render; `started`: whether any page so far was made afresh rather
        than taken from the cache (then the cached index cannot be the site's)."""
        self.pages.update(marked_pages(pages))
        if self.indexer is None and started:
            self.indexer = SearchIndexer(self.language)
        if self.indexer is not None:
            self._send()

    def start(self) -> None:
        """Every page to index has been added: unless the cache holds their index, the
        indexer builds it from now on, while the build goes on (`files` collects it)."""
        self._key = self._digest()
        if self.cache.search_index(self._key) is None:
            if self.indexer is None:
                self.indexer = SearchIndexer(self.language)
            self._send()
            self._building = _Building(self.indexer.finish)

    def files(self, pages: dict[str, bytes]) -> dict[str, bytes]:
        """The files of site/pagefind/ for `pages`, every page of the site. A marked page
        that was not added before `start` makes the index be built again with it."""
        added = marked_pages({name: html for name, html in pages.items()
                              if name not in self.pages})
        self.pages.update(added)
        key = self._key if self._key is not None and not added else self._digest()
        found = self.cache.search_index(key)
        if found is not None:
            return found
        if key == self._key and self._building is not None:
            index = self._building.result()
        else:
            if self._key is not None:  # started without every page: index them all afresh
                self.close()
                self.indexer, self.sent = None, 0
            if self.indexer is None:
                self.indexer = SearchIndexer(self.language)
            self._send()
            index = self.indexer.finish()
        self.cache.keep_search_index(key, index)
        return index

    def _digest(self) -> str:
        return digest_files(digest(generator_fingerprint(), self.language), self.pages.items())

    def _send(self) -> None:
        names = list(self.pages)[self.sent:]
        self.indexer.add({name: self.pages[name] for name in names})
        self.sent += len(names)

    def close(self) -> None:
        if self.indexer is not None:
            self.indexer.close()
        if self._building is not None:
            self._building.join()  # it fails, with the indexer closed; nobody asks why
            self._building = None

    def __enter__(self) -> SearchStage:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Building:
    """`make()` run by a thread (it waits for the indexer); `result()` returns or raises
    what it did."""

    def __init__(self, make) -> None:
        self._outcome: tuple = (False, None)
        self._thread = threading.Thread(target=self._run, args=(make,), daemon=True)
        self._thread.start()

    def _run(self, make) -> None:
        try:
            self._outcome = (True, make())
        except BaseException as exc:  # noqa: BLE001 - raised where the result is asked for
            self._outcome = (False, exc)

    def join(self) -> None:
        self._thread.join()

    def result(self):
        self._thread.join()
        finished, value = self._outcome
        if not finished:
            raise value
        return value
