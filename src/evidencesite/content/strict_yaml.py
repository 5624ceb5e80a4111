"""Strict YAML: safe, one mapping, no duplicate keys, no anchors or aliases, dates kept as text.

Every value's position is recorded so that later stages can point at the exact line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from evidencesite.content.model import SourceLocation
from evidencesite.diagnostics import Diagnostic, error

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # libyaml not compiled in
    _BaseLoader = yaml.SafeLoader

KEY = ":key"  # appended to a key path to record where the key itself stands
# appended to a key path to record where a one-line text value's first character stands,
# when each character of the value is one of the source (no escapes, no folded lines)
TEXT = ":text"

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_ALLOWED_TAGS = _SCALAR_TAGS | {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class _StrictLoader(_BaseLoader):
    """Safe loader that does not turn `2024-01-02` into a date: dates stay strings."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlResult:
    data: Any
    positions: dict
    problems: tuple[Diagnostic, ...]


def load_yaml(text: str, path: str, first_line: int) -> YamlResult:
    """Parse `text`, whose first line is line `first_line` of `path` (1-based)."""

    def here(mark) -> SourceLocation:
        return SourceLocation(path, mark.line + first_line, mark.column + 1)

    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = here(mark) if mark else SourceLocation(path, first_line, 1)
        problem = exc.problem or str(exc)
        if "expected a single document" in str(exc.context or ""):
            return _fail(location, "yaml-documents", "more than one YAML document",
                         "remove the extra `---` or `...` separator")
        lines = text.splitlines()
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        return _fail(location, "yaml-syntax", f"YAML syntax error: {problem}",
                     _syntax_hint(problem, line, mark.column if mark else 0)
                     or _indentation_hint(lines, mark.line if mark else 0)
                     or _other_hint(problem))
    except yaml.YAMLError as exc:
        return _fail(SourceLocation(path, first_line, 1), "yaml-syntax", f"YAML error: {exc}")

    builder = _Builder(here)
    data = builder.build(node, ()) if node is not None else None
    return YamlResult(data, builder.positions, tuple(builder.problems))


def _fail(location, code, message, hint=""):
    return YamlResult(None, {}, (error(location, code, message, hint),))


def _syntax_hint(problem: str, line: str, column: int) -> str:
    """A tab where YAML wants indentation, whatever the parser calls it."""
    tab = line.find("\t")
    if "\\t" in problem or "tab" in problem or 0 <= tab <= column:
        return f"use spaces, not tabs: this line has a tab at column {tab + 1}" \
            if tab >= 0 else "use spaces, not tabs"
    return ""


_KEY_LINE = re.compile(r"^( *)(- +)?([^\s:#'\"-][^:#]*?):(?:\s+(\S.*)|\s*)$")


def _indentation_hint(lines: list[str], index: int) -> str:
    """A field indented unlike the field above it, which has a value (so this one cannot
    belong to it): the column it should start at."""
    here = _KEY_LINE.match(lines[index]) if index < len(lines) else None
    above = next((line for line in reversed(lines[:index])
                  if line.strip() and not line.lstrip().startswith("#")), "")
    there = _KEY_LINE.match(above)
    if not here or here.group(2) or not there or not there.group(4):
        return ""
    column = len(here.group(1)) + 1
    expected = len(there.group(1)) + len(there.group(2) or "") + 1
    if column == expected:
        return ""
    return (f"`{here.group(3)}` starts at column {column} but `{there.group(3)}` above starts "
            f"at column {expected}: indent it to column {expected} with spaces (or, if the "
            f"line continues the value above, put that value in quotes)")


def _other_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "quote a value that contains `: `"
    if "could not find expected ':'" in problem:
        return "each line of front matter is `field: value`; check the line above"
    return "check indentation and quoting on this line"


class _Builder:
    def __init__(self, here) -> None:
        self.here = here
        self.positions: dict[tuple, SourceLocation] = {}
        self.problems: list[Diagnostic] = []
        self._seen: set[int] = set()

    def _problem(self, node, code, message, hint="") -> None:
        self.problems.append(error(self.here(node.start_mark), code, message, hint))

    def build(self, node, path: tuple) -> Any:
        if id(node) in self._seen:
            where = self.positions.get(path + (KEY,), self.here(node.start_mark))
            self.problems.append(error(
                where, "yaml-alias", "YAML anchors and aliases are not allowed",
                "write the value out in full instead of `&anchor` / `*alias`"))
            return None
        self._seen.add(id(node))
        self.positions[path] = self.here(node.start_mark)
        if node.tag not in _ALLOWED_TAGS:
            self._problem(node, "yaml-tag", f"YAML tag `{node.tag}` is not allowed",
                          "remove the `!!` tag; front matter holds plain text, numbers, "
                          "lists and mappings")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        value = self._scalar(node)
        if isinstance(value, str):
            self._text_start(node, value, path)
        return value

    def _text_start(self, node, value: str, path: tuple) -> None:
        start, end = node.start_mark, node.end_mark
        quotes = 2 if node.style in ("'", '"') else 0
        if start.line == end.line and node.style in (None, "", "'", '"') and \
                end.column - start.column == len(value) + quotes:
            here = self.here(start)
            self.positions[path + (TEXT,)] = SourceLocation(here.path, here.line,
                                                            here.column + quotes // 2)

    def _mapping(self, node, path: tuple) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, "yaml-alias", "YAML merge keys (`<<`) are not allowed",
                              "write the fields out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_node, "yaml-key", "a field name must be plain text")
                continue
            key = str(key_node.value)
            if key in result:
                first = self.positions[path + (key, KEY)]
                self._problem(key_node, "duplicate-key", f"duplicate field `{key}`",
                              f"`{key}` is already set on line {first.line}; keep one of them")
                continue
            self.positions[path + (key, KEY)] = self.here(key_node.start_mark)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node) -> Any:
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (yaml.YAMLError, ValueError) as exc:
            self._problem(node, "yaml-value", f"cannot read value: {exc}")
            return None


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
