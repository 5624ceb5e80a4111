"""The PRISMA 2020 flow diagram: its boxes show exactly the numbers of content/flow.yaml."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from flow_fixture import FLOW

SVG = "{http://www.w3.org/2000/svg}"


def diagram_boxes(html: str) -> dict[str, str]:
    svg = re.search(r"<svg class=\"prisma\".*?</svg>", html, re.S)[0]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    return {g.get("data-box"): " ".join(t.text for t in g.iter(f"{SVG}text"))
            for g in root.iter(f"{SVG}g") if g.get("data-box")}


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\(n = (\d+)\)", text)]


def expected_numbers(block: dict) -> dict[str, list[int]]:
    found = block["identified"]
    removed = block["removed_before_screening"]
    total = block["previous_studies"] + block["new_studies"]
    reports = block["previous_reports"] + block["new_reports"]
    other = block.get("other_methods")
    if other:
        total, reports = total + other["new_studies"], reports + other["new_reports"]
    new = [block["new_studies"] + (other["new_studies"] if other else 0),
           block["new_reports"] + (other["new_reports"] if other else 0)]
    expected = {
        "identified": [sum(found["databases"].values()), *found["databases"].values(),
                       sum(found["registers"].values()), *found["registers"].values()],
        "removed": [removed["duplicates"], removed["automation"], removed["other"]],
        "screened": [block["screened"]], "excluded-screening": [block["excluded_screening"]],
        "sought": [block["sought"]], "not-retrieved": [block["not_retrieved"]],
        "assessed": [block["assessed"]],
        "excluded-reports": list(block["excluded_reports"].values()) or [0],
    }
    if block["previous_studies"]:
        expected["previous"] = [block["previous_studies"], block["previous_reports"]]
        expected["new"] = new
        expected["total"] = [total, reports]
    else:
        expected["new"] = [total, reports]
    if other:
        expected.update({
            "other-identified": list(other["identified"].values()),
            "other-sought": [other["sought"]], "other-not-retrieved": [other["not_retrieved"]],
            "other-assessed": [other["assessed"]],
            "other-excluded-reports": list(other["excluded_reports"].values()) or [0]})
    return expected


@pytest.mark.parametrize("index, path", [(0, "flow/0.1/"), (1, "flow/0.2/"), (1, "flow/")])
def test_every_box_shows_exactly_the_numbers_of_the_yaml(flow_site, index, path):
    block = yaml.safe_load(FLOW)[index]
    boxes = diagram_boxes(flow_site.page(path + "index.html"))
    shown = {name: numbers(text) for name, text in boxes.items()
             if not name.startswith("head-")}
    assert shown == expected_numbers(block)


def test_the_update_template_and_the_other_methods_arm(flow_site):
    first = diagram_boxes(flow_site.page("flow/0.1/index.html"))
    assert "previous" not in first and "other-identified" not in first
    assert first["new"] == "Studies included in review (n = 1) Reports of included studies " \
                           "(n = 1)"
    second = diagram_boxes(flow_site.page("flow/index.html"))
    assert second["head-previous"] == "Previous studies"
    assert second["head-other"] == "Identification of new studies via other methods"
    assert second["previous"].startswith("Studies included in previous version of review")
    assert second["total"] == ("Total studies included in review (n = 1) Reports of total "
                               "included studies (n = 1)")
    assert second["other-identified"] == "Records identified from: citation searching (n = 7)"


def test_the_numbers_are_also_in_a_table(flow_site):
    html = flow_site.page("flow/index.html")
    table = re.search(r"<table class=\"flow-table\">.*?</table>", html, re.S)[0]
    assert "<tr><th scope=\"row\">Records identified: citation searching</th><td>—</td>" \
           "<td>7</td></tr>" in table
    assert "<tr><th scope=\"row\">Total studies included in the review</th>" \
           "<td colspan=\"2\">1</td></tr>" in table


def test_no_flow_file_means_no_flow_pages(mini_site):
    assert not (mini_site.site / "flow").exists()


def test_every_release_diagram_is_reachable_from_whats_new(flow_site):
    page = flow_site.page("whats-new/index.html")
    for version in ("0.1", "0.2"):
        assert f'<a href="/mini/flow/{version}/">Flow diagram of version {version}</a>' in page
        assert (flow_site.site / f"flow/{version}/index.html").is_file()
