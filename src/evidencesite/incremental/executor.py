"""The incremental executor: given what rendering declares (render/pages.py), it decides what
an earlier build's results can stand for, and makes the rest.

Every output is kept under the digest of what it reads: the generator, the templates and
the settings (`salt`), what every page reads (`start`), and what the declaration names.
A page found under its digest is reused without building its context; one that is not is
made, here or by the worker processes when there are enough of them, and kept. The
executor counts the pages it made (`fresh`), which tells the search stage whether the
cached index can still be the site's.
"""
from __future__ import annotations

from typing import Iterator

from jinja2 import Environment

from evidencesite.incremental.keys import digest, plain
from evidencesite.incremental.store import BuildCache
from evidencesite.incremental.workers import Workers
from evidencesite.render.pages import Files, Page, PageSet, Value

POOL_FROM = 200  # pages to make; fewer are made here rather than sent to the workers


class Executor:
    """Used as a context manager: its worker processes are forked when they are first
    needed, so that they start with every declaration made until then."""

    def __init__(self, env: Environment, cache: BuildCache, salt: str, jobs: int = 0) -> None:
        self.env, self.cache = env, cache
        self.salt = salt  # digest of what every output depends on: generator, templates, site
        self.workers = Workers(jobs)
        self.common: dict = {}
        self.base = salt
        self.fresh = 0  # pages made rather than reused

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc) -> None:
        self.workers.__exit__(*exc)

    def start(self, common: dict) -> None:
        """`common`: the variables every template gets (and so every page reads)."""
        self.common = common
        self.base = digest(self.salt, plain(common))

    # -- shared values and files ---------------------------------------------------
    def value(self, declared: Value):
        key = digest(self.salt, declared.name, plain(declared.reads))
        if declared.lasting:
            return self.cache.get_or_make("fragments", key, declared.make)
        found = self.cache.live.get(key)
        if found is None:
            found = declared.make()
        self.cache.live[key] = found
        return found

    def files(self, declared: Files) -> dict[str, bytes]:
        key = digest(self.salt, declared.name, plain(declared.reads))
        return self.cache.get_or_make("fragments", key, declared.make)

    # -- pages ---------------------------------------------------------------------
    def page(self, page: Page) -> bytes:
        if page.reads is None:
            return self._by_context(page)
        return self._kept(self._key(page), lambda: self._by_context(page, counted=False))

    def pages(self, pages: list[Page]) -> Iterator[tuple[str, bytes]]:
        """(path, page) for each of `pages` (which declare what they read), in order; those
        not reused are made by the workers when there are enough of them."""
        keys = [self._key(page) for page in pages]
        found = [self.cache.page(key) for key in keys]
        missing = [index for index, page in enumerate(found) if page is None]
        made: Iterator = iter(())
        if self.workers.parallel(len(missing), POOL_FROM):
            global _FORKED
            _FORKED = (self, pages)  # what the forked workers make the pages from
            made = self.workers.imap(_make_in_worker, missing)

        def make(index: int) -> bytes:
            nonlocal made
            try:
                page = next(made, None)
            except Exception:  # made again here, to report it with its template line
                made, page = iter(()), None
            return page or self._by_context(pages[index], counted=False)

        for index, page in enumerate(found):
            yield pages[index].path, (page if page is not None else
                                      self._kept(keys[index], lambda: make(index)))

    def page_set(self, declared: PageSet) -> dict[str, bytes]:
        """The pages of `declared`: when what they read is that of an earlier build, so
        are their names and the pages, found without declaring them again."""
        base = digest(self.base, declared.name, plain(declared.reads))
        names = self.cache.get("fragments", digest(base, "names"))
        if names is not None:
            found = {name: self.cache.page(digest(base, name)) for name in names}
            if all(page is not None for page in found.values()):
                return found
        out = {page.path: self.page(page) for page in declared.pages()}
        for name, page in out.items():
            self.cache.keep_page(digest(base, name), page)
        self.cache.keep("fragments", digest(base, "names"), list(out))
        return out

    # -- keeping -------------------------------------------------------------------
    def _key(self, page: Page) -> str:
        return digest(self.base, page.template, plain(page.reads))

    def _by_context(self, page: Page, counted: bool = True) -> bytes:
        """The page kept under its template and context (when its declared inputs changed
        but not what it shows, it is not rendered again), else rendered."""
        context = page.context()
        return self._kept(digest(self.base, page.template, plain(context)),
                          lambda: self.env.get_template(page.template).render(
                              **self.common, **context).encode("utf-8"), counted)

    def _kept(self, key: str, make, counted: bool = True) -> bytes:
        page = self.cache.page(key)
        if page is None:
            page = make()
            self.cache.keep_page(key, page)
            self.fresh += counted
        return page


_FORKED: tuple | None = None


def _make_in_worker(index: int) -> bytes:
    executor, pages = _FORKED
    return executor._by_context(pages[index], counted=False)
