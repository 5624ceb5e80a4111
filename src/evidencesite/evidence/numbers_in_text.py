"""The numbers a sentence states, told apart from those it only names: years, stage, phase
and grade labels, ages in eligibility criteria, identifiers (DOIs, PMIDs, NCT numbers, trial
names such as KEYNOTE-010, CheckMate 057 or IMpower010), list markers and digits inside words
(PD-L1, CD8, 3rd)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:[.·]\d+)?|\d+(?:[.·]\d+)?")
_COMPARE = r"(?:[≥≤<>]=?|>=|<=|over|under|at least|of)?"
_EXEMPT = (
    # links and identifiers
    re.compile(r"https?://\S+|\b10\.\d{4,9}/\S+|\b(?:doi|pmid|pmcid|nct)\b\s*:?\s*\S*\d\S*",
               re.IGNORECASE),
    # stage, phase and grade labels: phase 3, grade ≥3, grades 3-4, grade 3 or 4
    re.compile(rf"\b(?:stage|phase|grade)s?\s*{_COMPARE}\s*\d+"
               r"(?:\s*(?:[-–/]|or|and|to)\s*\d+)*", re.IGNORECASE),
    # ages in eligibility criteria: aged 18, aged ≥18 years, 18 years or older, (18+)
    re.compile(rf"\bage[ds]?\s*{_COMPARE}\s*\d+(?:\s*(?:[-–]|to)\s*\d+)?", re.IGNORECASE),
    re.compile(r"\b\d+\s*(?:years?|yrs?)\s*(?:of age\s*)?(?:and|or)\s*(?:older|over|above|up)"
               r"\b|\b\d+\+", re.IGNORECASE),
    # trial names: CheckMate 057, IMpower010, KEYNOTE-010, KEYNOTE 024 (letters then digits)
    re.compile(r"\b(?:[A-Z][a-z]+[A-Z]\w*|[A-Z]{2,}[a-z]+\w*)[\s-]?\d+\b|\b[A-Z]{3,}-\d+\b"
               r"|\b(?!N?SCLC\b)[A-Z]{5,}\s\d{3}\b"),
    # list markers: `1.` or `2)` at the start of a line, `(1)` inside a sentence
    re.compile(r"(?m)^\s*(?:[-*]\s*)?\d+[.)](?=\s)|(?<![\w)])\(\d\)(?=\s)"),
    # Markdown citations and link targets: [@key, p. 5], ](https://...)
    re.compile(r"\[[^\]]*@[^\]]*\]|\]\([^)]*\)"),
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b")
_COUNTED = re.compile(r"\s*(?:patients|participants|people|persons|cases)\b")


@dataclass(frozen=True)
class PrintedNumber:
    text: str
    value: float
    decimals: int
    start: int  # offset in the text


def printed_numbers(text: str) -> list[PrintedNumber]:
    """The numbers `text` states, in order, without the exempt ones."""
    masked = [False] * len(text)
    for pattern in _EXEMPT:
        for match in pattern.finditer(text):
            masked[match.start():match.end()] = [True] * (match.end() - match.start())
    found = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(masked[start:end]) or _inside_word(text, start, end) or \
                _is_year(text, match.group(), end):
            continue
        token = match.group().replace(",", "").replace("·", ".")
        found.append(PrintedNumber(match.group(), float(token),
                                   len(token.partition(".")[2]), start))
    return found


def _inside_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    if before.isalpha() or before in "._" or (before in "-‑" and start >= 2 and
                                             text[start - 2].isalpha()):
        return True  # PD-L1, CD8, IL-6, v1.2
    return bool(_ORDINAL.match(text, end))  # 3rd


def _is_year(text: str, token: str, end: int) -> bool:
    if not (len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2100):
        return False
    after = text[end:end + 1]
    return after != "%" and not _COUNTED.match(text, end) and not \
        re.search(r"[=<>≥≤]\s*$", text[:end - 4])


def supported(number: PrintedNumber, values) -> bool:
    """Whether one of `values`, rounded half up to the precision `number` is printed with,
    is `number` (52% stands for 52.4; 0.55 must be 0.55 at two decimals). Values are first
    rounded to 9 decimals, so that 100 × 0.285 is 28.5 and not 28.499999999999996."""
    step = Decimal(1).scaleb(-number.decimals)
    printed = Decimal(f"{number.value:.{number.decimals}f}")
    return any(Decimal(repr(round(abs(value), 9))).quantize(step, ROUND_HALF_UP) == printed
               for value in values)
