"""Machine-readable exports: entries as JSON and CSV, the bibliography as BibTeX, RIS and
CSL-JSON. Readers and other tools take the review's data from here."""
from __future__ import annotations

import csv
import io
import json

from evidencesite.content.model import BibRecord, Entry
from evidencesite.citations.csl import split_names, to_csl

EXPORT_SCHEMA_VERSION = 1
CSV_COLUMNS = ("id", "title", "type", "citation", "population", "setting", "agents",
               "questions", "year", "added", "updated", "url")


def json_bytes(payload) -> bytes:
    """`payload` (a list, or a mapping) as UTF-8 JSON with its keys sorted, each item of a
    list at the top or under a top-level key on a line of its own: a diff shows which
    records changed, and each line is made by Python's C encoder (an indented dump runs in
    pure Python, several times slower on a large review)."""
    if isinstance(payload, list):
        return (_lines(payload) + "\n").encode()
    members = [f"{_compact(key)}: {_lines(value) if isinstance(value, list) else _compact(value)}"
               for key, value in sorted(payload.items())]
    return ("{\n" + ",\n".join(members) + "\n}\n").encode()


def _lines(items: list) -> str:
    return "[\n" + ",\n".join(_compact(item) for item in items) + "\n]" if items else "[]"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _listed(value) -> str:
    return "; ".join(value) if isinstance(value, (list, tuple)) else str(value)


def entries_json(entries: list[dict], urls: dict[str, str]) -> bytes:
    """The entries' front matter as written, each with its page's address."""
    payload = {"schema": "schema/entry.schema.json", "export_version": EXPORT_SCHEMA_VERSION,
               "entries": [{**data, "url": urls[data["id"]]} for data in entries]}
    return json_bytes(payload)


def entries_csv(entries: list[Entry], urls: dict[str, str], years: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        extra = {"year": years[entry.id], "url": urls[entry.id]}
        writer.writerow([_csv_safe(_listed(extra[column] if column in extra
                                           else getattr(entry, column)))
                         for column in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; quote those."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def csl_json(records: dict[str, BibRecord]) -> bytes:
    return json_bytes([_plain_csl(records[key]) for key in sorted(records)])


def _plain_csl(record: BibRecord) -> dict:
    item = to_csl(record, escape_html=False)
    if "abstract" in record.fields:
        item["abstract"] = record.fields["abstract"]
    return item


_RIS_TYPES = {"article": "JOUR", "book": "BOOK", "inbook": "CHAP", "misc": "GEN",
              "techreport": "RPRT", "inproceedings": "CONF"}


def _ris_authors(names: list[dict]) -> list[str]:
    """One `AU` line per author. A list the source cuts short (BibTeX `and others`) ends
    with `AU  - et al.,` (the trailing comma makes it a name of one part, as EndNote asks
    for an incomplete list) and says so in a note, so that no reader takes it as complete."""
    lines = [f"AU  - {n['family']}" + (f", {n['given']}" if "given" in n else "")
             for n in names if "literal" not in n]
    if any(n.get("literal") == "et al." for n in names):
        lines.append("AU  - et al.,")
        lines.append(f"N1  - Author list incomplete: the source names {len(lines) - 1} "
                     f"author{'s' if len(lines) != 2 else ''} followed by \"et al.\"")
    return lines


def ris(records: dict[str, BibRecord]) -> bytes:
    lines = []
    for key in sorted(records):
        record = records[key]
        f = record.fields
        lines.append(f"TY  - {_RIS_TYPES.get(record.entry_type, 'GEN')}")
        lines.append(f"ID  - {key}")
        lines.extend(_ris_authors(split_names(f.get("author", ""))))
        if "organization" in f:
            lines.append(f"A2  - {f['organization']}")
        for tag, field in (("TI", "title"), ("JO", "journal"), ("PY", "year"), ("VL", "volume"),
                           ("IS", "number"), ("DO", "doi"), ("AB", "abstract")):
            if field in f:
                lines.append(f"{tag}  - {f[field]}")
        if "pages" in f:
            start, _, end = f["pages"].replace("--", "-").replace("–", "-").partition("-")
            lines.append(f"SP  - {start}")
            if end:
                lines.append(f"EP  - {end}")
        if "pmid" in f:
            lines.append(f"AN  - PMID:{f['pmid']}")
        if "pmcid" in f:
            lines.append(f"C2  - {f['pmcid']}")
        if "nct" in f:
            lines.append(f"UR  - https://clinicaltrials.gov/study/{f['nct']}")
        if "urldate" in f:
            lines.append(f"Y2  - {f['urldate'].replace('-', '/')}")  # RIS's access date
        lines.append("ER  - ")
        lines.append("")
    return "\n".join(lines).encode("utf-8")
