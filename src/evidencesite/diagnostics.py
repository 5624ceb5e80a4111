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
        """A GitHub Actions workflow command: `::error file=…,line=…,col=…,title=…::message`."""
        loc = self.location
        kind = "error" if self.severity == ERROR else "warning"
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return (f"::{kind} file={_command_property(loc.path)},line={max(loc.line, 1)},"
                f"col={max(loc.column, 1)},title={_command_property(self.code)}::"
                f"{_command_data(message)}")

    def format_markdown_row(self) -> str:
        loc = self.location
        line, column = (str(loc.line), str(max(loc.column, 1))) if loc.line > 0 else ("", "")
        cells = (self.severity, loc.path, line, column, self.code, self.message, self.hint)
        return "| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |"


# GitHub's workflow-command rules: data escapes `%`, CR and LF; a property value (`file=`,
# `title=`) also escapes `:` and `,`, which would end the property or the command
def _command_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _command_property(text: str) -> str:
    return _command_data(text).replace(":", "%3A").replace(",", "%2C")


def _markdown_cell(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")


def markdown_summary(title: str, diagnostics: Iterable[Diagnostic]) -> str:
    """Every problem as one Markdown table, for GitHub's step summary (which, unlike the
    annotations, has no limit of ten per step)."""
    rows = [d.format_markdown_row() for d in diagnostics]
    if not rows:
        return f"### {title}\n\nNo problems found.\n"
    return "\n".join([f"### {title}", "",
                      "| severity | file | line | column | code | problem | how to fix |",
                      "|---|---|---|---|---|---|---|", *rows, ""])


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
