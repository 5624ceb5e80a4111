"""What the identifier services share: their addresses (each can be pointed elsewhere by an
environment variable), the pace each asks for, and the field conversions they all use.

Each service is one small class in its own module, fetching kept apart from a pure
`to_fields(answer)` that turns the service's documented answer into bibliography fields."""
from __future__ import annotations

import html
import os
import re
import urllib.parse

from evidencesite.content.model import MONTHS

SERVICES = {
    "crossref": ("EVIDENCESITE_CROSSREF_URL", "https://api.crossref.org"),
    "doi": ("EVIDENCESITE_DOI_URL", "https://doi.org"),
    "eutils": ("EVIDENCESITE_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"),
    "idconv": ("EVIDENCESITE_IDCONV_URL", "https://www.ncbi.nlm.nih.gov/pmc/utils/idconv/v1.0"),
    "ctgov": ("EVIDENCESITE_CTGOV_URL", "https://clinicaltrials.gov/api/v2"),
}


def service_url(name: str) -> str:
    variable, default = SERVICES[name]
    return os.environ.get(variable, "").rstrip("/") or default


def polite_intervals() -> dict[str, float]:
    """Seconds between requests to each host, as the services ask."""
    ncbi = 0.1 if os.environ.get("NCBI_API_KEY") else 0.34
    hosts = {"crossref": 0.05, "eutils": ncbi, "idconv": ncbi, "ctgov": 1.0, "doi": 0.1}
    return {urllib.parse.urlsplit(service_url(name)).netloc: seconds
            for name, seconds in hosts.items()}


def plain_text(text: str) -> str:
    """Text without markup (Crossref titles and JATS abstracts carry tags)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def given_name(given: str) -> str:
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return " ".join(f"{letter}." for letter in given)
    return given


def page_range(value: str) -> str:
    return re.sub(r"\s*[-–]+\s*", "--", value.strip())


def date_fields(parts: list) -> dict[str, str]:
    fields = {}
    if parts and parts[0]:
        fields["year"] = str(parts[0])
        if len(parts) > 1 and parts[1]:
            fields["month"] = MONTHS[int(parts[1]) - 1]
            if len(parts) > 2 and parts[2]:
                fields["date"] = f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return fields
