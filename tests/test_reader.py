"""What a reader meets on the built pages: findings first, background entries marked."""
from __future__ import annotations

BACKGROUND = """\
---
id: tang-background
title: A background work
type: review
citation: tang2025rechallenge
population: [NSCLC]
setting: [first-line]
agents: not reported
questions: [does-it-work]
key_findings: []
added: 2025-11-01
updated: 2025-11-01
---
"""


def test_entry_page_puts_findings_before_the_metadata_panel(mini_site):
    page = mini_site.page("entries/smith-2020/index.html")
    order = [page.index(mark) for mark in ('<h1', 'id="findings-heading"', 'id="results-heading"',
                                           'id="about-heading"')]
    assert order == sorted(order)
    assert 'Source: <span class="cite">' in page  # no locator: the citation alone
    assert "Background, not appraised" not in page


def test_quote_is_labelled_with_its_locator_and_citation(project):
    project.write("content/entries/smith-2020.md", project.root.joinpath(
        "content/entries/smith-2020.md").read_text().replace(
        "    quote: things work in some patients\n",
        "    quote: things work in some patients\n    locator: abstract\n"))
    assert project.run("build") == 0
    page = project.page("entries/smith-2020/index.html")
    assert '<footer data-pagefind-ignore>Source: abstract of <span class="cite">[<a ' in page


def test_entry_without_findings_is_background_and_left_out_of_the_question_table(project):
    project.write("content/entries/tang-background.md", BACKGROUND)
    assert project.run("build") == 0
    entry = project.page("entries/tang-background/index.html")
    assert "Background, not appraised" in entry and 'id="findings-heading"' not in entry
    question = project.page("questions/does-it-work/index.html")
    table, _, background = question.partition('id="background-heading"')
    assert "/mini/entries/smith-2020/" in table
    assert "/mini/entries/tang-background/" not in table
    assert "/mini/entries/tang-background/" in background


VOCABULARY = """\
terms:
  NSCLC:
    label: non-small-cell lung cancer
    abbreviation: true
    definition: A group of lung cancers.
  anti-PD-1:
    label: anti-PD-1 antibody
    definition: An antibody that binds PD-1.
    synonyms: [PD-1 inhibitor]
  first-line:
    label: First-line treatment
    definition: The first treatment given for advanced disease.
"""


def test_vocabulary_gives_labels_definitions_abbreviations_and_a_glossary(project):
    project.write("content/vocabulary.yaml", VOCABULARY)
    project.write("content/entries/smith-2020.md", project.root.joinpath(
        "content/entries/smith-2020.md").read_text().replace(
        "As reported", "In NSCLC, and again in NSCLC, as reported"))
    assert project.run("build") == 0
    entry = project.page("entries/smith-2020/index.html")
    assert entry.count('<abbr title="non-small-cell lung cancer">NSCLC</abbr>') == 1
    assert '>First-line treatment</a>' in entry and '>first-line</a>' not in entry
    assert "Also called: PD-1 inhibitor." in entry  # indexed: the page is found by it
    term = project.page("settings/first-line/index.html")
    assert "The first treatment given for advanced disease." in term
    glossary = project.page("glossary/index.html")
    assert 'id="term-anti-pd-1"' in glossary and "PD-1 inhibitor" in glossary
    assert 'href="/mini/glossary/"' in project.page("index.html")


def test_no_vocabulary_no_glossary(mini_site):
    assert not (mini_site.site / "glossary").exists()
    assert "Terms on this page" not in mini_site.page("entries/smith-2020/index.html")


def test_invalid_vocabulary_is_reported_at_its_line(project, capsys):
    project.write("content/vocabulary.yaml", VOCABULARY.replace(
        "    definition: An antibody that binds PD-1.\n", "    definiton: typo\n"))
    assert project.run("build") == 1
    err = capsys.readouterr().err
    assert "content/vocabulary.yaml:6:" in err or "content/vocabulary.yaml:7:" in err, err
    assert "definiton" in err
