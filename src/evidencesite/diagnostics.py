"""Problems found in the input, reported as `path:line:col: severity[code]: message`."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

from evidencesite.content.model import SourceLocation

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    location: SourceLocation
    severity: str
    code: str
    message: str
    hint: str = ""

    def sort_key(self):
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.message)

    def format_text(self, paint=lambda label: label) -> str:
        text = f"{self.location}: {paint(f'{self.severity}[{self.code}]')}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def format_github(self) -> str:
        loc = self.location
        kind = "error" if self.severity == ERROR else "warning"
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (f"::{kind} file={loc.path},line={max(loc.line, 1)},col={max(loc.column, 1)},"
                f"title={self.code}::{message}")


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
