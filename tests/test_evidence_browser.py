"""The evidence pages in a real browser: a question with a forest plot and a summary of
findings, and an entry with its results, checked with axe in light and dark, and on a
320 px screen (no sideways scrolling)."""
from __future__ import annotations


import pytest

from conftest import make_project
from evidence_fixture import write_bcg_site
from test_browser import served

pytestmark = pytest.mark.slow
PAGES = {"question": "questions/bcg/", "entry": "entries/bcg-01/"}


@pytest.fixture(scope="module")
def bcg_url(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = write_bcg_site(make_project(tmp_path_factory.mktemp("bcg") / "site",
                                            with_content=False))
    assert project.run("build", "--base-url", "/") == 0
    monkeypatch.undo()
    with served(project.site) as address:
        yield address


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_evidence_pages(browser, bcg_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for name, path in PAGES.items():
        page.goto(bcg_url + path, wait_until="networkidle")
        results = Axe().run(page)
        if results.violations_count:
            found[name] = results.generate_report()
    context.close()
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())


def test_forest_plot_is_legible_on_a_320_px_screen_without_sideways_page_scroll(browser, bcg_url):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in PAGES.values():
        page.goto(bcg_url + path, wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    page.goto(bcg_url + PAGES["question"], wait_until="networkidle")
    box = page.locator(".plot-scroll").first.bounding_box()
    assert box["width"] <= 320
    # the plot keeps a legible size (its labels at least 9 px high) and scrolls in its box
    label = page.locator("svg.forest text").first.bounding_box()
    assert label["height"] >= 9
    scroll = page.locator(".plot-scroll").first
    assert scroll.evaluate("e => e.scrollWidth > e.clientWidth")
    context.close()


def test_the_plot_is_an_image_with_a_text_alternative(browser, bcg_url):
    page = browser.new_page()
    page.goto(bcg_url + PAGES["question"], wait_until="networkidle")
    plot = page.get_by_role("img", name="Forest plot: Tuberculosis (risk ratio)")
    assert plot.count() == 1
    assert "Pooled: 0.49 (0.34 to 0.70)" in plot.locator("desc").text_content()
    page.close()
