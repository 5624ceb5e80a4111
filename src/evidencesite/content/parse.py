"""Documents -> their Markdown parsed once, and every citation in the order a reader meets it."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from evidencesite.content import markdown
from evidencesite.incremental.keys import digest, plain
from evidencesite.content.model import Citation, Document, Link, ParsedMarkdown

INLINE_MARKDOWN_FIELDS = {"question": ("bottom_line",)}


@dataclass(frozen=True)
class Analysed:
    document: Document
    body: ParsedMarkdown
    inline: dict[str, ParsedMarkdown]
    source: str = ""  # digest of the file this was made from (with the generator), if known

    def fingerprint(self) -> str:
        return self.source or digest(plain(self.document), plain(self.body), plain(self.inline))

    @cached_property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation on the page, in the order the page shows them."""
        doc = self.document
        found: list[Citation] = []
        if doc.kind == "entry":
            if isinstance(doc.data.get("citation"), str):
                found.append(Citation(doc.data["citation"], "", doc.locate("citation")))
            for index, finding in enumerate(doc.data.get("key_findings") or []):
                if isinstance(finding, dict) and isinstance(finding.get("citation"), str):
                    found.append(Citation(finding["citation"], "",
                                          doc.locate("key_findings", index, "citation")))
            for index, row in enumerate(doc.data.get("outcomes") or []):
                if isinstance(row, dict) and isinstance(row.get("citation"), str):
                    found.append(Citation(row["citation"], "",
                                          doc.locate("outcomes", index, "citation")))
        for parsed in self.inline.values():
            found.extend(parsed.citations)
        found.extend(self.body.citations)
        return tuple(found)

    @cached_property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for parsed in (*self.inline.values(), self.body)
                     for link in parsed.links)

    @cached_property
    def cited_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.key for c in self.citations))


def analyse(document: Document) -> Analysed:
    body = markdown.parse(document.body, document.path, document.body_line)
    inline = {}
    for name in INLINE_MARKDOWN_FIELDS.get(document.kind, ()):
        value = document.data.get(name)
        if isinstance(value, str):
            inline[name] = markdown.parse_inline(value, document.path, document.locate(name))
    return Analysed(document, body, inline)
