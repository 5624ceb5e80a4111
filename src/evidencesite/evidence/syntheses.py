"""The `syntheses` of questions -> checked specifications -> pooled results.

A synthesis names an outcome, a measure and the entries whose rows it includes. It may be
pooled (random or fixed effect) or only laid out as a forest plot (`model: none`). Pooling
mixes no unlike results: one row per entry, one entry per study, one comparison, no
meta-analysis pooled again alongside its own studies.
"""
from __future__ import annotations

from dataclasses import dataclass

from evidencesite.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean
from evidencesite.evidence.grade import implied_rating, starting_level
from evidencesite.evidence.model import (
    DOMAINS, POOLABLE, Certainty, Domain, ListedResult, OutcomeDefinition, OutcomeRow,
    SynthesisResult, SynthesisSpec)
from evidencesite.evidence.pooling import pool, proportion_effects, study_effect

SECONDARY = {"meta-analysis", "systematic-review", "review"}


@dataclass(frozen=True)
class EntryFacts:
    """What a synthesis needs to know of an entry."""

    id: str
    label: str
    type: str
    study: str
    rows: tuple[OutcomeRow, ...]


def synthesis_specs(question_id: str, syntheses, locate) -> tuple[SynthesisSpec, ...]:
    """A question's (schema-valid) `syntheses` as written, typed."""
    specs = []
    for index, item in enumerate(syntheses):
        certainty = item.get("certainty")
        specs.append(SynthesisSpec(
            question=question_id, index=index, outcome=item["outcome"],
            measure=item["measure"], entries=tuple(item["entries"]),
            model=item.get("model", "random"), method=item.get("method", "DL"),
            location=locate("syntheses", index),
            title=item.get("title", ""), population=item.get("population", ""),
            timepoint=item.get("timepoint", ""), comparison=item.get("comparison", ""),
            certainty=_certainty(certainty, locate("syntheses", index, "certainty"))
            if certainty else None,
            statement=item.get("statement", ""), reason=item.get("reason", "")))
    return tuple(specs)


def _certainty(data: dict, location) -> Certainty:
    domains = tuple(Domain(name, data["domains"][name]["rating"],
                           data["domains"][name].get("reason", ""))
                    for name in DOMAINS if name in data.get("domains", {}))
    return Certainty(data["rating"], domains, data.get("start", ""), location)


def selected_rows(spec: SynthesisSpec, entry: EntryFacts) -> list[OutcomeRow]:
    """The entry's rows of the synthesis's outcome that match its population, timepoint
    and comparison, where the synthesis names them."""
    return [row for row in entry.rows if row.outcome == spec.outcome
            and all(not wanted or wanted == got for wanted, got in (
                (spec.population, row.population), (spec.timepoint, row.timepoint),
                (spec.comparison, row.comparison)))]


def check_synthesis(spec: SynthesisSpec, locate, outcomes: dict[str, OutcomeDefinition],
                    entries: dict[str, EntryFacts],
                    unreadable=frozenset()) -> tuple[list[Diagnostic], list]:
    """The problems of one synthesis, and the (entry, row) pairs it includes when none is
    an error. Entries in `unreadable` have their own errors: not reported again here."""
    problems: list[Diagnostic] = []

    def report(severity, keys, code, message, hint):
        problems.append(Diagnostic(locate("syntheses", spec.index, *keys), severity, code,
                                   message, hint))

    if spec.outcome not in outcomes:
        report(ERROR, ("outcome",), "unknown-outcome", f"there is no outcome `{spec.outcome}`",
               did_you_mean(spec.outcome, outcomes) or "use an id of content/outcomes.yaml")
    included = []
    for position, entry_id in enumerate(spec.entries):
        entry = entries.get(entry_id)
        if entry_id in unreadable:
            continue
        if entry is None:
            report(ERROR, ("entries", position), "unknown-entry", f"there is no entry "
                   f"`{entry_id}`", did_you_mean(entry_id, entries) or "check the id")
            continue
        rows = selected_rows(spec, entry)
        where = ("entries", position)
        if not rows:
            report(ERROR, where, "synthesis-no-result", f"entry `{entry_id}` reports no "
                   f"`{spec.outcome}` result{_filters(spec)}",
                   "add the result to the entry's `outcomes`, or remove the entry here")
        elif len(rows) > 1 and not _arms(spec, rows):
            report(ERROR, where, "synthesis-counts-twice", f"entry `{entry_id}` has "
                   f"{len(rows)} `{spec.outcome}` results{_filters(spec)}",
                   "name the one to include with `population`, `timepoint` or "
                   "`comparison` on the synthesis")
        elif not all(_can_show(spec, row) for row in rows):
            report(ERROR, where, "synthesis-measure", f"entry `{entry_id}`'s result cannot "
                   f"give a {spec.measure}", _measure_hint(spec))
        else:
            if spec.model != "none" and entry.type in SECONDARY:
                report(ERROR, where, "synthesis-pools-review", f"entry `{entry_id}` is a "
                       f"{entry.type}: its estimate already pools other studies",
                       "include the primary studies instead, or use `model: none`")
            included.extend((entry, row) for row in rows)
    if spec.measure not in POOLABLE and spec.model != "none":
        report(ERROR, ("model",), "synthesis-median-pooled", "medians are not pooled",
               "use `model: none` to lay the medians out side by side")
    _check_unlike(spec, included, report)
    _check_certainty(spec, [e.type for e, _ in included], report)
    return problems, included


def _filters(spec: SynthesisSpec) -> str:
    named = [f"{k} `{v}`" for k, v in (("population", spec.population),
                                        ("timepoint", spec.timepoint),
                                        ("comparison", spec.comparison)) if v]
    return f" for {', '.join(named)}" if named else ""


def _arms(spec: SynthesisSpec, rows: list[OutcomeRow]) -> bool:
    """Whether a layout (`model: none`) may list all these rows of one entry: each is a
    different named group (the arms of one comparison), none counted twice."""
    groups = [row.group for row in rows]
    return spec.model == "none" and all(groups) and len(set(groups)) == len(groups)


def _can_show(spec: SynthesisSpec, row: OutcomeRow) -> bool:
    """A row can be drawn (and pooled) when it gives the measure; a layout also lists one
    that states it without an interval or counts."""
    return row.gives(spec.measure) or (spec.model == "none" and row.shows(spec.measure))


def _measure_hint(spec: SynthesisSpec) -> str:
    measure = spec.measure
    if measure == "proportion":
        return "a proportion is pooled from `events` and `total`" + (
            "; `model: none` also lists a `measure: proportion` with its `estimate`"
            if spec.model == "none" else "")
    return (f"give `measure: {measure}` with `estimate` and `ci`, or `intervention` and "
            "`control` counts (odds, risk ratio or difference only)")


def _check_unlike(spec: SynthesisSpec, included: list, report) -> None:
    studies: dict[str, str] = {}
    for entry, row in included:
        if studies.get(entry.study, entry.id) != entry.id:
            report(ERROR, ("entries", spec.entries.index(entry.id)), "synthesis-same-study",
                   f"entries `{studies[entry.study]}` and `{entry.id}` report the same study "
                   f"(`{entry.study}`)", "include one report of each study")
        studies.setdefault(entry.study, entry.id)
    comparisons = sorted({row.comparison for _, row in included})
    if spec.model != "none" and len(comparisons) > 1:
        report(ERROR, ("entries",), "synthesis-mixed-comparisons",
               "the results compare different things: " +
               "; ".join(f"`{c or 'none given'}`" for c in comparisons),
               "pool only like comparisons, or use `model: none` for a forest plot without "
               "a pooled estimate")
    if spec.model != "none" and len(included) == 1:
        report(WARNING, ("entries",), "synthesis-single-study",
               "one study: shown without a pooled estimate", "add studies, or use "
               "`model: none`")


def _check_certainty(spec: SynthesisSpec, designs: list[str], report) -> None:
    certainty = spec.certainty
    if certainty is None:
        report(WARNING, (), "certainty-missing", "this synthesis has no GRADE certainty",
               "add `certainty` with `rating` and the five `domains`")
        return
    for domain in certainty.domains:
        if domain.downgrade and not domain.reason:
            report(ERROR, ("certainty", "domains", domain.name), "certainty-reason",
                   f"`{domain.name}` is rated {domain.rating} without a reason",
                   "say why in `reason`, in words a clinician would use")
    start = certainty.start or starting_level(designs)
    implied = implied_rating(Certainty(certainty.rating, certainty.domains, start))
    if implied != certainty.rating:
        report(WARNING, ("certainty", "rating"), "certainty-rating",
               f"rated `{certainty.rating}`, but starting at {start} the domains imply "
               f"`{implied}`", "GRADE is a judgement: if rating up or down for another "
               "reason, say so in the domains' reasons")


def compute(spec: SynthesisSpec, outcome: OutcomeDefinition, included: list) -> SynthesisResult:
    per_entry: dict[str, int] = {}
    for entry, _ in included:
        per_entry[entry.id] = per_entry.get(entry.id, 0) + 1

    def label(entry, row) -> str:  # an arm of a layout is named by its group
        return entry.label if per_entry[entry.id] == 1 else f"{entry.label}: {row.group}"

    drawn = [(entry, row) for entry, row in included if row.gives(spec.measure)]
    listed = tuple(ListedResult(row, label(entry, row)) for entry, row in included
                   if not row.gives(spec.measure))
    if spec.measure == "proportion":
        studies = proportion_effects([row for _, row in drawn],
                                     [label(entry, row) for entry, row in drawn]) if drawn else []
    else:
        studies = [study_effect(row, spec.measure, label(entry, row)) for entry, row in drawn]
    notes = _listed_notes(listed, drawn)
    pooled = None
    if spec.model != "none" and len(studies) >= 2:
        if any(s.corrected for s in studies):
            notes.append("0.5 was added to the counts of studies with no events or all "
                         "events before pooling.")
        scale = SynthesisResult(spec, outcome, (), None).scale
        pooled, weights = pool(studies, spec.model, spec.method, scale)
        studies = [_weighted(s, w) for s, w in zip(studies, weights)]
    return SynthesisResult(spec, outcome, tuple(studies), pooled, tuple(notes), listed)


def _listed_notes(listed: tuple, drawn: list) -> list[str]:
    if not listed:
        return []
    if not drawn:
        return ["No forest plot: none of these results is reported with a confidence "
                "interval or with counts, so they are listed without being drawn."]
    return ["Results reported without a confidence interval or counts are listed in the "
            "table and not drawn."]


def _weighted(study, weight):
    from dataclasses import replace
    return replace(study, weight=weight)
