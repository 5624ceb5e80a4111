"""A flow of studies for the mini site of conftest: two releases whose counts add up."""
from __future__ import annotations

from conftest import SITE_YAML, Project

RELEASES = """\
  releases:
    - version: "0.1"
      date: 2025-11-15
    - version: "0.2"
      date: 2025-12-01
"""

FLOW = """\
- version: "0.1"
  date: 2025-11-10
  previous_studies: 0
  previous_reports: 0
  identified:
    databases: {PubMed: 10, Embase: 5}
    registers: {ClinicalTrials.gov: 3}
  removed_before_screening: {duplicates: 3, automation: 0, other: 0}
  screened: 15
  excluded_screening: 10
  sought: 5
  not_retrieved: 1
  assessed: 4
  excluded_reports: {wrong population: 3}
  new_studies: 1
  new_reports: 1
- version: "0.2"
  date: 2025-12-01
  previous_studies: 1
  previous_reports: 1
  identified:
    databases: {PubMed: 4}
    registers: {}
  removed_before_screening: {duplicates: 0, automation: 0, other: 0}
  screened: 4
  excluded_screening: 4
  sought: 0
  not_retrieved: 0
  assessed: 0
  excluded_reports: {}
  new_studies: 0
  new_reports: 0
  other_methods:
    identified: {citation searching: 7}
    sought: 6
    not_retrieved: 1
    assessed: 5
    excluded_reports: {not a primary study: 5}
    new_studies: 0
    new_reports: 0
"""


def write_flow(project: Project, flow: str = FLOW) -> Project:
    project.write("content/site.yaml", SITE_YAML.replace('version: "0.1"', 'version: "0.2"')
                  + RELEASES)
    project.write("content/flow.yaml", flow)
    return project
