"""GRADE certainty: the rating its domain judgements imply, the symbols, the standard words.

GRADE starts evidence from randomised trials at high certainty and from observational
studies at low, and rates down one level for each serious concern (two for very serious) in
five domains. The rating remains a judgement: one that differs from what the domains imply
is reported as a warning, not an error.
"""
from __future__ import annotations

from evidencesite.evidence.model import RATINGS, Certainty

SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}
RANDOMISED = {"rct"}
# how a plain-language statement speaks at each level (GRADE guidance on informative
# statements)
WORDING = {"high": "reduces / increases (no qualifier)",
           "moderate": "probably reduces / increases",
           "low": "may reduce / increase",
           "very low": "the evidence is very uncertain about the effect"}


def implied_rating(certainty: Certainty) -> str:
    """The level the domain judgements lead to from the starting level."""
    level = RATINGS.index(certainty.start) + sum(d.downgrade for d in certainty.domains)
    return RATINGS[min(level, len(RATINGS) - 1)]


def starting_level(designs: list[str]) -> str:
    """High when every included study is a randomised trial, else low."""
    return "high" if designs and all(d in RANDOMISED for d in designs) else "low"


def filled_circles(rating: str) -> int:
    return len(RATINGS) - RATINGS.index(rating) if rating in RATINGS else 0
