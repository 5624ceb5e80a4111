"""Markdown (markdown-it-py, `js-default`: raw HTML off) with Pandoc citations and heading anchors.

Parsing and rendering happen once per text and record citations, links and headings with
their lines. What depends on the page (citation numbers, link targets) is left as a numbered
slot `\x00<n>\x00` in the HTML and filled per page by `render`. Markdown-it turns any NUL of
the source into U+FFFD, so a slot cannot be forged by the text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape
from typing import Callable
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.anchors import anchors_plugin

from evidencesite.content.model import Citation, CiteItem, Heading, Link, ParsedMarkdown, \
    SourceLocation

_KEY = r"[A-Za-z0-9][A-Za-z0-9_:.\-]*[A-Za-z0-9_]|[A-Za-z0-9]"
_ITEM = re.compile(rf"^\s*(?P<prefix>[^@;]*?)\s*@(?P<key>{_KEY})\s*(?:,\s*(?P<locator>[^;]+?))?\s*$")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def parse_cite_group(inner: str) -> tuple[CiteItem, ...] | None:
    """`@a; @b, p. 4` -> items, or None when the text is not a citation group."""
    items = []
    for part in inner.split(";"):
        match = _ITEM.match(part)
        if not match:
            return None
        items.append(CiteItem(match["key"], (match["locator"] or "").strip(),
                              (match["prefix"] or "").strip()))
    return tuple(items) if items else None


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, start = state.src, state.pos
    if src[start] != "[":
        return False
    end = src.find("]", start + 1)
    if end < 0 or end > state.posMax or "[" in src[start + 1:end] or "@" not in src[start:end]:
        return False
    if end + 1 < len(src) and src[end + 1] in "([":
        return False  # a link, not a citation
    items = parse_cite_group(src[start + 1:end])
    if items is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "offset": start, "source": src[start:end + 1]}
    state.pos = end + 1
    return True


SLOT = re.compile("\x00([0-9]+)\x00")


def _slot(env, *content) -> str:
    env["slots"].append(content)
    return f"\x00{len(env['slots']) - 1}\x00"


def _render_citation(self, tokens, idx, options, env) -> str:
    return _slot(env, "c", tokens[idx].meta["items"])


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    attrs = {k: v for k, v in (token.attrs or {}).items() if k != "href"}
    rendered = "".join(f' {k}="{escape(str(v))}"' for k, v in attrs.items())
    return f'<a{_slot(env, "h", token.attrGet("href") or "")}{rendered}>'


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = escape(self.renderInlineAsText(token.children or [], options, env))
    title = token.attrGet("title")
    title_attr = f' title="{escape(title)}"' if title else ""
    return _slot(env, "i", token.attrGet("src") or "", alt, title_attr)


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("js-default", {"maxNesting": 40})
    md.validateLink = lambda url: True  # the site's own URL policy checks every link
    md.inline.ruler.before("link", "citation", _citation_rule)
    anchors_plugin(md, min_level=2, max_level=4, slug_func=slugify)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    return md


_MD = make_markdown()


def parse(text: str, path: str, first_line: int) -> ParsedMarkdown:
    """Parse `text`, whose first line is line `first_line` of `path`."""
    tokens = _MD.parse(text, {})
    lines = text.split("\n")
    citations: list[Citation] = []
    links: list[Link] = []
    headings: list[Heading] = []

    def locate(block_map, needle: str, offset_line: int = 0) -> SourceLocation:
        start = (block_map[0] if block_map else 0) + offset_line
        stop = block_map[1] if block_map else len(lines)
        for index in range(start, max(stop, start + 1)):
            if index < len(lines) and needle and needle in lines[index]:
                return SourceLocation(path, first_line + index, lines[index].index(needle) + 1)
        return SourceLocation(path, first_line + start, 1)

    for position, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[position + 1]
            headings.append(Heading(int(token.tag[1]), inline.content,
                                    token.attrGet("id") or ""))
        if token.type != "inline" or not token.children:
            continue
        for child in _walk(token.children):
            if child.type == "citation":
                line_in_block = token.content[: child.meta["offset"]].count("\n")
                where = locate(token.map, child.meta["source"], line_in_block)
                citations.extend(Citation(item.key, item.locator, where)
                                 for item in child.meta["items"])
            elif child.type in ("link_open", "image"):
                target = child.attrGet("href" if child.type == "link_open" else "src") or ""
                links.append(Link(target, locate(token.map, _raw_target(target)),
                                  child.type == "image"))
    env: dict = {"slots": []}
    html = _MD.renderer.render(tokens, _MD.options, env)
    return ParsedMarkdown(html, tuple(env["slots"]), tuple(citations), tuple(links),
                          tuple(headings))


def _walk(children):
    for child in children:
        yield child
        if child.children:
            yield from _walk(child.children)


def _raw_target(target: str) -> str:
    return unquote(target)[:40]


def render(parsed: ParsedMarkdown, render_citation: Callable, resolve_link: Callable) -> str:
    """The page's HTML: slots filled in reading order, so citation back-links number in the
    order a reader meets them."""

    def fill(match: re.Match) -> str:
        kind, *content = parsed.slots[int(match[1])]
        if kind == "c":
            return render_citation(content[0])
        href = resolve_link(content[0])
        if kind == "h":
            return f' href="{escape(href)}"' if href else ""
        alt, title_attr = content[1], content[2]
        return f'<img src="{escape(href)}" alt="{alt}"{title_attr}>' if href else alt

    return SLOT.sub(fill, parsed.html) if parsed.slots else parsed.html


def parse_inline(text: str, path: str, location: SourceLocation) -> ParsedMarkdown:
    """Inline Markdown of a front-matter value; positions are the value's own."""
    parsed = parse(text, path, location.line)
    return ParsedMarkdown(parsed.html, parsed.slots,
                          tuple(Citation(c.key, c.locator, location) for c in parsed.citations),
                          tuple(Link(k.target, location, k.is_image) for k in parsed.links),
                          ())


def render_inline(parsed: ParsedMarkdown, render_citation: Callable,
                  resolve_link: Callable) -> str:
    html = render(parsed, render_citation, resolve_link).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
