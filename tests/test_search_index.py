"""What the site sends Pagefind's indexer: less than the whole page, but an index that is
exactly the one the whole pages give."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from test_build import UNSTABLE_SEARCH_FILES, all_files

from evidencesite.incremental.store import BuildCache
from evidencesite.output.search import SearchStage, marked_pages, page_url, searchable_part


def pagefind_index(pages: dict[str, bytes], scratch) -> dict[str, bytes]:
    """The index Pagefind's own Python API makes of `pages`, in their order (it also writes
    the files, into `scratch`)."""
    from pagefind.index import IndexConfig, PagefindIndex

    async def index() -> list:
        async with PagefindIndex(config=IndexConfig(force_language="en",
                                                      output_path=str(scratch))) as made:
            for name, html in pages.items():
                await made.add_html_file(content=html.decode("utf-8"), url=page_url(name))
            return await made.get_files()

    with ThreadPoolExecutor(1) as thread:  # browser tests leave this thread's loop running
        files = thread.submit(lambda: asyncio.run(index())).result()
    return {f"pagefind/{file['path']}": file["content"] for file in files
            if not UNSTABLE_SEARCH_FILES.match(f"pagefind/{file['path']}")}


def test_searchable_part_gives_the_index_of_the_whole_page(mini_site, tmp_path):
    pages = marked_pages(all_files(mini_site.site))
    kinds = {name.split("/")[0] for name in pages}
    assert {"entries", "questions", "about"} <= kinds
    parts = {name: searchable_part(html) for name, html in pages.items()}
    for name, part in parts.items():
        assert len(part) < len(pages[name]), name
        assert b"site-header" not in part and b'<html lang="en">' in part
    whole = pagefind_index(pages, tmp_path / "whole")
    assert any(name.startswith("pagefind/fragment/") for name in whole)
    assert pagefind_index(parts, tmp_path / "parts") == whole


def test_page_without_a_marked_element_is_sent_whole():
    page = b'<!doctype html><html lang="en"><body><main>Text</main></body></html>'
    assert searchable_part(page) is page


def _page(words: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><title>{words}</title></head><body>'
            f'<main data-pagefind-body><h1>{words}</h1><p>{words}</p></main></body></html>'
            ).encode()


def _indexed_pages(index: dict[str, bytes]) -> int:
    return json.loads(index["pagefind/pagefind-entry.json"])["languages"]["en"]["page_count"]


def test_index_started_early_is_the_index_of_every_page(tmp_path):
    """The indexer builds the index once every page it indexes is added (`start`), while
    the rest of the site renders; a marked page that shows up only afterwards (a template
    that marks a list page) is not lost: the index is made again with it."""
    pages = {f"entries/e{i}/index.html": _page(f"entry number {i} rechallenge")
             for i in range(3)}
    with SearchStage("en", BuildCache()) as early:
        early.add(pages, started=True)
        early.start()
        assert _indexed_pages(early.files({**pages, "index.html": b"<html></html>"})) == 3
    late_page = {"map/index.html": _page("evidence map resistance")}
    with SearchStage("en", BuildCache()) as late:
        late.add(pages, started=True)
        late.start()
        index = late.files({**pages, **late_page})
    with SearchStage("en", BuildCache()) as whole:
        expected = whole.files({**pages, **late_page})
    assert _indexed_pages(index) == 4
    assert {name: data for name, data in index.items()
            if not UNSTABLE_SEARCH_FILES.match(name)} == \
        {name: data for name, data in expected.items() if not UNSTABLE_SEARCH_FILES.match(name)}
