"""Frozen data passed between the stages of the pipeline."""
from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from typing import Any

# Where each kind of document lives: content/<folder>/<id>.md, and <url folder><id>/ in the site.
CONTENT_FOLDERS = {"entry": "entries", "question": "questions", "page": "pages"}
URL_FOLDERS = {"entry": "entries/", "question": "questions/", "page": ""}
# BibTeX's month names (`month = jan`), in calendar order.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _pickled_by_value(cls):
    """Small frozen records are pickled as (class, field values): the default for frozen
    slotted dataclasses is much slower, and there are many of them."""
    values = operator.attrgetter(*(f.name for f in fields(cls)))
    cls.__reduce__ = lambda self: (cls, values(self))
    return cls


def page_folder(kind: str, doc_id: str) -> str:
    """The site folder of a document's page, such as `entries/smith-2020/`."""
    return f"{URL_FOLDERS[kind]}{doc_id}/"


@_pickled_by_value
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
class Document:
    """One content file: its front matter (with the position of every value) and its body."""

    kind: str  # "entry" | "question" | "page"
    path: str  # relative to the project root, with forward slashes
    data: dict[str, Any]
    positions: dict[tuple, SourceLocation]
    body: str
    body_line: int  # 1-based line of the body's first line in the file

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
    key: str
    entry_type: str
    fields: dict[str, str]
    location: SourceLocation
    field_lines: dict[str, int] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Citation:
    """One cited key at one place in a source file."""

    key: str
    locator: str
    location: SourceLocation


@_pickled_by_value
@dataclass(frozen=True, slots=True)
class Link:
    target: str
    location: SourceLocation
    is_image: bool = False


@_pickled_by_value
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
