""""Cite this entry" and "Cite this review": plain text, BibTeX and RIS, naming the authors of
the summarised work, the review's version and the page's address (absolute when the site's
base_url is)."""
from __future__ import annotations

from dataclasses import dataclass

from evidencesite.citations.bibtex_write import format_record
from evidencesite.citations.csl import split_names
from evidencesite.content.model import BibRecord, Entry, SiteSettings

MAX_AUTHORS = 3  # then "et al."


@dataclass(frozen=True)
class CiteThis:
    text: str
    bibtex: str
    ris: str


def short_authors(record: BibRecord | None) -> str:
    """`Smith A, Jones B, Lee C, et al.`, or the organisation, or "" when none is known."""
    if record is None:
        return ""
    names = split_names(record.get("author"))
    shown = []
    for name in names[:MAX_AUTHORS]:
        if "literal" in name:
            continue
        initials = "".join(part[0] for part in name.get("given", "").replace("-", " ").split()
                           if part[:1].isalpha())
        shown.append(f"{name['family']} {initials}".strip())
    if len(names) > MAX_AUTHORS or any("literal" in n for n in names):
        shown.append("et al.")
    return ", ".join(shown) or record.get("organization")


def _work(record: BibRecord | None) -> str:
    """`Smith A, Jones B, et al. (2020)`: the summarised work's authors and year."""
    authors = short_authors(record)
    year = record.get("year") if record else ""
    return f"{authors} ({year})" if authors and year else authors


def _ris(lines: list[tuple[str, str]]) -> str:
    return "\n".join(f"{tag}  - {value}" for tag, value in lines if value) + "\nER  - \n"


def entry_citation(entry: Entry, settings: SiteSettings, url: str,
                   record: BibRecord | None) -> CiteThis:
    review, title = settings.review, settings.title
    work = _work(record)
    summary = f" Summary of {work}." if work else ""
    text = (f"{entry.title}.{summary} In: {title}, version {review.version}."
            f" Updated {entry.updated}. {url}")
    note = f"Version {review.version}, updated {entry.updated}." + summary
    bibtex = format_record("misc", entry.id, {
        "title": entry.title, "howpublished": title, "year": entry.updated[:4],
        "note": note, "url": url}).rstrip("\n")
    ris = _ris([("TY", "ELEC"), ("ID", entry.id), ("TI", entry.title), ("T2", title),
                ("PY", entry.updated[:4]), ("DA", entry.updated.replace("-", "/")),
                ("ET", f"version {review.version}"), ("N1", summary.strip()),
                ("UR", url)])
    return CiteThis(text, bibtex, ris)


def review_citation(settings: SiteSettings, url: str) -> CiteThis:
    review, title = settings.review, settings.title
    when = review.last_search
    text = (f"{title}. A {review.status} evidence review, version {review.version};"
            f" evidence as of {when}. {url}")
    bibtex = format_record("misc", "review", {
        "title": title, "year": when[:4], "url": url,
        "note": f"Version {review.version}; evidence as of {when}"}).rstrip("\n")
    ris = _ris([("TY", "ELEC"), ("TI", title), ("PY", when[:4]), ("DA", when.replace("-", "/")),
                ("ET", f"version {review.version}"), ("UR", url)])
    return CiteThis(text, bibtex, ris)
