"""Shapes of the identifiers a bibliography record may carry: DOI, PMID, PMCID, NCT."""
from __future__ import annotations

import re

IDENTIFIER_FIELDS = ("doi", "pmid", "pmcid", "nct")

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_PMCID = re.compile(r"^PMC\d+$")
_NCT = re.compile(r"^NCT\d{8}$")

_EXPECTED = {
    "doi": (_DOI, "a DOI looks like `10.1038/s41571-025-01029-7` (no `https://doi.org/` prefix)"),
    "pmid": (_PMID, "a PMID is digits only, e.g. `37090727`"),
    "pmcid": (_PMCID, "a PMCID is `PMC` followed by digits, e.g. `PMC10115980`"),
    "nct": (_NCT, "an NCT number is `NCT` followed by 8 digits, e.g. `NCT07453342`"),
}


def inspect_identifier(kind: str, value: str) -> tuple[str, str] | None:
    """None when `value` has the shape of a `kind` identifier, else (problem, how to fix)."""
    pattern, expected = _EXPECTED[kind]
    if pattern.match(value):
        return None
    return f"malformed {kind.upper()} `{value}`", expected


def identifier_links(fields: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, shown identifier, https URL) for each identifier a record carries."""
    links = []
    if _DOI.match(fields.get("doi", "")):
        links.append(("DOI", fields["doi"], f"https://doi.org/{fields['doi']}"))
    if _PMID.match(fields.get("pmid", "")):
        links.append(("PubMed", fields["pmid"], f"https://pubmed.ncbi.nlm.nih.gov/{fields['pmid']}/"))
    if _PMCID.match(fields.get("pmcid", "")):
        links.append(("PMC", fields["pmcid"],
                      f"https://pmc.ncbi.nlm.nih.gov/articles/{fields['pmcid']}/"))
    if _NCT.match(fields.get("nct", "")):
        links.append(("ClinicalTrials.gov", fields["nct"],
                      f"https://clinicaltrials.gov/study/{fields['nct']}"))
    return links


class IdentifierError(ValueError):
    pass


_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PREFIXED = re.compile(r"^(pmid|pmcid|nct|doi)\s*:\s*(.+)$", re.IGNORECASE)


def normalise_identifier(text: str) -> tuple[str, str]:
    """`doi:10.1/X`, `https://doi.org/...`, `PMID:123`, `123`, `pmc123`, `nct01234567` ->
    (kind, canonical value). Idempotent on its own output's value."""
    value = text.strip()
    prefixed = _PREFIXED.match(value)
    kind_hint = prefixed.group(1).lower() if prefixed else ""
    if prefixed and kind_hint != "doi":
        value = prefixed.group(2).strip()
    value = _DOI_PREFIXES.sub("", value)
    if kind_hint in ("", "doi") and _DOI.match(value):
        return "doi", value
    if kind_hint in ("", "pmid") and _PMID.match(value):
        return "pmid", value
    if kind_hint in ("", "pmcid") and re.match(r"^(?i:pmc)\d+$", value):
        return "pmcid", "PMC" + value[3:]
    if kind_hint in ("", "nct") and re.match(r"^(?i:nct)\d{8}$", value):
        return "nct", "NCT" + value[3:]
    raise IdentifierError(
        f"`{text}` is not an identifier this tool knows: expected a DOI (10.1234/abc, "
        "doi:10.1234/abc or https://doi.org/10.1234/abc), a PMID (PMID:12345678 or digits), "
        "a PMCID (PMC1234567) or an NCT number (NCT01234567)")


def same_identifier(kind: str, a: str, b: str) -> bool:
    return a.lower() == b.lower() if kind == "doi" else a == b


def recorded_twice(records) -> list[tuple[str, str, str, str]]:
    """Works recorded under two keys: (key, first key, kind, identifier) for each record
    whose well-formed DOI, PMID, PMCID or NCT number a record earlier in the file holds."""
    seen: dict[tuple[str, str], str] = {}
    found = []
    for key in sorted(records, key=lambda k: (records[k].location.line, k)):
        fields = records[key].fields
        for kind in IDENTIFIER_FIELDS:
            value = fields.get(kind)
            if value is None or inspect_identifier(kind, value):
                continue
            marker = (kind, value.lower() if kind == "doi" else value)
            if marker in seen:
                found.append((key, seen[marker], kind, value))
            else:
                seen[marker] = key
    return found
