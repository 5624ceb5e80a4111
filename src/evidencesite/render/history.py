"""What changed, and when: the review's history, from entries' `added` dates and `history`."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    date: str
    entry_id: str
    entry_title: str
    text: str
    serial: int  # position among the entry's own changes, for stable ids

    def sort_key(self):
        return (self.date, self.entry_id, self.serial)


def collect_changes(entries: list[dict]) -> list[Change]:
    """Every change to every entry, newest first."""
    changes = []
    for data in entries:
        changes.append(Change(data["added"], data["id"], data["title"], "Entry added", 0))
        for serial, item in enumerate(data.get("history", []), 1):
            changes.append(Change(item["date"], data["id"], data["title"], item["change"], serial))
    return sorted(changes, key=Change.sort_key, reverse=True)


def release_of(date: str, releases: list[dict]) -> str:
    """The version that published a change made on `date`: the first release on or after it."""
    for release in sorted(releases, key=lambda r: r["date"]):
        if release["date"] >= date:
            return release["version"]
    return ""


def group_by_release(changes: list[Change], releases: list[dict]) -> list[dict]:
    """[{version, date, notes, days: [{date, changes}]}], newest first; unreleased on top."""
    groups: dict[str, dict] = {}
    by_version = {r["version"]: r for r in releases}
    for change in changes:
        version = release_of(change.date, releases)
        release = by_version.get(version, {})
        group = groups.setdefault(version, {"version": version or "not yet released",
                                            "date": release.get("date", ""),
                                            "notes": release.get("notes", ""), "days": {}})
        group["days"].setdefault(change.date, []).append(change)
    ordered = sorted(groups.values(), key=lambda g: (g["date"] == "", g["date"]), reverse=True)
    for group in ordered:
        group["days"] = [{"date": day, "changes": group["days"][day]}
                         for day in sorted(group["days"], reverse=True)]
    return ordered
