"""BibTeX records -> CSL-JSON (citations/csl.py), the input of every reference style."""
from __future__ import annotations

from evidencesite.citations.csl import split_names, to_csl
from evidencesite.content.model import BibRecord, SourceLocation


def record(entry_type="article", **fields):
    return BibRecord("key1", entry_type, fields, SourceLocation("citations.bib", 1, 1))


def test_names_in_either_order_and_others_become_et_al():
    assert split_names("Smith, Anna and Bob Jones and Plato and others") == [
        {"family": "Smith", "given": "Anna"}, {"family": "Jones", "given": "Bob"},
        {"family": "Plato"}, {"literal": "et al."}]


def test_fields_map_to_csl_names_with_page_ranges_and_month_dates():
    item = to_csl(record(title="T", journal="J", volume="1", number="2", pages="3--4",
                         doi="10.1/x", pmid="9", year="2020", month="mar"))
    assert item["type"] == "article-journal"
    assert (item["title"], item["container-title"], item["volume"], item["issue"]) == \
        ("T", "J", "1", "2")
    assert (item["page"], item["DOI"], item["PMID"]) == ("3-4", "10.1/x", "9")
    assert item["issued"] == {"date-parts": [[2020, 3]]}


def test_a_full_date_wins_over_year_and_month():
    assert to_csl(record(date="2021-06-05", year="2020"))["issued"] == \
        {"date-parts": [[2021, 6, 5]]}


def test_a_trial_registration_is_cited_by_its_registry_number_and_sponsor():
    item = to_csl(record("misc", title="Study", organization="Sponsor Inc", nct="NCT01234567"))
    assert item["type"] == "webpage"
    assert item["number"] == "NCT01234567" and item["container-title"] == "ClinicalTrials.gov"
    assert item["URL"] == "https://clinicaltrials.gov/study/NCT01234567"
    assert item["author"] == [{"literal": "Sponsor Inc"}] and item["publisher"] == "Sponsor Inc"


def test_text_is_escaped_for_html_unless_asked_not_to():
    assert to_csl(record(title="A <b> & c"))["title"] == "A &lt;b&gt; &amp; c"
    assert to_csl(record(title="A <b> & c"), escape_html=False)["title"] == "A <b> & c"
