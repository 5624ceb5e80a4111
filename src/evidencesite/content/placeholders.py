"""The placeholders `new entry` writes, and the diagnostics for those left in an entry."""
from __future__ import annotations

from evidencesite.diagnostics import Diagnostic, WARNING
from evidencesite.content.model import Document, ParsedMarkdown, SourceLocation

TITLE = "Title of the entry"
SUMMARY = "One sentence for lists and tables."
NOTES = "Write what the source reports, citing it like this"
DESIGNS_HINT = ("give the design the source reports (review, systematic-review, "
                "meta-analysis, rct, clinical-trial, cohort, case-series, …); `not reported` "
                "only when it does not say")


def check_placeholders(doc: Document, body: ParsedMarkdown, question_ids) -> list[Diagnostic]:
    """Scaffold text left in an entry: warnings, so `check --strict` (CI) refuses them. In a
    new entry (one still holding scaffold text), an empty `questions` and `type: not
    reported` are taken for placeholders too."""
    data = doc.data
    found = []
    if data.get("title") == TITLE:
        found.append(Diagnostic(doc.locate("title"), WARNING, "placeholder",
                                f"`title` is still the placeholder `{TITLE}`",
                                "write the title of the entry (for example the work's title)"))
    if data.get("summary") == SUMMARY:
        found.append(Diagnostic(doc.locate("summary"), WARNING, "placeholder",
                                f"`summary` is still the placeholder `{SUMMARY}`",
                                "write one sentence on what the work reports, or remove "
                                "`summary`"))
    if NOTES in body.html:  # the scaffold's sentence ends with its first citation
        line = next((c.location.line for c in body.citations), doc.body_line)
        found.append(Diagnostic(SourceLocation(doc.path, line, 1), WARNING, "placeholder",
                                "the notes are still the example text of `new entry`",
                                "replace them with what the source reports, citing it"))
    if not found:
        return found
    if data.get("questions") == []:
        example = sorted(question_ids)[0] if question_ids else "question-id"
        found.append(Diagnostic(doc.locate("questions"), WARNING, "placeholder",
                                "`questions` is empty in a new entry",
                                f"name the review questions it informs (files in "
                                f"content/questions/), e.g. `questions: [{example}]`"))
    if data.get("type") == "not reported":
        found.append(Diagnostic(doc.locate("type"), WARNING, "placeholder",
                                "`type` is `not reported` in a new entry", DESIGNS_HINT))
    return found

