"""A site with outcomes and a synthesis builds a forest plot, a pooled estimate, a
summary-of-findings table and open data with the same numbers."""
from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import build_once, make_project
from evidence_fixture import write_bcg_site


@pytest.fixture
def bcg(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = make_project(tmp_path / "bcg", with_content=False)
    return write_bcg_site(project)


@pytest.fixture(scope="module")
def bcg_site(tmp_path_factory):
    """The BCG site built once, for the tests that only read it."""
    return build_once(tmp_path_factory, write_bcg_site, with_content=False)


def test_question_page_shows_summary_of_findings_and_forest_plot(bcg_site):
    page = bcg_site.page("questions/bcg/index.html")
    assert "Summary of findings" in page
    assert "RR 0.49 (0.34 to 0.70)" in page
    assert "357347 (13 studies)" in page
    assert "⊕⊕◯◯" in page and "Low" in page
    assert "Rated down for Risk of bias (serious): allocation was not concealed" in page
    assert page.count('<g class="study">') == 13
    assert 'role="img"' in page and "<desc id=" in page
    assert "τ² = 0.309; I² = 92%" in page


def test_exports_carry_the_pooled_numbers_at_full_precision(bcg_site):
    data = json.loads((bcg_site.site / "data/syntheses.json").read_text())
    (synthesis,) = data["syntheses"]
    assert synthesis["scale"] == "log" and synthesis["measure"] == "RR"
    assert round(synthesis["pooled"]["effect"], 4) == -0.7141
    assert round(synthesis["pooled"]["tau2"], 4) == 0.3088
    assert synthesis["pooled"]["k"] == 13
    assert abs(sum(s["weight"] for s in synthesis["studies"]) - 1) < 1e-9
    rows = list(csv.DictReader(io.StringIO((bcg_site.site / "data/outcomes.csv").read_text())))
    assert len(rows) == 13
    assert rows[0]["intervention_events"] == "4" and rows[0]["control_total"] == "139"


def test_entry_page_lists_its_results(bcg_site):
    page = bcg_site.page("entries/bcg-01/index.html")
    assert "4 of 123 vs 11 of 139" in page
    assert "dat.bcg row 1" in page


def test_builds_are_byte_identical(bcg_site, bcg):
    first = {p.relative_to(bcg_site.site): p.read_bytes() for p in bcg_site.site.rglob("*")
             if p.is_file() and "pagefind" not in p.parts}
    assert bcg.run("build", "--no-cache") == 0
    second = {p.relative_to(bcg.site): p.read_bytes() for p in bcg.site.rglob("*")
              if p.is_file() and "pagefind" not in p.parts}
    assert first == second


def test_question_history_shows_how_the_answer_changed(bcg):
    path = bcg.root / "content/questions/bcg.md"
    path.write_text(path.read_text().replace("open_questions: []\n", (
        "open_questions: []\nhistory:\n  - date: 2025-11-01\n    field: bottom_line\n"
        "    change: From no answer to 'may reduce'.\n    reason: Thirteen trials pooled.\n")))
    assert bcg.run("build") == 0
    page = bcg.page("questions/bcg/index.html")
    assert ("<strong>Conclusion changed.</strong> From no answer to &#39;may reduce&#39;. "
            '<span class="note">Why: Thirteen trials pooled.</span>') in page


def test_entries_and_questions_carry_outcome_and_certainty_filters_for_search(bcg_site):
    entry = bcg_site.page("entries/bcg-01/index.html")
    # inline values on empty elements: filters without words in the page's text (excerpts)
    assert '<span data-pagefind-filter="outcome:Tuberculosis"></span>' in entry
    assert '<span data-pagefind-filter="certainty:low"></span>' in entry
    question = bcg_site.page("questions/bcg/index.html")
    assert '<span data-pagefind-filter="certainty:low"></span>' in question
