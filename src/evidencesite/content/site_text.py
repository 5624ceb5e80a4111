"""Markdown in content/site.yaml: the review's `summary`, checked like a document's text."""
from __future__ import annotations

from evidencesite.content import markdown
from evidencesite.content.frozen import FrozenDict
from evidencesite.content.model import Analysed, Document, Kind, SourceLocation

SITE_PATH = "content/site.yaml"


def site_documents(site: dict, positions: dict) -> list[Analysed]:
    """The Markdown of content/site.yaml as documents, for the checks of citations and links."""
    summary = summary_document(site.get("summary"), positions)
    return [summary] if summary else []


def summary_document(text, positions: dict) -> Analysed | None:
    """The `summary` as a document of its own, for the checks of citations and links (its
    citations count as uses of the bibliography's records); None without a summary."""
    if not isinstance(text, str) or not text:
        return None
    where = positions.get(("summary",), SourceLocation(SITE_PATH, 1, 1))
    document = Document(Kind.PAGE, where.path, FrozenDict(), {}, where.line)
    return Analysed(document, markdown.parse("", where.path, 1),
                    {"summary": markdown.parse_inline(text, where.path, where)})
