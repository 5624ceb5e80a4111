"""Every number a reader is told traces to the cited work: a one-digit change anywhere fails
`check --strict` with `unsupported-number` at the number's line and column."""
from __future__ import annotations

import pytest
from hypothesis import assume, given, strategies as st

from conftest import diagnostics_of, make_project
from evidencesite.evidence.numbers_in_text import printed_numbers, supported

# Synthetic works: the numbers are made up for the test, not results of real trials.
BIB = """\
@article{trial2016,
  author = {Example, Ann and others},
  title = {A randomised trial of drug X},
  journal = {J Examples},
  year = {2016},
  volume = {1},
  pages = {1--9},
  abstract = {Overall survival was longer with drug X (hazard ratio 0.55) in 345 patients.}
}

@article{cohort2020,
  author = {Sample, Bo},
  title = {A cohort retreated with drug X},
  journal = {J Examples},
  year = {2020},
  volume = {2},
  pages = {10--19}
}
"""

OUTCOMES = """\
- id: survival
  name: Overall survival
  kind: time-to-event
  importance: critical
  favourable: lower
- id: response
  name: Response on retreatment
  kind: proportion
  importance: critical
  favourable: higher
"""

TRIAL = """\
---
id: trial
title: A randomised trial of drug X
type: rct
citation: trial2016
population: [NSCLC]
setting: [previously-treated]
agents: [anti-PD-1]
questions: [retreatment]
summary: A phase 3 trial (NCT01234567) reported in 2016; 11 of 23 retreated patients (48%) responded.
key_findings:
  - statement: Drug X lowered the hazard of death at 5 years (HR 0.55, 95% CI 0.44 to 0.69).
    citation: trial2016
  - statement: "In KEYNOTE-010 and CheckMate 057 style designs, adults aged 18 with grade ≥3 events in phase 3 were excluded; 345 patients."
    citation: trial2016
    quote: in 345 patients
outcomes:
  - outcome: survival
    citation: trial2016
    locator: table 2
    comparison: drug X vs docetaxel
    timepoint: 5 years
    measure: HR
    estimate: 0.55
    ci: [0.44, 0.69]
  - outcome: response
    citation: trial2016
    locator: table 3
    group: retreated
    events: 11
    total: 23
added: 2025-11-01
updated: 2025-11-01
---
"""

COHORT = """\
---
id: cohort
title: A cohort retreated with drug X
type: cohort
citation: cohort2020
population: [NSCLC]
setting: [rechallenge-after-progression]
agents: [anti-PD-1]
questions: [retreatment]
key_findings:
  - statement: Seven of 30 retreated patients responded (7 of 30, 23.3%).
    citation: cohort2020
outcomes:
  - outcome: response
    citation: cohort2020
    locator: table 1
    group: retreated
    events: 7
    total: 30
added: 2025-11-01
updated: 2025-11-01
---
"""

QUESTION = """\
---
id: retreatment
title: Does retreatment produce responses?
pico:
  population: adults
  intervention: retreatment
  comparator: none
  outcomes: [response]
bottom_line: About a third responded on retreatment (pooled 34.7%). In one trial, 11 of 23 responded [@trial2016].
evidence_status: very limited
open_questions: []
syntheses:
  - outcome: response
    measure: proportion
    entries: [trial, cohort]
    certainty:
      rating: low
      start: low
      domains:
        risk_of_bias: {rating: not serious}
        inconsistency: {rating: not serious}
        indirectness: {rating: not serious}
        imprecision: {rating: not serious}
        publication_bias: {rating: not serious}
    statement: Retreatment may produce a response in about 35% of the 53 patients.
---
"""

T, C, Q = "content/entries/trial.md", "content/entries/cohort.md", "content/questions/retreatment.md"


@pytest.fixture
def review(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = make_project(tmp_path / "review", with_content=False)
    project.write("citations.bib", BIB)
    project.write("content/outcomes.yaml", OUTCOMES)
    project.write(T, TRIAL)
    project.write(C, COHORT)
    project.write(Q, QUESTION)
    return project


def test_the_supported_review_passes_strict_check(review, capsys):
    assert review.run("check", "--strict", "--jobs", "1") == 0, diagnostics_of(capsys)


def position_of(project, path: str, text: str) -> tuple[int, int]:
    """Line and column of the first `text` in the file."""
    for number, line in enumerate((project.root / path).read_text().split("\n"), 1):
        if text in line:
            return number, line.index(text) + 1
    raise AssertionError(f"{text!r} not in {path}")


def change(project, path: str, old: str, new: str) -> None:
    file = project.root / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


POOLED = ("`cohort2020`, `trial2016` (the results this synthesis includes) and the question's "
          "pooled estimates")
# (file, the text just before the number, the number as printed, what the message names)
NUMBERS = [
    (T, "(HR ", "0.55", "`trial2016`"),
    (T, "0.55, ", "95", "`trial2016`"),
    (T, "CI ", "0.44", "`trial2016`"),
    (T, " to ", "0.69", "`trial2016`"),
    (T, "death at ", "5", "`trial2016`"),
    (T, "2016; ", "11", "`trial2016`"),
    (T, "11 of ", "23", "`trial2016`"),
    (T, "patients (", "48", "`trial2016`"),
    (T, "excluded; ", "345", "`trial2016`"),
    (C, "30, ", "23.3", "`cohort2020`"),
    (C, "Seven of ", "30", "`cohort2020`"),
    (Q, "(pooled ", "34.7", "`cohort2020`, `trial2016` and the question's pooled estimates"),
    (Q, "trial, 11 of ", "23", "`trial2016` and the question's pooled estimates"),
    (Q, "about ", "35", POOLED),
    (Q, "the ", "53", POOLED),
]


def one_digit_changes() -> list:
    found = []
    for path, before, number, named in NUMBERS:
        for position, digit in enumerate(number):
            if digit.isdigit():
                other = (int(digit) + 1) % 10 or (8 if position == 0 else 0)  # no leading 0
                changed = number[:position] + str(other) + number[position + 1:]
                found.append(pytest.param(path, before, number, changed, named,
                                          id=f"{path.split('/')[-1]}:{number}->{changed}"))
    return found


@pytest.mark.parametrize("path, before, number, changed, named", one_digit_changes())
def test_a_number_changed_by_one_digit_fails_strict_check(review, capsys, path, before, number,
                                                          changed, named):
    line, column = position_of(review, path, before + number)
    change(review, path, before + number, before + changed)
    assert review.run("check", "--strict", "--jobs", "1") == 1  # in this process: faster
    lines = diagnostics_of(capsys)
    assert (f"{path}:{line}:{column + len(before)}: error[unsupported-number]: `{changed}` is "
            f"not a number of {named}") in lines, "\n".join(lines)


def test_a_number_in_a_folded_value_is_reported_at_the_value(review, capsys):
    path = review.root / C
    path.write_text(path.read_text().replace(
        "  - statement: Seven of 30", "  - statement: >\n      Seven of 31"))
    assert review.run("check", "--jobs", "1") == 1
    assert (f"{C}:11:16: error[unsupported-number]: `31` is not a number of `cohort2020`"
            in diagnostics_of(capsys))


def test_a_number_only_in_another_works_results_is_unsupported(review, capsys):
    change(review, C, "responded (7 of 30", "responded (11 of 23")
    assert review.run("check", "--jobs", "1") == 1
    lines = diagnostics_of(capsys)
    assert f"{C}:11:58: error[unsupported-number]: `11` is not a number of `cohort2020`" in lines
    assert not any("`23`" in line for line in lines)  # 7 of 30 is 23.3%: 23 is supported


@pytest.mark.parametrize("text, numbers", [
    ("HR 0.55 (95% CI 0.44 to 0.69) in 2016", ["0.55", "95", "0.44", "0.69"]),
    ("KEYNOTE-010, KEYNOTE 024, CheckMate 057, IMpower010, NCT07453342, doi:10.1000/x12, "
     "PMID: 123", []),
    ("NSCLC 100 of 200; HR 0.55; OS 12.1; ORR 34%", ["100", "200", "0.55", "12.1", "34"]),
    ("stage IV, phase 3, grade ≥3, grades 3-4, aged 18, 18 years or older, PD-L1, CD8+", []),
    ("1. first\n2) second; the 3rd line; 1,234 people; 0·55", ["1,234", "0·55"]),
    ("n = 2000 patients; 2023 patients; 52% of 2019", ["2000", "2023", "52"]),
    ("As shown [@trial2016, p. 5]: 11/23", ["11", "23"]),
])
def test_exempt_numbers_are_told_apart(text, numbers):
    assert [n.text for n in printed_numbers(text)] == numbers


def test_precision_follows_the_printed_number():
    (percent,), (ratio,) = printed_numbers("52%"), printed_numbers("0.55")
    assert supported(percent, [52.4]) and not supported(percent, [52.6])
    assert supported(ratio, [0.55]) and not supported(ratio, [0.56, 0.54, 0.5])
    (rounded,), (tie,) = printed_numbers("0.6"), printed_numbers("29%")
    assert supported(rounded, [0.55]) and not supported(printed_numbers("0.5")[0], [0.55])
    assert supported(tie, [100 * 0.285])  # half up, after float noise is rounded away


@given(st.integers(0, 99999), st.integers(0, 3), st.data())
def test_one_digit_changed_is_never_the_number_it_was(whole, decimals, data):
    text = f"{whole / 10 ** decimals:.{decimals}f}"
    assume(not (decimals == 0 and 1000 <= whole <= 2999))  # could read as a year
    position = data.draw(st.sampled_from([i for i, c in enumerate(text) if c.isdigit()]))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != text[position]]))
    changed = text[:position] + digit + text[position + 1:]
    assume(printed_numbers(changed))
    (original,), (mutated,) = printed_numbers(text), printed_numbers(changed)
    assert supported(original, [original.value])
    assert not supported(mutated, [original.value])


def test_a_result_located_in_the_abstract_but_not_in_it_fails_strict_check(review, capsys):
    change(review, T, "    locator: table 2\n", "    locator: abstract\n")
    assert review.run("check", "--jobs", "1") == 0  # 0.55 is in the abstract
    change(review, T, "    estimate: 0.55\n    ci: [0.44, 0.69]",
           "    estimate: 0.56\n    ci: [0.44, 0.69]")
    change(review, T, "(HR 0.55,", "(HR 0.56,")
    assert review.run("check", "--jobs", "1") == 0
    line, _ = position_of(review, T, "- outcome: survival")
    warning = (f"{T}:{line}:5: warning[outcome-not-in-abstract]: none of this result's numbers "
               "appears in the abstract of `trial2016`")
    assert warning in diagnostics_of(capsys)
    assert review.run("check", "--strict", "--jobs", "1") == 1
    assert warning in diagnostics_of(capsys)


def test_rebuild_in_one_process_checks_an_unchanged_entry_against_a_changed_abstract(review):
    """The dev server rebuilds with one cache: an entry that did not change is checked again
    when the abstract of the work it cites did."""
    from evidencesite.build import build
    from evidencesite.config import make_config
    from evidencesite.incremental.store import BuildCache

    change(review, C, "key_findings:", "summary: Median follow-up was 14 months.\nkey_findings:")
    config, cache = make_config(review.root, jobs=1), BuildCache()

    def unsupported() -> list[str]:
        return [d.message for d in build(config, write=False, cache=cache).diagnostics
                if d.code == "unsupported-number"]

    assert unsupported() == ["`14` is not a number of `cohort2020`"]
    change(review, "citations.bib", "  pages = {10--19}",
           "  pages = {10--19},\n  abstract = {Median follow-up was 14 months.}")
    assert unsupported() == []
    change(review, "citations.bib", "follow-up was 14 months", "follow-up was 15 months")
    assert unsupported() == ["`14` is not a number of `cohort2020`"]
