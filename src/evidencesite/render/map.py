"""The evidence map: questions (rows) by study design or by outcome (columns), each cell the
number of entries, coloured by the best certainty in it (as EPPI-Mapper's evidence gap maps;
the legend names each level in words and symbols, not by colour alone).

A cell's certainty is the best GRADE rating of the question's syntheses that cover it;
where none does, the question's evidence status.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from evidencesite.content.model import Question
from evidencesite.evidence.grade import SYMBOLS
from evidencesite.evidence.model import RATINGS

STATUSES = ("substantial", "moderate", "limited", "very limited", "none")
STATUS_SYMBOLS = {"substantial": "▰▰▰▰", "moderate": "▰▰▰▱", "limited": "▰▰▱▱",
                  "very limited": "▰▱▱▱", "none": "▱▱▱▱"}
NO_OUTCOME = "not reported"  # the column of entries that record no outcome data


@dataclass(frozen=True)
class Level:
    css: str  # grade-low, status-limited
    symbols: str
    words: str  # "low certainty (GRADE)"


def grade_level(rating: str) -> Level:
    return Level("grade-" + rating.replace(" ", "-"), SYMBOLS[rating],
                 f"{rating} certainty (GRADE)")


def status_level(status: str) -> Level:
    return Level("status-" + status.replace(" ", "-"), STATUS_SYMBOLS.get(status, ""),
                 f"evidence status: {status}")


LEGEND = (tuple(grade_level(r) for r in RATINGS), tuple(status_level(s) for s in STATUSES))


@dataclass(frozen=True)
class Cell:
    count: int
    href: str
    level: Level | None  # None for an empty cell


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    url: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class EvidenceMap:
    axis: str  # design | outcome
    title: str
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[Row, ...]


def _best(ratings) -> str | None:
    found = [r for r in ratings if r in RATINGS]
    return min(found, key=RATINGS.index) if found else None


def _cell(count: int, href: str, rating: str | None, status: str) -> Cell:
    if not count:
        return Cell(0, "", None)
    return Cell(count, href, grade_level(rating) if rating else status_level(status))


def evidence_maps(questions: list[Question], rows: list[dict], syntheses, url, type_label,
                  outcome_names: list[str]) -> tuple[EvidenceMap, EvidenceMap]:
    """The map by design and the map by outcome. `rows`: the entry rows (id, type,
    questions, outcomes by name); `syntheses`: every SynthesisPlan; `url`: the site's URL
    maker; `outcome_names`: the review's outcomes in their declared order. A cell links to
    the evidence table with the explorer's filters (`question`, `design`, `outcome`: the
    words the table shows)."""
    by_question: dict[str, list[dict]] = {}
    for row in rows:
        for question in row["questions"]:
            by_question.setdefault(question["id"], []).append(row)
    linked = [r for r in rows if r["questions"]]
    designs = sorted({r["type"] for r in linked},
                     key=lambda t: (list(_TYPE_ORDER).index(t) if t in _TYPE_ORDER else 99, t))
    used = {o for r in linked for o in r["outcomes"]}
    outcomes = [o for o in outcome_names if o in used] + sorted(used - set(outcome_names))
    if any(not r["outcomes"] for r in linked):
        outcomes.append(NO_OUTCOME)

    def href(question: Question, axis: str, value: str) -> str:
        return url("evidence/") + "?" + urlencode({"question": question.title, axis: value})

    design_rows, outcome_rows = [], []
    for q in questions:
        members = by_question.get(q.id, [])
        results = [s for s in syntheses if s.spec.question == q.id and s.spec.certainty]
        status = q.evidence_status
        head = (q.id, q.title, url(f"questions/{q.id}/"))
        cells = []
        for design in designs:
            ids = {r["id"] for r in members if r["type"] == design}
            rating = _best(s.spec.certainty.rating for s in results
                           if ids & {row.entry for row in s.rows})
            cells.append(_cell(len(ids), href(q, "design", type_label(design)), rating, status))
        design_rows.append(Row(*head, tuple(cells)))
        cells = []
        for outcome in outcomes:
            count = sum(1 for r in members if (outcome in r["outcomes"]) or
                        (outcome == NO_OUTCOME and not r["outcomes"]))
            rating = _best(s.spec.certainty.rating for s in results if s.outcome.name == outcome)
            cells.append(_cell(count, href(q, "outcome", outcome), rating, status))
        outcome_rows.append(Row(*head, tuple(cells)))
    return (EvidenceMap("design", "Questions by study design",
                        tuple((d, type_label(d)) for d in designs), tuple(design_rows)),
            EvidenceMap("outcome", "Questions by outcome",
                        tuple((o, "No outcome data recorded" if o == NO_OUTCOME else o)
                              for o in outcomes), tuple(outcome_rows)))


_TYPE_ORDER = ("systematic-review", "meta-analysis", "rct", "non-randomised-trial",
               "clinical-trial", "cohort", "case-control", "case-series", "case-report",
               "trial-registration", "review", "guideline", "preclinical", "not reported")
