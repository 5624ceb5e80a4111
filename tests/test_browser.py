"""What a reader does on the site, in a real browser: the review built under a sub-path,
served on 127.0.0.1 and driven in Debian's headless Chromium through Playwright."""
from __future__ import annotations

import functools
import re
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import CHROMIUM, REPO, _browser_or_skip  # noqa: F401  (browser: conftest)
from evidencesite.commands.cli import main

pytestmark = pytest.mark.slow  # a real browser: run with the full suite

SUB_PATH = "/review/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".wasm": "application/wasm",
                      ".pagefind": "application/octet-stream"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """The review built into <tmp>/www/review/ and served as http://127.0.0.1:PORT/review/."""
    _browser_or_skip()
    work = tmp_path_factory.mktemp("browser")
    root = work / "project"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citations.bib", root / "citations.bib")
    www = work / "www"
    assert main(["--root", str(root), "build", "--base-url", SUB_PATH,
                 "--out", str(www / SUB_PATH.strip("/"))]) == 0
    handler = functools.partial(QuietHandler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    server.shutdown()


class WatchedPage:
    """A page that records console errors, failed requests and CSP violations."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = WatchedPage(context.new_page())
    yield page
    context.close()
PAGE_TYPES = {
    "home": "",
    "entry": "entries/tang-2025-rechallenge/",
    "question": "questions/rechallenge-after-irae/",
    "questions": "questions/",
    "bibliography": "bibliography/",
    "evidence table": "evidence/",
    "search": "search/?q=rechallenge",
    "taxonomy": "agents/",
    "taxonomy term": "populations/nsclc/",
    "page": "methods/",
    "404": "404.html",
    "whats-new": "whats-new/",
}


def open_page(watched, url):
    watched.page.goto(url, wait_until="networkidle")
    return watched.page


def result_titles(page, count=None):
    """The titles of the results once shown (string predicates would break the page's CSP)."""
    page.locator("#search-status", has_text=re.compile(r"\d+ results?")).wait_for()
    if count is not None:
        page.locator("#search-status", has_text=re.compile(rf"^{count} results?$")).wait_for()
    page.locator("#search-results li").first.wait_for()
    return page.locator("#search-results h3").all_inner_texts()


@pytest.mark.parametrize("query, expected", [
    ("rechallenge", "Rechallenge with immune-checkpoint inhibitors in advanced-stage lung cancer"),
    ("PD-L1", "KEYNOTE-010"),
    ("irAE", "Immune-related adverse events after cancer immunotherapy"),
    ("NSCLC", "Mechanisms of primary resistance"),
    ("pembrolizumab", "KEYNOTE-189"),
])
def test_search_finds_the_expected_entry(watched, site_url, query, expected):
    page = open_page(watched, site_url + "search/?q=" + query)
    titles = result_titles(page)
    assert any(expected in title for title in titles), titles
    excerpts = page.locator("#search-results .result-excerpt").all_inner_texts()
    assert not any(re.search(r"Tags\w", excerpt) for excerpt in excerpts), excerpts
    assert watched.problems == []


def test_header_search_box_leads_to_results(watched, site_url):
    page = open_page(watched, site_url)
    page.fill("#site-search-q", "oligo-progression")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/review/search/\?q=oligo-progression$"))
    assert any("from mechanism to clinical strategies" in t for t in result_titles(page))


def test_facet_narrows_results_and_lives_in_the_url(watched, site_url):
    page = open_page(watched, site_url + "search/?q=resistance")
    before = result_titles(page)
    page.get_by_role("button", name=re.compile("^Show filters")).click()
    page.get_by_label(re.compile(r"^Review \(\d+\)$")).check()
    page.wait_for_url(re.compile(r"design=Review"))
    page.locator("#search-status", has_text=re.compile(rf"^(?!{len(before)} )\d+ results?$")
                 ).wait_for()
    after = result_titles(page)
    assert 0 < len(after) < len(before)
    metas = page.locator("#search-results .result-meta").all_inner_texts()
    assert all(meta.startswith("Review") for meta in metas), metas
    shared = page.url
    page.goto(shared, wait_until="networkidle")
    assert page.get_by_label(re.compile(r"^Review \(\d+\)$")).is_checked()
    assert result_titles(page) == after


def test_first_search_fetches_no_filter_index_and_ten_results(watched, site_url):
    fetched = []
    watched.page.on("request", lambda request: fetched.append(request.url))
    page = open_page(watched, site_url + "search/?q=the")
    titles = result_titles(page)
    total = int(page.locator("#search-status").inner_text().split()[0])
    assert total > 10 and len(titles) == 10
    assert not [url for url in fetched if "/pagefind/filter/" in url]
    assert len([url for url in fetched if "/pagefind/fragment/" in url]) == 10
    page.get_by_role("button", name="Show more results").click()
    page.locator("#search-results li").nth(10).wait_for()
    assert page.locator("#search-results li").count() == min(total, 20)
    page.get_by_role("button", name=re.compile("^Show filters")).click()
    page.get_by_label(re.compile(r"^Entry \(\d+\)$")).wait_for()
    assert [url for url in fetched if "/pagefind/filter/" in url]


def test_evidence_table_sorts_and_filters(watched, site_url):
    page = open_page(watched, site_url + "evidence/")
    page.get_by_role("button", name="Year").click()
    years = page.locator("#evidence-table tbody tr td[data-label=Year]").all_inner_texts()
    numeric = [y for y in years if y.isdigit()]
    assert numeric == sorted(numeric) and years.index(numeric[0]) < years.index(numeric[-1])
    assert page.locator("th:has(button:text('Year'))").get_attribute("aria-sort") == "ascending"
    entries = [p.read_text(encoding="utf-8") for p in (REPO / "content/entries").glob("*.md")]
    reviews = sum(1 for text in entries if "\ntype: review\n" in text)
    page.select_option("#filter-design", "Review")
    visible = page.locator("#evidence-table tbody tr:visible")
    assert 0 < reviews < len(entries) and visible.count() == reviews
    assert all(d == "Review" for d in
               page.locator("#evidence-table tbody tr:visible td[data-label=Design]")
               .all_inner_texts())
    assert page.locator(".table-count").inner_text() == \
        f"{reviews} of {len(entries)} entries shown"


def test_citation_preview_appears_on_keyboard_focus(watched, site_url):
    page = open_page(watched, site_url + "questions/rechallenge-after-irae/")
    first = page.locator("a.cite-ref").first
    first.focus()
    tip = page.get_by_role("tooltip")
    assert tip.is_visible()
    reference = page.locator(first.get_attribute("href") + " .reference-text").inner_text()
    assert reference[:40] in tip.inner_text()
    page.keyboard.press("Escape")
    assert page.get_by_role("tooltip").count() == 0


def test_every_page_type_loads_under_the_sub_path_without_errors(watched, site_url):
    for name, path in PAGE_TYPES.items():
        page = open_page(watched, site_url + path)
        assert page.locator("h1").count() == 1, name
        for href in page.locator("a[href^='/']").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
            assert href.startswith("/review/"), (name, href)
    assert watched.problems == []


def test_every_data_table_has_a_caption_and_header_cells(watched, site_url):
    for name, path in PAGE_TYPES.items():
        page = open_page(watched, site_url + path)
        for table in page.locator("table").all():
            assert table.locator("caption").count() == 1, name
            assert table.locator("th").count() > 0, name
            assert table.locator("th[scope]").count() == table.locator("th").count(), name


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_accessibility_violations(browser, site_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = {}
    for name, path in PAGE_TYPES.items():
        page.goto(site_url + path, wait_until="networkidle")
        if name == "search":
            page.wait_for_selector("#search-results li")
        results = axe.run(page)
        if results.violations_count:
            found[name] = results.generate_report()
    context.close()
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())
