"""Frozen data passed between the stages of the pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True, slots=True)
class SourceLocation:
    path: str
    line: int = 0
    column: int = 0

    def __reduce__(self):  # pickled by value: the default for frozen slots is slow
        return SourceLocation, (self.path, self.line, self.column)

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


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited key at one place in a source file."""

    key: str
    locator: str
    location: SourceLocation

    def __reduce__(self):
        return Citation, (self.key, self.locator, self.location)


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    location: SourceLocation
    is_image: bool = False

    def __reduce__(self):
        return Link, (self.target, self.location, self.is_image)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str

    def __reduce__(self):
        return Heading, (self.level, self.text, self.anchor)


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
