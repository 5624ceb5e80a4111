"""Cross-references between documents and the bibliography -> diagnostics."""
from __future__ import annotations

import datetime as dt
import re

from evidencesite.citations.bibtex_read import NOTICE_FIELDS
from evidencesite.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean
from evidencesite.incremental.keys import digest, plain
from evidencesite.citations.identifiers import recorded_twice
from evidencesite.content.model import CONTENT_FOLDERS, Analysed, BibRecord
from evidencesite.content.placeholders import check_placeholders
from evidencesite.content.quotes import closest_passage
from evidencesite.content.urlpolicy import INTERNAL_SCHEMES, check_url




def validate_project(analysed: list[Analysed], records: dict[str, BibRecord],
                     build_date: dt.date, bib_text: str = "",
                     memo: dict | None = None) -> list[Diagnostic]:
    """Every cross-reference problem. With a `memo` (the dev server's), a document's own
    findings are reused while it, the bibliography and the ids and headings of every
    document are unchanged."""
    problems: list[Diagnostic] = []
    by_kind: dict[str, dict[str, Analysed]] = {"entry": {}, "question": {}, "page": {}}
    for item in analysed:
        doc = item.document
        seen = by_kind[doc.kind].get(doc.id)
        if seen is not None:
            problems.append(Diagnostic(doc.locate("id"), ERROR, "duplicate-id",
                                       f"{doc.kind} id `{doc.id}` is also used by "
                                       f"{seen.document.path}", "give each its own id"))
            continue
        by_kind[doc.kind][doc.id] = item

    memo = memo if memo is not None else {}
    around = digest(bib_text or plain(records), str(build_date), [
        (kind, id_, item.document.path, [h.anchor for h in item.body.headings])
        for kind, known in by_kind.items() for id_, item in known.items()])
    if memo.get("checked", ("",))[0] != around:
        memo["checked"] = (around, {})  # what was checked against other ids is forgotten
    checked = memo["checked"][1]
    for item in analysed:
        key = item.fingerprint()
        if key not in checked:
            checked[key] = _check_document(item, records, by_kind, build_date)
        problems.extend(checked[key])

    problems.extend(_check_recorded_twice(records))
    cited = {c.key for item in analysed for c in item.citations}
    for key in sorted(set(records) - cited):
        problems.append(Diagnostic(records[key].location, WARNING, "unused-reference",
                                   f"record `{key}` is not cited anywhere",
                                   "cite it in an entry, or remove it from citations.bib"))
    return problems


def _check_recorded_twice(records: dict[str, BibRecord]) -> list[Diagnostic]:
    return [Diagnostic(records[key].location, ERROR, "duplicate-work",
                       f"record `{key}` is the same work as `{first}` ({kind.upper()} {value})",
                       f"keep one record: cite `{first}` where `{key}` is cited and remove "
                       f"`{key}`") for key, first, kind, value in recorded_twice(records)]


def _check_document(item: Analysed, records: dict[str, BibRecord], by_kind: dict,
                    build_date: dt.date) -> list[Diagnostic]:
    problems = [*_check_citations(item, records), *_check_links(item, by_kind)]
    doc = item.document
    if doc.kind == "entry":
        problems.extend(_check_references(doc, "questions", by_kind["question"], "question"))
        problems.extend(_check_dates(doc, build_date))
        problems.extend(_check_quotes(doc, records))
        problems.extend(check_placeholders(doc, item.body, by_kind["question"]))
    if doc.kind == "question":
        problems.extend(_check_references(doc, "ongoing_studies", by_kind["entry"], "entry"))
    return problems


def check_required_identifiers(required, records: dict[str, BibRecord]) -> list[Diagnostic]:
    carried = {(kind, record.fields[kind].lower()) for record in records.values()
               for kind in ("doi", "pmid", "pmcid", "nct") if kind in record.fields}
    return [Diagnostic(item.location, ERROR, "identifier-missing",
                       f"{item.kind.upper()} {item.value} is not in citations.bib",
                       f"add it with `python3 build.py cite add {item.value}` or by hand")
            for item in required if (item.kind, item.value.lower()) not in carried]


def _check_citations(item: Analysed, records: dict[str, BibRecord]):
    for citation in item.citations:
        record = records.get(citation.key)
        for flag in NOTICE_FIELDS:
            if record is not None and flag in record.fields:
                yield Diagnostic(citation.location, WARNING, f"{flag}-flagged",
                                 f"`{citation.key}` is flagged ({flag}): {record.fields[flag]}",
                                 "check the notice; the page shows a banner until the entry "
                                 "is revised")
        if citation.key not in records:
            yield Diagnostic(citation.location, ERROR, "unknown-citation",
                             f"citation key `{citation.key}` is not in citations.bib",
                             did_you_mean(citation.key, records) or
                             "add the work with `python3 build.py cite add <DOI|PMID|NCT>`")


def _check_references(doc, field: str, known: dict, kind: str):
    values = doc.data.get(field)
    if not isinstance(values, list):
        return
    for index, value in enumerate(values):
        if isinstance(value, str) and value not in known:
            yield Diagnostic(doc.locate(field, index), ERROR, f"unknown-{kind}",
                             f"there is no {kind} `{value}`",
                             did_you_mean(value, known) or
                             f"create content/{CONTENT_FOLDERS[kind]}/{value}.md or remove it here")


def _check_links(item: Analysed, by_kind: dict):
    for link in item.links:
        problem = check_url(link.target, image=link.is_image)
        if problem:
            yield Diagnostic(link.location, ERROR, "unsafe-url", problem,
                             "link to https:// addresses, mailto:, or another part of this "
                             "site with entry:<id>, question:<id> or page:<slug>")
            continue
        scheme, _, rest = link.target.partition(":")
        if link.target.startswith("#"):
            target, anchor = item, link.target[1:]
        elif scheme in INTERNAL_SCHEMES:
            target_id, _, anchor = rest.partition("#")
            known = by_kind[scheme]
            target = known.get(target_id)
            if target is None:
                yield Diagnostic(link.location, ERROR, f"unknown-{scheme}-link",
                                 f"link to unknown {scheme} `{target_id}`",
                                 did_you_mean(target_id, known) or
                                 f"check the id; known {scheme} ids are the file names")
                continue
        else:
            continue
        if anchor and anchor not in {h.anchor for h in target.body.headings}:
            yield Diagnostic(link.location, ERROR, "broken-anchor",
                             f"`#{anchor}` is not a heading of {target.document.path}",
                             did_you_mean(anchor, [h.anchor for h in target.body.headings]) or
                             "link to a heading's anchor: its text in lower case, with hyphens")


def _check_dates(doc, build_date: dt.date):
    dates = {}
    for field in ("added", "updated"):
        value = doc.data.get(field)
        if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            try:
                dates[field] = dt.date.fromisoformat(value)
            except ValueError:
                continue
            if dates[field] > build_date:
                yield Diagnostic(doc.locate(field), ERROR, "future-date",
                                 f"`{field}` {value} is in the future: it is not yet "
                                 f"{value} anywhere on Earth (latest: {build_date})",
                                 "use the date the change was made")
    if "added" in dates and "updated" in dates and dates["updated"] < dates["added"]:
        yield Diagnostic(doc.locate("updated"), ERROR, "date-order",
                         f"`updated` {dates['updated']} is before `added` {dates['added']}",
                         "`updated` is the date of the last change, on or after `added`")


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def _quote_hint(quote: str, abstract: str) -> str:
    hint = closest_passage(quote, abstract) or "copy the words exactly as the source has them"
    if "%" in quote and "%" not in abstract:
        hint += "; the abstract holds no `%`: a bare `%` in citations.bib starts a LaTeX " \
                "comment, write `\\%` there"
    return hint


def _check_quotes(doc, records: dict[str, BibRecord]):
    for index, finding in enumerate(doc.data.get("key_findings") or []):
        if not isinstance(finding, dict) or not isinstance(finding.get("quote"), str):
            continue
        record = records.get(finding.get("citation"))
        if record is None:
            continue  # reported as an unknown citation
        where = doc.locate("key_findings", index, "quote")
        abstract = record.get("abstract")
        if not abstract:
            yield Diagnostic(where, ERROR, "quote-unverifiable",
                             f"record `{record.key}` has no abstract to check the quote against",
                             "add the source's abstract to the record, or remove the quote")
        elif normalise_space(finding["quote"]) not in normalise_space(abstract):
            yield Diagnostic(where, ERROR, "quote-not-in-source",
                             f"the quote does not appear verbatim in the abstract of "
                             f"`{record.key}`",
                             _quote_hint(finding["quote"], abstract))
