"""Broken mini-sites, one per class of mistake: the exact diagnostic a contributor sees."""
from __future__ import annotations

import pytest

from conftest import ENTRY, QUESTION, diagnostics_of

E = "content/entries/smith-2020.md"

CASES = {
    "missing front matter fence": (
        {E: "id: smith-2020\n"},
        [f"{E}:1:1: error[front-matter]: the file does not start with front matter",
         "  hint: did you forget to add `---` on the first line?"]),
    "front matter never closed": (
        {E: "---\nid: smith-2020\n"},
        [f"{E}:1:1: error[front-matter]: the front matter is never closed",
         "  hint: add a line with `---` after the last field"]),
    "empty file": (
        {E: ""},
        [f"{E}:1:1: error[front-matter]: the file is empty",
         "  hint: start the file with `---`, the fields, and `---`"]),
    "yaml syntax error": (
        {E: ENTRY.replace("agents: [anti-PD-1]", "agents: [anti-PD-1")},
        [f"{E}:9:10: error[yaml-syntax]: YAML syntax error: did not find expected ',' or ']'",
         "  hint: check indentation and quoting on this line"]),
    "list instead of mapping": (
        {E: "---\n- a\n- b\n---\n"},
        [f"{E}:2:1: error[front-matter]: front matter must be a mapping of fields, found list",
         "  hint: write one `field: value` per line"]),
    "python tag": (
        {E: ENTRY.replace("title: A trial of things",
                          "title: !!python/object/apply:os.system [ls]")},
        [f"{E}:3:8: error[yaml-tag]: YAML tag `tag:yaml.org,2002:python/object/apply:os.system`"
         " is not allowed",
         "  hint: remove the `!!` tag; front matter holds plain text, numbers, lists and mappings"]),
    "duplicate key": (
        {E: ENTRY.replace("type: rct\n", "type: rct\ntype: cohort\n")},
        [f"{E}:5:1: error[duplicate-key]: duplicate field `type`",
         "  hint: `type` is already set on line 4; keep one of them"]),
    "alias": (
        {E: ENTRY.replace("population: [NSCLC]", "population: &p [NSCLC]")
                 .replace("tags", "tags").replace("setting: [first-line]", "setting: *p")},
        [f"{E}:7:1: error[yaml-alias]: YAML anchors and aliases are not allowed",
         "  hint: write the value out in full instead of `&anchor` / `*alias`"]),
    "unknown field with did-you-mean": (
        {E: ENTRY.replace("population:", "populaton:")},
        [f"{E}:2:1: error[missing-field]: missing required field `population`",
         "  hint: add `population:`; write `population: not reported` where the source does "
         "not say",
         f"{E}:6:1: error[unknown-field]: unknown field `populaton`",
         "  hint: did you mean `population`?"]),
    "implicit boolean where text is expected": (
        {E: ENTRY.replace("title: A trial of things", "title: NO")},
        [f"{E}:3:8: error[wrong-type]: `title` must be text, not the boolean false",
         "  hint: put the value in quotes: YAML reads unquoted yes/no/on/off as true/false and "
         "numbers such as 1.10 as 1.1"]),
    "wrong type": (
        {E: ENTRY.replace("population: [NSCLC]", "population: NSCLC")},
        [f"{E}:6:13: error[wrong-type]: `population` must be a list, not text",
         "  hint: write a list: `[NSCLC]`"]),
    "invalid date": (
        {E: ENTRY.replace("added: 2025-11-01", "added: 2025-13-01")},
        [f"{E}:14:8: error[invalid-value]: `added` `2025-13-01` is not a valid date",
         "  hint: write dates as YYYY-MM-DD"]),
    "id differs from file name": (
        {E: ENTRY.replace("id: smith-2020", "id: smith-2021")},
        [f"{E}:2:5: error[id-mismatch]: id `smith-2021` differs from the file name "
         "`smith-2020.md`",
         "  hint: rename the file to `smith-2021.md` or set `id: smith-2020`"]),
    "unknown citation key in the body": (
        {E: ENTRY.replace("As reported [@smith2020trial, p. 3]",
                          "As reported [@smith2020tria, p. 3]")},
        [f"{E}:19:13: error[unknown-citation]: citation key `smith2020tria` is not in "
         "citations.bib",
         "  hint: did you mean `smith2020trial`?"]),
    "unknown citation key in front matter": (
        {E: ENTRY.replace("citation: smith2020trial\npopulation",
                          "citation: smith2019trial\npopulation")},
        [f"{E}:5:11: error[unknown-citation]: citation key `smith2019trial` is not in "
         "citations.bib",
         "  hint: did you mean `smith2020trial`?"]),
    "link to unknown entry": (
        {E: ENTRY + "\nSee [other](entry:smith-2019).\n"},
        [f"{E}:21:13: error[unknown-entry-link]: link to unknown entry `smith-2019`",
         "  hint: did you mean `smith-2020`?"]),
    "broken anchor": (
        {E: ENTRY + "\nSee [notes](#note).\n"},
        [f"{E}:21:13: error[broken-anchor]: `#note` is not a heading of {E}",
         "  hint: did you mean `notes`?"]),
    "unknown question": (
        {E: ENTRY.replace("questions: [does-it-work]", "questions: [does-it-wrk]")},
        [f"{E}:9:13: error[unknown-question]: there is no question `does-it-wrk`",
         "  hint: did you mean `does-it-work`?"]),
    "javascript link": (
        {E: ENTRY + "\n[click](javascript:alert(1))\n"},
        [f"{E}:21:9: error[unsafe-url]: link `javascript:alert(1)` uses the scheme "
         "`javascript:`, which is not allowed",
         "  hint: link to https:// addresses, mailto:, or another part of this site with "
         "entry:<id>, question:<id> or page:<slug>"]),
    "quote not in the source": (
        {E: ENTRY.replace("quote: things work in some patients",
                          "quote: things work in all patients")},
        [f"{E}:13:12: error[quote-not-in-source]: the quote does not appear verbatim in the "
         "abstract of `smith2020trial`",
         "  hint: closest passage of the abstract: \"We found that things work in >>some<< "
         "patients.\"; the quote has `all` where the abstract has `some`; copy the words "
         "exactly"]),
    "updated before added": (
        {E: ENTRY.replace("updated: 2025-11-02", "updated: 2025-10-02")},
        [f"{E}:15:10: error[date-order]: `updated` 2025-10-02 is before `added` 2025-11-01",
         "  hint: `updated` is the date of the last change, on or after `added`"]),
    "non-utf8 bytes": (
        {E: b"---\nid: smith-2020\ntitle: caf\xe9\n---\n"},
        [f"{E}:3:11: error[encoding]: the file is not valid UTF-8 (byte 0xe9)",
         "  hint: save the file as UTF-8"]),
    "bibtex missing comma": (
        {"citations.bib": "@article{smith2020trial\n  title = {A trial of things},\n"
                          "  year = {2020}\n}\n"},
        ["citations.bib:1:1: error[bibtex-syntax]: BibTeX record cannot be read: "
         "Expected comma after entry key, but found =",
         "  hint: the key must be followed by a comma: `@article{key,`"]),
    "bibtex duplicate key": (
        {"citations.bib": "@article{smith2020trial,\n  title = {A},\n  year = {2020},\n"
                          "  abstract = {We found that things work in some patients.}\n}\n\n"
                          "@article{smith2020trial,\n  title = {B}\n}\n"},
        ["citations.bib:7:1: error[bibtex-duplicate-key]: duplicate citation key "
         "`smith2020trial`",
         "  hint: give each record its own key, or merge the two records"]),
    "bibtex duplicate field": (
        {"citations.bib": "@article{smith2020trial,\n  title = {A},\n  year = {2020},\n"
                          "  year = {2021}\n}\n"},
        ["citations.bib:1:1: error[bibtex-duplicate-field]: record `smith2020trial` sets "
         "`year` more than once",
         "  hint: keep one of the values"]),
    "bibtex unbalanced brace swallows the next record": (
        {"citations.bib": "@article{smith2020trial,\n  title = {A {trial},\n  year = {2020}\n}"
                          "\n\n@article{tang2025rechallenge,\n  title = {B},\n  year = {2025}\n}\n"},
        None),
    "bibtex malformed doi": (
        {"citations.bib": "@article{smith2020trial,\n  title = {A},\n  doi = {doi:10.1/x},\n"
                          "  abstract = {We found that things work in some patients.}\n}\n"},
        ["citations.bib:3:3: error[bibtex-identifier]: record `smith2020trial`: malformed DOI "
         "`doi:10.1/x`",
         "  hint: a DOI looks like `10.1038/s41571-025-01029-7` (no `https://doi.org/` prefix)"]),
}


@pytest.mark.parametrize("name", CASES)
def test_broken_site_reports_exact_diagnostic(project, capsys, name):
    files, expected = CASES[name]
    for path, content in files.items():
        if isinstance(content, bytes):
            project.write_bytes(path, content)
        else:
            project.write(path, content)
    assert project.run("build") == 1
    assert not project.site.exists(), "a failed build must write nothing"
    lines = diagnostics_of(capsys)
    if expected is None:
        assert any("error[bibtex-syntax]" in line for line in lines), lines
        return
    for line in expected:
        assert line in lines, "\n".join(lines)


def test_every_problem_is_reported_in_one_run(project, capsys):
    project.write(E, ENTRY.replace("type: rct", "type: rtc")
                  .replace("As reported [@smith2020trial", "As reported [@nobody2020"))
    project.write("content/questions/does-it-work.md",
                  QUESTION.replace("evidence_status: very limited", "evidence_status: lots"))
    project.write("content/entries/broken.md", "no front matter\n")
    assert project.run("check") == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if ": error[" in line]
    assert [e.split(": error[")[1].split("]")[0] for e in errors] == [
        "front-matter", "invalid-value", "unknown-citation", "invalid-value"]
    assert "Check failed: 4 errors, 0 warnings" in err


def test_symlinked_content_is_refused(project, capsys, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(ENTRY.replace("smith-2020", "linked"))
    (project.root / "content/entries/linked.md").symlink_to(outside)
    assert project.run("check") == 1
    assert ("content/entries/linked.md: error[symlink]: symbolic links are not allowed in "
            "content") in diagnostics_of(capsys)
