"""The incremental executor (incremental/executor.py): a page whose declared inputs are
those of an earlier build is that build's page, made without building its context; a page
whose inputs changed is made again."""
from __future__ import annotations

from jinja2 import DictLoader, Environment

from evidencesite.incremental.executor import Executor
from evidencesite.incremental.store import BuildCache
from evidencesite.render.pages import Files, Page, PageSet, Value

TEMPLATES = {"page.html": "{{ site }}: {{ text }}", "list.html": "{{ site }}: {{ items | join(',') }}"}


class Declared:
    """Pages declared from `texts`; counts the contexts built."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        self.contexts: list[str] = []

    def page(self, name: str) -> Page:
        def context() -> dict:
            self.contexts.append(name)
            return {"text": self.texts[name]}

        return Page(f"{name}/index.html", "page.html", context, reads=(self.texts[name],))


def run(cache: BuildCache, declared: Declared, salt: str = "s", site: str = "Site",
        jobs: int = 1) -> tuple[dict[str, bytes], int]:
    env = Environment(loader=DictLoader(TEMPLATES))
    with Executor(env, cache, salt, jobs) as executor:
        executor.start({"site": site})
        pages = dict(executor.pages([declared.page(name) for name in sorted(declared.texts)]))
        return pages, executor.fresh


def test_only_the_page_whose_inputs_changed_is_made_again():
    cache = BuildCache()
    first = Declared({"a": "one", "b": "two"})
    pages, fresh = run(cache, first)
    assert pages == {"a/index.html": b"Site: one", "b/index.html": b"Site: two"}
    assert fresh == 2 and first.contexts == ["a", "b"]
    second = Declared({"a": "one", "b": "changed"})
    pages, fresh = run(cache, second)
    assert pages["b/index.html"] == b"Site: changed" and pages["a/index.html"] == b"Site: one"
    assert fresh == 1 and second.contexts == ["b"]  # a's context was never built


def test_what_every_page_reads_makes_every_page_again():
    cache = BuildCache()
    run(cache, Declared({"a": "one", "b": "two"}))
    again = Declared({"a": "one", "b": "two"})
    pages, fresh = run(cache, again, site="Renamed")
    assert fresh == 2 and pages["a/index.html"] == b"Renamed: one"
    salted = Declared({"a": "one", "b": "two"})
    assert run(cache, salted, salt="other templates")[1] == 2


def test_a_page_without_declared_inputs_is_keyed_by_its_context():
    env = Environment(loader=DictLoader(TEMPLATES))
    cache = BuildCache()
    for items, expected_fresh in ((["x"], 1), (["x"], 0), (["x", "y"], 1)):
        with Executor(env, cache, "s", 1) as executor:
            executor.start({"site": "Site"})
            page = executor.page(Page("list.html", "list.html", lambda: {"items": items}))
            assert page == ("Site: " + ",".join(items)).encode()
            assert executor.fresh == expected_fresh


def test_a_page_set_is_declared_again_only_when_what_it_reads_changes():
    env = Environment(loader=DictLoader(TEMPLATES))
    cache = BuildCache()
    declared = []

    def pages(terms):
        def make() -> list[Page]:
            declared.append(terms)
            return [Page(f"{t}/index.html", "page.html", lambda t=t: {"text": t}) for t in terms]
        return make

    for terms in (("x", "y"), ("x", "y"), ("z",)):
        with Executor(env, cache, "s", 1) as executor:
            executor.start({"site": "Site"})
            out = executor.page_set(PageSet("terms", terms, pages(terms)))
            assert sorted(out) == [f"{t}/index.html" for t in terms]
    assert declared == [("x", "y"), ("z",)]


def test_shared_values_and_files_are_made_once_for_the_same_inputs():
    env = Environment(loader=DictLoader(TEMPLATES))
    cache = BuildCache()
    made = []
    with Executor(env, cache, "s", 1) as executor:
        for reads in (("a",), ("a",), ("b",)):
            executor.value(Value("row", reads, lambda r=reads: made.append(r) or r[0]))
            executor.files(Files("exports", reads, lambda r=reads: {"f": r[0].encode()}))
        assert executor.value(Value("row", ("a",), lambda: "new")) == "a"
        live = Value("live", ("a",), lambda: made.append("live") or "v", lasting=False)
        assert executor.value(live) == executor.value(live) == "v"
    assert made == [("a",), ("b",), "live"]


def test_worker_processes_make_the_same_pages(monkeypatch):
    import evidencesite.incremental.executor as executor_module

    monkeypatch.setattr(executor_module, "POOL_FROM", 2)  # the pool for a handful of pages
    texts = {f"p{n}": f"text {n}" for n in range(6)}
    alone, _ = run(BuildCache(), Declared(texts), jobs=1)
    forked, fresh = run(BuildCache(), Declared(texts), jobs=2)
    assert forked == alone and fresh == 6


def test_values_kept_in_memory_are_forgotten_when_a_build_did_not_use_them():
    cache = BuildCache()
    cache.live["old"] = 1
    cache.live["kept"] = 2
    cache.forget_unused()  # after the first build: both were kept by it
    assert dict(cache.live) == {"old": 1, "kept": 2}
    assert cache.live.get("kept") == 2  # the next build uses one of them
    cache.live["new"] = 3
    cache.forget_unused()
    assert dict(cache.live) == {"kept": 2, "new": 3}


def test_a_page_that_fails_in_a_worker_fails_here_at_its_template_line(monkeypatch, tmp_path):
    """The worker's error is not reported as it came back (pickled, without the template's
    frames): the page is made again in this process, whose traceback has the line."""
    import os
    import traceback

    import jinja2
    import evidencesite.incremental.executor as executor_module

    monkeypatch.setattr(executor_module, "POOL_FROM", 2)
    env = Environment(loader=DictLoader({"page.html": "{{ site }}\n{{ text.missing.deeper }}"}),
                      undefined=jinja2.StrictUndefined)
    made_by = tmp_path / "processes"

    def page(name: str) -> Page:
        def context() -> dict:
            with made_by.open("a") as out:
                out.write(f"{os.getpid()}\n")
            return {"text": name}
        return Page(f"{name}/index.html", "page.html", context, reads=(name,))

    with Executor(env, BuildCache(), "s", 2) as executor:
        executor.start({"site": "Site"})
        try:
            dict(executor.pages([page(f"p{n}") for n in range(6)]))
        except jinja2.UndefinedError as exc:
            frames = traceback.extract_tb(exc.__traceback__)
        else:
            raise AssertionError("the template error was not raised")
    assert {int(pid) for pid in made_by.read_text().split()} - {os.getpid()}  # by workers
    assert [frame.lineno for frame in frames if frame.filename == "<template>"] == [2]
