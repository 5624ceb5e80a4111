"""The review at a glance in a real browser: the evidence map's cells lead to the evidence
table showing exactly their entries, its toggle works without JavaScript, and the home,
map, flow and methods pages pass axe and fit a 320 px screen, light and dark."""
from __future__ import annotations

import re

import pytest

from conftest import make_project
from flow_fixture import write_flow
from map_fixture import write_map_site
from test_browser import served, site_url  # noqa: F401  (site_url: the real review)
from test_methods_sections import ELIGIBILITY, METHODS

pytestmark = pytest.mark.slow
PAGES = {"home": "", "map": "map/", "flow": "flow/", "methods": "methods/"}
SIZES = {"phone": {"width": 320, "height": 640}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def review_url(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = write_map_site(make_project(tmp_path_factory.mktemp("glance") / "site",
                                          with_content=False))
    write_flow(project)
    site = (project.root / "content/site.yaml").read_text()
    project.write("content/site.yaml", site.replace("  releases:", ELIGIBILITY + "  releases:")
                  + "summary: BCG vaccination may reduce tuberculosis [@bcg01].\n")
    project.write("content/pages/methods.md", METHODS)
    assert project.run("build", "--base-url", "/") == 0
    monkeypatch.undo()
    with served(project.site) as address:
        yield address


def map_cells(page, view: str) -> list[tuple[str, int]]:
    cells = page.locator(f".map-by-{view} a.map-cell")
    return [(cells.nth(i).get_attribute("href"),
             int(cells.nth(i).locator(".map-count").inner_text()))
            for i in range(cells.count())]


@pytest.mark.parametrize("start", ["map/", ""])
def test_each_cell_leads_to_a_table_with_exactly_its_entries(browser, review_url, start):
    page = browser.new_page()
    page.goto(review_url + start, wait_until="networkidle")
    cells = map_cells(page, "design") + map_cells(page, "outcome")
    assert len(cells) == 8
    assert ("/evidence/?question=Does+BCG+vaccination+prevent+tuberculosis%3F"
            "&design=Randomised+controlled+trial", 13) in cells
    assert ("/evidence/?question=Is+there+anything+else%3F&outcome=not+reported", 1) in cells
    for href, count in cells:
        page.goto(review_url.rstrip("/") + href, wait_until="networkidle")
        shown = page.locator("#evidence-table tbody tr:not([hidden])")
        assert shown.count() == count, href
        assert page.locator(".table-count").inner_text() == f"{count} of 15 entries shown"
    page.close()


def test_the_filtered_table_shows_which_cell_it_is(browser, review_url):
    page = browser.new_page()
    page.goto(review_url + "evidence/?question=Does+BCG+vaccination+prevent+tuberculosis%3F"
              "&outcome=Survival", wait_until="networkidle")
    assert page.locator("#filter-question").input_value() == \
        "Does BCG vaccination prevent tuberculosis?"
    assert page.locator("#filter-outcome").input_value() == "Survival"
    assert page.locator("#evidence-table tbody tr:not([hidden])").count() == 1
    page.close()


def test_the_toggle_works_without_javascript(browser, review_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(review_url + "map/")
    design, outcome = page.locator(".map-by-design table"), page.locator(".map-by-outcome table")
    assert design.is_visible() and not outcome.is_visible()
    page.get_by_label("Outcome").check()
    assert outcome.is_visible() and not design.is_visible()
    assert outcome.locator("thead th").all_inner_texts() == [
        "Question", "Tuberculosis", "Survival", "No outcome data recorded"]
    context.close()


def test_a_cell_names_its_count_and_certainty_in_words(browser, review_url):
    page = browser.new_page()
    page.goto(review_url + "map/", wait_until="networkidle")
    cell = page.locator(".map-by-design a.map-cell").first
    assert re.sub(r"\s+", " ", cell.text_content()).strip() == \
        "13 ⊕⊕◯◯ entries; low certainty (GRADE)"
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("which", ["fixture", "review"])
def test_axe_finds_nothing_and_nothing_scrolls_sideways(browser, request, which, scheme, size):
    """On the fixture (syntheses, two flow releases) and on the review itself."""
    from axe_playwright_python.sync_playwright import Axe

    review_url = request.getfixturevalue("review_url" if which == "fixture" else "site_url")
    context = browser.new_context(color_scheme=scheme, viewport=SIZES[size])
    page = context.new_page()
    found, wide = {}, {}
    for name, path in PAGES.items():
        page.goto(review_url + path, wait_until="networkidle")
        results = Axe().run(page)
        if results.violations_count:
            found[name] = results.generate_report()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > SIZES[size]["width"]:
            wide[name] = width
    context.close()
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())
    assert wide == {}
