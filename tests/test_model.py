"""The typed model (content/model/): front matter that passed its schema becomes frozen,
typed records, and the build cache reads back exactly the model's types."""
from __future__ import annotations

import dataclasses
import io
import pickle

import pytest

from evidencesite.content.frozen import FrozenDict, freeze
from evidencesite.content.model import (
    STAGE_TYPES, BibRecord, Entry, Finding, Kind, Page, Question, SiteSettings, SourceLocation,
    from_front_matter, site_settings)
from evidencesite.incremental import store

ENTRY = {"id": "smith-2020", "title": "Smith 2020: a trial", "type": "rct",
         "citation": "smith2020", "population": ["NSCLC"], "setting": "not reported",
         "agents": ["anti-PD-1"], "questions": ["q1"], "added": "2020-01-01",
         "updated": "2020-02-01", "tags": [],
         "key_findings": [{"statement": "It worked.", "citation": "smith2020",
                           "locator": "abstract"}],
         "outcomes": [{"outcome": "os", "citation": "smith2020", "locator": "abstract",
                       "measure": "HR", "estimate": 0.5, "ci": [0.3, 0.8]}]}


def test_an_entry_is_typed_with_the_schema_names_and_defaults():
    entry = from_front_matter(Kind.ENTRY, freeze(ENTRY))
    assert isinstance(entry, Entry) and entry.kind == Kind.ENTRY
    assert entry.population == ("NSCLC",) and entry.setting == "not reported"
    assert entry.key_findings == (Finding("It worked.", "smith2020", "", "abstract"),)
    assert entry.summary == "" and entry.history is None
    assert entry.tags == ()  # an empty list is kept, apart from no list at all
    assert entry.outcomes[0]["estimate"] == 0.5  # as written, for the evidence stage


def test_records_cannot_be_changed():
    entry = from_front_matter(Kind.ENTRY, freeze(ENTRY))
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.title = "other"
    with pytest.raises(TypeError):
        entry.outcomes[0]["estimate"] = 1.0
    record = BibRecord("k", "article", {"title": "T"}, SourceLocation("citations.bib"))
    assert type(record.fields) is FrozenDict
    with pytest.raises(TypeError):
        record.fields["title"] = "U"


def test_questions_pages_and_settings_are_typed():
    question = from_front_matter(Kind.QUESTION, {
        "id": "q1", "title": "Q", "bottom_line": "B", "evidence_status": "limited",
        "open_questions": [], "pico": {"population": "P", "intervention": "I",
                                       "comparator": "C", "outcomes": ["O"]},
        "history": [{"date": "2024-01-01", "field": "scope", "change": "c", "reason": "r"}]})
    assert isinstance(question, Question) and question.pico.outcomes == ("O",)
    assert question.order == 1000 and question.history[0].release == ""
    page = from_front_matter(Kind.PAGE, {"id": "about", "title": "About"})
    assert isinstance(page, Page) and page.nav_order is None and page.sections == ()
    settings = site_settings({"title": "T", "description": "D", "base_url": "/",
                              "review": {"status": "living", "version": "1.0",
                                         "last_search": "2024-01-01",
                                         "releases": [{"version": "1.0", "date": "2024-01-02"}]}})
    assert isinstance(settings, SiteSettings) and settings.language == "en"
    assert settings.review.releases[0].notes == "" and settings.review.eligibility is None


def test_the_cache_reads_back_every_model_type_and_nothing_else():
    entry = from_front_matter(Kind.ENTRY, freeze(ENTRY))
    assert {Entry, Question, Page, Finding, SiteSettings, BibRecord} <= set(STAGE_TYPES)
    back = store._DataOnly(io.BytesIO(pickle.dumps(entry, protocol=5))).load()
    assert back == entry
    with pytest.raises(pickle.UnpicklingError):
        store._DataOnly(io.BytesIO(pickle.dumps(io.BytesIO()))).load()
