"""Forest-plot geometry: where each square, line, diamond, tick and label goes.

The template `_forest.svg` draws it; every coordinate is rounded so that the same input
gives the same bytes. The layout follows metafor's `forest()`: labels on the left, the plot
in the middle with its null line, each estimate and weight as text on the right.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from evidencesite.evidence.model import RATIO_MEASURES, SINGLE_GROUP_MEASURES, SynthesisResult
from evidencesite.evidence.numbers import interval, number

WIDTH = 640
LABEL_RIGHT = 200
PLOT_LEFT, PLOT_RIGHT = 212, 430
TEXT_LEFT = 440
WEIGHT_RIGHT = 632
ROW = 22
TOP = 30
LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
FINE_LOG_TICKS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5)


@dataclass(frozen=True)
class ForestRow:
    y: float
    label: str
    text: str  # estimate and interval
    weight: str  # "" when not pooled
    x: float
    x_low: float
    x_high: float
    clipped_low: bool
    clipped_high: bool
    size: float  # half the square's side


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ForestPlot:
    id: str
    width: int
    height: int
    rows: tuple[ForestRow, ...]
    diamond: str  # SVG points, "" without a pooled estimate
    diamond_y: float
    pooled_label: str
    pooled_text: str
    null_x: float | None
    axis_y: float
    ticks: tuple[Tick, ...]
    favours_left: str
    favours_right: str
    estimate_head: str = "Estimate (95% CI)"
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    label_right: int = LABEL_RIGHT
    text_left: int = TEXT_LEFT
    weight_right: int = WEIGHT_RIGHT


def _r(value: float) -> float:
    return round(value, 2)


class _Axis:
    def __init__(self, values: list[float], measure: str) -> None:
        self.log = measure in RATIO_MEASURES
        self.proportion = measure == "proportion"
        self.single_group = measure in SINGLE_GROUP_MEASURES
        if self.proportion:
            self.low, self.high = 0.0, 1.0
        else:
            points = [self._t(v) for v in values if not self.log or v > 0]
            null = 0.0
            self.low, self.high = min(points + [null]), max(points + [null])
            pad = (self.high - self.low) * 0.05 or 0.5
            self.low, self.high = self.low - pad, self.high + pad

    def _t(self, value: float) -> float:
        return math.log(value) if self.log else value

    def x(self, value: float) -> tuple[float, bool]:
        """The x of `value`, and whether it lies outside the axis (drawn at its edge)."""
        if self.log and value <= 0:
            return _r(PLOT_LEFT), True
        t = self._t(value)
        clipped = t < self.low or t > self.high
        t = min(max(t, self.low), self.high)
        return _r(PLOT_LEFT + (t - self.low) / (self.high - self.low) *
                  (PLOT_RIGHT - PLOT_LEFT)), clipped

    def ticks(self) -> tuple[Tick, ...]:
        if self.proportion:
            values = (0, 0.25, 0.5, 0.75, 1)
            return tuple(Tick(self.x(v)[0], f"{int(v * 100)}%") for v in values)
        if self.log:
            values = [v for v in LOG_TICKS if self.low <= math.log(v) <= self.high]
            if len(values) < 3:  # a narrow range: finer ticks
                values = [v for v in FINE_LOG_TICKS if self.low <= math.log(v) <= self.high]
            return tuple(Tick(self.x(v)[0], f"{v:g}") for v in values)
        step = _nice_step((self.high - self.low) / 4)
        first = math.ceil(self.low / step)
        values = [i * step for i in range(first, int(math.floor(self.high / step)) + 1)]
        return tuple(Tick(self.x(v)[0], f"{v:g}") for v in values)

    def null(self) -> float | None:
        if self.single_group:
            return None
        return self.x(1.0 if self.log else 0.0)[0]


def _nice_step(raw: float) -> float:
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def forest_plot(result: SynthesisResult) -> ForestPlot:
    measure = result.spec.measure
    bounds = [v for s in result.studies for v in s.shown]
    if result.pooled:
        bounds += list(result.pooled.natural)
    axis = _Axis(bounds, measure)
    weights = max((s.weight or 0) for s in result.studies) or 1
    rows = []
    for i, study in enumerate(result.studies):
        estimate, low, high = study.shown
        x, _ = axis.x(estimate)
        x_low, clip_low = axis.x(low)
        x_high, clip_high = axis.x(high)
        share = (study.weight or 0) / weights
        rows.append(ForestRow(
            y=TOP + i * ROW, label=study.label, text=study_text(study, measure),
            weight=f"{number(100 * study.weight, 1)}%" if study.weight is not None else "",
            x=x, x_low=x_low, x_high=x_high, clipped_low=clip_low, clipped_high=clip_high,
            size=_r(2.5 + 4.5 * math.sqrt(share)) if result.pooled else 3.5))
    diamond_y = TOP + len(rows) * ROW + 6
    diamond, pooled_text = "", ""
    if result.pooled:
        estimate, low, high = result.pooled.natural
        points = [(axis.x(low)[0], diamond_y), (axis.x(estimate)[0], diamond_y - 6),
                  (axis.x(high)[0], diamond_y), (axis.x(estimate)[0], diamond_y + 6)]
        diamond = " ".join(f"{_r(px)},{_r(py)}" for px, py in points)
        pooled_text = interval(estimate, low, high, measure)
    axis_y = diamond_y + (16 if result.pooled else -6)
    left, right = _favours(result.outcome.favourable, measure)
    return ForestPlot(
        id=result.spec.id, width=WIDTH, height=int(axis_y + 48), rows=tuple(rows),
        diamond=diamond, diamond_y=diamond_y,
        pooled_label=_pooled_label(result), pooled_text=pooled_text,
        null_x=axis.null(), axis_y=axis_y, ticks=axis.ticks(),
        favours_left=left, favours_right=right,
        estimate_head="Estimate (95% CI)" if all(round(s.shown_level, 4) == 0.95
                                                 for s in result.studies) else "Estimate (CI)")


def study_text(study, measure: str) -> str:
    """A study's estimate and interval, naming the interval's level when it is not 95%."""
    text = interval(*study.shown, measure)
    if round(study.shown_level, 4) != 0.95:
        text += f", {number(100 * study.shown_level, 0)}% CI"
    return text


def _pooled_label(result: SynthesisResult) -> str:
    if not result.pooled:
        return ""
    if result.pooled.model == "fixed":
        return "Pooled (fixed effect)"
    return f"Pooled (random effects, {result.pooled.method})"


def _favours(favourable: str, measure: str) -> tuple[str, str]:
    """Which side of the null line favours the intervention."""
    if measure in SINGLE_GROUP_MEASURES:  # one group's value: no side to favour
        return "", ""
    if favourable == "lower":
        return "Favours intervention", "Favours comparator"
    return "Favours comparator", "Favours intervention"
