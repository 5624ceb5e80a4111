"""Markdown parsed once, with a numbered slot for each citation group, link and image that
the page fills in later (content/markdown.py)."""
from __future__ import annotations

from evidencesite.content import markdown
from evidencesite.content.model import SourceLocation

TEXT = ('Intro [@a; @b, p. 4] and [link](question:q1) ![alt *x*](img.png "T").\n'
        "\n"
        "Again [@a].\n")


def test_citations_links_and_images_become_slots_in_reading_order():
    parsed = markdown.parse(TEXT, "e.md", 10)
    assert [slot[0] for slot in parsed.slots] == ["c", "h", "i", "c"]
    assert [item.key for item in parsed.slots[0][1]] == ["a", "b"]
    assert parsed.slots[0][1][1].locator == "p. 4"
    assert parsed.slots[1] == ("h", "question:q1")
    assert parsed.slots[2] == ("i", "img.png", "alt x", ' title="T"')
    assert parsed.html.count("\x00") == 2 * len(parsed.slots)


def test_citations_and_links_carry_their_line_and_column():
    parsed = markdown.parse(TEXT, "e.md", 10)
    assert [(c.key, c.locator, c.location) for c in parsed.citations] == [
        ("a", "", SourceLocation("e.md", 10, 7)),
        ("b", "p. 4", SourceLocation("e.md", 10, 7)),
        ("a", "", SourceLocation("e.md", 12, 7))]
    assert [(link.target, link.is_image, link.location.line) for link in parsed.links] == [
        ("question:q1", False, 10), ("img.png", True, 10)]


def test_render_fills_each_slot_with_what_the_page_gives():
    parsed = markdown.parse(TEXT, "e.md", 1)
    seen = []

    def cite(items):
        seen.append([item.key for item in items])
        return f"[{len(seen)}]"

    html = markdown.render(parsed, cite, lambda href: "/site/" + href)
    assert seen == [["a", "b"], ["a"]]
    assert "Intro [1] and" in html and "Again [2]." in html
    assert '<a href="/site/question:q1">link</a>' in html
    assert '<img src="/site/img.png" alt="alt x" title="T">' in html
    assert "\x00" not in html


def test_a_link_the_page_cannot_resolve_loses_its_href_and_an_image_keeps_its_alt_text():
    parsed = markdown.parse("[text](gone) and ![words](gone.png)", "e.md", 1)
    html = markdown.render(parsed, lambda items: "", lambda href: "")
    assert "<a>text</a>" in html and "words" in html and "<img" not in html


def test_a_nul_in_the_source_cannot_forge_a_slot():
    parsed = markdown.parse("before \x000\x00 after [@a]", "e.md", 1)
    assert len(parsed.slots) == 1
    html = markdown.render(parsed, lambda items: "CITED", lambda href: href)
    assert html.count("CITED") == 1 and "\x00" not in html


def test_inline_markdown_drops_the_paragraph_and_points_at_the_field():
    where = SourceLocation("q.md", 7, 3)
    parsed = markdown.parse_inline("Sometimes [@x].", "q.md", where)
    assert [c.location for c in parsed.citations] == [where]
    assert markdown.render_inline(parsed, lambda items: "[1]", lambda h: h) == "Sometimes [1]."


def test_bracketed_text_without_a_key_is_not_a_citation():
    assert markdown.parse_cite_group("see @ here") is None
    assert markdown.parse("[not a citation](https://example.org/@x)", "e.md", 1).citations == ()
