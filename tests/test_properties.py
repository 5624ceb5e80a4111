"""Properties that must hold for any input (hypothesis)."""
from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from hypothesis import HealthCheck, given, settings, strategies as st

from evidencesite.content.frontmatter import parse_front_matter, split_front_matter
from evidencesite.citations.identifiers import IdentifierError, normalise_identifier
from evidencesite.content.markdown import parse, parse_cite_group
from evidencesite.content.schema import schema_text

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_front_matter_splitting_never_crashes(text):
    split, problem = split_front_matter(text, "x.md")
    if split is not None:
        result = parse_front_matter(split, "x.md")
        assert result.problems or isinstance(result.data, dict)
    else:
        assert problem is not None and problem.location.path == "x.md"


@given(st.text(alphabet="---:\n []{}&*!|>'\"#@,ab1", max_size=200))
@settings(max_examples=300, deadline=None)
def test_yaml_shaped_front_matter_never_crashes(body):
    split, _ = split_front_matter("---\n" + body + "\n---\n", "x.md")
    if split is not None:
        parse_front_matter(split, "x.md")


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_citation_parsing_never_crashes(text):
    parsed = parse(text, "x.md", 1)
    for citation in parsed.citations:
        assert citation.location.line >= 1
    parse_cite_group(text)


@given(st.text(alphabet="[]@;, p.k1-:_", max_size=80))
@settings(max_examples=300, deadline=None)
def test_citation_shaped_text_never_crashes(text):
    parse(text, "x.md", 1)


@given(st.one_of(TEXT, st.from_regex(r"(doi:|https://doi\.org/)?10\.\d{4,9}/[!-~]{1,20}",
                                     fullmatch=True),
                 st.from_regex(r"(PMID: ?|pmid:)?[1-9]\d{0,8}", fullmatch=True),
                 st.from_regex(r"(?i:pmc)\d{1,9}", fullmatch=True),
                 st.from_regex(r"(?i:nct)\d{8}", fullmatch=True)))
@settings(max_examples=400, deadline=None)
@pytest.mark.slow  # 400 examples; the fixed ones below run in the fast layer
def test_identifier_normalisation_is_idempotent(text):
    try:
        kind, value = normalise_identifier(text)
    except IdentifierError:
        return
    assert normalise_identifier(value) == (kind, value)


@pytest.mark.parametrize("text, expected", [
    ("doi:10.1056/NEJMoa1507643", ("doi", "10.1056/NEJMoa1507643")),
    ("https://doi.org/10.3389/fimmu.2023.1129465", ("doi", "10.3389/fimmu.2023.1129465")),
    ("http://dx.doi.org/10.1000/xyz123", ("doi", "10.1000/xyz123")),
    ("PMID: 37090727", ("pmid", "37090727")),
    ("37090727", ("pmid", "37090727")),
    ("pmc10115980", ("pmcid", "PMC10115980")),
    ("PMCID:PMC10115980", ("pmcid", "PMC10115980")),
    ("nct07453342", ("nct", "NCT07453342")),
])
def test_identifiers_are_normalised_once_and_for_all(text, expected):
    assert normalise_identifier(text) == expected
    assert normalise_identifier(expected[1]) == expected


@pytest.mark.parametrize("text", ["PMID:12a", "NCT123", "pmid:PMC1", "10.12/x", ""])
def test_what_is_no_identifier_is_refused(text):
    with pytest.raises(IdentifierError):
        normalise_identifier(text)


def _resolved_entry_schema() -> dict:
    schema = json.loads(schema_text("entry"))
    defs = schema.pop("$defs")

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(copy.deepcopy(defs[node["$ref"].split("/")[-1]]))
            return {k: inline(v) for k, v in node.items() if k not in ("format",)}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    resolved = inline(schema)
    for name in ("outcomes", "certainty", "history", "key_findings"):
        resolved["properties"].pop(name)  # filled in below so that they refer to real things
    resolved["required"] = [r for r in resolved["required"] if r != "key_findings"]
    resolved["properties"]["questions"]["maxItems"] = 3
    for name in ("title", "summary", "results"):
        resolved["properties"][name]["maxLength"] = 200
    return resolved


def from_schema(node: dict):
    """A hypothesis strategy for the JSON Schema subset the site's schemas use (objects,
    arrays, enums, const, oneOf, patterned strings, numbers)."""
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        return st.one_of([from_schema(option) for option in node["oneOf"]])
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        required = {name: from_schema(properties[name]) for name in node.get("required", [])}
        optional = {name: from_schema(sub) for name, sub in properties.items()
                    if name not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "array":
        return st.lists(from_schema(node.get("items", {})), min_size=node.get("minItems", 0),
                        max_size=node.get("maxItems", 3),
                        unique=bool(node.get("uniqueItems")))
    if kind == "string":
        if "pattern" in node:
            strategy = st.from_regex(node["pattern"], fullmatch=True)
        else:
            strategy = st.text(min_size=node.get("minLength", 0), max_size=60)
        return strategy.filter(lambda text: len(text) <= node.get("maxLength", 10**6)
                               and len(text) >= node.get("minLength", 0))
    if kind == "integer":
        return st.integers(node.get("minimum", -1000), 1000)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False, width=32)
    raise ValueError(f"schema node not supported: {node}")


@pytest.mark.slow  # a corpus of 30 generated sites, each checked
def test_valid_entries_generated_from_the_schema_always_build(tmp_path_factory):
    from conftest import make_project
    from evidencesite.commands.cli import main

    @given(from_schema(_resolved_entry_schema()))
    @settings(max_examples=30, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large])
    def check(entry):
        root = tmp_path_factory.mktemp("generated")
        project = make_project(root / "review", with_content=False)
        entry = {**entry, "id": "generated", "added": "2020-01-01", "updated": "2020-01-02",
                 "key_findings": [{"statement": "Some text.", "citation": entry["citation"]}]}
        if "summary" in entry:  # a number there must be one of the work's: none is
            entry["summary"] = re.sub(r"\d", "x", entry["summary"])
        bib = (root / "review/citations.bib").read_text()
        project.write("citations.bib", bib + f"\n@article{{{entry['citation']},\n  title = {{T}},"
                      "\n  year = {2020}\n}\n")
        for question in entry["questions"]:
            project.write(f"content/questions/{question}.md",
                          f"---\nid: '{question}'\ntitle: Q\npico:\n  population: p\n"
                          "  intervention: i\n  comparator: c\n  outcomes: [o]\n"
                          "bottom_line: b\nevidence_status: none\nopen_questions: []\n---\n")
        project.write("content/entries/generated.md",
                      "---\n" + yaml.safe_dump(entry, allow_unicode=True) + "---\nBody.\n")
        assert main(["--root", str(project.root), "check"]) == 0

    check()


_DAMAGE = st.sampled_from(["drop", "wrong-type", "impossible-date", "extra-field", "empty"])


def _dated(entry: dict) -> dict:
    return {**entry, "added": "2020-01-01", "updated": "2020-01-02",
            "key_findings": [{"statement": "Some text.", "citation": entry["citation"]}]}


def _damaged(entry: dict, damage: str, pick: int) -> dict:
    """`entry` with one field dropped, of the wrong type, emptied, an extra field or an
    impossible date."""
    entry = _dated(entry)
    names = sorted(entry)
    name = names[pick % len(names)]
    if damage == "drop":
        del entry[name]
    elif damage == "wrong-type":
        entry[name] = 12 if isinstance(entry[name], str) else "text"
    elif damage == "impossible-date":
        entry["updated"] = "2021-02-30"
    elif damage == "extra-field":
        entry[name + "_x"] = "value"
    else:
        entry[name] = [] if isinstance(entry[name], list) else ""
    return entry


def _both_validators_agree(entry: dict) -> bool:
    """The compiled check decides whether the error-collecting validator runs at all: it
    must never call valid what the full validator rejects (nor the reverse)."""
    from evidencesite.content.schema import _is_valid, _validator

    full = not any(True for _ in _validator("entry").iter_errors(entry))
    assert _is_valid("entry")(entry) == full
    return full


@given(from_schema(_resolved_entry_schema()), _DAMAGE, st.integers(0, 50))
@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
@pytest.mark.slow  # 200 generated entries; the fixed ones below run in the fast layer
def test_fast_schema_check_agrees_with_the_full_validator(entry, damage, pick):
    _both_validators_agree(_damaged(entry, damage, pick))


ENTRY_FIELDS = {
    "id": "smith-2020", "title": "A trial of things", "type": "rct",
    "citation": "smith2020trial", "population": ["NSCLC"], "setting": "not reported",
    "agents": ["anti-PD-1"], "questions": ["does-it-work"], "summary": "Things work.",
    "history": [{"date": "2020-01-02", "change": "Reworded."}]}


@pytest.mark.parametrize("damage", ["drop", "wrong-type", "impossible-date", "extra-field",
                                    "empty"])
def test_fast_schema_check_agrees_with_the_full_validator_on_each_field(damage):
    assert _both_validators_agree(_dated(ENTRY_FIELDS))
    verdicts = [_both_validators_agree(_damaged(ENTRY_FIELDS, damage, pick))
                for pick in range(len(ENTRY_FIELDS) + 3)]
    assert not all(verdicts)  # some damage of each kind is caught
