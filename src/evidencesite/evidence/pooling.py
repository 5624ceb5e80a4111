"""Effect sizes and pooled estimates, computed by statsmodels (imported only when a site has
syntheses, so that a site without them builds as fast as before).

Scales: ratios (HR, OR, RR) are pooled as logarithms, proportions as logits, differences as
they are. A ratio or difference given with its confidence interval enters with the standard
error that interval implies (Cochrane Handbook, section 6.3.2: the interval's width on the
analysis scale divided by twice the normal quantile of its level).
"""
from __future__ import annotations

import math
from functools import lru_cache
import warnings

from evidencesite.evidence.model import (
    RATIO_MEASURES, OutcomeRow, Pooled, StudyEffect)

CONTINUITY = 0.5
_STATISTIC = {"OR": "odds-ratio", "RR": "risk-ratio", "RD": "diff"}


@lru_cache(maxsize=None)
def normal_quantile(level: float) -> float:
    from scipy.stats import norm  # a statsmodels dependency
    return float(norm.ppf(1 - (1 - level) / 2))


def study_effect(row: OutcomeRow, measure: str, label: str) -> StudyEffect:
    """`row` on the analysis scale of `measure` (the row must give it: `row.gives`)."""
    if measure == "proportion":
        return proportion_effects([row], [label])[0]
    if row.measure == measure and row.estimate is not None and row.ci is not None:
        return _from_interval(row, measure, label)
    return _from_counts(row, measure, label)


def _to_scale(value: float, measure: str) -> float:
    return math.log(value) if measure in RATIO_MEASURES else value


def back(value: float, scale: str) -> float:
    """A value on the analysis scale brought back to the natural one."""
    if scale == "log":
        return math.exp(value)
    if scale == "logit":
        from scipy.special import expit
        return float(expit(value))
    return value


def _from_interval(row: OutcomeRow, measure: str, label: str) -> StudyEffect:
    lower, upper = (_to_scale(bound, measure) for bound in row.ci)
    se = (upper - lower) / (2 * normal_quantile(row.ci_level))
    return StudyEffect(row, label, _to_scale(row.estimate, measure), se * se,
                       (row.estimate, row.ci[0], row.ci[1]), row.ci_level)


def _from_counts(row: OutcomeRow, measure: str, label: str) -> StudyEffect:
    from statsmodels.stats.meta_analysis import effectsize_2proportions
    a, c = row.intervention, row.control
    corrected = any(g.events in (0, g.total) for g in (a, c))
    effect, variance = effectsize_2proportions(
        a.events, a.total, c.events, c.total, statistic=_STATISTIC[measure],
        zero_correction=CONTINUITY if corrected else None)
    effect, variance = float(effect), float(variance)
    return StudyEffect(row, label, effect, variance,
                       _natural(effect, variance, "log" if measure in RATIO_MEASURES
                                else "identity"), 0.95, corrected)


def proportion_effects(rows: list[OutcomeRow], labels: list[str]) -> list[StudyEffect]:
    """The logit of events / total of each row and its variance, from one binomial GLM
    with a parameter per study (0.5 added to events and non-events when either is 0)."""
    import numpy as np
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    counts, corrected = [], []
    for row in rows:
        fix = row.events in (0, row.total)
        events = row.events + (CONTINUITY if fix else 0)
        others = row.total - row.events + (CONTINUITY if fix else 0)
        counts.append((events, others))
        corrected.append(fix)
    with warnings.catch_warnings():  # a saturated model: no residual degrees of freedom
        warnings.simplefilter("ignore")
        # converged when no parameter moves by more than 1e-13: IRLS gets there in about
        # ten steps (its deviance, near zero in a saturated model, is a noisy criterion)
        fit = GLM(np.array(counts, dtype=float), np.eye(len(rows)),
                  family=families.Binomial()).fit(tol=1e-13, tol_criterion="params",
                                                  maxiter=100)
    effects = []
    for i, (row, shown) in enumerate(zip(rows, observed(rows))):
        effect, variance = float(fit.params[i]), float(fit.bse[i]) ** 2
        effects.append(StudyEffect(row, labels[i], effect, variance, shown, 0.95,
                                   corrected[i]))
    return effects


def observed(rows: list[OutcomeRow], level: float = 0.95) -> list[tuple[float, float, float]]:
    """Each study's own proportion as it shows it: events / total with the exact
    (Clopper-Pearson) interval, as meta-analysis software shows single proportions; the
    continuity correction touches only what is pooled. (One call for all the rows: the
    same numbers as one call a row, at a fraction of the cost.)"""
    import numpy as np
    from statsmodels.stats.proportion import proportion_confint
    lower, upper = proportion_confint(np.array([row.events for row in rows]),
                                      np.array([row.total for row in rows]),
                                      alpha=1 - level, method="beta")
    return [(row.events / row.total, float(low), float(up))
            for row, low, up in zip(rows, lower, upper)]


def _natural(effect: float, variance: float, scale: str, level: float = 0.95):
    half = normal_quantile(level) * math.sqrt(variance)
    return back(effect, scale), back(effect - half, scale), back(effect + half, scale)


def pool(studies: list[StudyEffect], model: str, method: str, scale: str,
         level: float = 0.95) -> tuple[Pooled, list[float]]:
    """The pooled estimate of `studies` and each study's relative weight."""
    import numpy as np
    from statsmodels.stats.meta_analysis import combine_effects
    result = combine_effects(np.array([s.effect for s in studies]),
                             np.array([s.variance for s in studies]),
                             method_re="dl" if method == "DL" else "pm", alpha=1 - level)
    frame = result.summary_frame()
    row = frame.loc["random effect" if model == "random" else "fixed effect"]
    weights = frame["w_re" if model == "random" else "w_fe"].iloc[:len(studies)]
    totals = [s.row.participants for s in studies]
    pooled = Pooled(
        effect=float(row["eff"]), se=float(row["sd_eff"]),
        lower=float(row["ci_low"]), upper=float(row["ci_upp"]),
        natural=(back(float(row["eff"]), scale), back(float(row["ci_low"]), scale),
                 back(float(row["ci_upp"]), scale)),
        tau2=float(result.tau2) if model == "random" else 0.0,
        i2=max(0.0, float(result.i2)),  # Higgins and Thompson: negative values shown as 0
        q=float(result.q), k=len(studies),
        participants=sum(totals) if None not in totals else None,
        model=model, method=method if model == "random" else "")
    return pooled, [float(w) for w in weights]
