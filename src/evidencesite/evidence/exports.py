"""The numbers in the open: /data/outcomes.csv (one row per reported result) and
/data/syntheses.json (each synthesis with its inputs, weights and pooled estimate on both
scales), at full precision, so that anyone can run the analysis again."""
from __future__ import annotations

import csv
import io

from evidencesite.evidence.stage import Evidence
from evidencesite.output.exports import json_bytes

OUTCOME_COLUMNS = (
    "entry", "outcome", "citation", "locator", "comparison", "population", "group",
    "timepoint", "measure", "estimate", "ci_lower", "ci_upper", "ci_level", "unit", "events",
    "total", "intervention_events", "intervention_total", "control_events", "control_total",
    "note", "entry_url")
EXPORT_VERSION = 1


def _cell(value) -> str:
    if value is None:
        return ""
    text = repr(value) if isinstance(value, float) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def outcomes_csv(evidence: Evidence, url) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTCOME_COLUMNS)
    for row in sorted(evidence.rows, key=lambda r: (r.entry, r.index)):
        i, c = row.intervention, row.control
        writer.writerow([_cell(v) for v in (
            row.entry, row.outcome, row.citation, row.locator, row.comparison,
            row.population, row.group, row.timepoint, row.measure, row.estimate,
            row.ci[0] if row.ci else None, row.ci[1] if row.ci else None, row.ci_level,
            row.unit, row.events, row.total, i.events if i else None, i.total if i else None,
            c.events if c else None, c.total if c else None, row.note,
            url(f"entries/{row.entry}/"))])
    return out.getvalue().encode("utf-8")


def _listed(result) -> dict:
    """The results a layout lists without drawing them (only when it has some)."""
    if not result.listed:
        return {}
    return {"listed": [{"entry": item.row.entry, "citation": item.row.citation,
                        "locator": item.row.locator, "group": item.row.group or None,
                        "estimate": item.row.estimate, "unit": item.row.unit or None,
                        "participants": item.row.participants} for item in result.listed]}


def syntheses_json(evidence: Evidence, url) -> bytes:
    items = []
    for result in evidence.syntheses:
        spec, pooled = result.spec, result.pooled
        items.append({
            "id": spec.id, "question": spec.question, "question_url":
            url(f"questions/{spec.question}/#synthesis-{spec.id}"),
            "outcome": spec.outcome, "measure": spec.measure, "scale": result.scale,
            "model": spec.model, "method": spec.method if spec.model == "random" else None,
            "population": spec.population or None, "timepoint": spec.timepoint or None,
            "studies": [{"entry": s.row.entry, "citation": s.row.citation,
                         "locator": s.row.locator, "effect": s.effect,
                         "variance": s.variance, "estimate": s.shown[0],
                         "ci_lower": s.shown[1], "ci_upper": s.shown[2],
                         "ci_level": s.shown_level, "participants": s.row.participants,
                         "continuity_correction": s.corrected, "weight": s.weight}
                        for s in result.studies],
            "pooled": None if pooled is None else {
                "effect": pooled.effect, "se": pooled.se, "ci_lower_scale": pooled.lower,
                "ci_upper_scale": pooled.upper, "estimate": pooled.natural[0],
                "ci_lower": pooled.natural[1], "ci_upper": pooled.natural[2],
                "ci_level": 0.95, "tau2": pooled.tau2, "i2": pooled.i2, "q": pooled.q,
                "k": pooled.k, "participants": pooled.participants},
            "certainty": None if spec.certainty is None else {
                "rating": spec.certainty.rating,
                "domains": {d.name: {"rating": d.rating, "reason": d.reason or None}
                            for d in spec.certainty.domains}},
            "statement": spec.statement or None, "notes": list(result.notes),
            **_listed(result)})
    payload = {"export_version": EXPORT_VERSION, "schema": "schema/syntheses.schema.json",
               "syntheses": items}
    return json_bytes(payload)
