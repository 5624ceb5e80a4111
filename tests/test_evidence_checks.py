"""Bad evidence data: each mistake gives its diagnostic at the exact line and column."""
from __future__ import annotations

import pytest

from conftest import diagnostics_of, make_project
from evidence_fixture import CERTAINTY, write_bcg_site

E1 = "content/entries/bcg-01.md"
Q = "content/questions/bcg.md"
ROW = """\
  - outcome: tuberculosis
    citation: bcg01
    locator: table 1
"""


@pytest.fixture
def bcg(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return write_bcg_site(make_project(tmp_path / "bcg", with_content=False))


def add_row(project, text: str, entry: str = E1) -> None:
    """Adds an outcome row after the entry's first one (which starts on line 13)."""
    path = project.root / entry
    source = path.read_text()
    path.write_text(source.replace("added: 2025", ROW + text + "added: 2025", 1))


def check(project, capsys) -> list[str]:
    assert project.run("check") == 1
    return diagnostics_of(capsys)


@pytest.mark.parametrize("extra, expected", [
    ("    measure: HR\n    estimate: 0.7\n    ci: [0.8, 0.9]\n",
     f"{E1}:24:9: error[ci-excludes-estimate]: the interval [0.8, 0.9] does not contain the "
     "estimate 0.7"),
    ("    measure: HR\n    estimate: 0.7\n    ci: [0.9, 0.5]\n",
     f"{E1}:24:9: error[ci-order]: the interval [0.9, 0.5] is not lower then upper"),
    ("    measure: OR\n    estimate: -0.2\n    ci: [-0.5, 0.1]\n",
     f"{E1}:23:15: error[ratio-not-positive]: a OR and its interval must be above 0 "
     "(got -0.2 [-0.5, 0.1])"),
    ("    measure: proportion\n    estimate: 52.4\n",
     f"{E1}:23:15: error[proportion-range]: a proportion must be between 0 and 1 (got 52.4)"),
    ("    events: 12\n    total: 10\n",
     f"{E1}:22:13: error[events-exceed-total]: 12 events of 10 participants"),
    ("    events: 1\n    total: 0\n",
     f"{E1}:23:12: error[invalid-value]: `outcomes[1].total`: 0 is less than the minimum of 1"),
    ("    estimate: 0.7\n",
     f"{E1}:19:5: error[missing-field]: missing required field `measure` in `outcomes[1]`"),
    ("    note: no number\n",
     f"{E1}:19:5: error[outcome-no-number]: this result gives no number"),
])
def test_bad_numbers_are_reported_where_they_stand(bcg, capsys, extra, expected):
    add_row(bcg, extra)
    lines = check(bcg, capsys)
    assert expected in lines, "\n".join(lines)


def test_a_number_without_citation_or_locator_is_refused(bcg, capsys):
    path = bcg.root / E1
    path.write_text(path.read_text().replace("    locator: dat.bcg row 1\n", ""))
    lines = check(bcg, capsys)
    assert f"{E1}:13:5: error[missing-field]: missing required field `locator` in `outcomes[0]`" in lines


def test_unknown_outcome_gets_a_suggestion(bcg, capsys):
    path = bcg.root / E1
    path.write_text(path.read_text().replace("outcome: tuberculosis", "outcome: tuberculoses"))
    lines = check(bcg, capsys)
    assert f"{E1}:13:14: error[unknown-outcome]: there is no outcome `tuberculoses`" in lines
    assert "  hint: did you mean `tuberculosis`?" in lines


def test_a_synthesis_that_counts_an_entry_twice_is_refused(bcg, capsys):
    add_row(bcg, "    comparison: BCG vs no vaccine\n    intervention: {events: 1, total: 9}\n"
                 "    control: {events: 2, total: 9}\n")
    lines = check(bcg, capsys)
    assert (f"{Q}:15:15: error[synthesis-counts-twice]: entry `bcg-01` has 2 `tuberculosis` "
            "results") in lines


def test_a_synthesis_of_one_study_twice_is_refused(bcg, capsys):
    for entry in (E1, "content/entries/bcg-02.md"):
        path = bcg.root / entry
        path.write_text(path.read_text().replace("type: rct\n", "type: rct\nstudy: Trial X\n"))
    lines = check(bcg, capsys)
    assert (f"{Q}:15:23: error[synthesis-same-study]: entries `bcg-01` and `bcg-02` report the "
            "same study (`Trial X`)") in lines


def test_a_synthesis_mixing_comparisons_is_refused(bcg, capsys):
    path = bcg.root / E1
    path.write_text(path.read_text().replace("BCG vs no vaccine", "BCG vs placebo"))
    lines = check(bcg, capsys)
    assert (f"{Q}:15:14: error[synthesis-mixed-comparisons]: the results compare different "
            "things: `BCG vs no vaccine`; `BCG vs placebo`") in lines


def test_a_synthesis_naming_a_measure_the_rows_cannot_give(bcg, capsys):
    path = bcg.root / Q
    path.write_text(path.read_text().replace("measure: RR", "measure: HR"))
    lines = check(bcg, capsys)
    assert (f"{Q}:15:15: error[synthesis-measure]: entry `bcg-01`'s result cannot give a HR"
            ) in lines


def test_a_certainty_without_domains_is_an_error(bcg, capsys):
    path = bcg.root / Q
    path.write_text(path.read_text().replace(CERTAINTY, "    certainty:\n      rating: low\n"))
    lines = check(bcg, capsys)
    assert (f"{Q}:19:7: error[missing-field]: missing required field `domains` in "
            "`syntheses[0].certainty`") in lines


def test_a_rating_the_domains_do_not_imply_is_a_warning(bcg, capsys):
    path = bcg.root / Q
    path.write_text(path.read_text().replace("rating: low\n", "rating: high\n"))
    assert bcg.run("check") == 0
    lines = diagnostics_of(capsys)
    assert (f"{Q}:19:15: warning[certainty-rating]: rated `high`, but starting at high the "
            "domains imply `low`") in lines


def test_a_downgrade_needs_its_reason(bcg, capsys):
    path = bcg.root / Q
    path.write_text(path.read_text().replace(
        "{rating: serious, reason: the effects differ widely between trials}",
        "{rating: serious}"))
    lines = check(bcg, capsys)
    assert (f"{Q}:22:24: error[certainty-reason]: `inconsistency` is rated serious without a "
            "reason") in lines
