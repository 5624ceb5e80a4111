"""content/flow.yaml -> the flow of studies of each release (PRISMA 2020), as frozen data.

One block per release, oldest first. The counts are read as the schema checked them; the
arithmetic between them is checked in `flow_checks`.
"""
from __future__ import annotations

from dataclasses import dataclass

from evidencesite.content.model import ContentYaml, SourceLocation

Counts = tuple[tuple[str, int], ...]  # (source or reason, count), in the file's order


FlowSource = ContentYaml  # content/flow.yaml as read


@dataclass(frozen=True, kw_only=True)
class Retrieval:
    """The reports of one arm from retrieval to inclusion: sought, not retrieved, assessed
    for eligibility, excluded (with reasons), and the new studies and reports included."""

    sought: int
    not_retrieved: int
    assessed: int
    excluded_reports: Counts
    new_studies: int
    new_reports: int


@dataclass(frozen=True)
class OtherArm(Retrieval):
    """Identification of new studies via other methods (citation searching, ...)."""

    identified: Counts

    @property
    def identified_total(self) -> int:
        return sum(n for _, n in self.identified)


@dataclass(frozen=True)
class FlowRelease(Retrieval):
    """One release's flow: identified in databases and registers, removed, screened, and
    retrieved (the fields of `Retrieval`), with the other methods' arm if any."""

    version: str
    date: str
    previous_studies: int
    previous_reports: int
    databases: Counts
    registers: Counts
    duplicates: int
    automation: int
    other_removed: int
    screened: int
    excluded_screening: int
    other: OtherArm | None = None
    notes: str = ""

    @property
    def identified_total(self) -> int:
        return sum(n for _, n in self.databases + self.registers)

    @property
    def removed_total(self) -> int:
        return self.duplicates + self.automation + self.other_removed

    @property
    def all_new_studies(self) -> int:
        return self.new_studies + (self.other.new_studies if self.other else 0)

    @property
    def all_new_reports(self) -> int:
        return self.new_reports + (self.other.new_reports if self.other else 0)

    @property
    def total_studies(self) -> int:
        return self.previous_studies + self.all_new_studies

    @property
    def total_reports(self) -> int:
        return self.previous_reports + self.all_new_reports

    @property
    def updated(self) -> bool:
        """Drawn with the "updated review" template: there is a previous version to show."""
        return self.previous_studies > 0


@dataclass(frozen=True)
class Flow:
    releases: tuple[FlowRelease, ...] = ()  # oldest first

    @property
    def latest(self) -> FlowRelease | None:
        return self.releases[-1] if self.releases else None


def _counts(mapping: dict) -> Counts:
    return tuple((str(name), int(count)) for name, count in mapping.items())


def flow_release(block: dict) -> FlowRelease:
    """One schema-valid block of content/flow.yaml."""
    removed = block["removed_before_screening"]
    other = block.get("other_methods")
    arm = OtherArm(identified=_counts(other["identified"]), **_retrieval(other)) \
        if other else None
    return FlowRelease(
        version=block["version"], date=block["date"],
        previous_studies=block["previous_studies"], previous_reports=block["previous_reports"],
        databases=_counts(block["identified"]["databases"]),
        registers=_counts(block["identified"]["registers"]),
        duplicates=removed["duplicates"], automation=removed["automation"],
        other_removed=removed["other"], screened=block["screened"],
        excluded_screening=block["excluded_screening"], **_retrieval(block), other=arm,
        notes=block.get("notes", ""))


def _retrieval(block: dict) -> dict:
    return dict(sought=block["sought"], not_retrieved=block["not_retrieved"],
                assessed=block["assessed"], excluded_reports=_counts(block["excluded_reports"]),
                new_studies=block["new_studies"], new_reports=block["new_reports"])


def locator(source: FlowSource):
    """A function giving the position of a path of keys in content/flow.yaml."""
    positions = source.positions or {}

    def locate(*path) -> SourceLocation:
        probe = tuple(path)
        while probe and probe not in positions:
            probe = probe[:-1]
        return positions.get(probe, SourceLocation(source.path, 1, 1))

    return locate
