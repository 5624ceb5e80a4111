"""content/outcomes.yaml and the `outcomes` rows of entries -> checked, typed rows.

The schema has already checked each value's type; these are the checks a schema cannot
express: an interval that holds its estimate, a ratio above zero, a proportion within 0-1,
no more events than participants, a known outcome id, and a number the work's abstract
contains.
"""
from __future__ import annotations

import re

from evidencesite.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean
from evidencesite.evidence.model import (
    RATIO_MEASURES, GroupCounts, OutcomeDefinition, OutcomeRow)
from evidencesite.content.model import SourceLocation

NUMBER = re.compile(r"(?<![\w.])\d+(?:[.·]\d+)?")
_TEXT_FIELDS = ("comparison", "population", "group", "timepoint", "unit", "note")


def outcome_definitions(data, positions: dict, path: str) -> dict[str, OutcomeDefinition]:
    """The schema-checked list of content/outcomes.yaml, by id (the first of a repeated id)."""
    found: dict[str, OutcomeDefinition] = {}
    for index, item in enumerate(data if isinstance(data, list) else []):
        if not isinstance(item, dict) or item.get("id") in found:
            continue
        found[item["id"]] = OutcomeDefinition(
            item["id"], item["name"], item["kind"], item["importance"], item["favourable"],
            item.get("description", ""), positions.get((index,), SourceLocation(path, 1, 1)))
    return found


def repeated_definitions(data, positions: dict, path: str) -> list[Diagnostic]:
    seen: dict[str, int] = {}
    problems = []
    for index, item in enumerate(data if isinstance(data, list) else []):
        if not isinstance(item, dict):
            continue
        if item.get("id") in seen:
            problems.append(Diagnostic(
                positions.get((index, "id"), SourceLocation(path, 1, 1)), ERROR,
                "duplicate-outcome", f"outcome id `{item['id']}` is declared twice",
                f"the first is item {seen[item['id']] + 1}; keep one"))
        seen.setdefault(item.get("id"), index)
    return problems


def entry_rows(entry_id: str, outcomes, locate) -> tuple[OutcomeRow, ...]:
    """One entry's (schema-valid) `outcomes` rows as written, typed."""
    rows = []
    for index, item in enumerate(outcomes):
        ci = item.get("ci")
        rows.append(OutcomeRow(
            entry=entry_id, index=index, outcome=item["outcome"], citation=item["citation"],
            locator=item["locator"], location=locate("outcomes", index),
            measure=item.get("measure", "proportion" if "events" in item else ""),
            estimate=_float(item.get("estimate")),
            ci=(float(ci[0]), float(ci[1])) if ci else None,
            ci_level=float(item.get("ci_level", 0.95)),
            events=item.get("events"), total=item.get("total"),
            intervention=_counts(item.get("intervention")),
            control=_counts(item.get("control")),
            stated_participants=item.get("participants"),
            **{name: item.get(name, "") for name in _TEXT_FIELDS}))
    return tuple(rows)


def _float(value):
    return None if value is None else float(value)


def _counts(value) -> GroupCounts | None:
    return GroupCounts(value["events"], value["total"]) if value else None


def check_row(row: OutcomeRow, locate, known: dict[str, OutcomeDefinition],
              abstract: str) -> list[Diagnostic]:
    problems = []

    def error(keys, code, message, hint):
        problems.append(Diagnostic(locate("outcomes", row.index, *keys), ERROR, code,
                                   message, hint))

    if row.outcome not in known:
        error(("outcome",), "unknown-outcome", f"there is no outcome `{row.outcome}`",
              did_you_mean(row.outcome, known) or
              "declare it in content/outcomes.yaml or use one of its ids")
    if row.estimate is None and row.events is None and row.intervention is None:
        error((), "outcome-no-number", "this result gives no number",
              "give `estimate` (with `measure` and `ci`), `events` and `total`, or "
              "`intervention` and `control` counts")
    if row.estimate is not None:
        _check_estimate(row, error)
    if row.stated_participants is not None and (row.total is not None or row.intervention):
        error(("participants",), "participants-and-counts",
              "`participants` is given beside counts, which already say how many people",
              "remove `participants`: it is for a group size a source states without counts")
    for name, counts in (("", row), ("intervention", row.intervention),
                         ("control", row.control)):
        events, total = (counts.events, counts.total) if counts else (None, None)
        if events is not None and total is not None and events > total:
            error((name, "events") if name else ("events",), "events-exceed-total",
                  f"{events} events of {total} participants",
                  "events cannot exceed the total; check both numbers in the source")
    problems.extend(_check_abstract(row, locate, abstract))
    return problems


def _check_estimate(row: OutcomeRow, error) -> None:
    value, measure = row.estimate, row.measure
    if measure in RATIO_MEASURES and (value <= 0 or (row.ci and min(row.ci) <= 0)):
        error(("estimate",), "ratio-not-positive",
              f"a {measure} and its interval must be above 0 (got {_shown(row)})",
              "ratios are positive; check the sign and the source")
    if measure == "proportion" and not (0 <= value <= 1 and
                                        all(0 <= b <= 1 for b in row.ci or ())):
        error(("estimate",), "proportion-range",
              f"a proportion must be between 0 and 1 (got {_shown(row)})",
              "write 52.4% as 0.524")
    if row.ci is not None:
        lower, upper = row.ci
        if lower >= upper:
            error(("ci",), "ci-order", f"the interval [{lower:g}, {upper:g}] is not "
                  "lower then upper", "write `ci: [lower, upper]` with lower < upper")
        elif not lower <= value <= upper:
            error(("ci",), "ci-excludes-estimate",
                  f"the interval [{lower:g}, {upper:g}] does not contain the estimate "
                  f"{value:g}", "check the estimate and both bounds against the source")


def _shown(row: OutcomeRow) -> str:
    text = f"{row.estimate:g}"
    return text + (f" [{row.ci[0]:g}, {row.ci[1]:g}]" if row.ci else "")


def row_numbers(row: OutcomeRow) -> list[float]:
    """Every number the row states (not the counts derived for pooling)."""
    values = [row.estimate, *(row.ci or ()), row.events, row.total]
    for group in (row.intervention, row.control):
        if group:
            values += [group.events, group.total]
    values = [float(v) for v in values if v is not None]
    if row.events is not None and row.total:
        values.append(100 * row.events / row.total)
    if row.measure == "proportion" and row.estimate is not None:
        values += [100 * v for v in (row.estimate, *(row.ci or ()))]
    return values


def _check_abstract(row: OutcomeRow, locate, abstract: str) -> list[Diagnostic]:
    """A typo guard: when the work's abstract is at hand, one of the row's numbers should be
    in it (a number from a table of the full text may not be: a warning)."""
    if not abstract or row.locator.strip().lower() != "abstract":
        return []
    printed = numbers_in(abstract)
    if any(_matches(value, printed) for value in row_numbers(row)):
        return []
    return [Diagnostic(locate("outcomes", row.index), WARNING, "outcome-not-in-abstract",
                       f"none of this result's numbers appears in the abstract of "
                       f"`{row.citation}`",
                       "check each number against the abstract, or set `locator` to the "
                       "place in the full text it comes from")]


def numbers_in(text: str) -> list[tuple[float, int]]:
    """Each number printed in `text`, with its count of decimals."""
    found = []
    for match in NUMBER.finditer(text):
        token = match.group().replace("·", ".")
        decimals = len(token.partition(".")[2])
        found.append((float(token), decimals))
    return found


def _matches(value: float, printed: list[tuple[float, int]]) -> bool:
    """`value` equals a printed number at that number's precision."""
    return any(abs(value - number) <= 0.5 * 10 ** -decimals + 1e-9
               for number, decimals in printed)
