"""One rule for LaTeX specials in citations.bib, the same in every field whatever else the
field holds, and a warning at the line where a bare `%` or `&` makes text disappear."""
from __future__ import annotations

import pytest

from conftest import BIB, diagnostics_of
from evidencesite.citations.bibtex_read import parse_bibliography

RECORD = """\
@article{lee2021things,
  title = {Things {\\&} stuff},
  year = {2021},
  url = {https://example.org/a%20b_c},
  abstract = {ABSTRACT}
}
"""


def _read(abstract: str):
    return parse_bibliography(RECORD.replace("ABSTRACT", abstract), "citations.bib")


@pytest.mark.parametrize("abstract", [
    "In all, 45% of patients responded.",
    "In all, 45% of patients responded -- a first.",
    "In all, 45% of patients responded~again.",
])
def test_a_bare_percent_starts_a_comment_whatever_else_the_field_holds(abstract):
    parsed = _read(abstract)
    record = parsed.records["lee2021things"]
    assert record.fields["abstract"] == "In all, 45"
    assert [d.format_text() for d in parsed.problems] == [
        "citations.bib:5:3: warning[bibtex-special]: record `lee2021things`: a bare `%` in "
        f"`abstract` starts a LaTeX comment, so `{abstract[10:]}` is left out"
        "\n  hint: write `\\%` for a percent sign"]


def test_escaped_specials_give_the_character_and_addresses_are_kept_as_written():
    parsed = _read("In all, 45\\% of patients -- {\\&} more -- responded.")
    record = parsed.records["lee2021things"]
    assert record.fields["abstract"] == "In all, 45% of patients – & more – responded."
    assert record.fields["title"] == "Things & stuff"
    assert record.fields["url"] == "https://example.org/a%20b_c"
    assert parsed.problems == ()


def test_a_bare_percent_on_a_later_line_is_reported_at_that_line():
    parsed = _read("First line.\n    Then 45% responded.")
    assert parsed.records["lee2021things"].fields["abstract"] == "First line. Then 45"
    assert parsed.problems[0].location.line == 6


def test_a_bare_ampersand_is_reported(project, capsys):
    project.write("citations.bib", BIB.replace("title = {A trial of things}",
                                               "title = {A trial of things & stuff}"))
    assert project.run("check") == 0
    assert diagnostics_of(capsys) == [
        "citations.bib:3:3: warning[bibtex-special]: record `smith2020trial`: a bare `&` in "
        "`title` is a LaTeX alignment character and is left out",
        "  hint: write `\\&` for an ampersand",
    ]
    assert project.run("check", "--strict") == 1


def test_a_quote_cut_short_by_a_bare_percent_is_explained_at_the_record(project, capsys):
    project.write("citations.bib", BIB.replace(
        "abstract = {We found that things work in some patients.}",
        "abstract = {We found that 45% of things work in some patients.}"))
    text = (project.root / "content/entries/smith-2020.md").read_text()
    project.write("content/entries/smith-2020.md",
                  text.replace("quote: things work in some patients",
                               "quote: 45% of things work in some patients"))
    assert project.run("check") == 1
    lines = diagnostics_of(capsys)
    assert lines[:2] == [
        "citations.bib:11:3: warning[bibtex-special]: record `smith2020trial`: a bare `%` in "
        "`abstract` starts a LaTeX comment, so `% of things work in some patients.` is left "
        "out",
        "  hint: write `\\%` for a percent sign",
    ]
    assert lines[3] == (
        "  hint: closest passage of the abstract: \"We found that >>45<<\"; the quote has "
        "`45%` where the abstract has `45`; copy the words exactly; the abstract holds no `%`: "
        "a bare `%` in citations.bib starts a LaTeX comment, write `\\%` there")
