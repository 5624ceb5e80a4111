"""What changed, and when: the review's history, from entries' `added` dates and `history`,
and from the `history` of questions, whose items record changes of their conclusions."""
from __future__ import annotations

from dataclasses import dataclass

from evidencesite.content.model import Entry, Question, Release

# what a question's history item says changed, as "What's new" and the feed word it
QUESTION_CHANGES = {"bottom_line": "Conclusion changed", "certainty": "Certainty changed",
                    "evidence_status": "Evidence status changed", "scope": "Scope changed"}


@dataclass(frozen=True)
class Change:
    date: str
    entry_id: str  # the entry's or the question's id
    entry_title: str
    text: str
    serial: int  # position among the document's own changes, for stable ids
    kind: str = "Entry added"  # Entry added | Entry updated | Conclusion changed | ...
    folder: str = "entries"  # entries | questions
    release: str = ""  # the version named by the change itself, if any
    reason: str = ""

    def sort_key(self):
        return (self.date, self.folder == "questions", self.entry_id, self.serial)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.entry_id}/"

    @property
    def about_conclusion(self) -> bool:
        return self.folder == "questions"


def collect_changes(entries: list[Entry], questions: list[Question] = ()) -> list[Change]:
    """Every change to every entry and every question's conclusion, newest first."""
    changes = []
    for entry in entries:
        changes.append(Change(entry.added, entry.id, entry.title, "Entry added", 0))
        for serial, item in enumerate(entry.history or (), 1):
            changes.append(Change(item.date, entry.id, entry.title, item.change, serial,
                                  "Entry updated"))
    for question in questions:
        for serial, item in enumerate(question.history, 1):
            changes.append(Change(item.date, question.id, question.title, item.change, serial,
                                  QUESTION_CHANGES[item.field], "questions", item.release,
                                  item.reason))
    return sorted(changes, key=Change.sort_key, reverse=True)


def release_of(date: str, releases: tuple[Release, ...]) -> str:
    """The version that published a change made on `date`: the first release on or after it."""
    for release in sorted(releases, key=lambda r: r.date):
        if release.date >= date:
            return release.version
    return ""


def group_by_release(changes: list[Change], releases: tuple[Release, ...],
                     flows: tuple[str, ...] = ()) -> list[dict]:
    """[{version, date, notes, flow, days: [{date, changes}]}], newest first; unreleased on
    top. `flows`: the versions that have a flow diagram (every one is listed, with or
    without changes)."""
    groups: dict[str, dict] = {}
    by_version = {r.version: r for r in releases}

    def group(version: str) -> dict:
        release = by_version.get(version, Release("", ""))
        return groups.setdefault(version, {"version": version or "not yet released",
                                           "date": release.date, "notes": release.notes,
                                           "flow": version in flows, "days": {}})

    for change in changes:
        version = change.release if change.release in by_version else \
            release_of(change.date, releases)
        group(version)["days"].setdefault(change.date, []).append(change)
    for version in flows:
        group(version)
    ordered = sorted(groups.values(), key=lambda g: (g["date"] == "", g["date"]), reverse=True)
    for item in ordered:
        item["days"] = [{"date": day, "changes": item["days"][day]}
                        for day in sorted(item["days"], reverse=True)]
    return ordered
