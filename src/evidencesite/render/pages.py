"""What rendering declares: each output, the template that makes it, what it reads, and how
to build its context. Deciding what to reuse from earlier builds is left to the executor
(incremental/executor.py); nothing here knows of caches, digests or workers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Page:
    """One page of the site.

    `reads` names everything the page is made from besides what every page reads (the
    settings, templates, navigation and build date): when it is the same as in an earlier
    build, the page is that build's page, and `context` is not called. Without `reads`,
    the context is built and is itself what the page reads."""

    path: str
    template: str
    context: Callable[[], dict]
    reads: tuple | None = None


@dataclass(frozen=True)
class PageSet:
    """Pages whose number and names are known only once they are made (a taxonomy's terms),
    all made from `reads`."""

    name: str
    reads: tuple
    pages: Callable[[], list[Page]]


@dataclass(frozen=True)
class Files:
    """Files made by code rather than a template (the exports), all made from `reads`."""

    name: str
    reads: tuple
    make: Callable[[], dict[str, bytes]]


@dataclass(frozen=True)
class Value:
    """A value many pages share (an entry's table row), made from `reads`; `lasting` values
    are kept on disk between builds, the others only for as long as the process lives."""

    name: str
    reads: tuple
    make: Callable[[], object]
    lasting: bool = True
