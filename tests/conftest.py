"""Shared helpers: small sites written into temporary folders and built for real."""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import textwrap
from pathlib import Path
from typing import Callable

import jinja2
import pytest

from evidencesite.commands.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXED_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z

SITE_YAML = """\
title: Mini review
description: A tiny review used by the tests.
base_url: /mini/
review:
  status: living
  version: "0.1"
  last_search: 2025-12-01
"""

BIB = """\
@article{smith2020trial,
  author = {Smith, Anna and Jones, Bob and others},
  title = {A trial of things},
  journal = {J Things},
  year = {2020},
  volume = {1},
  number = {2},
  pages = {3--4},
  doi = {10.1000/xyz123},
  pmid = {12345},
  abstract = {We found that things work in some patients.}
}

@article{tang2025rechallenge,
  author = {Tang, Li-Bo},
  title = {Rechallenge},
  journal = {Nat Rev Clin Oncol},
  year = {2025}
}
"""

ENTRY = """\
---
id: smith-2020
title: A trial of things
type: rct
citation: smith2020trial
population: [NSCLC]
setting: [first-line]
agents: [anti-PD-1]
questions: [does-it-work]
key_findings:
  - statement: Things work in some patients.
    citation: smith2020trial
    quote: things work in some patients
added: 2025-11-01
updated: 2025-11-02
---
## Notes

As reported [@smith2020trial, p. 3]. See [the question](question:does-it-work).
"""

QUESTION = """\
---
id: does-it-work
title: Does it work?
pico:
  population: people
  intervention: things
  comparator: nothing
  outcomes: [survival]
bottom_line: Sometimes [@smith2020trial; @tang2025rechallenge].
evidence_status: very limited
open_questions: [Why?]
---
"""

PAGE = """\
---
title: About
nav_order: 1
---
About this review.
"""


class TemplatesCompiledOnce(jinja2.BytecodeCache):
    """Each distinct template source is compiled once per test run, not once per build.

    Every test builds its own copy of the project, so every build made a new Jinja
    environment that compiled all templates again (three quarters of a small build's time).
    This is Jinja's own bytecode cache, keyed by the template's name, its source and the
    environment's settings instead of the file's path: a test that changes a template gets
    a compile of its own, and what is rendered is exactly what a fresh compile gives."""

    def __init__(self) -> None:
        self.compiled: dict[tuple, object] = {}

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> tuple:
        env = bucket.environment
        return (bucket.key, bucket.checksum, env.autoescape, env.trim_blocks,
                env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence,
                env.optimized, tuple(env.extensions), env.block_start_string,
                env.variable_start_string, env.comment_start_string)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return name  # not the path: each test's project has its own copy of templates/

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        bucket.code = self.compiled.get(self._key(bucket))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[self._key(bucket)] = bucket.code


@pytest.fixture(scope="session", autouse=True)
def templates_compiled_once():
    compiled = TemplatesCompiledOnce()
    make = jinja2.Environment.__init__

    def with_compiled(self, *args, **kwargs):
        make(self, *args, **kwargs)
        if self.bytecode_cache is None:
            self.bytecode_cache = compiled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jinja2.Environment, "__init__", with_compiled)
        yield compiled


class Project:
    """A project folder: write files into it, build it, read what came out."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text,
                        encoding="utf-8")
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def run(self, *args: str) -> int:
        return main(["--root", str(self.root), *args])

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, relative: str) -> str:
        return (self.site / relative).read_text(encoding="utf-8")


def make_project(root: Path, with_content: bool = True) -> Project:
    shutil.copytree(REPO / "templates", root / "templates")
    project = Project(root)
    project.write("content/site.yaml", SITE_YAML)
    project.write("citations.bib", BIB)
    if with_content:
        project.write("content/entries/smith-2020.md", ENTRY)
        project.write("content/questions/does-it-work.md", QUESTION)
        project.write("content/pages/about.md", PAGE)
    return project


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    return make_project(tmp_path / "review")


class BuiltProject(Project):
    """A project built once and shared by the tests that only read what it built: writing
    to it or running it again fails, so one test cannot change what another one reads."""

    output = ""  # what the build printed on stderr

    def write(self, relative: str, text: str) -> Path:
        raise AssertionError("a shared built site is read-only: use the `project` fixture")

    write_bytes = write

    def run(self, *args: str) -> int:
        raise AssertionError("a shared built site is built once: use the `project` fixture")


def build_once(tmp_path_factory, prepare: Callable[[Project], object] | None = None,
               *args: str, with_content: bool = True) -> BuiltProject:
    """A mini project, changed by `prepare`, built with `args`; the build must succeed."""
    root = tmp_path_factory.mktemp("built") / "review"
    project = make_project(root, with_content=with_content)
    if prepare is not None:
        prepare(project)
    stderr = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(stderr):
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        status = Project.run(project, "build", *args)
    assert status == 0, stderr.getvalue()
    built = BuiltProject(root)
    built.output = stderr.getvalue()
    return built


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> BuiltProject:
    """The mini project as `project` writes it, built once (base path /mini/)."""
    return build_once(tmp_path_factory)


@pytest.fixture(scope="session")
def mini_site_absolute(tmp_path_factory) -> BuiltProject:
    """The mini project built once for an absolute address, https://example.org/mini/."""
    return build_once(tmp_path_factory, None, "--base-url", "https://example.org/mini/")


@pytest.fixture(scope="session")
def flow_site(tmp_path_factory) -> BuiltProject:
    """The mini project with the flow of studies of flow_fixture (two releases), built once."""
    from flow_fixture import write_flow

    return build_once(tmp_path_factory, write_flow)


def diagnostics_of(capsys) -> list[str]:
    """The diagnostic lines a run printed (hints included), without the summary."""
    err = capsys.readouterr().err
    return [line for line in err.splitlines()
            if not line.startswith(("Built ", "Build failed", "Checked", "Check failed"))]


CHROMIUM = os.environ.get("EVIDENCESITE_CHROMIUM", "/usr/bin/chromium")


def _browser_or_skip():
    if Path(CHROMIUM).is_file():
        return
    if os.environ.get("EVIDENCESITE_REQUIRE_BROWSER"):
        pytest.fail(f"Chromium not found at {CHROMIUM}; .ci/run installs Debian's chromium")
    pytest.skip(f"Chromium not found at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser():
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
