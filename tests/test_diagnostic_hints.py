"""Diagnostics that show the fix: the hint names the real cause and what to write instead."""
from __future__ import annotations

from conftest import ENTRY, diagnostics_of

E = "content/entries/smith-2020.md"


def _check(project, capsys, text: str, path: str = E) -> list[str]:
    project.write(path, text)
    assert project.run("check") == 1
    return diagnostics_of(capsys)


def test_over_indented_field_names_the_column_it_belongs_at(project, capsys):
    text = ENTRY.replace("type: rct", "  type: rct")
    assert _check(project, capsys, text) == [
        f"{E}:4:7: error[yaml-syntax]: YAML syntax error: mapping values are not allowed in "
        "this context",
        "  hint: `type` starts at column 3 but `title` above starts at column 1: indent it to "
        "column 1 with spaces (or, if the line continues the value above, put that value in "
        "quotes)",
    ]


def test_over_indented_field_of_a_list_item(project, capsys):
    text = ENTRY.replace("    citation: smith2020trial\n    quote:",
                         "      citation: smith2020trial\n    quote:")
    assert _check(project, capsys, text)[1] == (
        "  hint: `citation` starts at column 7 but `statement` above starts at column 5: "
        "indent it to column 5 with spaces (or, if the line continues the value above, put "
        "that value in quotes)")


def test_a_tab_says_use_spaces(project, capsys):
    text = ENTRY.replace("questions: [does-it-work]", "questions:\n\t- does-it-work")
    assert _check(project, capsys, text) == [
        f"{E}:10:1: error[yaml-syntax]: YAML syntax error: found character that cannot start "
        "any token",
        "  hint: use spaces, not tabs: this line has a tab at column 1",
    ]


def test_history_of_the_wrong_shape_shows_an_example(project, capsys):
    text = ENTRY.replace("added: 2025-11-01\n", "added: 2025-11-01\nhistory: Added things.\n")
    assert _check(project, capsys, text) == [
        f"{E}:15:10: error[wrong-type]: `history` must be a list, not text",
        "  hint: `history` is a list of dated changes, newest last, for example:",
        "    history:",
        "      - date: 2026-02-01",
        "        change: Added the 3-year survival figures.",
    ]


def test_id_mismatch_suggests_a_valid_slug(project, capsys):
    text = ENTRY.replace("id: smith-2020", "id: Smith 2020 Trial")
    lines = _check(project, capsys, text)
    assert lines[:2] == [
        f"{E}:2:5: error[id-mismatch]: id `Smith 2020 Trial` differs from the file name "
        "`smith-2020.md`",
        "  hint: set `id: smith-2020` (the file name), or use `smith-2020-trial` for both the "
        "id and the file name (`smith-2020-trial.md`)",
    ]


def test_today_in_the_furthest_east_time_zone_is_not_a_future_date(project, capsys,
                                                                     monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767268800")  # 2026-01-01 12:00 UTC
    text = ENTRY.replace("updated: 2025-11-02", "updated: 2026-01-02")  # today in UTC+14
    project.write(E, text)
    assert project.run("check") == 0, diagnostics_of(capsys)
    assert _check(project, capsys, ENTRY.replace("updated: 2025-11-02",
                                                 "updated: 2026-01-03")) == [
        f"{E}:15:10: error[future-date]: `updated` 2026-01-03 is in the future: it is not yet "
        "2026-01-03 anywhere on Earth (latest: 2026-01-02)",
        "  hint: use the date the change was made",
    ]


def test_quote_that_is_not_verbatim_marks_the_first_word_that_differs(project, capsys):
    text = ENTRY.replace("quote: things work in some patients",
                         "quote: We found that things do work in some patients")
    assert _check(project, capsys, text) == [
        f"{E}:13:12: error[quote-not-in-source]: the quote does not appear verbatim in the "
        "abstract of `smith2020trial`",
        "  hint: closest passage of the abstract: \"We found that things >>work<< in some "
        "patients.\"; the quote has `do` where the abstract has `work`; copy the words exactly",
    ]
