"""Number provenance: every number a key finding, a summary, a bottom line or a synthesis
statement states is a number of the work it cites, else `unsupported-number`.

A number of a work is one of its results in the citing entry's `outcomes` (estimate, interval
bounds and level, events, totals, the percentage they make, the numbers of the row's
population, group, comparison and timepoint), or one printed in the finding's verified quote
or the work's abstract in citations.bib. A question's pooled estimates count for its bottom
line and its synthesis statements. Each number is matched at the precision it is printed with.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from evidencesite.content.model import BibRecord, Document, Entry, SourceLocation
from evidencesite.content.strict_yaml import TEXT
from evidencesite.diagnostics import Diagnostic, ERROR
from evidencesite.evidence.model import OutcomeRow, SynthesisResult
from evidencesite.evidence.numbers_in_text import printed_numbers, supported
from evidencesite.evidence.outcomes import numbers_in, row_numbers

_CITES = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_:.\-]*[A-Za-z0-9_]|[A-Za-z0-9])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[(])|\n\s*\n")


@dataclass(frozen=True)
class Scope:
    """Where the numbers of one text may come from, and how to name it in a diagnostic."""

    values: tuple[float, ...]
    looked_in: str


@dataclass
class Works:
    """The numbers each cited work gives: its rows (by entry), quotes and abstract."""

    records: dict[str, BibRecord]
    rows: dict[str, list[OutcomeRow]] = field(default_factory=dict)  # by citation
    by_entry: dict[str, list[OutcomeRow]] = field(default_factory=dict)
    abstracts: dict[str, list[float]] = field(default_factory=dict)  # numbers, by key
    quotes: dict[str, list[str]] = field(default_factory=dict)  # by citation

    def values(self, keys, rows=None, texts=()) -> tuple[float, ...]:
        """The numbers of the works `keys`: from `rows` when given (else all their rows),
        `texts`, and their abstracts."""
        rows = [r for key in keys for r in self.rows.get(key, ())] if rows is None else rows
        found = [v for row in rows for v in row_values(row)]
        for text in texts:
            found.extend(value for value, _ in numbers_in(text or ""))
        for key in keys:
            if key not in self.abstracts:
                record = self.records.get(key)
                self.abstracts[key] = [value for value, _ in numbers_in(
                    record.get("abstract") if record else "")]
            found.extend(self.abstracts[key])
        return tuple(found)


def row_values(row: OutcomeRow) -> list[float]:
    """What a result states, with the percentages its counts make and the numbers of its
    population, group, comparison and timepoint (`5 years`, `PD-L1 TPS of 50%`)."""
    values = row_numbers(row) + [100 * row.ci_level] if row.ci else row_numbers(row)
    for group in (row.intervention, row.control):
        if group and group.total:
            values.append(100 * group.events / group.total)
    if row.participants is not None:
        values.append(float(row.participants))
    for text in (row.population, row.group, row.comparison, row.timepoint):
        values.extend(value for value, _ in numbers_in(text))
    return values


def pooled_values(result: SynthesisResult) -> list[float]:
    """A synthesis's pooled estimate and interval (as percentages too, for a proportion),
    its heterogeneity, k and participants."""
    pooled = result.pooled
    if pooled is None:
        return []
    values = [*pooled.natural, 100 * pooled.i2, pooled.tau2, float(pooled.k)]
    if result.spec.measure == "proportion":
        values += [100 * v for v in pooled.natural]
    if pooled.participants is not None:
        values.append(float(pooled.participants))
    return values


def _at_once(subject, inputs, make):
    return make()


def check_numbers(documents: list[Document], rows: tuple[OutcomeRow, ...],
                  syntheses: tuple[SynthesisResult, ...], records: dict[str, BibRecord],
                  remember=_at_once) -> list[Diagnostic]:
    """Every unsupported number of every entry and question in `documents`. An entry's
    problems are `remember(doc, inputs, make)`: `make()`, or what it gave an earlier build
    for the same document and `inputs` (the rest of what its check reads)."""
    works = Works(records)
    for row in rows:
        works.rows.setdefault(row.citation, []).append(row)
        works.by_entry.setdefault(row.entry, []).append(row)
    entries = {doc.id: doc for doc in documents if doc.kind == "entry"}
    for doc in entries.values():
        for finding in doc.record.key_findings:
            if finding.quote:
                works.quotes.setdefault(finding.citation, []).append(finding.quote)
    problems: list[Diagnostic] = []
    for doc in documents:
        if doc.kind == "entry":
            problems.extend(remember(doc, _entry_inputs(doc, works),
                                     lambda doc=doc: _check_entry(doc, works)))
        elif doc.kind == "question":
            problems.extend(_check_question(doc, works, entries, [
                s for s in syntheses if s.spec.question == doc.id]))
    return problems


def _entry_inputs(doc: Document, works: Works) -> tuple:
    """What an entry's check reads besides the entry: its results and the abstracts of the
    works it cites."""
    entry: Entry = doc.record
    keys = sorted({entry.citation, *(finding.citation for finding in entry.key_findings)})
    abstracts = tuple(works.records[key].get("abstract") if key in works.records else None
                      for key in keys)
    return tuple(works.by_entry.get(doc.id, ())), abstracts


def _check_entry(doc: Document, works: Works) -> list[Diagnostic]:
    own = works.by_entry.get(doc.id, [])
    problems = []
    entry: Entry = doc.record
    for index, finding in enumerate(entry.key_findings):
        key = finding.citation
        scope = Scope(works.values([key], [r for r in own if r.citation == key],
                                   [finding.quote]), f"`{key}`")
        problems += _check_text(doc, ("key_findings", index, "statement"),
                                finding.statement, scope)
    if entry.summary:
        key = entry.citation
        quotes = [f.quote for f in entry.key_findings if f.citation == key]
        scope = Scope(works.values([key], [r for r in own if r.citation == key], quotes),
                      f"`{key}`")
        problems += _check_text(doc, ("summary",), entry.summary, scope)
    return problems


def _check_question(doc: Document, works: Works, entries: dict[str, Document],
                    results: list[SynthesisResult]) -> list[Diagnostic]:
    pooled = [v for result in results for v in pooled_values(result)]
    problems = []
    for result in results:
        rows = list(result.rows)
        cited = ", ".join(f"`{key}`" for key in sorted({row.citation for row in rows}))
        scope = Scope(tuple(v for row in rows for v in row_values(row)) + tuple(pooled),
                      f"{cited or 'no work'} (the results this synthesis includes) and the "
                      "question's pooled estimates")
        problems += _check_text(doc, ("syntheses", result.spec.index, "statement"),
                                result.spec.statement, scope)
    text = doc.record.bottom_line
    if text:
        included = sorted({key for spec in doc.record.syntheses
                           for entry_id in spec["entries"] if entry_id in entries
                           for key in _works_of(entries[entry_id], works)})
        for start, sentence in _sentences(text):
            keys = sorted(set(_CITES.findall(sentence))) or included
            named = ", ".join(f"`{k}`" for k in keys) or "no cited work"
            scope = Scope(works.values(keys, texts=[q for k in keys
                                                    for q in works.quotes.get(k, ())])
                          + tuple(pooled), named + (" and the question's pooled estimates"
                                                    if pooled else ""))
            problems += _check_text(doc, ("bottom_line",), sentence, scope, start)
    return problems


def _works_of(entry: Document, works: Works) -> set[str]:
    return {entry.record.citation} | {row.citation for row in works.by_entry.get(entry.id, ())}


def _sentences(text: str):
    """(offset, sentence) pairs of a bottom line."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, text[start:match.start()]
        start = match.end()
    yield start, text[start:]


def _check_text(doc: Document, key_path: tuple, text: str, scope: Scope,
                offset: int = 0) -> list[Diagnostic]:
    return [Diagnostic(_where(doc, key_path, offset + number.start), ERROR,
                       "unsupported-number",
                       f"`{number.text}` is not a number of {scope.looked_in}",
                       "check it against the source; give the result it comes from in the "
                       "entry's `outcomes` (with its `locator`), or cite the work that "
                       "reports it")
            for number in printed_numbers(text) if not supported(number, scope.values)]


def _where(doc: Document, key_path: tuple, offset: int) -> SourceLocation:
    start = doc.positions.get(key_path + (TEXT,))
    if start is not None:
        return SourceLocation(start.path, start.line, start.column + offset)
    # a folded, literal or multi-line value: the position of its first character stands
    # for all its numbers (an approximation; one-line values are exact)
    return doc.locate(*key_path)
