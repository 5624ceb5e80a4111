"""What the pages show of the evidence: result lines for entries, and for questions each
synthesis's forest plot, its data table and its summary-of-findings row."""
from __future__ import annotations

from dataclasses import dataclass

from evidencesite.evidence.forest import ForestPlot, forest_plot, study_text
from evidencesite.evidence.grade import SYMBOLS
from evidencesite.evidence.model import (
    DOMAIN_LABELS, OutcomeDefinition, OutcomeRow, SynthesisResult)
from evidencesite.evidence.numbers import (
    interval, level_text, measure_label, number, percent)


@dataclass(frozen=True)
class ResultLine:
    outcome: str
    who: str  # group, population and comparison, as the entry states them
    timepoint: str
    result: str
    citation: str
    locator: str
    note: str


def result_line(row: OutcomeRow, outcomes: dict[str, OutcomeDefinition]) -> ResultLine:
    outcome = outcomes.get(row.outcome)
    who = "; ".join(part for part in (row.group, row.population, row.comparison) if part)
    return ResultLine(outcome.name if outcome else row.outcome, who or "not reported",
                      row.timepoint or "not reported", result_text(row), row.citation,
                      row.locator, row.note)


def result_text(row: OutcomeRow) -> str:
    parts = []
    if row.estimate is not None:
        value = percent(row.estimate) if row.measure == "proportion" else \
            f"{number(row.estimate, _digits(row.estimate))}{' ' + row.unit if row.unit else ''}"
        label = row.measure if row.measure in ("HR", "OR", "RR", "RD", "MD", "SMD") else \
            measure_label(row.measure)
        text = f"{label} {value}"
        if row.ci:
            low, high = (percent(b) if row.measure == "proportion" else
                         number(b, _digits(b)) for b in row.ci)
            text += f" ({level_text(row.ci_level)} CI {low} to {high})"
        parts.append(text)
    if row.events is not None and row.total is not None:
        parts.append(f"{row.events} of {row.total} ({percent(row.events / row.total)})")
    if row.intervention and row.control:
        parts.append(f"{row.intervention.events} of {row.intervention.total} vs "
                     f"{row.control.events} of {row.control.total}")
    return "; ".join(parts)


def _digits(value: float) -> int:
    """As many decimals as the source printed, at least 2 (0.7 is shown as 0.70)."""
    text = repr(float(value))
    decimals = len(text.partition(".")[2].rstrip("0"))
    return max(2, min(decimals, 4))


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str


@dataclass(frozen=True)
class SofRow:
    outcome: str
    importance: str
    participants: str
    effect: str
    rating: str
    symbols: str
    footnotes: tuple[Footnote, ...]
    statement: str
    timepoint: str
    reason: str = ""  # why the results are not pooled


@dataclass(frozen=True)
class StudyLine:
    label: str
    entry: str
    result: str
    participants: str
    weight: str


@dataclass(frozen=True)
class SynthesisView:
    id: str
    title: str
    measure: str
    plot: ForestPlot | None  # None when no included result can be drawn
    studies: tuple[StudyLine, ...]
    pooled: str
    heterogeneity: str
    sof: SofRow
    notes: tuple[str, ...]
    description: str  # the plot's text alternative


def synthesis_view(result: SynthesisResult, first_footnote: int) -> SynthesisView:
    spec, measure = result.spec, result.spec.measure
    pooled = result.pooled
    plot = forest_plot(result) if result.studies else None
    studies = tuple(StudyLine(
        s.label, s.row.entry, study_text(s, measure), _participants(s.row),
        f"{number(100 * s.weight, 1)}%" if s.weight is not None else "not pooled")
        for s in result.studies) + tuple(StudyLine(
            item.label, item.row.entry, listed_text(item.row), _participants(item.row),
            "not pooled") for item in result.listed)
    pooled_text = interval(*pooled.natural, measure) if pooled else ""
    heterogeneity = (f"τ² = {number(pooled.tau2, 3)}; I² = {number(100 * pooled.i2, 0)}%"
                     if pooled and pooled.model == "random" else
                     f"I² = {number(100 * pooled.i2, 0)}%" if pooled else "")
    title = spec.title or f"{result.outcome.name} ({measure_label(measure)})"
    return SynthesisView(
        id=spec.id, title=title, measure=measure, plot=plot, studies=studies,
        pooled=pooled_text, heterogeneity=heterogeneity,
        sof=_sof_row(result, pooled_text, first_footnote), notes=result.notes,
        description=_describe(result, title, pooled_text, heterogeneity))


def _participants(row: OutcomeRow) -> str:
    return str(row.participants) if row.participants is not None else "not reported"


def listed_text(row: OutcomeRow) -> str:
    """A result a layout lists without drawing it."""
    return f"{result_text(row)} (interval not reported)"


def _sof_row(result: SynthesisResult, pooled_text: str, first: int) -> SofRow:
    spec, outcome = result.spec, result.outcome
    k = len({row.entry for row in result.rows})
    totals = [row.participants for row in result.rows]
    people = f"{sum(totals)}" if None not in totals else "not reported"
    participants = f"{people} ({k} {'study' if k == 1 else 'studies'})"
    if pooled_text:
        effect = (f"{measure_label(spec.measure)} {pooled_text}" if spec.measure == "proportion"
                  else f"{spec.measure} {pooled_text}")
    else:
        effect = "Not pooled"
    certainty = spec.certainty
    footnotes = []
    if certainty:
        for domain in certainty.domains:
            if domain.downgrade:
                footnotes.append(Footnote(first + len(footnotes),
                                          f"{DOMAIN_LABELS[domain.name]} ({domain.rating}): "
                                          f"{domain.reason}"))
    rating = certainty.rating if certainty else "not rated"
    return SofRow(outcome.name, outcome.importance, participants, effect, rating,
                  SYMBOLS.get(rating, ""), tuple(footnotes), spec.statement,
                  spec.timepoint or "", "" if pooled_text else spec.reason)


def _describe(result: SynthesisResult, title: str, pooled_text: str, heterogeneity: str) -> str:
    lines = [f"Forest plot of {title}: {len(result.studies)} "
             f"{'study' if len(result.studies) == 1 else 'studies'}."]
    lines += [f"{s.label}: {study_text(s, result.spec.measure)}." for s in result.studies]
    lines += [f"{item.label}: {listed_text(item.row)}, not drawn." for item in result.listed]
    if pooled_text:
        lines.append(f"Pooled: {pooled_text}; {heterogeneity}.")
    return " ".join(lines)


def entry_results(rows, outcomes: dict[str, OutcomeDefinition]) -> list[ResultLine]:
    return [result_line(row, outcomes) for row in rows]


def question_syntheses(results) -> list[SynthesisView]:
    """The views of a question's syntheses, footnotes numbered across its
    summary-of-findings table."""
    views, first = [], 1
    for result in results:
        view = synthesis_view(result, first)
        first += len(view.sof.footnotes)
        views.append(view)
    return views
