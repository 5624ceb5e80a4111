"""Entry pages and the entries' table rows: the context of an entry page (with its results
and their certainty, the metadata reference managers and search engines read, and "cite
this entry"), and the row each entry has in the evidence table, question pages and
taxonomies."""
from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from evidencesite.citations.numbering import PageCitations
from evidencesite.content.frozen import FrozenDict, freeze
from evidencesite.content.model import Analysed, Kind, page_folder
from evidencesite.evidence.views import entry_results
from evidencesite.render.pages import Page, Value
from evidencesite.render.cite_this import entry_citation

if TYPE_CHECKING:
    from evidencesite.render.site import SiteRenderer


def page(site: SiteRenderer, item: Analysed) -> Page:
    """An entry's page reads its file and the titles of its questions."""
    titles = [site.question_titles.get(q) for q in item.document.data.get("questions", [])]
    return site.page(page_folder(Kind.ENTRY, item.document.id) + "index.html", "entry.html",
                     lambda: _context(site, item),
                     reads=(item, titles, site.evidence.ratings_of(item.document.id)))


def _context(site: SiteRenderer, item: Analysed) -> dict:
    doc = item.document
    citations = PageCitations(item.cited_keys, site.references)
    data = doc.data
    page_url = site.absolute(page_folder(Kind.ENTRY, doc.id))
    context = {
        "entry": data,
        "source": site.references.get(data["citation"]),
        "source_cite": citations.cite_key(data["citation"]),
        "findings": [{**f, "cite": citations.cite_key(f["citation"])}
                     for f in data.get("key_findings", [])],
        "questions": [{"id": q, "title": site.question_titles.get(q, q)}
                      for q in data.get("questions", [])],
        "year": year(site, data["citation"]),
        "page_url": page_url,
        "cite": entry_citation(data, site.site.settings, page_url,
                               site.records.get(data["citation"])),
        "jsonld": _jsonld(site, data, item.cited_keys),
        "results": [(line, citations.cite_key(line.citation))
                    for line in entry_results(site.evidence.rows_of(doc.id), site.outcomes)],
        "certainty": site.evidence.ratings_of(doc.id),
    }
    context["body"] = site.body(item, citations)
    context["citations"] = citations
    return context


def year(site: SiteRenderer, key: str) -> str:
    record = site.records.get(key)
    return record.get("year", "not reported") if record else "not reported"


# -- citing an entry ---------------------------------------------------------------------
def _jsonld(site: SiteRenderer, data: dict, keys) -> dict:
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
            "headline": data["title"], "dateCreated": data["added"],
            "dateModified": data["updated"], "inLanguage": site.site.settings["language"],
            "url": site.absolute(page_folder(Kind.ENTRY, data["id"])),
            "isPartOf": {"@type": "WebSite", "name": site.site.settings["title"]},
            "citation": cited}


# -- table rows ----------------------------------------------------------------------------
def row(site: SiteRenderer, item: Analysed) -> FrozenDict:
    """An entry's row of the tables, with its HTML. It reads the entry's file, its questions'
    titles and its year; the row's HTML reads the row."""
    data = item.document.data
    titles = [site.question_titles.get(q) for q in data.get("questions", [])]

    def with_html() -> FrozenDict:
        plain_row = _row(site, item)
        html = site.reuse(Value("row-html", (plain_row,), lambda: str(
            site.env.get_template("_macros.html").module.entry_row(plain_row))))
        return FrozenDict({**plain_row, "html": Markup(html)})

    return site.reuse(Value("row", (item, titles, year(site, data["citation"])), with_html,
                            lasting=False))


def _row(site: SiteRenderer, item: Analysed) -> FrozenDict:
    data = item.document.data
    return freeze({
        "id": data["id"], "title": data["title"], "type": data["type"],
        "population": data["population"], "setting": data["setting"],
        "agents": data["agents"], "year": year(site, data["citation"]),
        "updated": data["updated"], "summary": data.get("summary", ""),
        "appraised": bool(data.get("key_findings")),
        "outcomes": sorted({line.outcome for line in entry_results(
            site.evidence.rows_of(data["id"]), site.outcomes)}),
        "questions": [{"id": q, "title": site.question_titles.get(q, q)}
                      for q in data.get("questions", [])],
        "url": site.url(page_folder(Kind.ENTRY, data["id"]))})
