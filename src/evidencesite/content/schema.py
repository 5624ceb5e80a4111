"""JSON Schema validation of front matter, with messages that point at the offending field."""
from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Iterator

import fastjsonschema
import jsonschema
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from evidencesite.diagnostics import Diagnostic, ERROR, did_you_mean
from evidencesite.content.model import SourceLocation
from evidencesite.content.strict_yaml import KEY

SCHEMA_NAMES = ("entry", "question", "page", "site", "sources", "outcomes", "syntheses",
                "vocabulary", "flow")


@lru_cache(maxsize=None)
def schema_text(name: str) -> str:
    return resources.files("evidencesite").joinpath(f"schema/{name}.schema.json").read_text("utf-8")


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources_ = [(f"{n}.schema.json", Resource.from_contents(json.loads(schema_text(n))))
                  for n in SCHEMA_NAMES]
    return Registry().with_resources(resources_)


@lru_cache(maxsize=None)
def _validator(name: str):
    schema = json.loads(schema_text(name))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, registry=_registry(), format_checker=cls.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def _is_valid(name: str):
    """A compiled yes/no check, many times faster than collecting errors; the full
    validator runs only on data this check rejects, so both must agree on what is valid."""
    checker = _validator(name).format_checker

    def load(uri: str) -> dict:
        return json.loads(schema_text(uri.rsplit("/", 1)[-1].removesuffix(".schema.json")))

    check = fastjsonschema.compile(
        json.loads(schema_text(name)), handlers={"": load},
        formats={fmt: (lambda value, fmt=fmt: checker.conforms(value, fmt))
                 for fmt in checker.checkers})

    def is_valid(data) -> bool:
        try:
            check(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return is_valid


def validate(name: str, data: dict, positions: dict, path: str) -> list[Diagnostic]:
    """Every schema violation of `data` as a diagnostic at the line of the field concerned."""

    def at(key_path: tuple, key: bool = False) -> SourceLocation:
        probe = key_path + (KEY,) if key else key_path
        while probe and probe not in positions:
            probe = probe[:-1]
        return positions.get(probe, SourceLocation(path, 1, 1))

    if _is_valid(name)(data):
        return []
    found = []
    for error in _validator(name).iter_errors(data):
        about_history = name == "entry" and tuple(error.absolute_path)[:1] == ("history",)
        found.extend(_with_example(d) if about_history else d for d in _describe(error, at))
    return found


HISTORY_EXAMPLE = ("`history` is a list of dated changes, newest last, for example:\n"
                   "    history:\n"
                   "      - date: 2026-02-01\n"
                   "        change: Added the 3-year survival figures.")


def _with_example(diagnostic: Diagnostic) -> Diagnostic:
    """Problems with an entry's `history` show the shape it takes."""
    kept = diagnostic.hint.startswith(("did you mean", "write dates"))  # not "write a list"
    hint = f"{diagnostic.hint}\n    " if kept else ""
    return replace(diagnostic, hint=hint + HISTORY_EXAMPLE)


def _field(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"`{text}`" if text else "the front matter"


def _describe(error: ValidationError, at) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    if error.validator in ("oneOf", "anyOf") and error.context:
        # e.g. "not reported" or a list: explain the branch the value was meant for
        meant = [e for e in error.context if e.validator != "const"] or error.context
        yield from _describe(best_match(meant), at)
        return
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        for extra in sorted(set(error.instance) - set(allowed)):
            yield Diagnostic(at(path + (extra,), key=True), ERROR, "unknown-field",
                             f"unknown field `{extra}`" + (f" in {_field(path)}" if path else ""),
                             did_you_mean(extra, allowed) or
                             f"allowed fields: {', '.join(sorted(allowed))}")
        return
    if error.validator == "required":
        missing = error.message.split("'")[1]
        yield Diagnostic(at(path), ERROR, "missing-field",
                         f"missing required field `{missing}`" +
                         (f" in {_field(path)}" if path else ""),
                         _missing_hint(missing, error.schema.get("properties", {}).get(missing, {})))
        return
    if error.validator == "type":
        yield Diagnostic(at(path), ERROR, "wrong-type",
                         f"{_field(path)} must be {_type_name(error.validator_value)}, "
                         f"not {_value_kind(error.instance)}",
                         _type_hint(error.instance, error.validator_value))
        return
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        shown = ", ".join(f"`{v}`" for v in allowed)
        value = error.instance
        hint = did_you_mean(value, [str(v) for v in allowed]) if isinstance(value, str) else ""
        yield Diagnostic(at(path), ERROR, "invalid-value",
                         f"{_field(path)} is `{value}`; expected one of {shown}",
                         hint or _type_hint(value, "string"))
        return
    if error.validator == "pattern":
        yield Diagnostic(at(path), ERROR, "invalid-value",
                         f"{_field(path)} `{error.instance}` does not have the expected form",
                         _pattern_hint(error.validator_value))
        return
    if error.validator == "format":
        yield Diagnostic(at(path), ERROR, "invalid-value",
                         f"{_field(path)} `{error.instance}` is not a valid {error.validator_value}",
                         "write dates as YYYY-MM-DD")
        return
    yield Diagnostic(at(path), ERROR, "invalid-value", f"{_field(path)}: {error.message}")


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of fields",
               "integer": "a whole number", "number": "a number", "boolean": "true or false"}


def _type_name(expected) -> str:
    if isinstance(expected, list):
        return " or ".join(_TYPE_NAMES.get(e, e) for e in expected)
    return _TYPE_NAMES.get(expected, expected)


def _value_kind(value) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _type_hint(value, expected) -> str:
    if expected == "string" and isinstance(value, (bool, int, float)):
        return ("put the value in quotes: YAML reads unquoted yes/no/on/off as true/false "
                "and numbers such as 1.10 as 1.1")
    if expected == "string" and value is None:
        return "write a value after the colon, or \"not reported\""
    if expected == "array" and isinstance(value, str):
        return f"write a list: `[{value}]`"
    return ""


def _missing_hint(name: str, field_schema: dict) -> str:
    if {"const": "not reported"} in field_schema.get("oneOf", []):
        return f"add `{name}:`; write `{name}: not reported` where the source does not say"
    return f"add a line `{name}: ...`"


def _pattern_hint(pattern: str) -> str:
    if "a-z0-9-" in pattern and pattern.startswith("^[a-z0-9]"):
        return "use lower-case letters, digits and hyphens only, e.g. `tang-2025-rechallenge`"
    if "[0-9]{4}" in pattern:
        return "write dates as YYYY-MM-DD"
    if pattern.startswith("^[A-Za-z0-9][A-Za-z0-9 ()/+.-]"):
        return "use letters, digits, spaces and ( ) / + . - only"
    return f"expected the form {pattern}"
