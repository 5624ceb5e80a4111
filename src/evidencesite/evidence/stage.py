"""The evidence stage: every entry's results and every question's syntheses checked
(`check_evidence`: the evidence with its syntheses planned), then pooled
(`compute_syntheses`, where statsmodels is first loaded: a site without syntheses never
loads it). The pooled syntheses join the evidence last: only the question pages, the
exports and the check of the numbers the questions quote read them."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cached_property

from evidencesite.content.model import BibRecord, ContentYaml, Entry
from evidencesite.diagnostics import Diagnostic
from evidencesite.evidence.flow import Flow
from evidencesite.evidence.model import (
    OutcomeDefinition, OutcomeRow, SynthesisPlan, SynthesisResult)
from evidencesite.evidence.outcomes import (
    check_row, entry_rows, outcome_definitions, repeated_definitions)
from evidencesite.evidence.syntheses import (
    EntryFacts, check_synthesis, compute, synthesis_specs)


OutcomeSource = ContentYaml  # content/outcomes.yaml as read


@dataclass(frozen=True)
class Evidence:
    outcomes: tuple[OutcomeDefinition, ...] = ()
    rows: tuple[OutcomeRow, ...] = ()
    plans: tuple[SynthesisPlan, ...] = ()  # every synthesis without errors, checked
    syntheses: tuple[SynthesisResult, ...] = ()  # the same, pooled (once they are)
    flow: Flow = Flow()  # content/flow.yaml, checked

    def definitions(self) -> dict[str, OutcomeDefinition]:
        return {o.id: o for o in self.outcomes}

    def rows_of(self, entry_id: str) -> tuple[OutcomeRow, ...]:
        return self._rows_by_entry.get(entry_id, ())

    def plans_of(self, question_id: str) -> tuple[SynthesisPlan, ...]:
        return tuple(s for s in self.plans if s.spec.question == question_id)

    def syntheses_of(self, question_id: str) -> tuple[SynthesisResult, ...]:
        return tuple(s for s in self.syntheses if s.spec.question == question_id)

    def ratings_of(self, entry_id: str) -> tuple[str, ...]:
        """The GRADE ratings of the syntheses that include the entry."""
        return self._ratings_by_entry.get(entry_id, ())

    # every entry's page and table row asks: indexed once, not scanned per entry
    @cached_property
    def _rows_by_entry(self) -> dict[str, tuple[OutcomeRow, ...]]:
        found: dict[str, list[OutcomeRow]] = {}
        for row in self.rows:
            found.setdefault(row.entry, []).append(row)
        return {entry: tuple(rows) for entry, rows in found.items()}

    @cached_property
    def _ratings_by_entry(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, set[str]] = {}
        for synthesis in self.plans:
            if synthesis.spec.certainty:
                for row in synthesis.rows:
                    found.setdefault(row.entry, set()).add(synthesis.spec.certainty.rating)
        return {entry: tuple(sorted(ratings)) for entry, ratings in found.items()}

def short_label(entry: Entry) -> str:
    """An entry's label in plots: `short_title`, else its title up to the first colon."""
    if entry.short_title:
        return entry.short_title
    return re.split(r":\s", entry.title, maxsplit=1)[0][:60]


@dataclass(frozen=True)
class Checked:
    """The evidence once checked: the results, and the syntheses ready to compute."""

    evidence: Evidence
    planned: tuple = ()  # (spec, outcome, included) per synthesis without errors


POOL_FROM = 200  # included results; fewer are pooled in this process


def worth_a_worker(planned) -> bool:
    """Pool in a worker (beside the references) when there is much to pool and statsmodels
    is not loaded here yet; otherwise here, where it stays loaded for the next build (the
    dev server, the tests)."""
    if "statsmodels.stats.meta_analysis" in sys.modules:
        return False
    return sum(len(included) for _, _, included in planned) >= POOL_FROM


def compute_syntheses(planned) -> tuple[SynthesisResult, ...]:
    """Every planned synthesis pooled (statsmodels is imported here, in the process that
    runs this: a worker, while the build waits for the formatted references)."""
    return tuple(compute(spec, outcome, included) for spec, outcome, included in planned)


def check_evidence(documents, source: OutcomeSource, records: dict[str, BibRecord],
                   skip=frozenset()) -> tuple[Checked, list[Diagnostic]]:
    """`documents`: the read documents (entries and questions with their typed front
    matter); those whose path is in `skip` have errors already reported and are left out."""
    positions = source.positions or {}
    problems = repeated_definitions(source.data, positions, source.path)
    outcomes = outcome_definitions(source.data, positions, source.path)
    skipped = {doc.id for doc in documents if doc.path in skip and doc.kind == "entry"}
    documents = [doc for doc in documents if doc.path not in skip]
    entries: dict[str, EntryFacts] = {}
    rows: list[OutcomeRow] = []
    for doc in documents:
        if doc.kind != "entry" or doc.id in entries:
            continue
        found = entry_rows(doc.id, doc.record.outcomes, doc.locate)
        for row in found:
            record = records.get(row.citation)
            problems.extend(check_row(row, doc.locate, outcomes,
                                      record.get("abstract") if record else ""))
        rows.extend(found)
        entries[doc.id] = EntryFacts(doc.id, short_label(doc.record), doc.record.type,
                                     doc.record.study or doc.id, found)
    planned = []
    for doc in documents:
        if doc.kind != "question":
            continue
        for spec in synthesis_specs(doc.id, doc.record.syntheses, doc.locate):
            found, included = check_synthesis(spec, doc.locate, outcomes, entries, skipped)
            problems.extend(found)
            if included and spec.outcome in outcomes and \
                    not any(p.severity == "error" for p in found):
                planned.append((spec, outcomes[spec.outcome], tuple(included)))
    plans = tuple(SynthesisPlan(spec, outcome, tuple(row for _, row in included))
                  for spec, outcome, included in planned)
    evidence = Evidence(tuple(outcomes.values()), tuple(rows), plans)
    return Checked(evidence, tuple(planned)), problems


