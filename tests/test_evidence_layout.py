"""A layout (`model: none`) of results printed without an interval: each arm of each study is
listed with "interval not reported", nothing is drawn or pooled, and the page says why."""
from __future__ import annotations

import json

import pytest

from conftest import diagnostics_of, make_project

Q = "content/questions/beyond.md"
OUTCOMES = """\
- id: pfs-median
  name: Median progression-free survival
  kind: continuous
  importance: important
  favourable: higher
"""
BIB = """\
@misc{cohorta, author = {A}, title = {Cohort A}, year = {2024}}

@misc{cohortb, author = {B}, title = {Cohort B}, year = {2025}}
"""
QUESTION = """\
---
id: beyond
title: Does continuing the drug help?
pico:
  population: People in two cohorts
  intervention: drug continued
  comparator: drug stopped
  outcomes: [progression-free survival]
bottom_line: The evidence is very uncertain.
evidence_status: limited
open_questions: []
syntheses:
  - outcome: pfs-median
    measure: median
    entries: [cohort-a, cohort-b]
    model: none
    reason: medians without intervals
    certainty:
      rating: very low
      start: low
      domains:
        risk_of_bias: {rating: serious, reason: not randomised}
        inconsistency: {rating: not serious}
        indirectness: {rating: not serious}
        imprecision: {rating: serious, reason: no intervals}
        publication_bias: {rating: not serious}
    statement: The evidence is very uncertain (4.8 versus 2.4 and 3.92 versus 2.15 months).
---
"""


def entry(name: str, key: str, continued: float, stopped: float, size: int = 40) -> str:
    rows = "".join(f"""\
  - outcome: pfs-median
    citation: {key}
    locator: abstract
    group: {group}
    comparison: continued vs stopped
    measure: median
    estimate: {value}
    unit: months
""" for group, value in (("continued", continued), ("stopped", stopped)))
    return f"""\
---
id: {name}
title: {name}
short_title: {name.title()}
type: cohort
citation: {key}
population: not reported
setting: not reported
agents: not reported
questions: [beyond]
key_findings: []
outcomes:
  - outcome: pfs-median
    citation: {key}
    locator: abstract
    group: everyone ({size} patients)
    measure: median
    estimate: 9.9
    population: other analysis
{rows}added: 2025-11-01
updated: 2025-11-01
---
"""


@pytest.fixture
def layout(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = make_project(tmp_path / "layout", with_content=False)
    project.write("citations.bib", BIB)
    project.write("content/outcomes.yaml", OUTCOMES)
    project.write("content/entries/cohort-a.md", entry("cohort-a", "cohorta", 4.8, 2.4))
    project.write("content/entries/cohort-b.md", entry("cohort-b", "cohortb", 3.92, 2.15))
    project.write(Q, QUESTION)
    return project


def only_arms(project) -> None:
    """Names the arms' population so that the other analysis is left out."""
    for name in ("cohort-a", "cohort-b"):
        path = project.root / f"content/entries/{name}.md"
        path.write_text(path.read_text().replace(
            "    comparison: continued vs stopped\n",
            "    comparison: continued vs stopped\n    population: all patients\n"))
    path = project.root / Q
    path.write_text(path.read_text().replace(
        "    model: none\n", "    population: all patients\n    model: none\n"))


def test_arms_without_intervals_are_listed_not_drawn(layout):
    only_arms(layout)
    assert layout.run("build") == 0
    page = layout.page("questions/beyond/index.html")
    assert '<g class="study">' not in page and "<svg" not in page.split("Results of the studies")[1]
    assert "Cohort-A: continued" in page and "Cohort-B: stopped" in page
    assert "median 4.80 months (interval not reported)" in page
    assert "median 2.15 months (interval not reported)" in page
    assert "No forest plot: none of these results is reported with a confidence interval" in page
    assert "not reported (2 studies)" in page  # arms are counted once per study
    assert "Not pooled" in page and "medians without intervals" in page
    data = json.loads((layout.site / "data/syntheses.json").read_text())
    (synthesis,) = data["syntheses"]
    assert synthesis["studies"] == [] and synthesis["pooled"] is None
    assert [(i["entry"], i["group"], i["estimate"]) for i in synthesis["listed"]] == [
        ("cohort-a", "continued", 4.8), ("cohort-a", "stopped", 2.4),
        ("cohort-b", "continued", 3.92), ("cohort-b", "stopped", 2.15)]


def test_a_number_of_no_listed_arm_is_unsupported(layout, capsys):
    only_arms(layout)
    path = layout.root / Q
    path.write_text(path.read_text().replace("3.92 versus", "3.93 versus"))
    assert layout.run("check") == 1
    assert any("error[unsupported-number]: `3.93` is not a number of `cohorta`, `cohortb`"
               in line for line in diagnostics_of(capsys))


def test_a_layout_still_refuses_two_results_of_one_group(layout, capsys):
    # without the population filter, the other analysis is a third row of each entry: its
    # group differs, so it is listed; two rows of the same group are not
    path = layout.root / "content/entries/cohort-a.md"
    path.write_text(path.read_text().replace("group: everyone (40 patients)", "group: stopped"))
    assert layout.run("check") == 1
    lines = diagnostics_of(capsys)
    assert any("error[synthesis-counts-twice]: entry `cohort-a` has 3 `pfs-median` results"
               in line for line in lines), lines


def test_medians_are_never_pooled(layout, capsys):
    only_arms(layout)
    path = layout.root / Q
    path.write_text(path.read_text().replace("model: none", "model: random"))
    assert layout.run("check") == 1
    lines = diagnostics_of(capsys)
    assert f"{Q}:17:12: error[synthesis-median-pooled]: medians are not pooled" in lines
    # pooling takes one result per entry, with an interval
    assert any("error[synthesis-counts-twice]: entry `cohort-a` has 2" in line for line in lines)


def stated_sizes(project, sizes: dict[str, tuple[int, int]]) -> None:
    """Gives each arm's `participants` (a group size the source states without counts)."""
    for name, (continued, stopped) in sizes.items():
        path = project.root / f"content/entries/{name}.md"
        text = path.read_text()
        for group, size in (("continued", continued), ("stopped", stopped)):
            text = text.replace(f"    group: {group}\n", f"    group: {group}\n"
                                f"    participants: {size}\n", 1)
        path.write_text(text)


def test_group_sizes_stated_without_counts_are_the_participants(layout):
    only_arms(layout)
    stated_sizes(layout, {"cohort-a": (45, 55), "cohort-b": (118, 93)})
    assert layout.run("build") == 0
    page = layout.page("questions/beyond/index.html")
    assert "311 (2 studies)" in page  # 45 + 55 + 118 + 93
    assert "not reported (2 studies)" not in page
    data = json.loads((layout.site / "data/syntheses.json").read_text())
    assert [i["participants"] for i in data["syntheses"][0]["listed"]] == [45, 55, 118, 93]


def test_one_arm_without_a_size_leaves_the_participants_not_reported(layout):
    only_arms(layout)
    stated_sizes(layout, {"cohort-a": (45, 55)})
    assert layout.run("build") == 0
    assert "not reported (2 studies)" in layout.page("questions/beyond/index.html")


def test_participants_beside_counts_is_an_error_at_its_line(layout, capsys):
    path = layout.root / "content/entries/cohort-a.md"
    path.write_text(path.read_text().replace(
        "    group: everyone (40 patients)\n",
        "    group: everyone (40 patients)\n    events: 10\n    total: 40\n    participants: 40\n"))
    assert layout.run("check") == 1
    lines = diagnostics_of(capsys)
    expected = ("content/entries/cohort-a.md:19:19: error[participants-and-counts]: "
                "`participants` is given beside counts, which already say how many people")
    assert any(line.startswith(expected) for line in lines), lines
