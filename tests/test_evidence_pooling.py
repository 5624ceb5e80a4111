"""Pooling reproduces published reference values (statsmodels does the statistics)."""
from __future__ import annotations

import math

import pytest

from evidencesite.evidence.model import (
    GroupCounts, OutcomeDefinition, OutcomeRow, SynthesisSpec)
from evidencesite.evidence.pooling import pool, proportion_effects, study_effect
from evidencesite.evidence.syntheses import EntryFacts, compute
from evidencesite.content.model import SourceLocation

HERE = SourceLocation("test.md", 1, 1)

# The 13 BCG-vaccine trials (Colditz et al. 1994; `dat.bcg` of the R package metafor):
# tuberculosis cases / non-cases, vaccinated then not vaccinated.
BCG = [(4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
       (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619),
       (505, 87886, 499, 87892), (29, 7470, 45, 7232), (17, 1699, 65, 1600),
       (186, 50448, 141, 27197), (5, 2493, 3, 2338), (27, 16886, 29, 17825)]

# The CLASP trials (DerSimonian and Kacker 2007, Tables 3 and 4): events / participants,
# treated then control.
CLASP = [(5, 156, 8, 74), (5, 303, 17, 303), (12, 565, 9, 477), (69, 1570, 94, 1565),
         (9, 103, 11, 105), (313, 4659, 352, 4650)]


def two_group_rows(data, as_totals: bool):
    rows = []
    for i, (a, b, c, d) in enumerate(data):
        t = (GroupCounts(a, b), GroupCounts(c, d)) if as_totals else \
            (GroupCounts(a, a + b), GroupCounts(c, c + d))
        rows.append(OutcomeRow(f"trial-{i}", 0, "tb", "k", "abstract", HERE,
                               intervention=t[0], control=t[1]))
    return rows


def test_bcg_random_effects_dl_matches_viechtbauer_2010():
    studies = [study_effect(row, "RR", row.entry) for row in two_group_rows(BCG, False)]
    pooled, weights = pool(studies, "random", "DL", "log")
    assert round(pooled.effect, 4) == -0.7141
    assert round(pooled.se, 4) == 0.1787
    assert round(pooled.tau2, 4) == 0.3088
    assert pooled.k == 13
    assert math.isclose(sum(weights), 1.0)
    assert round(pooled.natural[0], 4) == round(math.exp(-0.7141172), 4)


@pytest.mark.parametrize("method, tau, mu, se", [("DL", 0.2323, -0.3240, 0.1540),
                                                  ("PM", 0.3681, -0.3811, 0.2060)])
def test_clasp_log_odds_ratio_matches_dersimonian_kacker_2007(method, tau, mu, se):
    studies = [study_effect(row, "OR", row.entry) for row in two_group_rows(CLASP, True)]
    pooled, _ = pool(studies, "random", method, "log")
    assert round(math.sqrt(pooled.tau2), 4) == tau
    assert round(pooled.effect, 4) == mu
    assert round(pooled.se, 4) == se


def test_ratio_from_its_interval_gives_the_same_pooled_estimate_as_its_counts():
    rows = two_group_rows(BCG, False)
    from_counts = [study_effect(row, "RR", row.entry) for row in rows]
    as_reported = [OutcomeRow(r.entry, 0, "tb", "k", "abstract", HERE, measure="RR",
                              estimate=s.shown[0], ci=s.shown[1:])
                   for r, s in zip(rows, from_counts)]
    from_intervals = [study_effect(row, "RR", row.entry) for row in as_reported]
    a, _ = pool(from_counts, "random", "DL", "log")
    b, _ = pool(from_intervals, "random", "DL", "log")
    assert math.isclose(a.effect, b.effect, abs_tol=1e-9)
    assert math.isclose(a.tau2, b.tau2, abs_tol=1e-9)


def test_a_96_percent_interval_is_read_at_its_own_level():
    at95 = OutcomeRow("a", 0, "os", "k", "abstract", HERE, measure="HR", estimate=0.73,
                      ci=(0.59, 0.89))
    at96 = OutcomeRow("a", 0, "os", "k", "abstract", HERE, measure="HR", estimate=0.73,
                      ci=(0.59, 0.89), ci_level=0.96)
    assert study_effect(at96, "HR", "a").variance < study_effect(at95, "HR", "a").variance


def test_proportions_pool_on_the_logit_scale_with_a_continuity_correction_for_zero():
    rows = [OutcomeRow(f"s{i}", 0, "orr", "k", "abstract", HERE, measure="proportion",
                       events=e, total=n) for i, (e, n) in enumerate([(11, 21), (0, 12)])]
    studies = [study_effect(row, "proportion", row.entry) for row in rows]
    assert math.isclose(studies[0].effect, math.log(11 / 10))
    assert math.isclose(studies[0].variance, 1 / 11 + 1 / 10, rel_tol=1e-12)
    assert studies[1].corrected and math.isclose(studies[1].effect, math.log(0.5 / 12.5))
    outcome = OutcomeDefinition("orr", "Response", "proportion", "critical", "higher")
    spec = SynthesisSpec("q", 0, "orr", "proportion", ("s0", "s1"), "random", "DL", HERE)
    included = [(EntryFacts(r.entry, r.entry, "cohort", r.entry, (r,)), r) for r in rows]
    result = compute(spec, outcome, included)
    assert result.pooled is not None and 0 < result.pooled.natural[0] < 1
    assert result.notes == ("0.5 was added to the counts of studies with no events or all "
                            "events before pooling.",)


def test_many_proportions_reach_the_logit_and_its_variance_to_twelve_digits():
    """One binomial fit for 40 studies of very different sizes (as a large review pools):
    each study's logit is log(events / non-events) and its variance 1/events +
    1/non-events (the fit must converge on its parameters, not on its near-zero deviance)."""
    counts = [(1 + (7 * i) % 97, 3 + (13 * i) % 389) for i in range(40)]
    rows = [OutcomeRow(f"s{i}", 0, "orr", "k", "abstract", HERE, measure="proportion",
                       events=e, total=e + others) for i, (e, others) in enumerate(counts)]
    studies = proportion_effects(rows, [row.entry for row in rows])
    for (events, others), study in zip(counts, studies):
        assert math.isclose(study.effect, math.log(events / others), rel_tol=1e-12,
                            abs_tol=1e-13)
        assert math.isclose(study.variance, 1 / events + 1 / others, rel_tol=1e-12)


def test_one_study_is_shown_without_a_pooled_estimate():
    row = OutcomeRow("a", 0, "orr", "k", "abstract", HERE, measure="proportion", events=3,
                     total=9)
    outcome = OutcomeDefinition("orr", "Response", "proportion", "critical", "higher")
    spec = SynthesisSpec("q", 0, "orr", "proportion", ("a",), "random", "DL", HERE)
    result = compute(spec, outcome, [(EntryFacts("a", "A", "cohort", "a", (row,)), row)])
    assert result.pooled is None and len(result.studies) == 1


def test_a_study_shows_its_observed_proportion_with_an_exact_interval():
    """0 of 13 is shown as 0% (not the corrected 3.6%), with the Clopper-Pearson interval
    (upper bound 1 - 0.025 ** (1 / 13) for no events)."""
    row = OutcomeRow("a", 0, "orr", "k", "abstract", HERE, measure="proportion", events=0,
                     total=13)
    shown = study_effect(row, "proportion", "a").shown
    assert shown[0] == 0 and shown[1] == 0
    assert math.isclose(shown[2], 1 - 0.025 ** (1 / 13))
