"""Documents -> their Markdown parsed once, and every citation in the order a reader meets it."""
from __future__ import annotations

from evidencesite.content import markdown
from evidencesite.content.model import INLINE_MARKDOWN_FIELDS, Analysed, Document


def analyse(document: Document, body_text: str) -> Analysed:
    """`body_text`: the document's Markdown body (from line `document.body_line` of its
    file)."""
    body = markdown.parse(body_text, document.path, document.body_line)
    inline = {}
    for name in INLINE_MARKDOWN_FIELDS.get(document.kind, ()):
        value = document.data.get(name)
        if isinstance(value, str):
            inline[name] = markdown.parse_inline(value, document.path, document.locate(name))
    return Analysed(document, body, inline)
