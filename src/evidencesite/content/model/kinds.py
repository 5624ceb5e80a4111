"""The typed front matter: one frozen class per kind of content document (`Entry`,
`Question`, `Page`), the records nested in them (`Finding`, `EntryChange`, `AnswerChange`,
`Pico`, `Appraisal`) and the site settings (`SiteSettings`, `Review`, `Release`,
`Eligibility`).

Each is made once, from front matter that passed its schema (`from_front_matter`,
`site_settings`), and read as attributes by the evidence stage, the renderer, the exports
and the templates. Field names are the schema's. A field the file leaves out has its
default: "" for text, () for a list, None where an empty list would mean something else
than no list at all (an entry's `tags: []` still shows its Tags line). Lists are tuples.
The `outcomes` of an entry and the `syntheses` of a question stay as written (frozen): the
evidence stage types them, with their positions (evidence/model.py).
"""
from __future__ import annotations

from dataclasses import fields
from functools import lru_cache

from evidencesite.content.frozen import FrozenList, freeze
from evidencesite.content.model.core import Kind, frozen_record

NOT_LISTED = 1000  # the position in lists of a question or page without `order`/`nav_order`


@frozen_record
class Finding:
    """A key finding of an entry: a statement, the work that supports it and, optionally,
    the words of that work and where they are."""

    statement: str
    citation: str
    quote: str = ""
    locator: str = ""


@frozen_record
class EntryChange:
    """One item of an entry's `history`."""

    date: str
    change: str


@frozen_record
class AnswerChange:
    """One item of a question's `history`: a change of its conclusion, and why."""

    date: str
    field: str  # bottom_line | evidence_status | certainty | scope
    change: str
    reason: str
    release: str = ""


@frozen_record
class Appraisal:
    """An entry's reserved `certainty`: a rating and its rationale."""

    rating: str
    rationale: str = ""


@frozen_record
class Pico:
    population: str
    intervention: str
    comparator: str
    outcomes: tuple[str, ...]


@frozen_record
class Entry:
    """One work the review summarises (content/entries/<id>.md)."""

    id: str
    title: str
    type: str
    citation: str
    population: str | tuple[str, ...]  # "not reported" or the populations
    setting: str | tuple[str, ...]
    agents: str | tuple[str, ...]
    questions: tuple[str, ...]
    key_findings: tuple[Finding, ...]
    added: str  # YYYY-MM-DD
    updated: str
    short_title: str = ""  # its label in plots and tables ("": the title to its first colon)
    study: str = ""  # the trial it reports: entries of one study are never pooled together
    summary: str = ""  # one sentence, shown in lists and tables
    results: str = ""
    outcomes: FrozenList | tuple = ()  # as written; typed by the evidence stage
    certainty: Appraisal | None = None
    history: tuple[EntryChange, ...] | None = None
    tags: tuple[str, ...] | None = None

    kind = Kind.ENTRY


@frozen_record
class Question:
    """One question the review answers (content/questions/<id>.md)."""

    id: str
    title: str
    pico: Pico
    bottom_line: str
    evidence_status: str
    open_questions: tuple[str, ...]
    order: int = NOT_LISTED
    ongoing_studies: tuple[str, ...] = ()
    updated: str = ""
    history: tuple[AnswerChange, ...] = ()
    syntheses: FrozenList | tuple = ()  # as written; typed by the evidence stage

    kind = Kind.QUESTION


@frozen_record
class Page:
    """A free page (content/pages/<id>.md); its id is its file name."""

    id: str
    title: str
    description: str = ""
    nav_order: int | None = None  # shown in the main navigation when given
    sections: tuple[str, ...] = ()

    kind = Kind.PAGE


@frozen_record
class Release:
    version: str
    date: str
    notes: str = ""


@frozen_record
class Eligibility:
    include: tuple[str, ...]
    exclude: tuple[str, ...] | None = None
    notes: str = ""


@frozen_record
class Review:
    """The review's state (site.yaml `review`)."""

    status: str  # living | paused | retired
    version: str
    last_search: str
    next_update: str = ""
    eligibility: Eligibility | None = None
    releases: tuple[Release, ...] = ()


@frozen_record
class SiteSettings:
    """content/site.yaml, with the base URL the build uses."""

    title: str
    description: str
    base_url: str  # "/", "/repository/" or "https://host/repository/"
    review: Review
    language: str = "en"
    citation_style: str = ""  # a CSL style name ("": the default style)
    contact_email: str = ""
    summary: str = ""  # Markdown, the review's message on the home page


TypedDocument = Entry | Question | Page
# The records nested in each: a field's record class (a list of them is a tuple of them),
# or FrozenList for a field kept as written.
_NESTED = {Finding: (), EntryChange: (), AnswerChange: (), Appraisal: (), Pico: (),
           Release: (), Eligibility: (),
           Entry: (("key_findings", Finding), ("history", EntryChange),
                   ("certainty", Appraisal), ("outcomes", FrozenList)),
           Question: (("pico", Pico), ("history", AnswerChange), ("syntheses", FrozenList)),
           Page: (),
           Review: (("eligibility", Eligibility), ("releases", Release)),
           SiteSettings: (("review", Review),)}
_KINDS = {Kind.ENTRY: Entry, Kind.QUESTION: Question, Kind.PAGE: Page}


def from_front_matter(kind: Kind, data: dict) -> TypedDocument:
    """The typed document of schema-valid front matter (a page's `id` included)."""
    return _made(_KINDS[kind], data)


def site_settings(data: dict) -> SiteSettings:
    """The typed settings of a schema-valid content/site.yaml."""
    return _made(SiteSettings, data)


@lru_cache(maxsize=None)
def _plan(cls: type) -> tuple[tuple[str, type | None], ...]:
    nested = dict(_NESTED[cls])
    return tuple((f.name, nested.get(f.name)) for f in fields(cls))


def _made(cls: type, data: dict):
    values = {}
    for name, nested in _plan(cls):  # each field the mapping has, converted
        if name not in data:
            continue
        value = data[name]
        if nested is FrozenList:
            value = value if type(value) is FrozenList else freeze(value)  # as written
        elif nested is not None and isinstance(value, list):
            value = tuple(_made(nested, item) for item in value)
        elif nested is not None:
            value = _made(nested, value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return cls(**values)
