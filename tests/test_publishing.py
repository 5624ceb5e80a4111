"""Currency, history, feeds, exports and metadata of a built site."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.dom.minidom

import pytest

from conftest import ENTRY, QUESTION, SITE_YAML, build_once, diagnostics_of

HISTORY_ENTRY = ENTRY.replace("updated: 2025-11-02\n", """updated: 2025-11-20
history:
  - date: 2025-11-20
    change: Key finding reworded.
""")
RELEASES = SITE_YAML + """  releases:
    - version: "0.1"
      date: 2025-11-05
      notes: First release.
"""


def write_history(project):
    project.write("content/entries/smith-2020.md", HISTORY_ENTRY)
    project.write("content/site.yaml", RELEASES)


@pytest.fixture(scope="module")
def history_site(tmp_path_factory):
    """An entry changed after the first release, built once for https://example.org/mini/."""
    return build_once(tmp_path_factory, write_history, "--base-url", "https://example.org/mini/")


def test_whats_new_groups_changes_by_release(history_site):
    page = history_site.page("whats-new/index.html")
    unreleased, released = page.split("Version 0.1")
    assert "Changes not yet released" in unreleased and "Key finding reworded." in unreleased
    assert "Entry added" in released and "First release." in released


def test_atom_feed_has_one_item_per_change_and_is_well_formed(history_site):
    feed = xml.dom.minidom.parseString((history_site.site / "feed.xml").read_bytes())
    entries = feed.getElementsByTagName("entry")
    assert [e.getElementsByTagName("title")[0].firstChild.data for e in entries] == [
        "Entry updated: A trial of things", "Entry added: A trial of things"]
    assert entries[0].getElementsByTagName("summary")[0].firstChild.data == \
        "Entry updated: Key finding reworded. (2025-11-20)"
    assert entries[0].getElementsByTagName("link")[0].getAttribute("href") == \
        "https://example.org/mini/entries/smith-2020/"


HISTORY_QUESTION = QUESTION.replace("open_questions: [Why?]\n", """open_questions: [Why?]
history:
  - date: 2025-11-03
    field: certainty
    change: From very low to low.
    reason: A second trial was added.
  - date: 2025-11-21
    release: "0.1"
    field: bottom_line
    change: From "no evidence" to "sometimes".
    reason: The trial by Smith and colleagues.
""")


def test_conclusion_changes_are_told_apart_from_entries_added(project):
    project.write("content/questions/does-it-work.md", HISTORY_QUESTION)
    project.write("content/site.yaml", RELEASES)
    assert project.run("build", "--base-url", "https://example.org/mini/") == 0
    page = project.page("whats-new/index.html")
    assert "not yet released" not in page  # the change names its release
    released = page.split("Version 0.1")[1]
    assert ('<span class="change-kind change-conclusion">Conclusion changed</span> '
            '<a href="/mini/questions/does-it-work/">Does it work?</a>: From &#34;no '
            'evidence&#34; to &#34;sometimes&#34;. <span class="note">Why: The trial by Smith '
            'and colleagues.</span>') in released
    assert '<span class="change-kind change-conclusion">Certainty changed</span>' in released
    assert '<span class="change-kind change-entry">Entry added</span>' in released
    feed = xml.dom.minidom.parseString((project.site / "feed.xml").read_bytes())
    titles = [e.getElementsByTagName("title")[0].firstChild.data
              for e in feed.getElementsByTagName("entry")]
    assert titles == ["Conclusion changed: Does it work?", "Certainty changed: Does it work?",
                      "Entry added: A trial of things"]
    summary = feed.getElementsByTagName("summary")[0].firstChild.data
    assert summary == ('Conclusion changed: From "no evidence" to "sometimes". Why: The trial '
                       'by Smith and colleagues. (2025-11-21)')
    link = feed.getElementsByTagName("entry")[0].getElementsByTagName("link")[0]
    assert link.getAttribute("href") == "https://example.org/mini/questions/does-it-work/"


def test_a_history_item_naming_an_unknown_release_is_an_error(project, capsys):
    project.write("content/questions/does-it-work.md",
                  HISTORY_QUESTION.replace('release: "0.1"', 'release: "0.2"'))
    project.write("content/site.yaml", RELEASES)
    assert project.run("check") == 1
    lines = diagnostics_of(capsys)
    assert "content/questions/does-it-work.md:18:14: error[unknown-release]: release 0.2 is " \
           "not one of the releases in content/site.yaml" in lines, "\n".join(lines)
    assert "  hint: did you mean `0.1`?" in lines


def test_feed_ids_are_absolute_even_without_an_address(mini_site):
    ids = re.findall(r"<id>([^<]+)</id>", (mini_site.site / "feed.xml").read_text())
    assert ids and all(i.startswith("urn:evidencesite:mini-review:") for i in ids)


def test_entry_history_is_shown_on_the_entry_page(history_site):
    assert '<time datetime="2025-11-20">2025-11-20</time>: Key finding reworded.' in \
        history_site.page("entries/smith-2020/index.html")


def test_exports_carry_every_entry_and_record(mini_site):
    data = json.loads((mini_site.site / "data/entries.json").read_text())
    assert data["export_version"] == 1 and data["schema"] == "schema/entry.schema.json"
    assert [e["id"] for e in data["entries"]] == ["smith-2020"]
    assert data["entries"][0]["url"] == "/mini/entries/smith-2020/"
    rows = list(csv.DictReader(io.StringIO((mini_site.site / "data/entries.csv").read_text())))
    assert rows[0]["population"] == "NSCLC" and rows[0]["year"] == "2020"
    csl = json.loads((mini_site.site / "data/citations.json").read_text())
    assert [item["id"] for item in csl] == ["smith2020trial", "tang2025rechallenge"]
    assert csl[0]["DOI"] == "10.1000/xyz123"
    ris = (mini_site.site / "citations.ris").read_text()
    assert "TY  - JOUR\nID  - smith2020trial\nAU  - Smith, Anna\nAU  - Jones, Bob\n" in ris
    assert "SP  - 3\nEP  - 4\n" in ris
    assert (mini_site.site / "citations.bib").read_text() == \
        (mini_site.root / "citations.bib").read_text()


def test_json_exports_give_each_record_a_line_and_read_back_whole(mini_site):
    """A diff of two versions of an export shows which records changed: each record of
    its list is one line; the file reads back as the same data."""
    text = (mini_site.site / "data/citations.json").read_text()
    lines = text.splitlines()
    records = json.loads(text)
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(records) + 2
    assert [json.loads(line.rstrip(",")) for line in lines[1:-1]] == records
    entries = (mini_site.site / "data/entries.json").read_text()
    assert '\n{"' in entries and json.loads(entries)["entries"][0]["id"] == "smith-2020"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(project):
    project.write("content/entries/smith-2020.md",
                  ENTRY.replace("title: A trial of things", "title: '=HYPERLINK(\"x\")'"))
    assert project.run("build") == 0
    rows = list(csv.reader(io.StringIO((project.site / "data/entries.csv").read_text())))
    assert rows[1][1] == "'=HYPERLINK(\"x\")"


def test_entry_page_metadata_for_reference_managers(mini_site_absolute):
    page = mini_site_absolute.page("entries/smith-2020/index.html")
    assert '<meta name="citation_title" content="A trial of things">' in page
    assert '<meta name="citation_publication_date" content="2025/11/01">' in page
    assert ('<meta name="citation_reference" content="citation_title=A trial of things; '
            'citation_publication_date=2020; citation_doi=10.1000/xyz123; '
            'citation_pmid=12345">') in page
    assert '<meta property="og:url" content="https://example.org/mini/entries/smith-2020/">' in page
    jsonld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                  page).group(1))
    assert jsonld["@type"] == "ScholarlyArticle" and jsonld["dateModified"] == "2025-11-02"
    assert jsonld["citation"][0]["url"] == "https://doi.org/10.1000/xyz123"


def test_cite_this_entry_gives_text_bibtex_and_ris(mini_site):
    page = mini_site.page("entries/smith-2020/index.html")
    assert ('<p id="cite-text">A trial of things. Summary of Smith A, Jones B, et al. (2020). '
            'In: Mini review, version 0.1. Updated 2025-11-02. /mini/entries/smith-2020/</p>'
            ) in page
    assert "@misc{smith-2020,\n  title = {A trial of things}," in page
    assert "TY  - ELEC\nID  - smith-2020\nTI  - A trial of things\nT2  - Mini review" in page


def test_cite_this_gives_the_absolute_address_when_the_site_has_one(mini_site_absolute):
    page = mini_site_absolute.page("entries/smith-2020/index.html")
    assert "Updated 2025-11-02. https://example.org/mini/entries/smith-2020/</p>" in page
    assert "url = {https://example.org/mini/entries/smith-2020/}" in page
    assert "UR  - https://example.org/mini/entries/smith-2020/" in page
    home = mini_site_absolute.page("index.html")
    assert ('<p id="cite-text">Mini review. A living evidence review, version 0.1; evidence as '
            'of 2025-12-01. https://example.org/mini/</p>') in home


def test_sitemap_only_with_an_absolute_address(mini_site, mini_site_absolute):
    assert not (mini_site.site / "sitemap.xml").exists()
    assert (mini_site.site / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    sitemap = (mini_site_absolute.site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/mini/entries/smith-2020/</loc>" in sitemap
    assert "404.html" not in sitemap
    assert "Sitemap: https://example.org/mini/sitemap.xml" in \
        (mini_site_absolute.site / "robots.txt").read_text()


def test_page_citing_a_retracted_work_shows_a_banner_and_strict_fails(project, capsys):
    bib = (project.root / "citations.bib").read_text()
    project.write("citations.bib", bib.replace(
        "  pmid = {12345},", "  pmid = {12345},\n  retraction = {Retracted Publication (PubMed)},"))
    assert project.run("build") == 0
    entry = project.page("entries/smith-2020/index.html")
    assert 'class="notice-banner notice-retraction" role="alert"' in entry
    assert "Retracted work cited" in entry and "A trial of things" in entry
    assert "notice-banner" not in project.page("about/index.html")
    assert project.run("check", "--strict") == 1
    assert any("warning[retraction-flagged]: `smith2020trial` is flagged (retraction)" in line
               for line in capsys.readouterr().err.splitlines())
