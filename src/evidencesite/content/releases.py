"""Versions named in the content are versions of the review: a question's `history` item
may name the `release` that published it, and it must be one of site.yaml's releases."""
from __future__ import annotations

from evidencesite.content.model import Kind
from evidencesite.diagnostics import Diagnostic, ERROR, did_you_mean


def check_history_releases(documents, releases: list) -> list[Diagnostic]:
    known = [r["version"] for r in releases if isinstance(r, dict)]
    problems = []
    for doc in documents:
        if doc.kind != Kind.QUESTION:
            continue
        for index, item in enumerate(doc.data.get("history") or []):
            version = item.get("release") if isinstance(item, dict) else None
            if isinstance(version, str) and version not in known:
                problems.append(Diagnostic(
                    doc.locate("history", index, "release"), ERROR, "unknown-release",
                    f"release {version} is not one of the releases in content/site.yaml",
                    did_you_mean(version, known) or
                    f"add it to review.releases in content/site.yaml, or remove `release` "
                    f"(known: {', '.join(known) or 'none'})"))
    return problems
