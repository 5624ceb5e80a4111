"""The review's own content: it builds cleanly, quotes are verbatim, the bibliography matches
its source documents."""
from __future__ import annotations

import re

import yaml
import shutil
from pathlib import Path

import pytest

from conftest import REPO, diagnostics_of
from evidencesite.citations.bibtex_read import parse_bibliography
from evidencesite.commands.cli import main

SEEDS = REPO.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="source documents not beside the repo")


def copy_of_review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citations.bib", root / "citations.bib")
    return root


def records():
    text = (REPO / "citations.bib").read_text(encoding="utf-8")
    return parse_bibliography(text, "citations.bib").records


@pytest.mark.slow  # the whole review, every page rendered
def test_review_passes_strict_check(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["--root", str(copy_of_review(tmp_path)), "check", "--strict"]) == 0, \
        diagnostics_of(capsys)


def test_tampered_quote_fails_the_build(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_of_review(tmp_path)
    entry = root / "content/entries/tang-2025-rechallenge.md"
    text = entry.read_text(encoding="utf-8")
    tampered = text.replace("seems to be non-existent", "is substantial")
    assert tampered != text
    entry.write_text(tampered, encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 1
    line = tampered.splitlines().index(
        "    quote: evidence for those with small cell lung cancer is substantial") + 1
    assert (f"content/entries/tang-2025-rechallenge.md:{line}:12: error[quote-not-in-source]: "
            "the quote does not appear verbatim in the abstract of `tang2025rechallenge`"
            ) in (shown := diagnostics_of(capsys))
    assert ("  hint: closest passage of the abstract: \"… cancer is limited and evidence for "
            "those with small cell lung cancer >>seems<< to be non-existent. In …\"; the quote "
            "has `is` where the abstract has `seems`; copy the words exactly") in shown
    assert not (root / "site").exists()


def test_removing_a_seed_record_fails_the_identifier_check(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_of_review(tmp_path)
    bib = root / "citations.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "  doi = {10.1093/annonc/mdt205}\n", ""), encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 1
    assert any("error[identifier-missing]: DOI 10.1093/annonc/mdt205 is not in citations.bib"
               in line for line in diagnostics_of(capsys))


def test_one_record_per_work():
    seen = {}
    for record in records().values():
        for kind in ("doi", "pmid", "pmcid", "nct"):
            if kind in record.fields:
                value = record.fields[kind].lower()
                assert (kind, value) not in seen, f"{value} in {record.key} and {seen[(kind, value)]}"
                seen[(kind, value)] = record.key
    zhou = records()["zhou2023immunotherapy"].fields
    assert (zhou["doi"], zhou["pmid"], zhou["pmcid"]) == (
        "10.3389/fimmu.2023.1129465", "37090727", "PMC10115980")


def test_every_result_names_the_work_and_the_place_it_comes_from():
    """Background trials now carry their headline results: each row cites the entry's own
    work (or one the entry cites) and says where in it the number stands."""
    known = records()
    for path in (REPO / "content/entries").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "\noutcomes:" not in text:
            continue
        front = yaml.safe_load(text.split("---")[1])
        for row in front["outcomes"]:
            assert row["citation"] in known, (path.name, row["citation"])
            assert row["locator"].strip(), path.name


@needs_seeds
def test_every_seed_identifier_is_listed_and_in_the_bibliography():
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))
    dois = {d.rstrip(".") for d in re.findall(r'10\.\d{4,9}/[^\s"]+', seeds)}
    pmids = set(re.findall(r"PMID:\s*(\d+)", seeds))
    assert (len(dois), len(pmids)) == (20, 11)
    listed = (REPO / "content/sources.yaml").read_text(encoding="utf-8")
    carried = {v.lower() for r in records().values() for k, v in r.fields.items()
               if k in ("doi", "pmid", "pmcid", "nct")}
    for identifier in dois | pmids | set(re.findall(r"PMC\d+|NCT\d{8}", seeds)):
        assert identifier in listed, identifier
        assert identifier.lower() in carried, identifier


@needs_seeds
def test_every_bibliography_field_is_found_in_the_seeds():
    """Proof-reading: the records made from the seed documents copy their titles, journals,
    surnames, years and abstracts, never invent them. Identifiers a record gained later come
    from the work's PubMed, PMC or journal page (double extraction; see the methods page)."""
    seeds = " ".join(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))
                     .split())
    for key, record in records().items():
        f = record.fields
        if f["title"] not in seeds:
            continue  # a work added since, checked by the next test
        for name in ("journal", "abstract"):
            if name in f:
                assert f[name] in seeds, (key, name, f[name])
        for author in re.split(r"\s+and\s+", f.get("author", "")):
            surname = author.split(",")[0].strip()
            if surname and surname != "others":
                assert surname in seeds, (key, surname)
        if "year" in f:
            assert f["year"] in seeds, key


@needs_seeds
def test_works_added_since_the_seeds_carry_no_copied_abstract_and_say_what_is_missing():
    """Quotes come only from abstracts of the seeds or a service's answer: a work added from
    its web page has no abstract; without an identifier it says why."""
    seeds = " ".join(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))
                     .split())
    for key, record in records().items():
        f = record.fields
        if f["title"] in seeds:
            continue
        assert "abstract" not in f, key
        has_id = any(name in f for name in ("doi", "pmid", "pmcid", "nct"))
        assert has_id or "not confirmed" in f.get("note", ""), key
