"""What the bibliography says of a record is what its source says: a relation another work's
record gives ("similar article", "cites this work") is not shown as a citation, an author list
cut short stays incomplete in RIS, a date is called an online date only when it is one, and
a registry record carries the day it was accessed."""
from __future__ import annotations

import re

import pytest

from conftest import BIB, build_once, diagnostics_of

MORE_BIB = """
@article{zhou2023x,
  author = {Zhou and Yang},
  title = {A review of resistance},
  year = {2023},
  doi = {10.1000/zhou}
}

@article{similar2022,
  title = {A similar work},
  journal = {J Similar},
  year = {2022},
  volume = {1},
  related = {zhou2023x},
  relation = {similar article}
}

@article{citing2024,
  title = {A citing work},
  journal = {J Citing},
  year = {2024},
  volume = {2},
  related = {zhou2023x},
  relation = {cites this work}
}

@article{printed2025,
  author = {Tang, Li-Bo and others},
  title = {A work without volume},
  journal = {Nat Rev},
  year = {2025},
  date = {2025-06-09}
}

@article{epub2024,
  author = {Gomatou, Georgia},
  title = {A work ahead of print},
  journal = {Clin Oncol},
  year = {2025},
  epubdate = {2024-09-22}
}

@misc{nct01234567,
  title = {A registered study},
  organization = {Example Hospital},
  nct = {NCT01234567},
  urldate = {2025-11-20}
}
"""

PAGE = """\
---
title: Related works
nav_order: 2
---
The review [@zhou2023x] lists [@similar2022] and [@citing2024]; see also [@printed2025],
[@epub2024] and [@nct01234567].
"""


def write_related(project):
    project.write("citations.bib", BIB + MORE_BIB)
    project.write("content/pages/related.md", PAGE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_once(tmp_path_factory, write_related)


def work(project, key: str) -> str:
    """The bibliography's item of one record."""
    html = project.page("bibliography/index.html")
    return re.search(rf'<li id="{key}">(.*?)</li>', html, re.S).group(1)


def test_a_similar_article_is_not_shown_as_cited(site):
    item = work(site, "similar2022")
    assert ('<span class="relation">The source record of <a href="#zhou2023x">Zhou and Yang '
            '2023</a> lists this work as a similar article.</span>') in item
    assert 'Listed on: <a href="/mini/related/">Related works</a>' in item
    assert "Cited by" not in item


def test_a_citing_work_says_it_cites_the_other(site):
    item = work(site, "citing2024")
    assert ('<span class="relation">The source record of <a href="#zhou2023x">Zhou and Yang '
            '2023</a> lists this work among those that cite it.</span>') in item
    assert "Cited by" not in item
    assert 'Cited by: <a href="/mini/related/">Related works</a>' in work(site, "zhou2023x")


def test_ris_keeps_an_author_list_incomplete(site):
    ris = (site.site / "citations.ris").read_text()
    assert ("ID  - smith2020trial\nAU  - Smith, Anna\nAU  - Jones, Bob\nAU  - et al.,\n"
            "N1  - Author list incomplete: the source names 2 authors followed by \"et al.\"\n"
            "TI  - A trial of things\n") in ris
    assert ("ID  - printed2025\nAU  - Tang, Li-Bo\nAU  - et al.,\nN1  - Author list "
            "incomplete: the source names 1 author followed by \"et al.\"\n") in ris
    assert "ID  - zhou2023x\nAU  - Zhou\nAU  - Yang\nTI  - " in ris  # complete: no mark
    assert "UR  - https://clinicaltrials.gov/study/NCT01234567\nY2  - 2025/11/20\n" in ris


def test_a_date_is_called_online_only_when_the_record_says_so(site):
    assert ('Tang LB, et al. A work without volume. <i>Nat Rev</i>. June 9, 2025.'
            in work(site, "printed2025"))
    assert "Zhou, Yang. A review of resistance. 2023. doi:10.1000/zhou" in work(site, "zhou2023x")
    assert ('Gomatou G. A work ahead of print. <i>Clin Oncol</i>. Published online September '
            '22, 2024.') in work(site, "epub2024")
    assert "Published online" not in site.page("bibliography/index.html").replace(
        work(site, "epub2024"), "")


def test_a_registry_record_is_cited_with_its_access_date(site):
    assert ("Example Hospital. A registered study. ClinicalTrials.gov. Accessed November 20, "
            "2025. https://clinicaltrials.gov/study/NCT01234567") in work(site, "nct01234567")


@pytest.mark.parametrize("fields, expected", [
    ("  related = {zhou2023y},\n  relation = {similar article}\n",
     "citations.bib:{line}:3: error[unknown-related]: record `similar2022`: `related` names "
     "`zhou2023y`, which is not in citations.bib"),
    ("  related = {zhou2023x},\n  relation = {cited by}\n",
     "citations.bib:{next}:3: error[unknown-relation]: record `similar2022`: relation "
     "`cited by` is not one the bibliography can show"),
    ("  urldate = {20 Nov 2025}\n",
     "citations.bib:{line}:3: error[bibtex-date]: record `similar2022`: `urldate` is "
     "`20 Nov 2025`"),
])
def test_record_fields_are_checked(project, capsys, fields, expected):
    text = BIB + MORE_BIB
    block = "  related = {zhou2023x},\n  relation = {similar article}\n"
    line = text[:text.index(block)].count("\n") + 1
    project.write("citations.bib", text.replace(block, fields, 1))
    project.write("content/pages/related.md", PAGE)
    assert project.run("check") == 1
    assert expected.format(line=line, next=line + 1) in diagnostics_of(capsys)
