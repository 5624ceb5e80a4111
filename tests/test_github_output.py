"""`check --format github`: annotations escaped as GitHub's workflow commands require, and
every problem (not only the ten annotations GitHub shows per step) in the step summary."""
from __future__ import annotations

from conftest import ENTRY


def _entry_with_unknown_fields(count: int) -> str:
    extra = "".join(f"extra{n:02d}: x\n" for n in range(1, count + 1))
    return ENTRY.replace("added: 2025-11-01\n", "added: 2025-11-01\n" + extra)


def test_step_summary_lists_every_problem_as_a_table(project, capsys, monkeypatch):
    summary = project.root / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project.write("content/entries/smith-2020.md", _entry_with_unknown_fields(12))
    assert project.run("check", "--format", "github") == 1
    annotations = capsys.readouterr().out.splitlines()
    assert len(annotations) == 12
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[:5] == [
        "earlier step",
        "### evidencesite check: 12 errors, 0 warnings",
        "",
        "| severity | file | line | column | code | problem | how to fix |",
        "|---|---|---|---|---|---|---|",
    ]
    assert lines[5] == ("| error | content/entries/smith-2020.md | 15 | 1 | unknown-field | "
                        "unknown field `extra01` | allowed fields: added, agents, certainty, "
                        "citation, history, id, key_findings, outcomes, population, questions, "
                        "results, setting, short_title, study, summary, tags, title, type, updated |")
    assert len(lines) == 5 + 12
    assert lines[-1].startswith("| error | content/entries/smith-2020.md | 26 | 1 | ")


def test_step_summary_says_when_there_is_nothing_to_fix(project, capsys, monkeypatch):
    summary = project.root / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert project.run("check", "--format", "github") == 0
    assert summary.read_text(encoding="utf-8") == (
        "### evidencesite check: 0 errors, 0 warnings\n\nNo problems found.\n")


def test_text_format_writes_no_step_summary(project, monkeypatch):
    summary = project.root / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert project.run("check") == 0
    assert not summary.exists()


def test_annotation_properties_and_table_cells_are_escaped(project, capsys, monkeypatch):
    summary = project.root / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project.write("content/entries/a,b:c|d.md", ENTRY)
    assert project.run("check", "--format", "github") == 1
    out = capsys.readouterr().out
    assert out == ("::error file=content/entries/a%2Cb%3Ac|d.md,line=1,col=1,"
                   "title=invalid-file-name::file name `a,b:c|d.md` is not a valid id "
                   "(hint: use lower-case letters, digits and hyphens, then .md)\n")
    assert summary.read_text(encoding="utf-8").splitlines()[-1] == (
        "| error | content/entries/a,b:c\\|d.md |  |  | invalid-file-name | "
        "file name `a,b:c\\|d.md` is not a valid id | "
        "use lower-case letters, digits and hyphens, then .md |")
