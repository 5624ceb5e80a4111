"""Full-text search: a Pagefind index built from the rendered pages, served by the site itself.

Only pages marked `data-pagefind-body` are indexed (entries, questions, pages); filters and
sort keys come from the `data-pagefind-filter` / `data-pagefind-sort` attributes the
templates put on the facts of each page.
"""
from __future__ import annotations

import asyncio
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FOLDER = "pagefind"
# Pagefind's own ready-made interfaces are not used: the site ships its own search page.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


class SearchIndexError(RuntimeError):
    pass




def build_search_index(pages: dict[str, bytes], language: str) -> dict[str, bytes]:
    """Index every page marked for search; returns the files of site/pagefind/.

    Result URLs are relative to the site's root; the search page gives Pagefind the base
    path at run time."""
    marked = {name: html for name, html in sorted(pages.items())
              if name.endswith(".html") and b"data-pagefind-body" in html}
    if not marked:
        return {}
    return _run(_index(marked, language))


def _run(coroutine):
    """asyncio.run, also when the caller already runs an event loop (then in a thread)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _index(pages: dict[str, bytes], language: str) -> dict[str, bytes]:
    from pagefind.index import IndexConfig, PagefindIndex

    # One add_directory request instead of one request a page: the Python wrapper answers
    # at most one request per 0.1 s poll.
    with tempfile.TemporaryDirectory(prefix="evidencesite-search-") as folder:
        source, out = Path(folder) / "pages", Path(folder) / FOLDER
        for name, html in pages.items():
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)
        config = IndexConfig(force_language=language.split("-")[0], output_path=str(out))
        try:
            async with PagefindIndex(config=config) as index:
                await index.add_directory(path=str(source))
        except Exception as exc:  # the indexer is a separate binary: report, don't crash
            raise SearchIndexError(f"search indexing failed: {exc}") from exc
        return {f"{FOLDER}/{path.relative_to(out).as_posix()}": path.read_bytes()
                for path in sorted(out.rglob("*"))
                if path.is_file() and not path.name.startswith(_UNUSED)}
