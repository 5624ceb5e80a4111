"""`cite add | refresh | check`: identifiers in, deduplicated bibliography records out."""
from __future__ import annotations

import difflib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from evidencesite.citations.bibtex_read import NOTICE_FIELDS, parse_bibliography
from evidencesite.citations.bibtex_write import format_record, insert_records, make_key, \
    replace_record, write_atomically
from evidencesite.citations.identifiers import IDENTIFIER_FIELDS, IdentifierError, \
    inspect_identifier, normalise_identifier, recorded_twice, same_identifier
from evidencesite.config import make_config
from evidencesite.content.model import BibRecord
from evidencesite.citations.services.clinicaltrials import ClinicalTrials
from evidencesite.citations.services.common import polite_intervals
from evidencesite.citations.services.crossref import Crossref
from evidencesite.citations.services.idconverter import IdConverter
from evidencesite.citations.services.pubmed import PubMed
from evidencesite.content.strict_yaml import load_yaml
from evidencesite.citations.services.http_client import HttpClient, NotFound, Offline, ServiceError

CACHE_FOLDER = "citation-cache"
# Fields that compare loosely (DOIs are case-insensitive; bibliographic text varies in case)
_LOOSE = {"doi", "title", "journal"}


class CiteError(RuntimeError):
    pass


OFFLINE = ("offline: nothing changed; add the record by hand (see CONTRIBUTING) or try again "
           "online")


def _offline(exc: Offline) -> CiteError:
    return CiteError(f"{OFFLINE}\n  ({exc})")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the record of each identifier, in order
    errors: int = 0
    warnings: int = 0

    def error(self, text: str) -> None:
        self.errors += 1
        self.lines.append(f"error: {text}")

    def warning(self, text: str) -> None:
        self.warnings += 1
        self.lines.append(f"warning: {text}")

    def info(self, text: str) -> None:
        self.lines.append(text)


def make_client(root: Path, offline: bool = False, read_cache: bool = True,
                sleep: Callable[[float], None] = time.sleep) -> HttpClient:
    """The client the commands use; `sleep` waits between tries (tests pass their own)."""
    timeout = float(os.environ.get("EVIDENCESITE_HTTP_TIMEOUT", "15"))
    return HttpClient(root / CACHE_FOLDER, contact=contact_address(root), timeout=timeout,
                      offline=offline, read_cache=read_cache, min_interval=polite_intervals(),
                      sleep=sleep)


def contact_address(root: Path) -> str:
    """EVIDENCESITE_CONTACT_EMAIL, else content/site.yaml's contact_email, else none."""
    if os.environ.get("EVIDENCESITE_CONTACT_EMAIL"):
        return os.environ["EVIDENCESITE_CONTACT_EMAIL"]
    site = root / "content" / "site.yaml"
    if not site.is_file():
        return ""
    settings = load_yaml(site.read_text(encoding="utf-8"), "content/site.yaml", 1).data
    contact = settings.get("contact_email") if isinstance(settings, dict) else None
    return contact if isinstance(contact, str) else ""


def resolve(kind: str, value: str, client: HttpClient) -> tuple[str, dict[str, str]]:
    """(entry type, fields) of the work an identifier names, completed with its other ids."""
    if kind == "doi":
        entry_type, fields = Crossref.to_fields(Crossref().fetch(client, value).body)
        _complete(fields, client, value)
        return entry_type, fields
    if kind == "pmid":
        return PubMed.to_fields(PubMed().fetch(client, value).body, value)
    if kind == "pmcid":
        ids = IdConverter.to_fields(IdConverter().fetch(client, value).body)
        if "pmid" not in ids:
            raise NotFound(f"idconv: {value} has no PubMed record")
        entry_type, fields = PubMed.to_fields(PubMed().fetch(client, ids["pmid"]).body,
                                              ids["pmid"])
        fields.setdefault("pmcid", value)
        return entry_type, fields
    return ClinicalTrials.to_fields(ClinicalTrials().fetch(client, value).body)


def _complete(fields: dict[str, str], client: HttpClient, doi: str) -> None:
    try:
        ids = IdConverter.to_fields(IdConverter().fetch(client, doi).body)
    except NotFound:
        return
    for name in ("pmid", "pmcid"):
        if name in ids:
            fields.setdefault(name, ids[name])


def _load(bib_path: Path) -> tuple[str, dict[str, BibRecord]]:
    text = bib_path.read_text(encoding="utf-8") if bib_path.exists() else ""
    parsed = parse_bibliography(text, bib_path.name)
    if parsed.problems:
        first = parsed.problems[0]
        raise CiteError(f"{first.format_text()}\nfix citations.bib first "
                        "(`python3 build.py check` lists every problem)")
    return text, parsed.records


def _holder(records: dict[str, BibRecord], kind: str, value: str) -> str:
    for key, record in records.items():
        if kind in record.fields and same_identifier(kind, record.fields[kind], value):
            return key
    return ""


def _decoded(entry_type: str, key: str, fields: dict[str, str]) -> dict[str, str]:
    """Fields as they read back from citations.bib (LaTeX decoded: `--` becomes an en dash)."""
    text = format_record(entry_type, key, fields)
    return parse_bibliography(text, "citations.bib").records[key].fields


def _conflicts(existing: BibRecord, fields: dict[str, str]) -> list[str]:
    found = []
    fields = _decoded(existing.entry_type, existing.key, fields)
    for name, value in sorted(fields.items()):
        old = existing.fields.get(name)
        if old is None or name == "urldate":  # the day of the lookup, not the work's
            continue
        a, b = (old.lower(), value.lower()) if name in _LOOSE else (old, value)
        if " ".join(a.split()) != " ".join(b.split()):
            found.append(f"`{name}`: citations.bib has {old!r}, the service has {value!r}")
    return found


def _looked_up(report: Report, label: str, kind: str, value: str, client: HttpClient,
               cached: HttpClient | None = None, not_found: str = "not found ({})"):
    """(entry type, fields) from the service, else from `cached` answers when the service is
    unavailable; None when neither gives it, with the reason reported. Without a network,
    stops the command (CiteError): nothing is changed."""
    try:
        return resolve(kind, value, client)
    except Offline as exc:  # no network: every other lookup would fail the same way
        raise _offline(exc) from exc
    except NotFound as exc:
        report.error(f"{label}: " + not_found.format(exc))
        return None
    except ServiceError as exc:
        failure = exc
    if cached is None:
        report.error(f"{label}: {failure}")
        return None
    try:
        found = resolve(kind, value, cached)
    except ServiceError:
        report.error(f"{label}: {failure}; no cached answer either")
        return None
    report.info(f"{label}: service unavailable ({failure}); using the cached answer")
    return found


def cite_add(root: Path, identifiers: list[str], dry_run: bool = False,
             client: HttpClient | None = None) -> Report:
    report, bib_path = Report(), root / "citations.bib"
    text, records = _load(bib_path)
    client = client or make_client(root)
    new_blocks: dict[str, str] = {}
    new_ids: set[tuple[str, str]] = set()
    taken = set(records)
    for raw in identifiers:
        try:
            kind, value = normalise_identifier(raw)
        except IdentifierError as exc:
            report.error(str(exc))
            continue
        known = _holder(records, kind, value)
        if known:
            report.info(f"{raw}: already in citations.bib as `{known}`; nothing added")
            report.keys.append(known)
            continue
        found = _looked_up(report, raw, kind, value, client)
        if found is None:
            continue
        entry_type, fields = found
        if "nct" in fields:  # a registry record changes: cited as seen on this day
            fields["urldate"] = make_config(root).build_date.isoformat()
        same = next((k for name in IDENTIFIER_FIELDS if name in fields
                     for k in [_holder(records, name, fields[name])] if k), "")
        if same:
            report.info(f"{raw}: the same work is already in citations.bib as `{same}`; "
                        "nothing added")
            report.keys.append(same)
            for conflict in _conflicts(records[same], fields):
                report.warning(f"`{same}` {conflict}; not changed (see `cite refresh {same}`)")
            continue
        ids = {(name, fields[name].lower()) for name in IDENTIFIER_FIELDS if name in fields}
        if ids & new_ids:
            report.info(f"{raw}: the same work was named earlier in this command; added once")
            continue
        new_ids |= ids
        key = make_key(fields, taken)
        taken.add(key)
        report.keys.append(key)
        new_blocks[key] = format_record(entry_type, key, fields)
        report.info(f"{raw}: {'would add' if dry_run else 'added'} `{key}`")
        for flag in NOTICE_FIELDS:
            if flag in fields:
                report.warning(f"`{key}` is flagged: {fields[flag]}")
    if dry_run:
        for block in new_blocks.values():
            report.info(block.rstrip("\n"))
    elif new_blocks and not report.errors:
        write_atomically(bib_path, insert_records(text, new_blocks))
    elif new_blocks:
        report.info("nothing written: fix the errors above and run the command again")
    return report


def cite_refresh(root: Path, keys: list[str], write: bool = False,
                 client: HttpClient | None = None) -> Report:
    report, bib_path = Report(), root / "citations.bib"
    text, records = _load(bib_path)
    unknown = [k for k in keys if k not in records]
    for key in unknown:
        report.error(f"no record `{key}` in citations.bib")
    if unknown:
        return report
    online = client or make_client(root, read_cache=False)
    cached = make_client(root, offline=True)
    updated = text
    for key in keys or sorted(records):
        record = records[key]
        ids = [(k, record.fields[k]) for k in IDENTIFIER_FIELDS if k in record.fields]
        if not ids:
            report.info(f"`{key}`: no identifier to refresh from; left as it is")
            continue
        kind, value = ids[0]
        found = _looked_up(report, f"`{key}`", kind, value, online, cached, not_found="{}")
        if found is None:
            continue
        entry_type, fields = found
        merged = {**record.fields, **fields}
        if kind == "doi" and "doi" in record.fields:
            merged["doi"] = record.fields["doi"]  # same DOI: keep the casing as written
        shown_old = format_record(record.entry_type, key, record.fields)
        shown_new = format_record(record.entry_type, key,
                                  _decoded(record.entry_type, key, merged))
        if shown_old == shown_new:
            report.info(f"`{key}`: up to date")
            continue
        diff = difflib.unified_diff(shown_old.splitlines(), shown_new.splitlines(),
                                    f"citations.bib ({key})", f"{kind} {value}", lineterm="")
        report.info("\n".join(diff))
        if write:
            updated = replace_record(updated, key, format_record(record.entry_type, key, merged))
    if write and updated != text and not report.errors:
        write_atomically(bib_path, updated)
        report.info("citations.bib updated")
    elif not write and updated == text and report.lines and any(
            line.startswith("---") for line in report.lines):
        report.info("run again with --write to apply these changes")
    return report


def cite_check(root: Path) -> Report:
    report = Report()
    _, records = _load_lenient(root / "citations.bib", report)
    twice = {}
    for key, first, kind, value in recorded_twice(records):
        twice.setdefault(key, []).append((first, kind, value))
    for key in sorted(records):
        record = records[key]
        for kind in IDENTIFIER_FIELDS:
            problem = inspect_identifier(kind, record.fields[kind]) \
                if kind in record.fields else None
            if problem:
                report.error(f"`{key}`: {problem[0]}; {problem[1]}")
        for first, kind, value in twice.get(key, ()):
            report.error(f"`{key}` and `{first}` are the same work "
                         f"({kind.upper()} {value}); merge them into one record")
        for flag in NOTICE_FIELDS:
            if flag in record.fields:
                report.warning(f"`{key}` is flagged ({flag}): {record.fields[flag]}")
    report.info(f"{len(records)} records checked")
    return report


def _load_lenient(bib_path: Path, report: Report):
    text = bib_path.read_text(encoding="utf-8") if bib_path.exists() else ""
    parsed = parse_bibliography(text, bib_path.name)
    for problem in parsed.problems:
        if problem.code == "bibtex-identifier":
            continue  # reported below with the record's key
        report.error(problem.format_text())
    return text, parsed.records
