"""Per-page citation numbers (citations/numbering.py): numbered in order of first citation,
each use with its own back-link anchor."""
from __future__ import annotations

from evidencesite.citations.csl import Reference
from evidencesite.citations.numbering import PageCitations
from evidencesite.content.markdown import CiteItem


def references(*keys):
    return {key: Reference(key, f"<i>{key}</i>", (), "2020", key) for key in keys}


def test_numbers_follow_the_first_citation_on_the_page_not_the_bibliography():
    page = PageCitations(["b", "a"], references("a", "b"))  # the cited keys, once each
    assert page.number == {"b": 1, "a": 2}
    assert [row["number"] for row in page.listing()] == [1, 2]
    assert [row["reference"].key for row in page.listing()] == ["b", "a"]


def test_each_use_gets_its_own_anchor_and_the_reference_list_links_back_to_all():
    page = PageCitations(["a"], references("a"))
    first = page.cite([CiteItem("a", "", "")])
    second = page.cite([CiteItem("a", "p. 4", "")])
    assert 'id="cite-1-1"' in first and 'id="cite-1-2"' in second
    assert 'href="#ref-1"' in first and ">1, p. 4</a>" in second
    assert page.listing()[0]["uses"] == ["cite-1-1", "cite-1-2"]


def test_a_group_is_one_bracket_and_unknown_keys_are_shown_escaped_without_a_number():
    page = PageCitations(["a"], references("a"))
    html = page.cite([CiteItem("a", "", ""), CiteItem("<b>", "", "")])
    assert html.startswith('<span class="cite">[') and html.endswith("]</span>")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "<b>" not in page.number


def test_keys_without_a_reference_take_no_number():
    page = PageCitations(["missing", "a"], references("a"))
    assert page.number == {"a": 1}
