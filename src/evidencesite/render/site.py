"""Jinja templates (autoescape, StrictUndefined) -> every page of the site, in memory."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from evidencesite.content import markdown, schema
from evidencesite.citations.record_fields import relation_of
from evidencesite.citations.bibtex_read import NOTICE_FIELDS
from evidencesite.citations.bibtex_write import format_record
from evidencesite.incremental.store import BuildCache
from evidencesite.content.frozen import FrozenDict, freeze
from evidencesite.incremental.keys import digest, plain
from evidencesite.output import exports
from evidencesite.render.history import collect_changes, group_by_release
from evidencesite.citations.numbering import PageCitations
from evidencesite.content.model import URL_FOLDERS, Analysed, BibRecord, Reference, page_folder
from evidencesite.incremental.workers import Workers
from evidencesite.evidence.exports import outcomes_csv, syntheses_json
from evidencesite.evidence.stage import Evidence
from evidencesite.evidence.views import entry_results, question_syntheses
from evidencesite.render.taxonomy import TAXONOMIES, taxonomy_terms, term_slug

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'none'")

TYPE_LABELS = {
    "review": "Review", "systematic-review": "Systematic review",
    "meta-analysis": "Meta-analysis", "rct": "Randomised controlled trial",
    "clinical-trial": "Clinical trial (design not further stated)",
    "non-randomised-trial": "Non-randomised trial", "cohort": "Cohort study",
    "case-control": "Case-control study", "case-series": "Case series",
    "case-report": "Case report", "trial-registration": "Registered study",
    "guideline": "Guideline", "preclinical": "Preclinical study",
    "not reported": "Design not reported",
}


@dataclass(frozen=True)
class SiteView:
    settings: dict
    base_path: str
    build_date: str
    bib_text: str = ""

    @property
    def absolute_base(self) -> str:
        """The site's https:// address when base_url gives one (feeds, sitemap, metadata)."""
        base = self.settings.get("base_url", "")
        return base if base.startswith("https://") else ""


def base_path_of(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def make_environment(templates_dir: Path, base_path: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["url"] = lambda path="": base_path + path.lstrip("/")
    env.globals["term_slug"] = term_slug
    env.globals["type_label"] = lambda value: TYPE_LABELS.get(value, value)
    env.globals["csp"] = CSP
    env.filters["status_class"] = lambda s: "status-" + str(s).replace(" ", "-")
    env.filters["slash_date"] = lambda d: str(d).replace("-", "/")
    env.filters["lower_first"] = lambda text: text[:1].lower() + text[1:]
    return env


class SiteRenderer:
    def __init__(self, env: Environment, site: SiteView, analysed: list[Analysed],
                 records: dict[str, BibRecord], references: dict[str, Reference],
                 rendered: Callable[[int], None] = lambda done: None,
                 emit: Callable[[dict[str, bytes]], None] = lambda pages: None,
                 cache: BuildCache | None = None, salt: str = "",
                 workers: Workers | None = None, evidence: Evidence = Evidence()) -> None:
        self.evidence = evidence
        self.outcomes = evidence.definitions()
        self.workers = workers if workers is not None else Workers(1)
        self.rendered = rendered
        self.emit = emit
        self.cache = cache if cache is not None else BuildCache()
        self.salt = salt  # digest of what every page depends on besides its context
        self._common_digest = ""
        self.env = env
        self.site = site
        self.records = records
        self.references = references
        self.entries = sorted((a for a in analysed if a.document.kind == "entry"),
                              key=lambda a: a.document.id)
        self.questions = sorted((a for a in analysed if a.document.kind == "question"),
                                key=lambda a: (a.document.data.get("order", 1000), a.document.id))
        self.pages = sorted((a for a in analysed if a.document.kind == "page"),
                            key=lambda a: (a.document.data.get("nav_order", 1000), a.document.id))
        self.analysed = analysed
        self.question_titles = {a.document.id: a.document.data["title"] for a in self.questions}
        self.entry_rows = [self._row_with_html(item) for item in self.entries]
        self.rows_by_id = {row["id"]: row for row in self.entry_rows}
        self.rows_by_question: dict[str, list[dict]] = {}
        for row in self.entry_rows:
            for question in row["questions"]:
                self.rows_by_question.setdefault(question["id"], []).append(row)
        self.question_rows = self._question_rows()
        self.citing_pages: dict[str, set[tuple[str, str]]] = {}
        for item in analysed:
            page = (self.page_url(item), item.document.data.get("title", item.document.id))
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

    # -- pages -----------------------------------------------------------------
    def render_all(self) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        common = self._common()
        self._common_digest = digest(self.salt, plain(common))
        batch: dict[str, bytes] = {}
        for done, (item, page) in enumerate(zip(self.entries, self._entry_pages(common)), 1):
            batch[page_folder("entry", item.document.id) + "index.html"] = page
            if done % 50 == 0:
                self.rendered(done)
                self.emit(batch)
                out.update(batch)
                batch = {}
        for item in self.questions:
            batch[f"questions/{item.document.id}/index.html"] = self._question(item, common)
        for item in self.pages:
            batch[f"{item.document.id}/index.html"] = self._page(item, common)
        self.emit(batch)
        out.update(batch)
        out["questions/index.html"] = self._render_template("questions.html", common,
                                                  questions=self.question_rows)
        out["evidence/index.html"] = self._render_template("evidence.html", common, rows=self.entry_rows)
        out["index.html"] = self._render_template("home.html", common, questions=self.question_rows,
                                        latest=self._latest_entries())
        out.update(self._taxonomies(common))
        # the bibliography depends on every page's citations, titles and addresses
        citing = digest(self._common_digest, "bibliography.html",
                        [(item.fingerprint(), self.page_url(item)) for item in self.analysed],
                        [relation_of(r, self.records) for r in self.records.values()])
        out["bibliography/index.html"] = self._keyed_page(citing, lambda: self._render_template(
            "bibliography.html", common, works=self._bibliography()))
        out["search/index.html"] = self._render_template("search.html", common)
        out["404.html"] = self._render_template("404.html", common)
        for name in schema.SCHEMA_NAMES:
            out[f"schema/{name}.schema.json"] = schema.schema_text(name).encode("utf-8")
        out.update(self._history(common))
        out.update(self._exports())
        out.update(self._crawlers(sorted(name for name in out if name.endswith(".html"))))
        return out

    # -- currency and exports ----------------------------------------------------
    def _entry_data(self) -> list[dict]:
        return [a.document.data for a in self.entries]

    def absolute(self, path: str) -> str:
        """An absolute URL where the site has one, else the site-relative path."""
        base = self.site.absolute_base
        return (base.rstrip("/") + "/" + path.lstrip("/")) if base else self.url(path)

    def _keyed_page(self, key: str, produce: Callable[[], bytes]) -> bytes:
        """The page kept under `key`, a digest of everything it is made from; else made by
        `produce` and kept."""
        page = self.cache.page(key)
        if page is None:
            page = produce()
            self.cache.keep_page(key, page)
            self.cache.fresh_pages += 1
        return page

    def _history(self, common: dict) -> dict[str, bytes]:
        """What's new and the feed depend only on the entries' front matter (and on what
        every page depends on)."""
        entries = digest(self._common_digest, "history",
                         [data.fingerprint() for data in self._entry_data()])
        changes = []

        def made() -> list:
            if not changes:
                changes.extend(collect_changes(self._entry_data()))
            return changes

        releases = self.site.settings["review"].get("releases", [])
        return {
            "whats-new/index.html": self._keyed_page(
                digest(entries, "whats-new.html"), lambda: self._render_template(
                    "whats-new.html", common, groups=group_by_release(made(), releases))),
            "feed.xml": self._keyed_page(digest(entries, "feed.xml"), lambda: self._render_template(
                "feed.xml", common, changes=made()[:50], absolute=self.absolute,
                feed_id=self._feed_id,
                updated=made()[0].date if made() else self.site.build_date)),
        }

    def _feed_id(self, path: str) -> str:
        """Atom ids must be absolute IRIs: the page's URL, or a URN without an address."""
        if self.site.absolute_base:
            return self.absolute(path)
        return f"urn:evidencesite:{term_slug(self.site.settings['title'])}:{path.strip('/')}"

    def _exports(self) -> dict[str, bytes]:
        key = digest(self.salt, "exports", [data.fingerprint() for data in self._entry_data()],
                     plain(self.evidence))
        return self.cache.get_or_make("fragments", key, self._make_exports)

    def _make_exports(self) -> dict[str, bytes]:
        entries = self._entry_data()
        urls = {d["id"]: self.absolute(page_folder("entry", d["id"])) for d in entries}
        years = {d["id"]: self._year(d["citation"]) for d in entries}
        evidence = {}
        if self.evidence.rows or self.evidence.syntheses:
            evidence = {"data/outcomes.csv": outcomes_csv(self.evidence, self.absolute),
                        "data/syntheses.json": syntheses_json(self.evidence, self.absolute)}
        return {
            **evidence,
            "data/entries.json": exports.entries_json(entries, urls),
            "data/entries.csv": exports.entries_csv(entries, urls, years),
            "data/citations.json": exports.csl_json(self.records),
            "citations.ris": exports.ris(self.records),
            "citations.bib": self.site.bib_text.encode("utf-8"),
        }

    def _crawlers(self, pages: list[str]) -> dict[str, bytes]:
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

    def _common(self) -> dict:
        nav = [{"title": "Questions", "url": self.url("questions/")},
               {"title": "Evidence table", "url": self.url("evidence/")},
               {"title": "Bibliography", "url": self.url("bibliography/")},
               {"title": "What's new", "url": self.url("whats-new/")}]
        nav += [{"title": p.document.data["title"], "url": self.url(f"{p.document.id}/")}
                for p in self.pages if "nav_order" in p.document.data]
        return {"site": self.site.settings, "build_date": self.site.build_date, "nav": nav}

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

    def _render_template(self, template: str, common: dict, **context) -> bytes:
        context.setdefault("flagged", self._flagged(
            context["citations"].number if "citations" in context else ()))
        return self._keyed_page(
            digest(self._common_digest, template, plain(context)),
            lambda: self.env.get_template(template).render(**common, **context).encode("utf-8"))

    def _body(self, item: Analysed, citations: PageCitations) -> Markup:
        return Markup(markdown.render(item.body, citations.cite, self.resolve_link))

    def _entry_pages(self, common: dict):
        """Every entry's page, in order. An entry's page depends on its file, the titles of
        its questions and what every page depends on (the salt covers the bibliography,
        settings and templates): when those are unchanged, the page comes from the cache
        without building its context. The others are rendered by the workers."""
        keys = []
        for item in self.entries:
            titles = [self.question_titles.get(q) for q in item.document.data.get("questions", [])]
            keys.append(digest(self._common_digest, "entry.html", item.fingerprint(), titles,
                               self.evidence.ratings_of(item.document.id)))
        pages = [self.cache.page(key) for key in keys]
        missing = [index for index, page in enumerate(pages) if page is None]
        made = iter(())
        if self.workers.parallel(len(missing), RENDER_POOL_FROM):
            global _FORKED
            _FORKED = (self, common)  # what the forked workers render from
            made = self.workers.imap(_render_entry_in_worker, missing)

        def render(index: int) -> bytes:
            nonlocal made
            try:
                page = next(made, None)
            except Exception:  # rendered again here, to report it with its template line
                made, page = iter(()), None
            return page or self._render_entry(self.entries[index], common)

        for index, page in enumerate(pages):
            yield page if page is not None else self._keyed_page(keys[index],
                                                                 lambda: render(index))

    def _render_entry(self, item: Analysed, common: dict) -> bytes:
        doc = item.document
        citations = PageCitations(item.cited_keys, self.references)
        data = doc.data
        context = {
            "entry": data,
            "source": self.references.get(data["citation"]),
            "source_cite": citations.cite_key(data["citation"]),
            "findings": [{**f, "cite": citations.cite_key(f["citation"])}
                         for f in data.get("key_findings", [])],
            "questions": [{"id": q, "title": self.question_titles.get(q, q)}
                          for q in data.get("questions", [])],
            "year": self._year(data["citation"]),
            "page_url": self.absolute(page_folder("entry", doc.id)),
            "cite_text": self._cite_text(data),
            "cite_bibtex": self._cite_bibtex(data),
            "jsonld": self._jsonld(data, item.cited_keys),
            "results": [(line, citations.cite_key(line.citation))
                        for line in entry_results(self.evidence.rows_of(doc.id), self.outcomes)],
            "certainty": self.evidence.ratings_of(doc.id),
        }
        context["body"] = self._body(item, citations)
        return self._render_template("entry.html", common, citations=citations, **context)

    def _question(self, item: Analysed, common: dict) -> bytes:
        doc = item.document
        citations = PageCitations(item.cited_keys, self.references)
        data = doc.data
        bottom_line = Markup(markdown.render_inline(item.inline["bottom_line"], citations.cite,
                                                    self.resolve_link))
        informing = self.rows_by_question.get(doc.id, [])
        ongoing = [self.rows_by_id[id_] for id_ in sorted(set(data.get("ongoing_studies", [])))
                   if id_ in self.rows_by_id]
        body = self._body(item, citations)
        syntheses = question_syntheses(self.evidence.syntheses_of(doc.id))
        return self._render_template("question.html", common, question=data, bottom_line=bottom_line,
                           informing=informing, ongoing=ongoing, body=body, citations=citations,
                           syntheses=syntheses)

    def _page(self, item: Analysed, common: dict) -> bytes:
        citations = PageCitations(item.cited_keys, self.references)
        body = self._body(item, citations)
        data = item.document.data
        return self._render_template("page.html", common, page=data, body=body, citations=citations)

    # -- citing an entry -------------------------------------------------------------
    def _cite_text(self, data: dict) -> str:
        review = self.site.settings["review"]
        return (f"{data['title']}. In: {self.site.settings['title']}, version {review['version']}."
                f" Updated {data['updated']}. {self.absolute(page_folder('entry', data['id']))}")

    def _cite_bibtex(self, data: dict) -> str:
        review = self.site.settings["review"]
        fields = {"title": data["title"], "howpublished": self.site.settings["title"],
                  "year": data["updated"][:4],
                  "note": f"Version {review['version']}, updated {data['updated']}",
                  "url": self.absolute(page_folder("entry", data["id"]))}
        return format_record("misc", data["id"], fields).rstrip("\n")

    def _jsonld(self, data: dict, keys) -> dict:
        cited = []
        for key in keys:
            reference = self.references.get(key)
            if reference is None:
                continue
            work = {"@type": "CreativeWork", "name": reference.title}
            urls = [link[2] for link in reference.links]
            if urls:
                work["url"] = urls[0]
            cited.append(work)
        return {"@context": "https://schema.org", "@type": "ScholarlyArticle",
                "headline": data["title"], "dateCreated": data["added"],
                "dateModified": data["updated"], "inLanguage": self.site.settings["language"],
                "url": self.absolute(page_folder("entry", data["id"])),
                "isPartOf": {"@type": "WebSite", "name": self.site.settings["title"]},
                "citation": cited}

    # -- lists -----------------------------------------------------------------
    def _row_with_html(self, item: Analysed) -> FrozenDict:
        """An entry's row of the tables, with its HTML; a long-lived cache (the dev
        server's) keeps the row itself, so that its digest is not worked out again."""
        data = item.document.data
        titles = [self.question_titles.get(q) for q in data.get("questions", [])]
        key = digest(self.salt, "row", item.fingerprint(), titles, self._year(data["citation"]))
        row = self.cache.live.get(key)
        if row is None:
            row = self._entry_row(item)
            html = self.cache.get_or_make(
                "fragments", digest(self.salt, "row", row.fingerprint()),
                lambda: str(self.env.get_template("_macros.html").module.entry_row(row)))
            row = FrozenDict({**row, "html": Markup(html)})
        self.cache.live[key] = row
        return row

    def _year(self, key: str) -> str:
        record = self.records.get(key)
        return record.get("year", "not reported") if record else "not reported"

    def _entry_row(self, item: Analysed) -> dict:
        data = item.document.data
        return freeze({
            "id": data["id"], "title": data["title"], "type": data["type"],
            "population": data["population"], "setting": data["setting"],
            "agents": data["agents"], "year": self._year(data["citation"]),
            "updated": data["updated"], "summary": data.get("summary", ""),
            "questions": [{"id": q, "title": self.question_titles.get(q, q)}
                          for q in data.get("questions", [])],
            "url": self.url(page_folder("entry", data["id"]))})

    def _latest_entries(self, count: int = 5) -> list[dict]:
        rows = sorted(self.entry_rows, key=lambda r: (r["updated"], r["id"]), reverse=True)
        return rows[:count]

    def _question_rows(self) -> list[dict]:
        rows = []
        for q in self.questions:
            data = q.document.data
            rows.append({"id": data["id"], "title": data["title"],
                         "evidence_status": data["evidence_status"],
                         "entry_count": len(self.rows_by_question.get(data["id"], [])),
                         "url": self.url(f"questions/{data['id']}/")})
        return rows

    def _taxonomies(self, common: dict) -> dict[str, bytes]:
        """The taxonomy pages depend only on the table rows: when the rows are those of a
        cached build, so are the page names and the pages, found without grouping the rows
        again."""
        rows = digest(self._common_digest, "taxonomies",
                      [row.fingerprint() for row in self.entry_rows])
        names = self.cache.get("fragments", digest(rows, "names"))
        if names is not None:
            found = {name: self.cache.page(digest(rows, name)) for name in names}
            if all(page is not None for page in found.values()):
                return found
        out = {}
        for taxonomy in TAXONOMIES:
            terms = taxonomy_terms(taxonomy, self.entry_rows)
            out[f"{taxonomy.path}/index.html"] = self._render_template(
                "taxonomy.html", common, taxonomy=taxonomy, terms=terms)
            for term in terms:
                out[f"{taxonomy.path}/{term['slug']}/index.html"] = self._render_template(
                    "term.html", common, taxonomy=taxonomy, term=term)
        for name, page in out.items():
            self.cache.keep_page(digest(rows, name), page)
        self.cache.keep("fragments", digest(rows, "names"), list(out))
        return out

    def _bibliography(self) -> list[dict]:
        works = []
        for key in sorted(self.references, key=lambda k: (self.references[k].html.lower(), k)):
            works.append({"key": key, "reference": self.references[key],
                          "cited_by": sorted(self.citing_pages.get(key, set())),
                          "relation": relation_of(self.records[key], self.records)})
        return works


RENDER_POOL_FROM = 200  # pages; fewer are rendered here rather than sent to workers
_FORKED: tuple | None = None


def _render_entry_in_worker(index: int) -> bytes:
    renderer, common = _FORKED
    return renderer._render_entry(renderer.entries[index], common)


def render_site(env: Environment, site: SiteView, analysed: list[Analysed],
                records: dict[str, BibRecord], references: dict[str, Reference],
                rendered: Callable[[int], None] = lambda done: None,
                emit: Callable[[dict[str, bytes]], None] = lambda pages: None,
                cache: BuildCache | None = None, salt: str = "",
                workers: Workers | None = None,
                evidence: Evidence = Evidence()) -> dict[str, bytes]:
    """Every file of the site; `emit` receives the pages to index as soon as they exist.
    A page whose template, context and `salt` are those of a page in `cache` is reused."""
    return SiteRenderer(env, site, analysed, records, references, rendered, emit, cache,
                        salt, workers, evidence).render_all()


