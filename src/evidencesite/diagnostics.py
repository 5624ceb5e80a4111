"""Problems found in the input, reported as `path:line:col: severity[code]: message`, all
collected before the run stops (the `Diagnostic` type itself is in content/model/core.py)."""
from __future__ import annotations

import difflib
from typing import Iterable

from evidencesite.content.model import ERROR, WARNING, Diagnostic, SourceLocation

__all__ = ["ERROR", "WARNING", "Diagnostic", "Diagnostics", "did_you_mean", "error",
           "markdown_summary"]


def error(location: SourceLocation, code: str, message: str, hint: str = "") -> Diagnostic:
    """An error found in the input."""
    return Diagnostic(location, ERROR, code, message, hint)


class Diagnostics:
    """Collects every problem of a run so that all are reported at once."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, location: SourceLocation, code: str, message: str, hint: str = "") -> None:
        self._items.append(Diagnostic(location, ERROR, code, message, hint))

    def warning(self, location: SourceLocation, code: str, message: str, hint: str = "") -> None:
        self._items.append(Diagnostic(location, WARNING, code, message, hint))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        unique = {(d.location, d.code, d.message): d for d in self._items}
        return tuple(sorted(unique.values(), key=Diagnostic.sort_key))

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.sorted() if d.severity == ERROR)

    @property
    def warning_count(self) -> int:
        return sum(1 for d in self.sorted() if d.severity == WARNING)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or '' when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else ""


def markdown_summary(title: str, diagnostics: Iterable[Diagnostic]) -> str:
    """Every problem as one Markdown table, for GitHub's step summary (which, unlike the
    annotations, has no limit of ten per step)."""
    rows = [d.format_markdown_row() for d in diagnostics]
    if not rows:
        return f"### {title}\n\nNo problems found.\n"
    return "\n".join([f"### {title}", "",
                      "| severity | file | line | column | code | problem | how to fix |",
                      "|---|---|---|---|---|---|---|", *rows, ""])
