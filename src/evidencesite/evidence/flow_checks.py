"""The arithmetic of content/flow.yaml, checked: what no PRISMA tool does.

Per release: screened = identified - removed before screening; sought = screened -
excluded at screening; assessed = sought - not retrieved; new reports = assessed -
excluded reports (in each arm); totals = previous + new. Across releases: blocks oldest
first, each version one of site.yaml's releases, and `previous_studies` (and reports) the
earlier block's total. The number of entries added by a release is compared with its total
of studies, as a warning only: an entry can cover several reports, a study several entries.
"""
from __future__ import annotations

from evidencesite.diagnostics import Diagnostic, ERROR, WARNING, did_you_mean
from evidencesite.evidence.flow import Flow, FlowRelease, FlowSource, Retrieval, flow_release, \
    locator

COUNT_FIELDS = ("previous_studies", "previous_reports", "screened", "excluded_screening",
                "sought", "not_retrieved", "assessed", "new_studies", "new_reports",
                "total_studies", "total_reports")
ARM_FIELDS = ("sought", "not_retrieved", "assessed", "new_studies", "new_reports")


def check_flow(source: FlowSource, releases: list, entry_dates: list[str]
               ) -> tuple[Flow, list[Diagnostic]]:
    """`releases`: site.yaml's review.releases; `entry_dates`: every entry's `added`."""
    data = source.data if isinstance(source.data, list) else []
    locate = locator(source)
    problems = [problem for index, block in enumerate(data)
                for problem in _negatives(index, block, locate)]
    known = {r["version"]: r["date"] for r in releases if isinstance(r, dict)}
    flow = []
    for index, block in enumerate(data):
        release = flow_release(block)
        problems.extend(_arithmetic(index, block, release, locate))
        if release.version not in known:
            problems.append(Diagnostic(
                locate(index, "version"), ERROR, "flow-unknown-release",
                f"version {release.version} is not one of the releases in content/site.yaml",
                did_you_mean(release.version, known) or
                f"add it to review.releases in content/site.yaml (known: "
                f"{', '.join(known) or 'none'})"))
        if flow:
            problems.extend(_against_previous(index, release, flow[-1], locate))
        date = known.get(release.version, release.date)
        added = sum(1 for day in entry_dates if day <= date)
        if added != release.total_studies:
            problems.append(Diagnostic(
                locate(index, "new_studies"), WARNING, "flow-entries-differ",
                f"version {release.version} includes {release.total_studies} "
                f"{_studies(release.total_studies)} in all, but {added} "
                f"{'entry was' if added == 1 else 'entries were'} added by {date}",
                "an entry can cover several reports and a study several entries: check the "
                "counts if that does not explain the difference"))
        flow.append(release)
    return Flow(tuple(flow)), problems


def _studies(count: int) -> str:
    return "study" if count == 1 else "studies"


def _negatives(index: int, block: dict, locate):
    def counts_in(path: tuple, mapping: dict):
        for name, value in mapping.items():
            yield path + (name,), value

    found = [((name,), block.get(name)) for name in COUNT_FIELDS]
    for group in ("databases", "registers"):
        found += counts_in(("identified", group), block["identified"][group])
    found += counts_in(("removed_before_screening",), block["removed_before_screening"])
    found += counts_in(("excluded_reports",), block["excluded_reports"])
    other = block.get("other_methods")
    if other:
        found += [(("other_methods", name), other[name]) for name in ARM_FIELDS]
        found += counts_in(("other_methods", "identified"), other["identified"])
        found += counts_in(("other_methods", "excluded_reports"), other["excluded_reports"])
    for path, value in found:
        if isinstance(value, int) and value < 0:
            yield Diagnostic(locate(index, *path), ERROR, "flow-negative",
                             f"`{'.'.join(path)}` is {value}: a count cannot be negative",
                             "write the number of records, reports or studies: 0 or more")


def _rule(index: int, path: tuple, actual: int, expected: int, why: str, locate):
    if actual == expected:
        return []
    return [Diagnostic(locate(index, *path), ERROR, "flow-arithmetic",
                       f"`{'.'.join(path)}` is {actual}, but {why} gives {expected}",
                       f"expected {expected}; or correct the counts it is made from")]


def _retrieval_rules(index: int, arm: tuple, r: Retrieval, locate) -> list[Diagnostic]:
    """An arm's assessed and new reports, from those sought and excluded."""
    excluded = sum(n for _, n in r.excluded_reports)
    return [*_rule(index, (*arm, "assessed"), r.assessed, r.sought - r.not_retrieved,
                   f"sought {r.sought} − not retrieved {r.not_retrieved}", locate),
            *_rule(index, (*arm, "new_reports"), r.new_reports, r.assessed - excluded,
                   f"assessed {r.assessed} − excluded reports {excluded}", locate)]


def _arithmetic(index: int, block: dict, r: FlowRelease, locate) -> list[Diagnostic]:
    found = [
        *_rule(index, ("screened",), r.screened, r.identified_total - r.removed_total,
               f"identified {r.identified_total} − removed before screening {r.removed_total}",
               locate),
        *_rule(index, ("sought",), r.sought, r.screened - r.excluded_screening,
               f"screened {r.screened} − excluded at screening {r.excluded_screening}", locate),
        *_retrieval_rules(index, (), r, locate)]
    if r.other:
        found += _retrieval_rules(index, ("other_methods",), r.other, locate)
    for name, total, previous, new in (
            ("total_studies", r.total_studies, r.previous_studies, r.all_new_studies),
            ("total_reports", r.total_reports, r.previous_reports, r.all_new_reports)):
        if name in block:
            found += _rule(index, (name,), block[name], total,
                           f"previous {previous} + new {new}", locate)
    return found


def _against_previous(index: int, release: FlowRelease, earlier: FlowRelease, locate):
    if release.date < earlier.date or \
            _version_key(release.version) <= _version_key(earlier.version):
        yield Diagnostic(locate(index, "version"), ERROR, "flow-release-order",
                         f"version {release.version} ({release.date}) comes after version "
                         f"{earlier.version} ({earlier.date}) but is not newer",
                         "list the blocks oldest first, each a later version with a later "
                         "date than the block before")
    for name, value, total in (("previous_studies", release.previous_studies,
                                earlier.total_studies),
                               ("previous_reports", release.previous_reports,
                                earlier.total_reports)):
        if value != total:
            what = ("study" if total == 1 else "studies") if name == "previous_studies" \
                else ("report" if total == 1 else "reports")
            yield Diagnostic(locate(index, name), ERROR, "flow-previous-total",
                             f"`{name}` is {value}, but version {earlier.version} included "
                             f"{total} {what} in all",
                             f"expected {total}, the total of version {earlier.version}")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
