"""citations.bib -> BibRecords (LaTeX decoded), with every parse problem at its line."""
from __future__ import annotations

import logging
import re

import bibtexparser
from pylatexenc import latex2text
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

from evidencesite.diagnostics import Diagnostic, ERROR, WARNING
from evidencesite.citations.identifiers import IDENTIFIER_FIELDS, inspect_identifier
from evidencesite.citations.record_fields import check_record_fields
from evidencesite.content.model import BibRecord, Bibliography, SourceLocation
from evidencesite.content.urlpolicy import check_url

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}
NOTICE_FIELDS = ("retraction", "correction")  # set from the services' retraction notices
BACKSLASH = "\\"
_MACRO = re.compile(r"\\([A-Za-z]+)")
_LATEX = latex2text.get_default_latex_context_db()
_DECODER = latex2text.LatexNodes2Text(keep_braced_groups=False, math_mode="text")


def parse_bibliography(text: str, shown: str) -> Bibliography:
    library = bibtexparser.parse_string(text)  # values decoded below, field by field
    problems: list[Diagnostic] = []

    def at(line0: int | None, column: int = 1) -> SourceLocation:
        return SourceLocation(shown, (line0 or 0) + 1, column)

    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            problems.append(Diagnostic(at(block.start_line), ERROR, "bibtex-duplicate-key",
                                       f"duplicate citation key `{block.key}`",
                                       "give each record its own key, or merge the two records"))
        elif isinstance(block, DuplicateFieldKeyBlock):
            fields = ", ".join(f"`{f}`" for f in sorted(block.duplicate_keys))
            key = block.ignore_error_block.key
            problems.append(Diagnostic(at(block.start_line), ERROR, "bibtex-duplicate-field",
                                       f"record `{key}` sets {fields} more than once",
                                       "keep one of the values"))
        else:
            error = getattr(block, "error", None)
            detail = getattr(error, "abort_reason", "") or str(error or "") or "unreadable"
            problems.append(Diagnostic(at(block.start_line), ERROR, "bibtex-syntax",
                                       f"BibTeX record cannot be read: {detail}",
                                       _syntax_hint(block.raw)))

    starts = [m for m in _ENTRY_START.finditer(text) if m.group(1).lower() not in _NOT_ENTRIES]
    parsed_lines = {e.start_line for e in library.entries} | {
        b.start_line for b in library.failed_blocks}
    line0, counted_to = 0, 0
    for match in starts:  # counted on from the previous match: linear in the file's size
        line0 += text.count("\n", counted_to, match.start())
        counted_to = match.start()
        if line0 not in parsed_lines:
            problems.append(Diagnostic(at(line0), ERROR, "bibtex-syntax",
                                       "this record was swallowed by the record before it",
                                       "check the braces of the record above: each `{` needs "
                                       "its `}`"))

    records: dict[str, BibRecord] = {}
    for entry in library.entries:
        record, undecodable = _to_record(entry, shown)
        problems.extend(undecodable)
        problems.extend(_check_fields(record))
        records[record.key] = record
    problems.extend(check_record_fields(records))
    return Bibliography(records, tuple(problems), text)


def _syntax_hint(raw: str) -> str:
    first = raw.strip().splitlines()[0] if raw.strip() else ""
    if first and not first.rstrip().endswith(","):
        return "the key must be followed by a comma: `@article{key,`"
    return "check for a missing comma between fields or an unbalanced brace"


def _to_record(entry: Entry, shown: str) -> tuple[BibRecord, list[Diagnostic]]:
    lines = {f.key.lower(): (f.start_line or entry.start_line) + 1 for f in entry.fields}
    fields, problems = {}, []
    for field in entry.fields:
        name, raw = field.key.lower(), str(field.value)
        unknown = sorted({m for m in _MACRO.findall(raw) if _LATEX.get_macro_spec(m) is None})
        if unknown:
            macros = ", ".join(f"`{BACKSLASH}{m}`" for m in unknown)
            problems.append(Diagnostic(
                SourceLocation(shown, lines[name], 3), ERROR, "bibtex-latex",
                f"record `{entry.key}`: cannot decode LaTeX {macros} in `{name}`",
                "write the character itself (UTF-8 is fine), e.g. `ü` instead of `{\\\"u}`"))
        problems.extend(_dropped_specials(entry.key, name, raw,
                                          SourceLocation(shown, lines[name], 3)))
        fields[name] = decode_field(name, raw)
    record = BibRecord(key=entry.key, entry_type=entry.entry_type.lower(), fields=fields,
                       location=SourceLocation(shown, entry.start_line + 1, 1), field_lines=lines)
    return record, problems


VERBATIM = ("doi", "url")  # as biblatex reads them: `%`, `_`, `~` are part of the address
# what the LaTeX decoder changes; a field without any of it reads the same undecoded
_LATEX_SPECIAL = re.compile(r"[\\$%&~]|--|``|''|[!?]`")
_BARE = re.compile(r"(?<!\\)([%&])")


def decode_field(name: str, raw: str) -> str:
    """One rule for every field: LaTeX, as BibTeX users' LaTeX reads it (`\\%`, `\\&`, `\\$`,
    `\\#`, `\\_` give the character; `--` an en dash; `~` a non-breaking space; a bare `%`
    starts a comment to the end of its line; a bare `&` is dropped), except `doi` and `url`,
    which are kept as written."""
    if name in VERBATIM or not _LATEX_SPECIAL.search(raw):
        return _clean(raw)
    return _clean(_DECODER.latex_to_text(raw))


def _dropped_specials(key: str, name: str, raw: str, where: SourceLocation) -> list[Diagnostic]:
    """A warning for each bare `%` or `&`, which LaTeX (and so this reader) drops."""
    if name in VERBATIM:
        return []
    found = []
    for match in _BARE.finditer(raw):
        line = where.line + raw.count("\n", 0, match.start())
        at = SourceLocation(where.path, line, where.column)
        if match.group(1) == "%":
            rest = raw[match.start():].split("\n", 1)[0]
            shown = rest if len(rest) <= 40 else rest[:40] + "…"
            found.append(Diagnostic(at, WARNING, "bibtex-special",
                                    f"record `{key}`: a bare `%` in `{name}` starts a LaTeX "
                                    f"comment, so `{shown}` is left out",
                                    "write `\\%` for a percent sign"))
        else:
            found.append(Diagnostic(at, WARNING, "bibtex-special",
                                    f"record `{key}`: a bare `&` in `{name}` is a LaTeX "
                                    "alignment character and is left out",
                                    "write `\\&` for an ampersand"))
    return found


def _clean(value: str) -> str:
    return " ".join(value.replace("{", "").replace("}", "").split())


def _check_fields(record: BibRecord) -> list[Diagnostic]:
    problems = []

    def at(name: str) -> SourceLocation:
        return SourceLocation(record.location.path, record.field_lines.get(name, 0)
                              or record.location.line, 3)

    for name in IDENTIFIER_FIELDS:
        if name in record.fields:
            problem = inspect_identifier(name, record.fields[name])
            if problem:
                problems.append(Diagnostic(at(name), ERROR, "bibtex-identifier",
                                           f"record `{record.key}`: {problem[0]}", problem[1]))
    if "url" in record.fields:
        problem = check_url(record.fields["url"], allow_internal=False)
        if problem:
            problems.append(Diagnostic(at("url"), ERROR, "unsafe-url",
                                       f"record `{record.key}`: {problem}",
                                       "use an https:// address"))
    return problems
