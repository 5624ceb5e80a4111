"""Cached, incremental and parallel builds give exactly the site a fresh single-process
build gives: real builds of real files, compared byte for byte."""
from __future__ import annotations

import pickle
import sys

import pytest

from conftest import REPO
from test_build import all_files, stable_files

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402

from evidencesite.incremental.store import FOLDER, BuildCache  # noqa: E402
from evidencesite.commands.cli import main  # noqa: E402


def fresh_build(root, out) -> dict[str, bytes]:
    assert main(["--root", str(root), "build", "--no-cache", "--jobs", "1",
                 "--out", str(out)]) == 0
    return stable_files(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A synthetic review big enough for the process pool (250 entries)."""
    return generate(tmp_path_factory.mktemp("corpus") / "review", 250)


@pytest.mark.slow
def test_parallel_build_equals_single_process_build(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    expected = fresh_build(corpus, tmp_path / "single")
    assert main(["--root", str(corpus), "build", "--no-cache", "--jobs", "2",
                 "--out", str(tmp_path / "parallel")]) == 0
    assert stable_files(tmp_path / "parallel") == expected


@pytest.mark.slow
def test_cached_rebuilds_equal_fresh_builds_after_each_edit(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    site = tmp_path / "site"
    build = ["--root", str(corpus), "build", "--out", str(site)]
    assert main(build) == 0
    first = all_files(site)
    assert main(build) == 0  # nothing changed: everything from the cache
    assert all_files(site) == first

    entry = corpus / "content/entries/e00007.md"
    entry.write_text(entry.read_text().replace("title: Benchmark entry 7",
                                               "title: Edited entry seven"))
    assert main(build) == 0
    edited = all_files(site)
    assert "Edited entry seven" in edited["entries/e00007/index.html"].decode()
    assert "Edited entry seven" in edited["evidence/index.html"].decode()
    assert stable_files(site) == fresh_build(corpus, tmp_path / "fresh-1")

    bib = corpus / "citations.bib"
    bib.write_text(bib.read_text().replace("journal = {J Bench}", "journal = {J Renamed}", 1))
    assert main(build) == 0
    assert stable_files(site) == fresh_build(corpus, tmp_path / "fresh-2")

    template = corpus / "templates/entry.html"
    template.write_text(template.read_text().replace("Key findings", "Main findings"))
    assert main(build) == 0
    assert "Main findings" in (site / "entries/e00001/index.html").read_text()
    assert stable_files(site) == fresh_build(corpus, tmp_path / "fresh-3")


def test_search_index_is_reused_when_no_indexed_page_changed(project):
    assert project.run("build") == 0
    index = {name: data for name, data in all_files(project.site).items()
             if name.startswith("pagefind/")}
    project.write("content/site.yaml", (project.root / "content/site.yaml").read_text())
    assert project.run("build") == 0
    assert {name: data for name, data in all_files(project.site).items()
            if name.startswith("pagefind/")} == index


def test_unreadable_or_foreign_cache_is_ignored_and_never_run(project, tmp_path):
    assert project.run("build") == 0
    expected = stable_files(project.site)
    cached = [path for path in (project.root / FOLDER).rglob("*") if path.is_file()]
    assert any(path.parent.name == "documents" for path in cached)
    for path in cached:
        path.write_bytes(b"not a pickle")
    assert project.run("build") == 0
    assert stable_files(project.site) == expected

    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    for path in cached:
        path.write_bytes(pickle.dumps(Exploit()))
    cache = BuildCache.load(project.root / FOLDER, project.site)
    document = next(path for path in cached if path.parent.name == "documents")
    assert cache.stored_pages == {} and cache.get("documents", document.name) is None
    assert project.run("build") == 0
    assert not marker.exists()
    assert stable_files(project.site) == expected


def test_cache_that_cannot_be_written_leaves_the_built_site_and_says_so(project, capsys):
    (project.root / FOLDER).parent.mkdir(parents=True, exist_ok=True)
    (project.root / FOLDER).write_text("a file where the cache folder should be")
    assert project.run("build") == 0
    assert "the build cache could not be saved" in capsys.readouterr().err
    assert "About this review." in (project.site / "about/index.html").read_text()


def test_stored_page_changed_by_hand_is_rendered_again(project):
    assert project.run("build") == 0
    page = project.site / "about/index.html"
    original = page.read_bytes()
    page.write_bytes(original.replace(b"About this review.", b"Tampered."))
    assert project.run("build") == 0
    assert page.read_bytes() == original


@pytest.mark.slow  # 250 generated entries, so that the pages go to worker processes
def test_template_error_in_a_worker_is_reported_at_its_template_line(tmp_path, capsys):
    root = generate(tmp_path / "review", 250)
    template = root / "templates/entry.html"
    lines = template.read_text().splitlines(keepends=True)
    target = next(n for n, line in enumerate(lines) if "findings-heading" in line)
    lines[target] = lines[target].rstrip("\n") + "{{ entry.no_such_field.deeper }}\n"
    template.write_text("".join(lines))
    assert main(["--root", str(root), "build", "--no-cache", "--jobs", "2"]) == 1
    assert f"templates/entry.html:{target + 1}:1: error[template]" in capsys.readouterr().err
