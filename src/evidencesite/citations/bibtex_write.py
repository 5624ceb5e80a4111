"""Writing citations.bib: new records in their sorted place, replaced records in theirs,
every other byte kept; the file is replaced atomically."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from evidencesite.output.write import replace_file

FIELD_ORDER = ("author", "title", "journal", "organization", "howpublished", "year", "month",
               "date", "volume", "number", "pages", "doi", "pmid", "pmcid", "nct", "url",
               "status", "studytype", "phases", "enrollment", "conditions", "location",
               "startdate", "completiondate", "keywords", "abstract", "retraction",
               "correction", "note")
_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "at", "by"}
_ENTRY_LINE = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]+)", re.MULTILINE)


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", plain.lower())


def make_key(fields: dict[str, str], taken: set[str]) -> str:
    """first author's family name + year + first significant title word, made unique."""
    if "nct" in fields and "author" not in fields:
        base = fields["nct"].lower()
    else:
        first_author = fields.get("author", "").split(" and ")[0].split(",")[0]
        author = "".join(_ascii_words(first_author)) or "anon"
        words = [w for w in _ascii_words(fields.get("title", "")) if w not in _STOPWORDS]
        base = f"{author}{fields.get('year', '')}{words[0] if words else ''}"
    key, suffix = base, ord("b")
    while key in taken:
        key, suffix = f"{base}{chr(suffix)}", suffix + 1
    return key


def _escape(name: str, value: str) -> str:
    value = value.replace("\\", "").replace("{", "").replace("}", "")
    if name in ("doi", "url"):
        return value
    for char in "%&$#":
        value = value.replace(char, "\\" + char)
    return value


def format_record(entry_type: str, key: str, fields: dict[str, str]) -> str:
    names = [n for n in FIELD_ORDER if n in fields] + sorted(set(fields) - set(FIELD_ORDER))
    body = ",\n".join(f"  {name} = {{{_escape(name, fields[name])}}}" for name in names)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def _entry_lines(text: str) -> list[tuple[int, str]]:
    """(offset of the line, key) for every record, in file order."""
    return [(m.start(), m.group(2)) for m in _ENTRY_LINE.finditer(text)
            if m.group(1).lower() not in ("comment", "string", "preamble")]


def insert_records(text: str, blocks: dict[str, str]) -> str:
    """`text` with each new block (by key) inserted before the first record whose key sorts
    after it, or at the end; nothing else changes."""
    for key in sorted(blocks):
        starts = _entry_lines(text)
        after = [offset for offset, existing in starts if existing.lower() > key.lower()]
        if after:
            text = text[:after[0]] + blocks[key] + "\n" + text[after[0]:]
        else:
            separator = "" if not text or text.endswith("\n\n") else (
                "\n" if text.endswith("\n") else "\n\n")
            text = text + separator + blocks[key]
    return text


def replace_record(text: str, key: str, block: str) -> str:
    """`text` with record `key` replaced by `block`; the blank lines around it are kept."""
    starts = _entry_lines(text)
    for index, (offset, existing) in enumerate(starts):
        if existing == key:
            end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
            current = text[offset:end]
            trailing = current[len(current.rstrip()):]
            return text[:offset] + block.rstrip("\n") + trailing + text[end:]
    raise KeyError(key)


def write_atomically(path: Path, text: str) -> None:
    replace_file(path, text.encode("utf-8"))
