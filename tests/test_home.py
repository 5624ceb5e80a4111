"""The home page that answers: summary with citations, each question's answer, certainty and
last change, the evidence map, "cite this review", and one status banner."""
from __future__ import annotations

import re

from conftest import QUESTION, SITE_YAML, diagnostics_of

SUMMARY = SITE_YAML + "summary: Things *sometimes* work [@tang2025rechallenge].\n"


def test_the_summary_is_markdown_with_numbered_citations(project):
    project.write("content/site.yaml", SUMMARY)
    assert project.run("build") == 0
    home = project.page("index.html")
    assert '<p class="lead">Things <em>sometimes</em> work <span class="cite">[<a ' \
           'class="cite-ref" id="cite-1-1" href="#ref-1"' in home
    references = home.split('id="references-heading"')[1]
    assert references.index("Rechallenge") < references.index("A trial of things")


def test_an_unknown_key_in_the_summary_is_reported_where_it_stands(project, capsys):
    project.write("content/site.yaml", SUMMARY.replace("tang2025rechallenge", "tang2025"))
    assert project.run("check") == 1
    assert "content/site.yaml:8:10: error[unknown-citation]: citation key `tang2025` is not " \
           "in citations.bib" in diagnostics_of(capsys)


def test_each_question_shows_its_answer_certainty_and_last_change(project):
    project.write("content/questions/does-it-work.md", QUESTION.replace(
        "open_questions: [Why?]\n", "open_questions: [Why?]\nhistory:\n  - date: 2025-11-20\n"
        "    field: evidence_status\n    change: From none to very limited.\n"
        "    reason: A first trial.\n"))
    assert project.run("build") == 0
    home = project.page("index.html")
    answer = re.search(r'<ul class="answers">.*?</ul>', home, re.S)[0]
    assert '<a href="/mini/questions/does-it-work/">Does it work?</a>' in answer
    assert "Evidence: very limited</span>" in answer
    assert 'last changed <time datetime="2025-11-20">2025-11-20</time>' in answer
    assert "<p>Sometimes <span class=\"cite\">" in answer


def test_the_status_is_shown_once_in_the_banner(mini_site):
    home = mini_site.page("index.html")
    assert "status-box" not in home and "Review status" not in home
    assert home.count('class="status-banner') == 1


def test_cite_this_review_names_its_version_and_absolute_address(mini_site_absolute):
    home = mini_site_absolute.page("index.html")
    cite = home.split('id="cite-heading"')[1]
    assert "version 0.1" in cite and "https://example.org/mini/" in cite
    assert "@misc{" in cite and "TY  - ELEC" in cite


def test_the_home_page_has_the_small_evidence_map(mini_site):
    home = mini_site.page("index.html")
    assert '<a class="map-cell status-very-limited" href="/mini/evidence/?question=Does+it+' \
           'work%3F&amp;design=Randomised+controlled+trial">' in home
