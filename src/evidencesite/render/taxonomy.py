"""Taxonomies: the facets a reader browses by (design, population, setting, agent)."""
from __future__ import annotations

from dataclasses import dataclass

from evidencesite.content.markdown import slugify


@dataclass(frozen=True)
class Taxonomy:
    path: str  # URL folder, e.g. "agents"
    field: str  # entry field it is read from
    title: str  # plural heading
    label: str  # singular


TAXONOMIES = (
    Taxonomy("designs", "type", "Study designs", "Design"),
    Taxonomy("populations", "population", "Populations", "Population"),
    Taxonomy("settings", "setting", "Settings", "Setting"),
    Taxonomy("agents", "agents", "Agents", "Agent"),
)


def term_slug(term: str) -> str:
    return slugify(term)


def entry_terms(value) -> list[str]:
    """A field's terms: a list, one value, or none when the field says "not reported"."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str) and value != "not reported":
        return [value]
    return []


def taxonomy_terms(taxonomy: Taxonomy, rows: list[dict]) -> list[dict]:
    terms: dict[str, dict] = {}
    for row in rows:
        for term in entry_terms(row[taxonomy.field]):
            slot = terms.setdefault(term_slug(term), {"name": term, "slug": term_slug(term),
                                                      "entries": []})
            slot["entries"].append(row)
    return [terms[slug] for slug in sorted(terms)]
