"""The controlled vocabulary (content/vocabulary.yaml): labels, definitions and synonyms of
the review's terms and abbreviations, and where a page uses them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

_TAG = re.compile(r"(<[^>]*>)")
_SKIP = {"abbr", "code", "pre", "script", "style", "a"}  # no <abbr> inside these


@dataclass(frozen=True)
class Term:
    name: str  # as entries write it: a taxonomy value or an abbreviation
    label: str
    definition: str
    abbreviation: bool = False
    synonyms: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, self.label, *self.synonyms)

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


def _pattern(form: str) -> str:
    """A whole-word pattern; short forms with capitals (PD-L1, irAE) keep their case."""
    text = re.escape(form)
    if any(c.isupper() for c in form) and len(form) <= 8:
        return rf"(?<![A-Za-z0-9]){text}(?![A-Za-z0-9])"
    return rf"(?<![A-Za-z0-9])(?i:{text})(?![A-Za-z0-9])"


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[Term, ...] = ()
    _matchers: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_data(cls, data) -> "Vocabulary":
        terms = (data or {}).get("terms", {}) if isinstance(data, dict) else {}
        return cls(tuple(Term(str(name), item["label"], item["definition"],
                              bool(item.get("abbreviation", False)),
                              tuple(item.get("synonyms", ())))
                         for name, item in sorted(terms.items(), key=lambda kv: kv[0].lower())))

    def fingerprint(self) -> list:
        return [(t.name, t.label, t.definition, t.abbreviation, t.synonyms) for t in self.terms]

    def get(self, name) -> Term | None:
        return next((t for t in self.terms if t.name == name), None)

    def label(self, value) -> str:
        """A taxonomy value as readers see it: its label, or the value itself for an
        abbreviation (spelled out by <abbr>) or a term the vocabulary does not hold."""
        term = self.get(value)
        return term.label if term and not term.abbreviation else str(value)

    def _matcher(self, term: Term):
        found = self._matchers.get(term.name)
        if found is None:
            found = self._matchers[term.name] = re.compile(
                "|".join(_pattern(form) for form in sorted(term.forms, key=len, reverse=True)))
        return found

    def found_in(self, *texts) -> list[Term]:
        """The terms any of whose forms occur in the texts (strings, lists of strings)."""
        flat = []
        for text in texts:
            flat.extend(text if isinstance(text, (list, tuple)) else [text])
        joined = "\n".join(_TAG.sub(" ", str(text)) for text in flat if text)
        return [term for term in self.terms if self._matcher(term).search(joined)]

    def abbreviator(self) -> "Abbreviator":
        return Abbreviator({t.name: t.label for t in self.terms if t.abbreviation})


class Abbreviator:
    """Marks the first use on a page of each abbreviation with <abbr title>."""

    def __init__(self, expansions: dict[str, str]) -> None:
        self.expansions = expansions
        self.seen: set[str] = set()
        self.pattern = re.compile("|".join(_pattern(name) for name in
                                           sorted(expansions, key=len, reverse=True))) \
            if expansions else None

    def __call__(self, text) -> Markup:
        html = str(text) if isinstance(text, Markup) else escape(str(text), quote=False)
        if self.pattern is None:
            return Markup(html)
        out, skipping = [], []
        for part in _TAG.split(html):
            if part.startswith("<"):
                tag = re.match(r"</?([a-zA-Z0-9]+)", part)
                name = tag.group(1).lower() if tag else ""
                if name in _SKIP and not part.endswith("/>"):
                    if part.startswith("</"):
                        skipping and skipping.pop()
                    else:
                        skipping.append(name)
                out.append(part)
            else:
                out.append(part if skipping else self.pattern.sub(self._mark, part))
        return Markup("".join(out))

    def _mark(self, match: re.Match) -> str:
        name = match.group(0)
        if name in self.seen or name not in self.expansions:
            return name
        self.seen.add(name)
        return f'<abbr title="{escape(self.expansions[name])}">{name}</abbr>'
