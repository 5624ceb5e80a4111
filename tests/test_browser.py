"""What a reader does on the site, in a real browser: the review built under a sub-path,
served on 127.0.0.1 and driven in Debian's headless Chromium through Playwright."""
from __future__ import annotations

import functools
from contextlib import contextmanager
import re
import http.server
import shutil
import threading

import pytest

from conftest import REPO, _browser_or_skip
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
    "glossary": "glossary/",
    "map": "map/",
    "flow": "flow/",
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


@pytest.mark.parametrize("query", ["Keytruda", "MK-3475"])
def test_brand_and_code_names_find_the_pembrolizumab_entries_only(watched, site_url, query):
    page = open_page(watched, site_url + "search/?q=" + query)
    titles = result_titles(page)
    assert any("KEYNOTE-189" in t for t in titles), titles
    marks = page.locator("#search-results li").evaluate_all(
        "items => items.map(li => Array.from(li.querySelectorAll('mark'),"
        " m => m.textContent.replace(/[^A-Za-z0-9-]+$/, '')))")
    assert all(query in found for found in marks), marks  # no result matched a prefix only
    assert "No exact matches" not in page.locator("#search-status").inner_text()
    assert page.locator("#site-search-q").input_value() == query
    excerpts = page.locator("#search-results .result-excerpt").all_inner_texts()
    assert not any(re.match(r"(Entry|Question|Page)\b", e) for e in excerpts), excerpts


@pytest.mark.parametrize("query, expected", [
    ("PD-L1", "Immune-related adverse events after cancer immunotherapy"),  # says anti-PD-L1
    ("immune-related adverse event", "Is it safe to restart ICIs after an immune-related"),
])
def test_terms_find_pages_that_carry_them(watched, site_url, query, expected):
    titles = result_titles(open_page(watched, site_url + "search/?q=" + query))
    assert any(expected in t for t in titles), titles


def test_a_word_only_begun_says_so(watched, site_url):
    page = open_page(watched, site_url + "search/?q=rechal")
    result_titles(page)
    assert "No exact matches for “rechal”" in page.locator("#search-status").inner_text()


def test_ticking_a_filter_keeps_its_siblings_counts(watched, site_url):
    page = open_page(watched, site_url + "search/?q=resistance")
    result_titles(page)
    page.get_by_role("button", name=re.compile("^Filters")).click()
    design = page.locator("fieldset", has=page.locator("legend", has_text="Design"))
    design.locator("input").first.wait_for()
    before = design.locator("label").all_inner_texts()
    assert not [label for label in before if label.endswith("(0)")]
    design.get_by_label(re.compile(r"^Review \(\d+\)$")).check()
    page.wait_for_url(re.compile(r"design=Review"))
    page.get_by_role("button", name="Filters (1)").wait_for()
    page.wait_for_function("document.querySelector('#facets input:checked') !== null")
    design = page.locator("fieldset", has=page.locator("legend", has_text="Design"))
    assert design.locator("label").all_inner_texts() == before
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
    page.get_by_role("button", name=re.compile("^Filters")).click()
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
    page.get_by_role("button", name=re.compile("^Filters")).click()
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


def test_evidence_table_is_newest_first_and_keeps_its_state_in_the_url(watched, site_url):
    page = open_page(watched, site_url + "evidence/")
    years = page.locator("#evidence-table tbody tr td[data-label=Year]").all_inner_texts()
    numeric = [y for y in years if y.isdigit()]
    assert numeric == sorted(numeric, reverse=True) and years[0] == numeric[0]
    page.select_option("#filter-agent", "not reported")
    page.fill("#filter-text", "resistance")
    page.wait_for_url(re.compile(r"agent=not\+reported.*q=|q=resistance.*agent=not"))
    shown = page.locator("#evidence-table tbody tr:visible td[data-label=Agents]")
    assert shown.count() > 0 and set(shown.all_inner_texts()) == {"not reported"}
    titles = page.locator("#evidence-table tbody tr:visible th").all_inner_texts()
    page.reload(wait_until="networkidle")
    assert page.locator("#filter-agent").input_value() == "not reported"
    assert page.locator("#filter-text").input_value() == "resistance"
    assert page.locator("#evidence-table tbody tr:visible th").all_inner_texts() == titles
    page.go_back()
    page.wait_for_function("document.getElementById('filter-text').value === ''")
    assert page.locator("#filter-agent").input_value() == "not reported"
    page.go_back()
    page.wait_for_function("document.getElementById('filter-agent').value === ''")
    assert page.url.endswith("/evidence/")
    total = len(list((REPO / "content/entries").glob("*.md")))
    page.fill("#filter-text", "no entry says this zzz")
    assert page.locator(".table-count").inner_text() == f"0 of {total} entries shown"
    page.get_by_role("button", name="Clear filters").click()
    assert page.locator(".table-count").inner_text() == f"{total} of {total} entries shown"
    assert watched.problems == []


def test_evidence_table_filters_by_reported_outcome(watched, site_url):
    page = open_page(watched, site_url + "evidence/")
    options = page.locator("#filter-outcome option").all_inner_texts()
    outcome = next(o for o in options if o not in ("All", "not reported"))
    page.select_option("#filter-outcome", outcome)
    rows = page.locator("#evidence-table tbody tr:visible")
    assert rows.count() > 0
    assert all(outcome in (value or "").split("|")
               for value in rows.evaluate_all("rs => rs.map(r => r.dataset.outcomes)"))
    assert "outcome=" in page.url


def test_evidence_table_on_a_phone_has_no_invisible_focus_stops(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "evidence/", wait_until="networkidle")
    page.select_option("#sort-table", "title-asc")
    titles = page.locator("#evidence-table tbody th").all_inner_texts()
    assert titles == sorted(titles, key=str.lower)
    invisible = []
    page.locator("#filter-text").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect();"
                            " return [document.activeElement.textContent, r.width, r.height]; })()")
        if box[1] < 2 or box[2] < 2:
            invisible.append(box[0])
    assert invisible == []
    context.close()


def test_citation_preview_appears_on_keyboard_focus(watched, site_url):
    page = open_page(watched, site_url + "questions/rechallenge-after-irae/")
    first = page.locator("a.cite-ref").first
    first.focus()
    tip = page.locator(".cite-preview")
    assert tip.is_visible()
    reference = page.locator(first.get_attribute("href") + " .reference-text").inner_text()
    assert reference[:40] in tip.inner_text()
    page.keyboard.press("Escape")
    assert page.locator(".cite-preview").count() == 0


def test_citation_preview_stays_while_hovered_and_holds_links(watched, site_url):
    page = open_page(watched, site_url + "questions/rechallenge-after-irae/")
    marker = page.locator("a.cite-ref").first
    box = marker.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    described = page.locator("#" + marker.get_attribute("aria-describedby")).inner_text()
    assert "Back to citation" not in described and "bibliography" not in described
    marker.hover()
    tip = page.locator(".cite-preview")
    tip.wait_for()
    tip.hover()
    page.wait_for_timeout(600)
    assert tip.is_visible()
    assert tip.locator("a[href^='https://doi.org/'], a[href^='https://pubmed.']").count() > 0
    page.mouse.move(5, 5)
    page.locator(".cite-preview").wait_for(state="detached")
    assert watched.problems == []


def test_a_tap_previews_and_a_second_tap_jumps_to_the_highlighted_reference(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True,
                                  is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "questions/rechallenge-after-irae/", wait_until="networkidle")
    marker = page.locator("a.cite-ref").first
    marker.tap()
    assert page.locator(".cite-preview").is_visible()
    assert "#ref-" not in page.url
    page.locator("h1").tap()
    assert page.locator(".cite-preview").count() == 0
    marker.tap()
    marker.tap()
    page.wait_for_url(re.compile(r"#ref-1$"))
    target = page.locator("#ref-1")
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    context.close()


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


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_accessibility_violations(browser, site_url, scheme, width):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 844})
    page = context.new_page()
    axe = Axe()
    found = {}
    for name, path in {**PAGE_TYPES, "search with filters": "search/?q=resistance"}.items():
        page.goto(site_url + path, wait_until="networkidle")
        if name.startswith("search"):
            page.wait_for_selector("#search-results li")
        if name == "search with filters":
            page.get_by_role("button", name=re.compile("^Filters")).click()
            page.wait_for_selector("#facets input")
        results = axe.run(page)
        if results.violations_count:
            found[name] = results.generate_report()
    context.close()
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_first_key_finding_starts_within_a_phone_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "entries/tang-2025-rechallenge/", wait_until="networkidle")
    first = page.locator(".findings li").first.bounding_box()
    assert first["y"] < 844
    label = page.locator(".findings blockquote footer").first.inner_text()
    assert re.fullmatch(r"Source: abstract of \[\d+\]", label), label
    page.goto(site_url + "entries/impower010/", wait_until="networkidle")
    assert page.locator(".findings").count() == 0
    assert page.get_by_text("Background, not appraised").first.is_visible()
    context.close()


def test_no_page_scrolls_sideways_at_320_px(browser, site_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    paths = {**PAGE_TYPES, "registered study": "entries/nct07453342-irae-rechallenge/",
             "about": "about/"}
    wide = {}
    for name, path in paths.items():
        page.goto(site_url + path, wait_until="networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide[name] = width
    context.close()
    assert wide == {}


LAYOUT_SHIFTS = """
window.shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.shifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("width", [412, 1280])
@pytest.mark.parametrize("path", ["search/?q=pembrolizumab", "", "entries/tang-2025-rechallenge/"])
def test_nothing_moves_while_a_page_and_its_search_results_load(browser, site_url, path, width):
    # The header search box and the search page's results appear after the scripts run; the
    # page reserves their place, so what the reader is looking at does not jump.
    context = browser.new_context(viewport={"width": width, "height": 823})
    page = context.new_page()
    page.add_init_script(LAYOUT_SHIFTS)
    page.goto(site_url + path, wait_until="networkidle")
    if path.startswith("search/"):
        page.locator("#search-results li").first.wait_for()
    page.wait_for_timeout(300)
    shifts = page.evaluate("window.shifts")
    context.close()
    assert sum(shifts) < 0.01, shifts


def test_printed_entry_hides_search_and_buttons_and_opens_bibtex(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "entries/tang-2025-rechallenge/", wait_until="networkidle")
    assert page.locator("#site-search-q").is_visible()
    assert not page.locator("#cite-bibtex").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("#site-search-q").is_visible()
    assert not page.locator("nav[aria-label=Main]").is_visible()
    assert not page.locator("button.copy-button").first.is_visible()
    assert page.locator("#cite-bibtex").is_visible()
    stamp = page.locator(".print-stamp").inner_text()
    assert re.search(r"Printed from http://127\.0\.0\.1:\d+/review/entries/tang-2025-rechallenge/"
                     r" · .+, version [\d.]+ · built \d{4}-\d\d-\d\d", stamp), stamp
    page.close()


@contextmanager
def served(folder):
    """`folder` served on 127.0.0.1 while the block runs; yields its address."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
