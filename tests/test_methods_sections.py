"""A page's `sections`: sources searched, eligibility, how certainty is rated and the flow
diagram, made from content/flow.yaml and site.yaml."""
from __future__ import annotations

import re

import pytest

from conftest import build_once, diagnostics_of
from flow_fixture import write_flow

METHODS = """\
---
title: Methods
sections: [sources, eligibility, certainty, flow]
---
How the review is made.
"""
ELIGIBILITY = """\
  eligibility:
    include: [Trials of things in people]
    exclude: [Studies in animals]
"""


def write_methods(project, eligibility: str = ELIGIBILITY):
    write_flow(project)
    site = (project.root / "content/site.yaml").read_text()
    project.write("content/site.yaml", site.replace("  releases:", eligibility + "  releases:"))
    project.write("content/pages/methods.md", METHODS)


@pytest.fixture(scope="module")
def methods_page(tmp_path_factory) -> str:
    """The methods page of the mini site with a flow and eligibility, built once."""
    return build_once(tmp_path_factory, write_methods).page("methods/index.html")


def test_the_sections_come_in_order_with_their_anchors(methods_page):
    page = methods_page
    assert re.findall(r'<h2 id="([^"]+)"', page) == [
        "sources-searched", "eligibility-criteria", "how-certainty-is-rated", "flow-of-studies"]


def test_sources_say_what_was_searched_and_when(methods_page):
    page = methods_page
    sources = page.split('id="sources-searched"')[1].split("</section>")[0]
    assert 'For version 0.2, searches of <time datetime="2025-12-01">2025-12-01</time>' in sources
    assert "<li><strong>Databases:</strong> PubMed (4 records)</li>" in sources
    assert "<li><strong>Registers:</strong> none searched.</li>" in sources
    assert "<li><strong>Other methods:</strong> citation searching (7 records).</li>" in sources
    assert '<a href="/mini/flow/0.1/">version 0.1</a> (searches of 2025-11-10)' in sources
    assert "current to <time datetime=\"2025-12-01\">2025-12-01</time>" in sources


def test_eligibility_and_grade_wording(methods_page):
    page = methods_page
    assert "<h3>Included</h3>\n  <ul><li>Trials of things in people</li></ul>" in page
    assert "<ul><li>Studies in animals</li></ul>" in page
    certainty = page.split('id="how-certainty-is-rated"')[1].split("</section>")[0]
    assert '<span aria-hidden="true">⊕⊕◯◯</span> Low</span></th><td data-label="What it means">' \
           "Further research is very likely to have an important impact" in certainty
    assert "May reduce / increase" in certainty


def test_the_flow_diagram_of_the_current_version_is_on_the_page(methods_page):
    page = methods_page
    assert page.count('<svg class="prisma"') == 1
    assert "PRISMA 2020 flow diagram, version 0.2" in page


def test_an_unknown_section_is_refused(project, capsys):
    write_flow(project)
    project.write("content/pages/methods.md", METHODS.replace("flow]", "flows]"))
    assert project.run("check") == 1
    assert any("content/pages/methods.md:3:" in line and "`sections[3]` is `flows`" in line
               for line in diagnostics_of(capsys))
