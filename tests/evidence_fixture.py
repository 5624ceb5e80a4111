"""A fixture site with evidence data: the 13 BCG-vaccine trials of `dat.bcg` (Colditz et al.
1994, as distributed with the R package metafor), each as an entry with two-group counts,
and a question that pools them. The bibliography records are synthetic (a label per trial,
no invented titles); only the counts, first authors and years come from the data set."""
from __future__ import annotations

from conftest import Project

# author, year, vaccinated cases / non-cases, unvaccinated cases / non-cases
BCG_TRIALS = [
    ("Aronson", 1948, 4, 119, 11, 128), ("Ferguson and Simes", 1949, 6, 300, 29, 274),
    ("Rosenthal", 1960, 3, 228, 11, 209), ("Hart and Sutherland", 1977, 62, 13536, 248, 12619),
    ("Frimodt-Moller", 1973, 33, 5036, 47, 5761), ("Stein and Aronson", 1953, 180, 1361, 372, 1079),
    ("Vandiviere", 1973, 8, 2537, 10, 619), ("TPT Madras", 1980, 505, 87886, 499, 87892),
    ("Coetzee and Berjak", 1968, 29, 7470, 45, 7232), ("Rosenthal", 1961, 17, 1699, 65, 1600),
    ("Comstock", 1974, 186, 50448, 141, 27197), ("Comstock and Webster", 1969, 5, 2493, 3, 2338),
    ("Comstock", 1976, 27, 16886, 29, 17825)]

OUTCOMES = """\
- id: tuberculosis
  name: Tuberculosis
  kind: binary
  importance: critical
  favourable: lower
- id: survival
  name: Survival
  kind: time-to-event
  importance: critical
  favourable: lower
"""

CERTAINTY = """\
    certainty:
      rating: low
      domains:
        risk_of_bias: {rating: serious, reason: allocation was not concealed in several trials}
        inconsistency: {rating: serious, reason: the effects differ widely between trials}
        indirectness: {rating: not serious}
        imprecision: {rating: not serious}
        publication_bias: {rating: not serious}
"""

QUESTION = """\
---
id: bcg
title: Does BCG vaccination prevent tuberculosis?
pico:
  population: People in the trials of dat.bcg
  intervention: BCG vaccination
  comparator: no vaccination
  outcomes: [tuberculosis]
bottom_line: BCG vaccination may reduce tuberculosis.
evidence_status: moderate
open_questions: []
syntheses:
  - outcome: tuberculosis
    measure: RR
    entries: [{entries}]
    model: random
    method: DL
{certainty}    statement: BCG vaccination may reduce tuberculosis.
---
"""


def trial_id(index: int) -> str:
    return f"bcg-{index + 1:02d}"


def entry_text(index: int, trial) -> str:
    author, year, tpos, tneg, cpos, cneg = trial
    return f"""\
---
id: {trial_id(index)}
title: "BCG trial {index + 1}: {author} {year}"
short_title: {author} {year}
type: rct
citation: bcg{index + 1:02d}
population: not reported
setting: not reported
agents: not reported
questions: [bcg]
key_findings: []
outcomes:
  - outcome: tuberculosis
    citation: bcg{index + 1:02d}
    locator: dat.bcg row {index + 1}
    comparison: BCG vs no vaccine
    intervention: {{events: {tpos}, total: {tpos + tneg}}}
    control: {{events: {cpos}, total: {cpos + cneg}}}
added: 2025-11-01
updated: 2025-11-01
---
"""


def bib_text() -> str:
    return "".join(f"@misc{{bcg{i + 1:02d},\n  author = {{{author.split(' and ')[0]}}},\n"
                   f"  title = {{BCG trial {i + 1} of dat.bcg}},\n  year = {{{year}}}\n}}\n\n"
                   for i, (author, year, *_rest) in enumerate(BCG_TRIALS))


def write_bcg_site(project: Project, certainty: str = CERTAINTY) -> Project:
    project.write("citations.bib", bib_text())
    project.write("content/outcomes.yaml", OUTCOMES)
    for index, trial in enumerate(BCG_TRIALS):
        project.write(f"content/entries/{trial_id(index)}.md", entry_text(index, trial))
    ids = ", ".join(trial_id(i) for i in range(len(BCG_TRIALS)))
    project.write("content/questions/bcg.md",
                  QUESTION.format(entries=ids, certainty=certainty))
    return project
