"""`new entry <id>`: a new entry file with every required field, ready to fill in."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from evidencesite.content.discover import SLUG
from evidencesite.content.model import CONTENT_FOLDERS
from evidencesite.content.placeholders import NOTES, SUMMARY, TITLE

ENTRY_TEMPLATE = """\
---
# yaml-language-server: $schema=../../src/evidencesite/schema/entry.schema.json
id: {id}
title: "{title}"
type: not reported
citation: {citation}
population: not reported
setting: not reported
agents: not reported
questions: []
summary: "{summary}"
key_findings: []
#  - statement: A short statement of what the source reports.
#    citation: {citation}
#    quote: words copied exactly from the cited record's abstract
#    locator: abstract
results: not reported
added: {today}
updated: {today}
---
## Notes

{notes} [@{citation}]. Write "not reported"
wherever the source does not say.
"""


class ScaffoldError(ValueError):
    pass


def entry_path(content_dir: Path, entry_id: str) -> Path:
    """Where a new entry goes; refuses an invalid id or an existing file."""
    if not SLUG.match(entry_id):
        raise ScaffoldError(f"`{entry_id}` is not a valid id: use lower-case letters, digits "
                            "and hyphens, e.g. `smith-2024-rechallenge`")
    path = content_dir / CONTENT_FOLDERS["entry"] / f"{entry_id}.md"
    if path.exists() or path.is_symlink():
        raise ScaffoldError(f"{path.name} already exists; choose another id or edit that file")
    return path


def new_entry(content_dir: Path, entry_id: str, citation: str = "", title: str = "",
              today: dt.date | None = None) -> Path:
    """Write content/entries/<id>.md; refuses an invalid id or an existing file."""
    path = entry_path(content_dir, entry_id)
    text = ENTRY_TEMPLATE.format(id=entry_id, citation=citation or "KEY-IN-CITATIONS-BIB",
                                 title=(title or TITLE).replace('"', "'"),
                                 summary=SUMMARY, notes=NOTES,
                                 today=(today or dt.date.today()).isoformat())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path
