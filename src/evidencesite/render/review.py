"""The review-level pages: the flow of studies (/flow/ and /flow/<version>/) and the
evidence map."""
from __future__ import annotations

from evidencesite.evidence.flow import Flow, FlowRelease
from evidencesite.evidence.grade import SYMBOLS, WORDING
from evidencesite.evidence.model import RATINGS
from evidencesite.evidence.prisma import flow_diagram, flow_table
from evidencesite.render.map import LEGEND, evidence_maps
from evidencesite.render.pages import Page


def flow_view(release: FlowRelease, latest: bool = False) -> dict:
    """What `_flow.html` draws of one release."""
    return {"release": release, "diagram": flow_diagram(release),
            "table": flow_table(release), "latest": latest}


def flow_pages(renderer) -> list[Page]:
    """/flow/ (the latest release) and /flow/<version>/ for every release with a block."""
    flow: Flow = renderer.evidence.flow
    methods = "methods" in {p.document.id for p in renderer.pages}
    methods_url = renderer.url("methods/" if methods else "flow/")
    pages = []
    for release in flow.releases:
        def context(release=release) -> dict:
            return dict(flow=flow_view(release, release is flow.latest),
                        versions=flow.releases, methods_url=methods_url)

        paths = [f"flow/{release.version}/index.html"]
        paths += ["flow/index.html"] if release is flow.latest else []
        pages += [renderer.page(path, "flow.html", context) for path in paths]
    return pages


def map_context(renderer) -> dict:
    """The evidence map by design and by outcome, from the renderer's rows and planned
    syntheses, with its legend."""
    methods = "methods" in {p.document.id for p in renderer.pages}
    return {"maps": review_maps(renderer), "legend": LEGEND,
            "certainty_url": renderer.url("methods/") + "#how-certainty-is-rated"
            if methods else ""}


def review_maps(renderer):
    return evidence_maps([a.record for a in renderer.questions], renderer.entry_rows,
                         renderer.evidence.plans, renderer.url, renderer.env.globals[
                             "type_label"], [o.name for o in renderer.evidence.outcomes])


def page_sections(renderer, names: list[str]) -> list[dict]:
    """The sections a page asks for (`sections` in its front matter), made from the data:
    [{name, ...what its macro in `_sections.html` shows}]."""
    review = renderer.site.settings.review
    flow: Flow = renderer.evidence.flow
    made = []
    for name in names:
        section = {"name": name}
        if name == "sources":
            section.update(releases=flow.releases, latest=flow.latest,
                           last_search=review.last_search)
        elif name == "eligibility":
            section["eligibility"] = review.eligibility
        elif name == "certainty":
            section.update(levels=[(r, SYMBOLS[r], WORDING[r]) for r in RATINGS])
        elif name == "flow":
            section["flow"] = flow_view(flow.latest, True) if flow.latest else None
        made.append(section)
    return made
