"""The review's history (render/history.py): every change of every entry, grouped by the
release that published it."""
from __future__ import annotations

from evidencesite.content.model import Entry, EntryChange, Release
from evidencesite.render.history import collect_changes, group_by_release, release_of


def entry(id_: str, title: str, added: str, history=None) -> Entry:
    return Entry(id_, title, "rct", "key", "not reported", "not reported", "not reported",
                 (), (), added, added, history=history)


ENTRIES = [
    entry("a", "A", "2025-01-10", (EntryChange("2025-03-02", "New follow-up"),)),
    entry("b", "B", "2025-03-02"),
]
RELEASES = (Release("1.0", "2025-02-01", "First"), Release("1.1", "2025-04-01"))


def test_changes_are_newest_first_with_the_addition_of_each_entry():
    changes = collect_changes(ENTRIES)
    assert [(c.date, c.entry_id, c.text) for c in changes] == [
        ("2025-03-02", "b", "Entry added"),
        ("2025-03-02", "a", "New follow-up"),
        ("2025-01-10", "a", "Entry added")]
    assert [c.serial for c in changes] == [0, 1, 0]


def test_a_change_belongs_to_the_first_release_on_or_after_its_date():
    assert release_of("2025-02-01", RELEASES) == "1.0"
    assert release_of("2025-02-02", RELEASES) == "1.1"
    assert release_of("2025-05-01", RELEASES) == ""


def test_groups_are_releases_newest_first_with_unreleased_changes_on_top():
    entries = ENTRIES + [entry("c", "C", "2025-06-01")]
    groups = group_by_release(collect_changes(entries), RELEASES)
    assert [(g["version"], g["date"]) for g in groups] == [
        ("not yet released", ""), ("1.1", "2025-04-01"), ("1.0", "2025-02-01")]
    assert groups[2]["notes"] == "First"
    days = groups[1]["days"]
    assert [day["date"] for day in days] == ["2025-03-02"]
    assert [c.entry_id for c in days[0]["changes"]] == ["b", "a"]
