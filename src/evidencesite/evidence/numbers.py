"""Numbers as the pages print them: rounded for display only (exports keep full precision)."""
from __future__ import annotations

from evidencesite.evidence.model import MEASURE_LABELS


def number(value: float, digits: int = 2) -> str:
    text = f"{value:.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def percent(value: float, digits: int = 1) -> str:
    return f"{number(100 * value, digits)}%"


def interval(estimate: float, lower: float, upper: float, measure: str) -> str:
    """`0.70 (0.61 to 0.80)` or, for a proportion, `52.4% (31.8% to 72.1%)`."""
    if measure == "proportion":
        return f"{percent(estimate)} ({percent(lower)} to {percent(upper)})"
    return f"{number(estimate)} ({number(lower)} to {number(upper)})"


def level_text(level: float) -> str:
    return f"{number(100 * level, 0)}%"


def measure_label(measure: str) -> str:
    return MEASURE_LABELS.get(measure, measure)
