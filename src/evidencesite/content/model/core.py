"""The data of reading, checking and citing: positions and diagnostics, a content file as
read (`Document`) and with its Markdown parsed (`Analysed`), the bibliography and its
formatted references, citations, links and headings (the package's docstring gives the
flow). Front matter as written is a FrozenDict (see content/frozen.py), which validation
reads; what passed the schema is also typed (`Document.record`, see kinds.py).
"""
from __future__ import annotations

import enum
import operator
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING

from evidencesite.content.frozen import FrozenDict

if TYPE_CHECKING:
    from evidencesite.content.model.kinds import Entry, Page, Question


class Kind(str, enum.Enum):
    """The kinds of content document."""

    ENTRY = "entry"
    QUESTION = "question"
    PAGE = "page"

    __str__ = str.__str__
    __format__ = str.__format__


# Where each kind of document lives: content/<folder>/<id>.md, and <url folder><id>/ in the site.
CONTENT_FOLDERS = {Kind.ENTRY: "entries", Kind.QUESTION: "questions", Kind.PAGE: "pages"}
URL_FOLDERS = {Kind.ENTRY: "entries/", Kind.QUESTION: "questions/", Kind.PAGE: ""}
# BibTeX's month names (`month = jan`), in calendar order.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
ERROR = "error"
WARNING = "warning"
# Front-matter fields written in inline Markdown, by kind.
INLINE_MARKDOWN_FIELDS = {Kind.QUESTION: ("bottom_line",)}


def page_folder(kind: str, doc_id: str) -> str:
    """The site folder of a document's page, such as `entries/smith-2020/`."""
    return f"{URL_FOLDERS[kind]}{doc_id}/"


def pickled_by_value(cls):
    """Small frozen records are pickled as (class, field values): the default for frozen
    slotted dataclasses is much slower, and there are many of them."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


def frozen_record(cls):
    """A frozen, slotted dataclass, pickled by value: the records of the typed model."""
    return pickled_by_value(dataclass(frozen=True, slots=True)(cls))


@pickled_by_value
@dataclass(frozen=True, order=True, slots=True)
class SourceLocation:
    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the input, shown as `path:line:col: severity[code]: message`."""

    location: SourceLocation
    severity: str  # ERROR | WARNING
    code: str
    message: str
    hint: str = ""

    def sort_key(self):
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def format_text(self, paint=lambda label: label) -> str:
        text = f"{self.location}: {paint(f'{self.severity}[{self.code}]')}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command: `::error file=…,line=…,col=…,title=…::message`."""
        loc = self.location
        kind = "error" if self.severity == ERROR else "warning"
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return (f"::{kind} file={_command_property(loc.path)},line={max(loc.line, 1)},"
                f"col={max(loc.column, 1)},title={_command_property(self.code)}::"
                f"{_command_data(message)}")

    def format_markdown_row(self) -> str:
        loc = self.location
        line, column = (str(loc.line), str(max(loc.column, 1))) if loc.line > 0 else ("", "")
        cells = (self.severity, loc.path, line, column, self.code, self.message, self.hint)
        return "| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |"


# GitHub's workflow-command rules: data escapes `%`, CR and LF; a property value (`file=`,
# `title=`) also escapes `:` and `,`, which would end the property or the command
def _command_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def _markdown_cell(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


@dataclass(frozen=True)
class Document:
    """One content file's front matter, with the position of every value (its Markdown body,
    once parsed, is in `Analysed`)."""

    kind: Kind
    path: str  # relative to the project root, with forward slashes
    data: FrozenDict  # the front matter as written, checked against the kind's schema
    positions: dict[tuple, SourceLocation]
    body_line: int  # 1-based line of the body's first line in the file
    record: Entry | Question | Page | None = None  # typed, when the schema passed

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    def locate(self, *key_path) -> SourceLocation:
        """The closest recorded position for a path of keys and indexes into the front matter."""
        path = tuple(key_path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, SourceLocation(self.path, 1, 1))


@dataclass(frozen=True)
class BibRecord:
    """One record of citations.bib: its fields decoded, and the line of each."""

    key: str
    entry_type: str
    fields: FrozenDict  # name -> value
    location: SourceLocation
    field_lines: FrozenDict = field(default_factory=FrozenDict)  # name -> line

    def __post_init__(self) -> None:  # frozen, whatever the caller gives
        for name in ("fields", "field_lines"):
            if type(getattr(self, name)) is not FrozenDict:
                object.__setattr__(self, name, FrozenDict(getattr(self, name)))

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


@dataclass(frozen=True)
class Bibliography:
    records: dict[str, BibRecord]
    problems: tuple[Diagnostic, ...]
    text: str = ""  # the file as written, published as /citations.bib


@dataclass(frozen=True)
class Reference:
    """A record formatted in the site's citation style."""

    key: str
    html: str  # the formatted reference, escaped, without a number label
    links: tuple[tuple[str, str, str], ...]  # (label, identifier, URL)
    year: str
    title: str

    @cached_property
    def _digest(self) -> str:
        from evidencesite.incremental.keys import digest  # only the cache needs digests
        return digest(self.key, self.html, self.links, self.year, self.title)

    def fingerprint(self) -> str:
        return self._digest


@dataclass(frozen=True)
class CiteItem:
    """One key of a citation group as written: `[see @key, p. 4]`."""

    key: str
    locator: str
    prefix: str


@pickled_by_value
@dataclass(frozen=True, slots=True)
class Citation:
    """One cited key at one place in a source file."""

    key: str
    locator: str
    location: SourceLocation


@pickled_by_value
@dataclass(frozen=True, slots=True)
class Link:
    target: str
    location: SourceLocation
    is_image: bool = False


@pickled_by_value
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class ParsedMarkdown:
    """Markdown parsed and rendered once, as HTML with a numbered slot (see markdown.render)
    for each citation group, link target and image, filled per page once the page's
    citation numbers are known."""

    html: str
    slots: tuple  # per slot: ("c", items) | ("h", href) | ("i", src, alt, title)
    citations: tuple[Citation, ...]
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class Analysed:
    """A document with its Markdown parsed: what validation and rendering read."""

    document: Document
    body: ParsedMarkdown
    inline: dict[str, ParsedMarkdown]
    source: str = ""  # digest of the file this was made from (with the generator), if known

    @property
    def record(self) -> Entry | Question | Page | None:
        """The typed front matter (None when it failed the schema)."""
        return self.document.record

    def fingerprint(self) -> str:
        if self.source:
            return self.source
        from evidencesite.incremental.keys import digest, plain  # only the cache needs them
        return digest(plain(self.document), plain(self.body), plain(self.inline))

    @cached_property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation on the page, in the order the page shows them."""
        doc = self.document
        found: list[Citation] = []
        if doc.kind == Kind.ENTRY:
            if isinstance(doc.data.get("citation"), str):
                found.append(Citation(doc.data["citation"], "", doc.locate("citation")))
            for index, finding in enumerate(doc.data.get("key_findings") or []):
                if isinstance(finding, dict) and isinstance(finding.get("citation"), str):
                    found.append(Citation(finding["citation"], "",
                                          doc.locate("key_findings", index, "citation")))
            for index, row in enumerate(doc.data.get("outcomes") or []):
                if isinstance(row, dict) and isinstance(row.get("citation"), str):
                    found.append(Citation(row["citation"], "",
                                          doc.locate("outcomes", index, "citation")))
        for parsed in self.inline.values():
            found.extend(parsed.citations)
        found.extend(self.body.citations)
        return tuple(found)

    @cached_property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for parsed in (*self.inline.values(), self.body)
                     for link in parsed.links)

    @cached_property
    def cited_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.key for c in self.citations))


@dataclass(frozen=True)
class ContentYaml:
    """An optional YAML file of content/ (outcomes.yaml, flow.yaml) as read: its
    schema-checked data and each value's position; empty when absent or invalid."""

    data: object = None
    positions: dict | None = None
    path: str = ""
