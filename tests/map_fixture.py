"""The BCG site of evidence_fixture with a second question and two more designs, so that the
evidence map has cells of several designs, outcomes and certainty sources."""
from __future__ import annotations

from conftest import Project
from evidence_fixture import write_bcg_site

COHORT = """\
---
id: cohort-1
title: "A cohort: survival"
type: cohort
citation: cohort1
population: not reported
setting: not reported
agents: not reported
questions: [bcg, other]
key_findings: []
outcomes:
  - outcome: survival
    citation: cohort1
    locator: table 2
    measure: HR
    estimate: 0.8
    ci: [0.6, 1.1]
added: 2025-11-01
updated: 2025-11-01
---
"""

REVIEW = """\
---
id: review-1
title: "A narrative review"
type: review
citation: review1
population: not reported
setting: not reported
agents: not reported
questions: [other]
key_findings: []
added: 2025-11-01
updated: 2025-11-01
---
"""

OTHER = """\
---
id: other
title: Is there anything else?
pico:
  population: people
  intervention: other things
  comparator: nothing
  outcomes: [survival]
bottom_line: Perhaps.
evidence_status: limited
open_questions: []
---
"""

BIB = """
@misc{cohort1,
  title = {A cohort},
  year = {2020}
}

@misc{review1,
  title = {A narrative review},
  year = {2021}
}
"""


def write_map_site(project: Project) -> Project:
    write_bcg_site(project)
    project.write("citations.bib", (project.root / "citations.bib").read_text() + BIB)
    project.write("content/entries/cohort-1.md", COHORT)
    project.write("content/entries/review-1.md", REVIEW)
    project.write("content/questions/other.md", OTHER)
    return project
