"""The frozen, typed data passed between the stages: every type that crosses a stage
boundary is defined in this package, and `STAGE_TYPES` lists them all (the build cache
reads back only these).

discover/read -> Document (front matter as written, and typed: Entry | Question | Page,
with Finding, EntryChange, AnswerChange, Pico, Appraisal) -> parse -> Analysed (with
ParsedMarkdown, Citation, Link, Heading) -> validate -> Diagnostic;
content/site.yaml -> SiteSettings (Review, Release, Eligibility);
citations.bib -> Bibliography (BibRecord) -> csl -> Reference.
core.py holds the data of reading, checking and citing; kinds.py the typed front matter.
The evidence stage's own types (outcome rows, syntheses, the flow of studies) are in
evidence/model.py and evidence/flow.py; they are made anew by every build, never cached.
"""
from __future__ import annotations

import enum
from dataclasses import is_dataclass

from evidencesite.content.frozen import FrozenDict, FrozenList
from evidencesite.content.model import core, kinds
from evidencesite.content.model.core import (
    CONTENT_FOLDERS, ERROR, INLINE_MARKDOWN_FIELDS, MONTHS, URL_FOLDERS, WARNING, Analysed,
    BibRecord, Bibliography, Citation, CiteItem, ContentYaml, Diagnostic, Document, Heading,
    Kind, Link, ParsedMarkdown, Reference, SourceLocation, page_folder, pickled_by_value)
from evidencesite.content.model.kinds import (
    NOT_LISTED, AnswerChange, Appraisal, Eligibility, Entry, EntryChange, Finding, Page, Pico,
    Question, Release, Review, SiteSettings, from_front_matter, site_settings)


def _defined_in(module) -> tuple[type, ...]:
    return tuple(value for value in vars(module).values()
                 if isinstance(value, type) and value.__module__ == module.__name__
                 and (is_dataclass(value) or issubclass(value, enum.Enum)))


# Every type above that a build may keep and read back, with the frozen containers.
STAGE_TYPES = (*_defined_in(core), *_defined_in(kinds), FrozenDict, FrozenList)
