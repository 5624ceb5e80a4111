"""What the site sends Pagefind's indexer: less than the whole page, but an index that is
exactly the one the whole pages give."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from test_build import UNSTABLE_SEARCH_FILES, all_files

from evidencesite.output.search import marked_pages, page_url, searchable_part


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
