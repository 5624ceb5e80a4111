"""PRISMA 2020 flow-diagram geometry: where each box, arrow and phase label goes.

The template `_prisma.svg` draws it. The layout and wording follow the PRISMA 2020
templates (Page et al. 2021) as the PRISMA2020 R package draws them (Haddaway et al.
2022): the "updated review" template, with the previous-studies column, when the previous
version included studies; the "new review" template otherwise; and the other-methods arm
when the release has one. Coordinates are whole numbers, so the same input gives the same
bytes.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

from evidencesite.evidence.flow import Counts, FlowRelease

LINE = 15  # px between text lines (12 px type)
PAD = 8
CHAR = 6.7  # average width of a character at 12 px, for wrapping
GAP_Y = 26
PHASE_W = 22
PREV_W, MAIN_W, SIDE_W = 170, 200, 200
OTHER_W = 190
HEADER_H = 34


@dataclass(frozen=True)
class Box:
    id: str  # what the box counts, e.g. "screened" or "other-sought"
    x: int
    y: int
    w: int
    h: int
    lines: tuple[str, ...]
    kind: str = "box"  # box | header

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines)

    @property
    def rows(self) -> tuple[tuple[int, int, str], ...]:
        """(x, y, text) of each line; indented lines sit further right."""
        return tuple((self.x + PAD + (10 if line.startswith(" ") else 0),
                      self.y + PAD + LINE * i + 10, line.strip())
                     for i, line in enumerate(self.lines))


@dataclass(frozen=True)
class Phase:
    x: int
    y: int
    w: int
    h: int
    label: str


@dataclass(frozen=True)
class Diagram:
    id: str
    version: str
    width: int
    height: int
    boxes: tuple[Box, ...]
    arrows: tuple[str, ...]  # polyline points
    phases: tuple[Phase, ...]
    title: str
    description: str
    line: int = LINE
    pad: int = PAD


NBSP = "\u00a0"  # keeps "(n = 12)" on one line while wrapping


def n(count: int) -> str:
    return f"(n{NBSP}={NBSP}{count})"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _counts(items: Counts, indent: str = "") -> list[str]:
    return [f"{indent}{name} {n(count)}" for name, count in items]


def _excluded(items: Counts) -> list[str]:
    if not items:
        return [f"Reports excluded {n(0)}"]
    return ["Reports excluded:"] + _counts(items)


def _wrap(lines: list[str], width: int) -> tuple[str, ...]:
    chars = int((width - 2 * PAD) / CHAR)
    out: list[str] = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        out += [part.replace(NBSP, " ") for part in textwrap.wrap(
            line, chars, subsequent_indent=" " * indent, break_long_words=True) or [""]]
    return tuple(out)


def box_texts(r: FlowRelease) -> dict[str, list[str]]:
    """The words of every box, by id, in PRISMA 2020's wording."""
    texts = {
        "identified": ["Records identified from:",
                       f"Databases {n(sum(c for _, c in r.databases))}",
                       *_counts(r.databases, "  "),
                       f"Registers {n(sum(c for _, c in r.registers))}",
                       *_counts(r.registers, "  ")],
        "removed": ["Records removed before screening:",
                    f"Duplicate records removed {n(r.duplicates)}",
                    f"Records marked as ineligible by automation tools {n(r.automation)}",
                    f"Records removed for other reasons {n(r.other_removed)}"],
        "screened": [f"Records screened {n(r.screened)}"],
        "excluded-screening": [f"Records excluded {n(r.excluded_screening)}"],
        "sought": [f"Reports sought for retrieval {n(r.sought)}"],
        "not-retrieved": [f"Reports not retrieved {n(r.not_retrieved)}"],
        "assessed": [f"Reports assessed for eligibility {n(r.assessed)}"],
        "excluded-reports": _excluded(r.excluded_reports),
    }
    arms = []
    if r.other:
        arms = [f"from databases and registers: {_plural(r.new_studies, 'study', 'studies')}"
                f", {_plural(r.new_reports, 'report', 'reports')}",
                f"from other methods: {_plural(r.other.new_studies, 'study', 'studies')}, "
                f"{_plural(r.other.new_reports, 'report', 'reports')}"]
        texts.update({
            "other-identified": ["Records identified from:", *_counts(r.other.identified)]
            if r.other.identified else [f"Records identified {n(0)}"],
            "other-sought": [f"Reports sought for retrieval {n(r.other.sought)}"],
            "other-not-retrieved": [f"Reports not retrieved {n(r.other.not_retrieved)}"],
            "other-assessed": [f"Reports assessed for eligibility {n(r.other.assessed)}"],
            "other-excluded-reports": _excluded(r.other.excluded_reports)})
    if r.updated:
        texts["previous"] = [
            f"Studies included in previous version of review {n(r.previous_studies)}",
            f"Reports of studies included in previous version of review "
            f"{n(r.previous_reports)}"]
        texts["new"] = [f"New studies included in review {n(r.all_new_studies)}",
                        f"Reports of new included studies {n(r.all_new_reports)}", *arms]
        texts["total"] = [f"Total studies included in review {n(r.total_studies)}",
                          f"Reports of total included studies {n(r.total_reports)}"]
    else:
        texts["new"] = [f"Studies included in review {n(r.total_studies)}",
                        f"Reports of included studies {n(r.total_reports)}", *arms]
    return texts


class _Layout:
    def __init__(self, r: FlowRelease) -> None:
        x = PHASE_W + 8
        self.prev = x if r.updated else None
        x += PREV_W + 20 if r.updated else 0
        self.main, self.side = x, x + MAIN_W + 16
        x = self.side + SIDE_W + 20
        self.other = x if r.other else None
        self.other_side = x + OTHER_W + 16 if r.other else None
        self.width = (self.other_side + OTHER_W if r.other else self.side + SIDE_W) + 2
        self.texts = box_texts(r)
        self.boxes: list[Box] = []

    def box(self, id_: str, x: int, y: int, w: int) -> Box:
        lines = _wrap(self.texts[id_], w)
        box = Box(id_, x, y, w, 2 * PAD + LINE * len(lines), lines)
        self.boxes.append(box)
        return box

    def row(self, y: int, *specs) -> tuple[int, dict[str, Box]]:
        """Boxes of one row, all as tall as the tallest; the y of the next row."""
        made = {id_: self.box(id_, x, y, w) for id_, x, w in specs if x is not None}
        height = max(b.h for b in made.values())
        for id_, b in made.items():
            grown = Box(b.id, b.x, b.y, b.w, height, b.lines)
            self.boxes[self.boxes.index(b)] = grown
            made[id_] = grown
        return y + height + GAP_Y, made


def _right(a: Box, b: Box) -> str:
    y = a.y + a.h // 2
    return f"{a.x + a.w},{y} {b.x},{y}"


def _down(a: Box, b: Box) -> str:
    x = a.x + a.w // 2
    return f"{x},{a.y + a.h} {x},{b.y}"


def _other_arrows(top: dict, sought: dict, assessed: dict, new: Box) -> list[str]:
    """The other-methods arm, down its column and then across into the included box."""
    source = assessed["other-assessed"]
    x, mid = source.x + source.w // 2, new.y + new.h // 2
    return [_down(top["other-identified"], sought["other-sought"]),
            _right(sought["other-sought"], sought["other-not-retrieved"]),
            _down(sought["other-sought"], source),
            _right(source, assessed["other-excluded-reports"]),
            f"{x},{source.y + source.h} {x},{mid} {new.x + new.w},{mid}"]


def flow_diagram(r: FlowRelease) -> Diagram:
    lay = _Layout(r)
    headers = [Box("head-previous", lay.prev, 0, PREV_W, HEADER_H, ("Previous studies",),
                   "header")] if r.updated else []
    headers.append(Box("head-databases", lay.main, 0, lay.side + SIDE_W - lay.main, HEADER_H,
                       ("Identification of new studies via databases and registers",),
                       "header"))
    if r.other:
        headers.append(Box("head-other", lay.other, 0, lay.other_side + OTHER_W - lay.other,
                           HEADER_H, ("Identification of new studies via other methods",),
                           "header"))
    y, top = lay.row(HEADER_H + 12, ("previous", lay.prev, PREV_W),
                     ("identified", lay.main, MAIN_W), ("removed", lay.side, SIDE_W),
                     ("other-identified", lay.other, OTHER_W))
    screening_y = y
    y, screen = lay.row(y, ("screened", lay.main, MAIN_W),
                        ("excluded-screening", lay.side, SIDE_W))
    y, sought = lay.row(y, ("sought", lay.main, MAIN_W), ("not-retrieved", lay.side, SIDE_W),
                        ("other-sought", lay.other, OTHER_W),
                        ("other-not-retrieved", lay.other_side, OTHER_W))
    y, assessed = lay.row(y, ("assessed", lay.main, MAIN_W),
                          ("excluded-reports", lay.side, SIDE_W),
                          ("other-assessed", lay.other, OTHER_W),
                          ("other-excluded-reports", lay.other_side, OTHER_W))
    included_y = y
    y, new = lay.row(y, ("new", lay.main, MAIN_W))
    arrows = [_down(top["identified"], screen["screened"]),
              _right(top["identified"], top["removed"]),
              _right(screen["screened"], screen["excluded-screening"]),
              _down(screen["screened"], sought["sought"]),
              _right(sought["sought"], sought["not-retrieved"]),
              _down(sought["sought"], assessed["assessed"]),
              _right(assessed["assessed"], assessed["excluded-reports"]),
              _down(assessed["assessed"], new["new"])]
    if r.other:
        arrows += _other_arrows(top, sought, assessed, new["new"])
    if r.updated:
        y, total = lay.row(y, ("total", lay.main, MAIN_W))
        arrows.append(_down(new["new"], total["total"]))
        prev, box = top["previous"], total["total"]
        x, mid = prev.x + prev.w // 2, box.y + box.h // 2
        arrows.append(f"{x},{prev.y + prev.h} {x},{mid} {box.x},{mid}")
    height = y - GAP_Y + 2
    phases = (Phase(0, HEADER_H + 12, PHASE_W, screening_y - GAP_Y - HEADER_H - 12,
                    "Identification"),
              Phase(0, screening_y, PHASE_W, included_y - GAP_Y - screening_y, "Screening"),
              Phase(0, included_y, PHASE_W, height - 2 - included_y, "Included"))
    boxes = tuple(headers) + tuple(lay.boxes)
    kind = "updated" if r.updated else "new"
    return Diagram(
        id=f"prisma-{r.version.replace('.', '-')}", version=r.version, width=lay.width,
        height=height, boxes=boxes, arrows=tuple(arrows), phases=phases,
        title=f"PRISMA 2020 flow diagram, version {r.version}",
        description=f"Flow of studies through version {r.version} of the review "
                    f"({'update' if kind == 'updated' else 'first version'}, searches of "
                    f"{r.date}). " + " ".join(
                        f"{b.text}." for b in lay.boxes))


@dataclass(frozen=True)
class TableRow:
    label: str
    databases: int | None  # the databases-and-registers arm, or the whole review
    other: int | None = None  # the other-methods arm
    shared: bool = False  # one number for the whole review


def flow_table(r: FlowRelease) -> tuple[TableRow, ...]:
    """The diagram's numbers as table rows, in its reading order."""
    other = r.other
    rows = []
    if r.updated:
        rows += [TableRow("Studies included in the previous version", r.previous_studies,
                          shared=True),
                 TableRow("Reports of studies included in the previous version",
                          r.previous_reports, shared=True)]
    rows += [TableRow(f"Records identified: {name} (database)", count)
             for name, count in r.databases]
    rows += [TableRow(f"Records identified: {name} (register)", count)
             for name, count in r.registers]
    if not r.databases and not r.registers:
        rows.append(TableRow("Records identified from databases and registers", 0))
    rows += [TableRow(f"Records identified: {name}", None, count)
             for name, count in (other.identified if other else ())]
    rows += [TableRow("Duplicate records removed", r.duplicates),
             TableRow("Records marked as ineligible by automation tools", r.automation),
             TableRow("Records removed for other reasons", r.other_removed),
             TableRow("Records screened", r.screened),
             TableRow("Records excluded at screening", r.excluded_screening)]
    both = [("Reports sought for retrieval", r.sought, other and other.sought),
            ("Reports not retrieved", r.not_retrieved, other and other.not_retrieved),
            ("Reports assessed for eligibility", r.assessed, other and other.assessed)]
    rows += [TableRow(label, mine, theirs if other else None) for label, mine, theirs in both]
    reasons = dict(r.excluded_reports)
    their_reasons = dict(other.excluded_reports) if other else {}
    for reason in list(reasons) + [k for k in their_reasons if k not in reasons]:
        rows.append(TableRow(f"Reports excluded: {reason}", reasons.get(reason),
                             their_reasons.get(reason)))
    rows += [TableRow("New studies included", r.new_studies, other and other.new_studies),
             TableRow("Reports of new included studies", r.new_reports,
                      other and other.new_reports),
             TableRow("Total studies included in the review", r.total_studies, shared=True),
             TableRow("Reports of total included studies", r.total_reports, shared=True)]
    return tuple(rows)
