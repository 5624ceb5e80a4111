"""Entry pages and the entries' table rows: the context of an entry page (with its results
and their certainty, the metadata reference managers and search engines read, and "cite
this entry"), and the row each entry has in the evidence table, question pages and
taxonomies."""
from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from evidencesite.citations.numbering import PageCitations
from evidencesite.content.frozen import FrozenDict, freeze
from evidencesite.content.model import Analysed, Entry, Kind, page_folder
from evidencesite.evidence.views import entry_results
from evidencesite.render.pages import Page, Value
from evidencesite.render.cite_this import entry_citation

if TYPE_CHECKING:
    from evidencesite.render.site import SiteRenderer


def page(site: SiteRenderer, item: Analysed) -> Page:
    """An entry's page reads its file and the titles of its questions."""
    titles = [site.question_titles.get(q) for q in item.record.questions]
    return site.page(page_folder(Kind.ENTRY, item.document.id) + "index.html", "entry.html",
                     lambda: _context(site, item),
                     reads=(item, titles, site.evidence.ratings_of(item.document.id)))


def _context(site: SiteRenderer, item: Analysed) -> dict:
    entry: Entry = item.record
    citations = PageCitations(item.cited_keys, site.references)
    page_url = site.absolute(page_folder(Kind.ENTRY, entry.id))
    context = {
        "entry": entry,
        "source": site.references.get(entry.citation),
        "source_cite": citations.cite_key(entry.citation),
        "findings": [(finding, citations.cite_key(finding.citation))
                     for finding in entry.key_findings],
        "questions": [{"id": q, "title": site.question_titles.get(q, q)}
                      for q in entry.questions],
        "year": year(site, entry.citation),
        "page_url": page_url,
        "cite": entry_citation(entry, site.site.settings, page_url,
                               site.records.get(entry.citation)),
        "jsonld": _jsonld(site, entry, item.cited_keys),
        "results": [(line, citations.cite_key(line.citation))
                    for line in entry_results(site.evidence.rows_of(entry.id), site.outcomes)],
        "certainty": site.evidence.ratings_of(entry.id),
    }
    context["body"] = site.body(item, citations)
    context["citations"] = citations
    return context


def year(site: SiteRenderer, key: str) -> str:
    record = site.records.get(key)
    return record.get("year", "not reported") if record else "not reported"


# -- citing an entry ---------------------------------------------------------------------
def _jsonld(site: SiteRenderer, entry: Entry, keys) -> dict:
    cited = []
    for key in keys:
        reference = site.references.get(key)
        if reference is None:
            continue
        work = {"@type": "CreativeWork", "name": reference.title}
        urls = [link[2] for link in reference.links]
        if urls:
            work["url"] = urls[0]
        cited.append(work)
    return {"@context": "https://schema.org", "@type": "ScholarlyArticle",
            "headline": entry.title, "dateCreated": entry.added,
            "dateModified": entry.updated, "inLanguage": site.site.settings.language,
            "url": site.absolute(page_folder(Kind.ENTRY, entry.id)),
            "isPartOf": {"@type": "WebSite", "name": site.site.settings.title},
            "citation": cited}


# -- table rows ----------------------------------------------------------------------------
def row(site: SiteRenderer, item: Analysed) -> FrozenDict:
    """An entry's row of the tables, with its HTML. It reads the entry's file, its questions'
    titles and its year; the row's HTML reads the row."""
    entry: Entry = item.record
    titles = [site.question_titles.get(q) for q in entry.questions]

    def with_html() -> FrozenDict:
        plain_row = _row(site, item)
        html = site.reuse(Value("row-html", (plain_row,), lambda: str(
            site.env.get_template("_macros.html").module.entry_row(plain_row))))
        return FrozenDict({**plain_row, "html": Markup(html)})

    return site.reuse(Value("row", (item, titles, year(site, entry.citation)), with_html,
                            lasting=False))


def _row(site: SiteRenderer, item: Analysed) -> FrozenDict:
    entry: Entry = item.record
    return freeze({
        "id": entry.id, "title": entry.title, "type": entry.type,
        "population": entry.population, "setting": entry.setting,
        "agents": entry.agents, "year": year(site, entry.citation),
        "updated": entry.updated, "summary": entry.summary,
        "appraised": bool(entry.key_findings),
        "outcomes": sorted({line.outcome for line in entry_results(
            site.evidence.rows_of(entry.id), site.outcomes)}),
        "questions": [{"id": q, "title": site.question_titles.get(q, q)}
                      for q in entry.questions],
        "url": site.url(page_folder(Kind.ENTRY, entry.id))})
