"""The pages of the site, declared: for each, its path, its template, what it reads and how
to build its context (render/pages.py). Entry pages and their table rows are in
entries.py; what is reused from earlier builds is decided by the executor, not here."""
from __future__ import annotations

import functools
from typing import Callable

from jinja2 import Environment
from markupsafe import Markup

from evidencesite.citations.bibtex_read import NOTICE_FIELDS
from evidencesite.citations.numbering import PageCitations
from evidencesite.citations.record_fields import relation_of
from evidencesite.content import markdown, schema
from evidencesite.content.model import NOT_LISTED, URL_FOLDERS, Analysed, BibRecord, Kind, \
    Question, Reference, page_folder
from evidencesite.evidence.exports import outcomes_csv, syntheses_json
from evidencesite.evidence.stage import Evidence
from evidencesite.evidence.views import question_syntheses
from evidencesite.output import exports
from evidencesite.render import entries
from evidencesite.render.environment import SiteView
from evidencesite.render.history import collect_changes, group_by_release
from evidencesite.render.home import home_context
from evidencesite.render.pages import Files, Page, PageSet, Value
from evidencesite.render.review import flow_pages, map_context, page_sections
from evidencesite.render.taxonomy import TAXONOMIES, taxonomy_terms, term_slug
from evidencesite.render.cite_this import review_citation


class SiteRenderer:
    """The site's documents, bibliography and settings, and the pages they make.

    `reuse` gives a shared value (an entry's table row) that an earlier build may already
    have made (the executor's `value`)."""

    def __init__(self, env: Environment, site: SiteView, analysed: list[Analysed],
                 records: dict[str, BibRecord], references: dict[str, Reference],
                 evidence: Evidence = Evidence(),
                 reuse: Callable[[Value], object] = lambda value: value.make()) -> None:
        self.env, self.site, self.analysed = env, site, analysed
        self.evidence, self.outcomes = evidence, evidence.definitions()
        self.records, self.references, self.reuse = records, references, reuse
        self.entries = sorted((a for a in analysed if a.document.kind == Kind.ENTRY),
                              key=lambda a: a.document.id)
        self.questions = sorted((a for a in analysed if a.document.kind == Kind.QUESTION),
                                key=lambda a: (a.record.order, a.document.id))
        self.pages = sorted((a for a in analysed if a.document.kind == Kind.PAGE),
                            key=lambda a: (_listed_at(a.record.nav_order), a.document.id))
        self.question_titles = {a.document.id: a.record.title for a in self.questions}
        self.entry_rows = [entries.row(self, item) for item in self.entries]
        self.rows_by_id = {row["id"]: row for row in self.entry_rows}
        self.rows_by_question: dict[str, list[dict]] = {}
        for row in self.entry_rows:
            for question in row["questions"]:
                self.rows_by_question.setdefault(question["id"], []).append(row)
        self.question_rows = self._question_rows()
        self.citing_pages: dict[str, set[tuple[str, str]]] = {}
        for item in analysed:
            page = (self.page_url(item), item.record.title)
            for key in item.cited_keys:
                self.citing_pages.setdefault(key, set()).add(page)

    # -- links -----------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.site.base_path + path.lstrip("/")

    def page_url(self, item: Analysed) -> str:
        return self.url(page_folder(item.document.kind, item.document.id))

    def resolve_link(self, href: str) -> str:
        scheme, _, rest = href.partition(":")
        if scheme in URL_FOLDERS:
            target, _, anchor = rest.partition("#")
            return self.url(page_folder(scheme, target)) + (f"#{anchor}" if anchor else "")
        return href

    def absolute(self, path: str) -> str:
        """An absolute URL where the site has one, else the site-relative path."""
        base = self.site.absolute_base
        return (base.rstrip("/") + "/" + path.lstrip("/")) if base else self.url(path)

    # -- what every page reads -------------------------------------------------------
    def common(self) -> dict:
        nav = [{"title": "Questions", "url": self.url("questions/")},
               {"title": "Evidence map", "url": self.url("map/")},
               {"title": "Evidence table", "url": self.url("evidence/")},
               {"title": "Bibliography", "url": self.url("bibliography/")},
               *([{"title": "Glossary", "url": self.url("glossary/")}]
                 if self.env.globals["vocab"].terms else []),
               {"title": "What's new", "url": self.url("whats-new/")}]
        nav += [{"title": p.record.title, "url": self.url(f"{p.document.id}/")}
                for p in self.pages if p.record.nav_order is not None]
        return {"site": self.site.settings, "build_date": self.site.build_date, "nav": nav}

    def page(self, path: str, template: str, context: Callable[[], dict],
             reads: tuple | None = None) -> Page:
        """A page whose context also names the retracted or corrected works it cites."""
        def full_context() -> dict:
            made = context()
            made.setdefault("flagged", self._flagged(
                made["citations"].number if "citations" in made else ()))
            return made

        return Page(path, template, full_context, reads)

    def _flagged(self, keys) -> list[dict]:
        """Cited works with a retraction or correction notice, for the page's banner."""
        found = []
        for key in keys:
            record = self.records.get(key)
            for flag in NOTICE_FIELDS:
                if record is not None and flag in record.fields:
                    found.append({"key": key, "kind": flag, "notice": record.fields[flag],
                                  "title": record.get("title", key)})
        return found

    def body(self, item: Analysed, citations: PageCitations) -> Markup:
        return Markup(markdown.render(item.body, citations.cite, self.resolve_link))

    # -- the pages ---------------------------------------------------------------------
    def entry_pages(self) -> list[Page]:
        return [entries.page(self, item) for item in self.entries]

    def free_pages(self) -> list[Page]:
        return [self.page(f"{item.document.id}/index.html", "page.html",
                          lambda item=item: self._page(item)) for item in self.pages]

    def pooled(self, evidence: Evidence) -> None:
        """The evidence with its syntheses pooled, for the question pages and the exports
        (every other page reads only what was planned, and is made before pooling ends)."""
        self.evidence = evidence

    def question_pages(self) -> list[Page]:
        if len(self.evidence.syntheses) != len(self.evidence.plans):
            raise RuntimeError("question pages need the pooled syntheses: call pooled() first")
        return [self.page(f"questions/{item.document.id}/index.html", "question.html",
                          lambda item=item: self._question(item)) for item in self.questions]

    def _question(self, item: Analysed) -> dict:
        citations = PageCitations(item.cited_keys, self.references)
        question: Question = item.record
        bottom_line = Markup(markdown.render_inline(item.inline["bottom_line"], citations.cite,
                                                    self.resolve_link))
        ongoing = [self.rows_by_id[id_] for id_ in sorted(set(question.ongoing_studies))
                   if id_ in self.rows_by_id]
        return dict(question=question, bottom_line=bottom_line,
                    informing=self.rows_by_question.get(item.document.id, []),
                    ongoing=ongoing, body=self.body(item, citations), citations=citations,
                    syntheses=question_syntheses(self.evidence.syntheses_of(item.document.id)))

    def _page(self, item: Analysed) -> dict:
        citations = PageCitations(item.cited_keys, self.references)
        return dict(page=item.record, body=self.body(item, citations), citations=citations,
                    sections=page_sections(self, item.record.sections))

    def list_pages(self) -> list[Page]:
        """The lists, the home page, the evidence map and the flow of studies."""
        latest = sorted(self.entry_rows, key=lambda r: (r["updated"], r["id"]), reverse=True)[:5]
        glance = functools.cache(lambda: map_context(self))  # the map, for two pages
        return [
            self.page("questions/index.html", "questions.html",
                      lambda: dict(questions=self.question_rows)),
            self.page("evidence/index.html", "evidence.html", lambda: dict(rows=self.entry_rows)),
            self.page("index.html", "home.html",
                      lambda: dict(latest=latest, **home_context(self, glance()),
                                   cite=review_citation(self.site.settings,
                                                        self.absolute("")))),
            self.page("map/index.html", "map.html", glance),
            *flow_pages(self)]

    def taxonomies(self) -> PageSet:
        """The taxonomy pages read only the table rows."""
        def pages() -> list[Page]:
            found = []
            for taxonomy in TAXONOMIES:
                terms = taxonomy_terms(taxonomy, self.entry_rows)
                found.append(self.page(f"{taxonomy.path}/index.html", "taxonomy.html",
                                       lambda t=taxonomy, terms=terms: dict(taxonomy=t,
                                                                            terms=terms)))
                found += [self.page(f"{taxonomy.path}/{term['slug']}/index.html", "term.html",
                                    lambda t=taxonomy, term=term: dict(taxonomy=t, term=term))
                          for term in terms]
            return found

        return PageSet("taxonomies", tuple(self.entry_rows), pages)

    def bibliography_page(self) -> Page:
        """The bibliography reads every page's citations, title and address, and the
        relations between the records."""
        def works() -> dict:
            ordered = sorted(self.references, key=lambda k: (self.references[k].html.lower(), k))
            return dict(works=[{"key": key, "reference": self.references[key],
                                "cited_by": sorted(self.citing_pages.get(key, set())),
                                "relation": relation_of(self.records[key], self.records)}
                               for key in ordered])

        return self.page("bibliography/index.html", "bibliography.html", works,
                         reads=(tuple((item, self.page_url(item)) for item in self.analysed),
                                tuple(relation_of(r, self.records)
                                      for r in self.records.values())))

    def plain_pages(self) -> list[Page]:
        glossary = [self.page("glossary/index.html", "glossary.html", dict)] \
            if self.env.globals["vocab"].terms else []
        return [self.page("search/index.html", "search.html", dict), *glossary,
                self.page("404.html", "404.html", dict)]

    def history_pages(self) -> list[Page]:
        """What's new and the feed read only the entries' and questions' front matter (as
        written: its digest is known) and the versions that have a flow diagram."""
        flows = tuple(r.version for r in self.evidence.flow.releases)
        reads = (*(item.document.data for item in (*self.entries, *self.questions)), flows,
                 "history")
        changes: list = []

        def made() -> list:
            if not changes:
                changes.extend(collect_changes([item.record for item in self.entries],
                                               [item.record for item in self.questions]))
            return changes

        releases = self.site.settings.review.releases
        return [
            self.page("whats-new/index.html", "whats-new.html",
                      lambda: dict(groups=group_by_release(made(), releases, flows)),
                      reads=reads),
            self.page("feed.xml", "feed.xml", lambda: dict(
                changes=made()[:50], absolute=self.absolute, feed_id=self._feed_id,
                updated=made()[0].date if made() else self.site.build_date), reads=reads)]

    def _feed_id(self, path: str) -> str:
        """Atom ids must be absolute IRIs: the page's URL, or a URN without an address."""
        if self.site.absolute_base:
            return self.absolute(path)
        return f"urn:evidencesite:{term_slug(self.site.settings.title)}:{path.strip('/')}"

    # -- files that are not pages --------------------------------------------------------
    @staticmethod
    def schemas() -> dict[str, bytes]:
        return {f"schema/{name}.schema.json": schema.schema_text(name).encode("utf-8")
                for name in schema.SCHEMA_NAMES}

    def exports(self) -> Files:
        """The exports read the entries' front matter and the evidence (and the bibliography,
        in the salt). entries.json is the front matter as written."""
        data = [item.document.data for item in self.entries]

        def make() -> dict[str, bytes]:
            records = [item.record for item in self.entries]
            urls = {e.id: self.absolute(page_folder(Kind.ENTRY, e.id)) for e in records}
            years = {e.id: entries.year(self, e.citation) for e in records}
            evidence = {}
            if self.evidence.rows or self.evidence.syntheses:
                evidence = {"data/outcomes.csv": outcomes_csv(self.evidence, self.absolute),
                            "data/syntheses.json": syntheses_json(self.evidence, self.absolute)}
            return {
                **evidence,
                "data/entries.json": exports.entries_json(data, urls),
                "data/entries.csv": exports.entries_csv(records, urls, years),
                "data/citations.json": exports.csl_json(self.records),
                "citations.ris": exports.ris(self.records),
                "citations.bib": self.site.bib_text.encode("utf-8"),
            }

        return Files("exports", (tuple(data), self.evidence), make)

    def crawlers(self, pages: list[str]) -> dict[str, bytes]:
        robots = "User-agent: *\nAllow: /\n"
        out = {}
        if self.site.absolute_base:
            locations = [self.absolute(p[: -len("index.html")] if p.endswith("index.html") else p)
                         for p in pages if p != "404.html"]
            out["sitemap.xml"] = self.env.get_template("sitemap.xml").render(
                locations=locations).encode("utf-8")
            robots += f"Sitemap: {self.absolute('sitemap.xml')}\n"
        out["robots.txt"] = robots.encode("utf-8")
        return out

    def _question_rows(self) -> list[dict]:
        return [{"id": q.id, "title": q.title, "evidence_status": q.evidence_status,
                 "entry_count": len(self.rows_by_question.get(q.id, [])),
                 "url": self.url(f"questions/{q.id}/")}
                for q in (item.record for item in self.questions)]


def _listed_at(order: int | None) -> int:
    return NOT_LISTED if order is None else order
