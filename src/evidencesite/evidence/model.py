"""Frozen data of the evidence stage: what the review measures, what each work reports,
and what a question pools."""
from __future__ import annotations

from dataclasses import dataclass, field

from evidencesite.content.model import SourceLocation

RATIO_MEASURES = ("HR", "OR", "RR")
DIFFERENCE_MEASURES = ("RD", "MD", "SMD")
COUNT_MEASURES = ("OR", "RR", "RD")  # what two-group counts can give
SINGLE_GROUP_MEASURES = ("proportion", "median")  # one group's value: no null, no side favoured
MEASURES = RATIO_MEASURES + DIFFERENCE_MEASURES + SINGLE_GROUP_MEASURES
POOLABLE = RATIO_MEASURES + DIFFERENCE_MEASURES + ("proportion",)
OUTCOME_KINDS = ("time-to-event", "binary", "continuous", "proportion")
IMPORTANCE = ("critical", "important", "not important")
RATINGS = ("high", "moderate", "low", "very low")
DOMAINS = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
DOMAIN_LABELS = {"risk_of_bias": "Risk of bias", "inconsistency": "Inconsistency",
                 "indirectness": "Indirectness", "imprecision": "Imprecision",
                 "publication_bias": "Publication bias"}
CONCERNS = ("not serious", "serious", "very serious")
MEASURE_LABELS = {"HR": "hazard ratio", "OR": "odds ratio", "RR": "risk ratio",
                  "RD": "risk difference", "MD": "mean difference",
                  "SMD": "standardised mean difference", "proportion": "proportion",
                  "median": "median"}


@dataclass(frozen=True)
class OutcomeDefinition:
    id: str
    name: str
    kind: str
    importance: str
    favourable: str  # lower | higher: which side favours the intervention
    description: str = ""
    location: SourceLocation = SourceLocation("content/outcomes.yaml")


@dataclass(frozen=True)
class GroupCounts:
    events: int
    total: int


@dataclass(frozen=True)
class OutcomeRow:
    """One result that one entry reports, with the place in the work it comes from."""

    entry: str
    index: int  # position in the entry's `outcomes` list
    outcome: str
    citation: str
    locator: str
    location: SourceLocation
    comparison: str = ""
    population: str = ""
    group: str = ""
    timepoint: str = ""
    measure: str = ""  # as given; "" for counts only
    estimate: float | None = None
    ci: tuple[float, float] | None = None
    ci_level: float = 0.95
    unit: str = ""
    events: int | None = None
    total: int | None = None
    intervention: GroupCounts | None = None
    control: GroupCounts | None = None
    note: str = ""
    stated_participants: int | None = None  # `participants`: a group's size, without counts

    @property
    def participants(self) -> int | None:
        if self.total is not None:
            return self.total
        if self.intervention and self.control:
            return self.intervention.total + self.control.total
        return self.stated_participants

    def shows(self, measure: str) -> bool:
        """Whether this row states `measure` itself, with or without an interval (a layout
        can list it; only `gives` can be drawn or pooled)."""
        return self.measure == measure and self.estimate is not None

    def gives(self, measure: str) -> bool:
        """Whether this row can give `measure` for pooling."""
        if measure == "proportion":
            return self.events is not None and self.total is not None
        if self.measure == measure and self.estimate is not None and self.ci is not None:
            return True
        return measure in COUNT_MEASURES and bool(self.intervention and self.control)


@dataclass(frozen=True)
class Domain:
    name: str
    rating: str  # not serious | serious | very serious
    reason: str = ""

    @property
    def downgrade(self) -> int:
        return CONCERNS.index(self.rating) if self.rating in CONCERNS else 0


@dataclass(frozen=True)
class Certainty:
    rating: str
    domains: tuple[Domain, ...] = ()
    start: str = "high"  # where GRADE starts: high for randomised trials, low otherwise
    location: SourceLocation = SourceLocation("")


@dataclass(frozen=True)
class SynthesisSpec:
    """What a question asks to pool (or lay out) for one outcome."""

    question: str
    index: int
    outcome: str
    measure: str
    entries: tuple[str, ...]
    model: str  # random | fixed | none
    method: str  # DL | PM
    location: SourceLocation
    title: str = ""
    population: str = ""
    timepoint: str = ""
    comparison: str = ""
    certainty: Certainty | None = None
    statement: str = ""
    reason: str = ""  # why not pooled, for model: none

    @property
    def id(self) -> str:
        return f"{self.question}-{self.index + 1}"


@dataclass(frozen=True)
class StudyEffect:
    """One included row on the analysis scale (log for ratios, logit for proportions)."""

    row: OutcomeRow
    label: str
    effect: float
    variance: float
    shown: tuple[float, float, float]  # estimate, lower, upper on the natural scale
    shown_level: float
    corrected: bool = False  # 0.5 added to the cells (a count of 0 or all)
    weight: float | None = None  # relative weight in the pooled estimate (0-1)


@dataclass(frozen=True)
class ListedResult:
    """A result a layout (`model: none`) lists without drawing it: no interval, no counts."""

    row: OutcomeRow
    label: str


@dataclass(frozen=True)
class Pooled:
    effect: float  # analysis scale
    se: float
    lower: float
    upper: float
    natural: tuple[float, float, float]  # estimate, lower, upper on the natural scale
    tau2: float
    i2: float
    q: float
    k: int
    participants: int | None
    model: str
    method: str


@dataclass(frozen=True)
class SynthesisResult:
    spec: SynthesisSpec
    outcome: OutcomeDefinition
    studies: tuple[StudyEffect, ...]
    pooled: Pooled | None
    notes: tuple[str, ...] = field(default=())
    listed: tuple[ListedResult, ...] = field(default=())

    @property
    def rows(self) -> tuple[OutcomeRow, ...]:
        """Every included result: drawn, then listed."""
        return tuple(s.row for s in self.studies) + tuple(item.row for item in self.listed)

    @property
    def scale(self) -> str:
        if self.spec.measure in RATIO_MEASURES:
            return "log"
        return "logit" if self.spec.measure == "proportion" else "identity"


@dataclass(frozen=True)
class SynthesisPlan:
    """A synthesis as checked, before it is pooled: its specification, its outcome and the
    results it includes. The home page, the evidence map and the entries' certainty read
    only this, so they need no statistics."""
    spec: SynthesisSpec
    outcome: OutcomeDefinition
    rows: tuple[OutcomeRow, ...]


# what the build cache may read back (the pooled syntheses, with what they are made of)
EVIDENCE_TYPES = (OutcomeDefinition, GroupCounts, OutcomeRow, Domain, Certainty, SynthesisSpec,
                  StudyEffect, ListedResult, Pooled, SynthesisResult)
