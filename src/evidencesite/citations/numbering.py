"""Per-page citation numbering: numbers in order of first citation, back-links to each use."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

from evidencesite.content.model import Reference


class PageCitations:
    def __init__(self, keys_in_order, references: dict[str, Reference]) -> None:
        """`keys_in_order`: the keys the page cites, each once, in order of first citation."""
        self.references = references
        self.number = {key: n for n, key in enumerate(
            (k for k in keys_in_order if k in references), 1)}
        self.uses: dict[str, list[str]] = {key: [] for key in self.number}

    def cite(self, items) -> str:
        """HTML for one citation group such as [1, 3, p. 4]."""
        parts = []
        for item in items:
            key = item.key if hasattr(item, "key") else item
            locator = getattr(item, "locator", "")
            if key not in self.number:
                parts.append(escape(key))
                continue
            n = self.number[key]
            anchor = f"cite-{n}-{len(self.uses[key]) + 1}"
            self.uses[key].append(anchor)
            reference = self.references[key]
            text = f"{n}, {escape(locator)}" if locator else str(n)
            parts.append(f'<a class="cite-ref" id="{anchor}" href="#ref-{n}" '
                         f'aria-describedby="ref-{n}-text" data-ref="{escape(reference.key)}">'
                         f"{text}</a>")
        return f'<span class="cite">[{", ".join(parts)}]</span>'

    def cite_key(self, key: str) -> Markup:
        return Markup(self.cite([key]))

    def listing(self) -> list[dict]:
        """The page's reference list, in citation-number order."""
        return [{"number": n, "reference": self.references[key], "uses": self.uses[key]}
                for key, n in self.number.items()]

    def fingerprint(self) -> list[dict]:
        """What a template can read of this object (for the cache of rendered pages)."""
        return self.listing()
