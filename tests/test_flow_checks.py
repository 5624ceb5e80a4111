"""content/flow.yaml: every arithmetic rule, with the line, column and expected number."""
from __future__ import annotations

import pytest

from conftest import diagnostics_of
from flow_fixture import FLOW, write_flow

F = "content/flow.yaml"


def check_lines(project, capsys, flow: str, code: int = 1) -> list[str]:
    write_flow(project, flow)
    assert project.run("check") == code
    return diagnostics_of(capsys)


def test_a_flow_that_adds_up_passes(project, capsys):
    assert check_lines(project, capsys, FLOW, 0) == []


def test_the_schema_is_published(flow_site):
    assert '"$id": "flow.schema.json"' in flow_site.page("schema/flow.schema.json")


@pytest.mark.parametrize("old, new, expected", [
    ("screened: 15", "screened: 14",
     [f"{F}:9:13: error[flow-arithmetic]: `screened` is 14, but identified 18 − removed "
      "before screening 3 gives 15",
      "  hint: expected 15; or correct the counts it is made from",
      f"{F}:11:11: error[flow-arithmetic]: `sought` is 5, but screened 14 − excluded at "
      "screening 10 gives 4",
      "  hint: expected 4; or correct the counts it is made from"]),
    ("not_retrieved: 1\n  assessed: 4", "not_retrieved: 2\n  assessed: 4",
     [f"{F}:13:13: error[flow-arithmetic]: `assessed` is 4, but sought 5 − not retrieved 2 "
      "gives 3",
      "  hint: expected 3; or correct the counts it is made from"]),
    ("excluded_reports: {wrong population: 3}", "excluded_reports: {wrong population: 2}",
     [f"{F}:16:16: error[flow-arithmetic]: `new_reports` is 1, but assessed 4 − excluded "
      "reports 2 gives 2",
      "  hint: expected 2; or correct the counts it is made from"]),
    ("    not_retrieved: 1\n    assessed: 5", "    not_retrieved: 0\n    assessed: 5",
     [f"{F}:37:15: error[flow-arithmetic]: `other_methods.assessed` is 5, but sought 6 − "
      "not retrieved 0 gives 6",
      "  hint: expected 6; or correct the counts it is made from"]),
    ("    new_studies: 0\n    new_reports: 0", "    new_studies: 0\n    new_reports: 1",
     [f"{F}:40:18: error[flow-arithmetic]: `other_methods.new_reports` is 1, but assessed 5 − "
      "excluded reports 5 gives 0",
      "  hint: expected 0; or correct the counts it is made from"]),
    ("  new_reports: 1\n", "  new_reports: 1\n  total_studies: 2\n",
     [f"{F}:17:18: error[flow-arithmetic]: `total_studies` is 2, but previous 0 + new 1 "
      "gives 1",
      "  hint: expected 1; or correct the counts it is made from"]),
    ("previous_studies: 1", "previous_studies: 3",
     [f"{F}:19:21: error[flow-previous-total]: `previous_studies` is 3, but version 0.1 "
      "included 1 study in all",
      "  hint: expected 1, the total of version 0.1"]),
    ("registers: {ClinicalTrials.gov: 3}", "registers: {ClinicalTrials.gov: -3}",
     [f"{F}:7:37: error[flow-negative]: `identified.registers.ClinicalTrials.gov` is -3: a "
      "count cannot be negative",
      "  hint: write the number of records, reports or studies: 0 or more"]),
    ("date: 2025-12-01\n  previous_studies", "date: 2025-11-01\n  previous_studies",
     [f"{F}:17:12: error[flow-release-order]: version 0.2 (2025-11-01) comes after version "
      "0.1 (2025-11-10) but is not newer",
      "  hint: list the blocks oldest first, each a later version with a later date than "
      "the block before"]),
    ('- version: "0.2"', '- version: "0.3"',
     [f"{F}:17:12: error[flow-unknown-release]: version 0.3 is not one of the releases in "
      "content/site.yaml",
      "  hint: did you mean `0.2`?"]),
])
def test_each_rule_names_the_line_and_the_expected_value(project, capsys, old, new, expected):
    assert old in FLOW
    lines = check_lines(project, capsys, FLOW.replace(old, new, 1))
    for line in expected:
        assert line in lines, "\n".join(lines)


def test_a_version_far_from_any_release_lists_the_known_ones(project, capsys):
    lines = check_lines(project, capsys, FLOW.replace('- version: "0.2"', '- version: "7"'))
    assert "  hint: add it to review.releases in content/site.yaml (known: 0.1, 0.2)" in lines


def test_blocks_out_of_order_are_an_error(project, capsys):
    first, second = FLOW.split('- version: "0.2"')
    second = '- version: "0.2"' + second.replace("previous_studies: 1", "previous_studies: 0")
    lines = check_lines(project, capsys, second + first)
    assert any("error[flow-release-order]: version 0.1 (2025-11-10) comes after version 0.2"
               in line for line in lines), "\n".join(lines)


def test_all_problems_are_reported_in_one_run(project, capsys):
    flow = FLOW.replace("screened: 15", "screened: -1").replace("sought: 0", "sought: 2")
    lines = [line for line in check_lines(project, capsys, flow) if "error[" in line]
    assert [line.split(": error")[0] for line in lines] == [
        f"{F}:9:13", f"{F}:9:13", f"{F}:11:11", f"{F}:27:11", f"{F}:29:13"]


def test_totals_that_differ_from_the_entries_are_a_warning_only(project, capsys):
    flow = FLOW.replace("new_studies: 1", "new_studies: 2").replace(
        "previous_studies: 1", "previous_studies: 2")
    lines = check_lines(project, capsys, flow, 0)
    assert lines == [
        f"{F}:15:16: warning[flow-entries-differ]: version 0.1 includes 2 studies in all, but "
        "1 entry was added by 2025-11-15",
        "  hint: an entry can cover several reports and a study several entries: check the "
        "counts if that does not explain the difference",
        f"{F}:31:16: warning[flow-entries-differ]: version 0.2 includes 2 studies in all, but "
        "1 entry was added by 2025-12-01",
        "  hint: an entry can cover several reports and a study several entries: check the "
        "counts if that does not explain the difference"]
    assert project.run("check", "--strict") == 1


def test_a_wrong_type_is_a_schema_error(project, capsys):
    lines = check_lines(project, capsys, FLOW.replace("sought: 5", "sought: five"))
    assert f"{F}:11:11: error[wrong-type]: `[0].sought` must be a whole number, not text" \
        in lines
