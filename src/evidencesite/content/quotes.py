"""Where a quote that is not verbatim departs from the abstract: the closest passage, with
the first word that differs marked, so the fix can be copied."""
from __future__ import annotations

import difflib
import re

_EDGE = re.compile(r"^\W+|\W+$")
CONTEXT = 4  # words of the abstract shown around the passage


def _bare(word: str) -> str:
    return _EDGE.sub("", word).lower()


def closest_passage(quote: str, abstract: str) -> str:
    """A hint: the passage of `abstract` the quote is closest to, with the first word that
    differs marked as >>word<<, and what the quote has there."""
    said, source = quote.split(), abstract.split()
    if not said or not source:
        return ""
    matcher = difflib.SequenceMatcher(None, [_bare(w) for w in source],
                                      [_bare(w) for w in said], autojunk=False)
    block = max(matcher.get_matching_blocks(), key=lambda b: b.size)
    if block.size == 0:
        return "no passage of the abstract resembles the quote; copy the words exactly " \
               "as the source has them"
    start = block.a - block.b
    index = next((j for j, word in enumerate(said) if not _same(word, source, start + j, j,
                                                               len(said))), len(said))
    if index == len(said):
        return ""
    at = start + index
    first = max(start - CONTEXT, at - 3 * CONTEXT)
    shown = source[max(first, 0):min(at + CONTEXT + 1, len(source))]
    mark = at - max(first, 0)
    if 0 <= mark < len(shown):
        shown[mark] = f">>{shown[mark]}<<"
        where = f"the quote has `{said[index]}` where the abstract has `{source[at]}`"
    else:
        where = f"the abstract ends before `{said[index]}`" if at >= len(source) else \
            f"the abstract starts after `{said[index]}`"
    text = " ".join(shown)
    text = ("… " if first > 0 else "") + text + (" …" if at + CONTEXT + 1 < len(source) else "")
    return f"closest passage of the abstract: \"{text}\"; {where}; copy the words exactly"


def _same(word: str, source: list[str], position: int, index: int, length: int) -> bool:
    """The quote's word equals the abstract's there (its first and last word may be cut
    short of the abstract's punctuation or the rest of the word)."""
    if not 0 <= position < len(source):
        return False
    other = source[position]
    if word == other:
        return True
    if index == length - 1 and other.startswith(word):
        return True
    return index == 0 and other.endswith(word)
