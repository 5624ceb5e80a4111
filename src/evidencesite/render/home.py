"""The home page that answers: the review's summary, each question's bottom line with its
certainty and last change, and the evidence map (how to cite the review: cite_this.py)."""
from __future__ import annotations

from markupsafe import Markup

from evidencesite.citations.numbering import PageCitations
from evidencesite.content import markdown
from evidencesite.content.site_text import summary_document
from evidencesite.evidence.grade import SYMBOLS


def home_context(renderer, glance: dict) -> dict:
    """`glance`: the evidence map's context (`map_context`)."""
    summary = summary_document(renderer.site.settings.summary, {})
    parsed = [summary.inline["summary"]] if summary else []
    parsed += [q.inline["bottom_line"] for q in renderer.questions if "bottom_line" in q.inline]
    citations = PageCitations(dict.fromkeys(c.key for p in parsed for c in p.citations),
                              renderer.references)

    def html(item) -> Markup:
        return Markup(markdown.render_inline(item, citations.cite, renderer.resolve_link))

    summary_html = html(summary.inline["summary"]) if summary else ""
    answers = []
    for item in renderer.questions:
        question = item.record
        history = [change.date for change in question.history]
        answers.append({
            "id": question.id, "title": question.title, "status": question.evidence_status,
            "url": renderer.url(f"questions/{question.id}/"),
            "bottom_line": html(item.inline["bottom_line"]) if "bottom_line" in item.inline
            else "",
            "grade": [{"outcome": s.outcome.name, "rating": s.spec.certainty.rating,
                       "symbols": SYMBOLS[s.spec.certainty.rating]}
                      for s in renderer.evidence.plans_of(question.id) if s.spec.certainty],
            "last_change": max(history) if history else ""})
    return {"summary": summary_html, "answers": answers, "citations": citations,
            **glance}
