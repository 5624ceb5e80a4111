"""`check` is the one gate CI runs: works recorded twice, scaffold placeholders left in, and
`new entry --citation` with a key citations.bib does not hold."""
from __future__ import annotations

from conftest import BIB, diagnostics_of

TWICE = BIB + """
@article{smith2020b,
  author = {Smith, Anna},
  title = {A trial of things},
  year = {2020},
  doi = {10.1000/XYZ123}
}
"""


def test_check_reports_a_work_recorded_twice(project, capsys):
    project.write("citations.bib", TWICE)
    assert project.run("check") == 1
    assert diagnostics_of(capsys)[:2] == [
        "citations.bib:21:1: error[duplicate-work]: record `smith2020b` is the same work as "
        "`smith2020trial` (DOI 10.1000/XYZ123)",
        "  hint: keep one record: cite `smith2020trial` where `smith2020b` is cited and "
        "remove `smith2020b`",
    ]


def test_untouched_scaffold_fails_check_strict(project, capsys):
    assert project.run("new", "entry", "jones-2024", "--citation", "smith2020trial") == 0
    capsys.readouterr()
    assert project.run("check") == 0  # warnings: the draft builds for a preview
    capsys.readouterr()
    assert project.run("check", "--strict") == 1
    assert diagnostics_of(capsys) == [
        "content/entries/jones-2024.md:5:7: warning[placeholder]: `type` is `not reported` "
        "in a new entry",
        "  hint: give the design the source reports (review, systematic-review, "
        "meta-analysis, rct, clinical-trial, cohort, case-series, …); `not reported` only "
        "when it does not say",
        "content/entries/jones-2024.md:10:12: warning[placeholder]: `questions` is empty in "
        "a new entry",
        "  hint: name the review questions it informs (files in content/questions/), e.g. "
        "`questions: [does-it-work]`",
        "content/entries/jones-2024.md:11:10: warning[placeholder]: `summary` is still the "
        "placeholder `One sentence for lists and tables.`",
        "  hint: write one sentence on what the work reports, or remove `summary`",
        "content/entries/jones-2024.md:23:1: warning[placeholder]: the notes are still the "
        "example text of `new entry`",
        "  hint: replace them with what the source reports, citing it",
    ]


def test_placeholder_title_is_reported(project, capsys):
    assert project.run("new", "entry", "jones-2024") == 0
    capsys.readouterr()
    assert project.run("check", "--strict") == 1
    assert ("content/entries/jones-2024.md:4:8: warning[placeholder]: `title` is still the "
            "placeholder `Title of the entry`") in diagnostics_of(capsys)


def test_a_filled_in_entry_may_say_its_design_is_not_reported(project, capsys):
    text = (project.root / "content/entries/smith-2020.md").read_text()
    project.write("content/entries/smith-2020.md",
                  text.replace("type: rct", "type: not reported")
                  .replace("questions: [does-it-work]", "questions: []"))
    project.write("content/questions/does-it-work.md",
                  (project.root / "content/questions/does-it-work.md").read_text())
    assert project.run("check") == 0
    assert not any("placeholder" in line for line in diagnostics_of(capsys))


def test_new_entry_refuses_an_unknown_citation_key(project, capsys):
    assert project.run("new", "entry", "jones-2024", "--citation", "smith2020tria") == 1
    assert capsys.readouterr().err == (
        "error: citation key `smith2020tria` is not in citations.bib; did you mean "
        "`smith2020trial`?\n")
    assert not (project.root / "content/entries/jones-2024.md").exists()
    assert project.run("new", "entry", "jones-2024", "--citation", "nosuchkey") == 1
    assert capsys.readouterr().err == (
        "error: citation key `nosuchkey` is not in citations.bib; add the work first with "
        "`python3 build.py cite add <DOI|PMID|NCT>`, or use --from\n")
