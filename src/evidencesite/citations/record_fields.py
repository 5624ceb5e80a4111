"""Fields a record may carry beyond BibTeX's own, and their checks:

- `related` and `relation`: the work this record was found through and what the source says
  it is to that work (`similar article`, `cites this work`); the bibliography shows that
  relation, never a citation the related work does not make;
- `urldate`: the day the record was looked up (`Accessed` in the reference);
- `epubdate`: the day the work was published online, when the source calls it so (only then
  does a reference print `Published online`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from evidencesite.content.model import BibRecord, SourceLocation
from evidencesite.diagnostics import Diagnostic, ERROR, did_you_mean

# what the related work's source record lists this one as -> how the bibliography says it
RELATIONS = {
    "similar article": "lists this work as a similar article",
    "cites this work": "lists this work among those that cite it",
}
DATE_FIELDS = ("urldate", "epubdate")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Relation:
    key: str  # the related record
    label: str  # its short name: `Zhou and Yang 2023`
    says: str  # what its source record says of this one


def check_record_fields(records: dict[str, BibRecord]) -> list[Diagnostic]:
    problems = []
    for record in records.values():
        def at(name: str) -> SourceLocation:
            return SourceLocation(record.location.path, record.field_lines.get(name, 0)
                                  or record.location.line, 3)

        related, relation = record.get("related"), record.get("relation")
        if related and related not in records:
            problems.append(Diagnostic(at("related"), ERROR, "unknown-related",
                                       f"record `{record.key}`: `related` names `{related}`, "
                                       "which is not in citations.bib",
                                       did_you_mean(related, records) or
                                       "give the key of the work it is related to"))
        if (related or relation) and relation not in RELATIONS:
            problems.append(Diagnostic(at("relation" if relation else "related"), ERROR,
                                       "unknown-relation",
                                       f"record `{record.key}`: relation `{relation}` is not "
                                       "one the bibliography can show",
                                       "set `relation` to one of: " +
                                       ", ".join(f"`{r}`" for r in RELATIONS) +
                                       ", with `related` naming the other work"))
        for name in DATE_FIELDS:
            if name in record.fields and not _DATE.match(record.fields[name]):
                problems.append(Diagnostic(at(name), ERROR, "bibtex-date",
                                           f"record `{record.key}`: `{name}` is "
                                           f"`{record.fields[name]}`",
                                           "write the date as YYYY-MM-DD"))
    return problems


def relation_of(record: BibRecord, records: dict[str, BibRecord]) -> Relation | None:
    other = records.get(record.get("related"))
    says = RELATIONS.get(record.get("relation"))
    if other is None or says is None:
        return None
    return Relation(other.key, short_label(other), says)


def short_label(record: BibRecord) -> str:
    """`Smith 2020`, `Smith and Jones 2020`, `Smith et al. 2020`; the title without
    authors."""
    names = [n.strip() for n in re.split(r"\s+and\s+", record.get("author")) if n.strip()]
    families = [n.split(",")[0].strip() if "," in n else n.rsplit(" ", 1)[-1]
                for n in names if n.lower() != "others"]
    if not families:
        return record.get("title") or record.key
    if len(families) == 1 and len(names) == 1:
        who = families[0]
    elif len(families) == 2 and len(names) == 2:
        who = f"{families[0]} and {families[1]}"
    else:
        who = f"{families[0]} et al."
    return f"{who} {record.get('year')}".strip()
