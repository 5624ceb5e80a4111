"""PubMed (NCBI E-utilities): a PMID's bibliographic record."""
from __future__ import annotations

import os
import re

from evidencesite.citations.services.common import date_fields, given_name, page_range, \
    plain_text, service_url
from evidencesite.citations.services.http_client import HttpClient, InvalidAnswer, NotFound
from evidencesite.content.model import MONTHS


class PubMed:
    """PMID -> NCBI E-utilities esummary."""

    name = "eutils"

    def fetch(self, client: HttpClient, pmid: str):
        params = {"db": "pubmed", "id": pmid, "retmode": "json", "tool": "evidencesite"}
        if client.contact:
            params["email"] = client.contact
        if os.environ.get("NCBI_API_KEY"):
            params["api_key"] = os.environ["NCBI_API_KEY"]
        return client.get_json(self.name, service_url("eutils"), "/esummary.fcgi", params)

    @staticmethod
    def to_fields(answer, pmid: str) -> tuple[str, dict[str, str]]:
        try:
            record = answer["result"][pmid]
        except (KeyError, TypeError) as exc:
            raise InvalidAnswer(f"eutils: the answer has no record for PMID {pmid}") from exc
        if "error" in record:
            raise NotFound(f"eutils: PMID {pmid}: {record['error']}")
        fields: dict[str, str] = {}
        authors = []
        for person in record.get("authors", []):
            if person.get("authtype", "Author") != "Author" or not person.get("name"):
                continue
            family, _, initials = person["name"].rpartition(" ")
            authors.append(f"{family}, {given_name(initials)}" if family else initials)
        if authors:
            fields["author"] = " and ".join(authors)
        title = plain_text(record.get("title", ""))
        if not title:
            raise InvalidAnswer(f"eutils: PMID {pmid} has no title")
        fields["title"] = title[:-1] if title.endswith(".") else title
        if record.get("source"):
            fields["journal"] = record["source"]
        fields.update(_pubdate(record.get("pubdate", "")))
        for source, target in (("volume", "volume"), ("issue", "number")):
            if record.get(source):
                fields[target] = record[source]
        pages = record.get("pages") or ""
        if not pages and str(record.get("elocationid", "")).startswith("e"):
            pages = record["elocationid"]
        if pages:
            fields["pages"] = page_range(pages)
        for identifier in record.get("articleids", []):
            kind, value = identifier.get("idtype"), identifier.get("value", "")
            if kind == "doi":
                fields["doi"] = value
            elif kind == "pmc" and value.startswith("PMC"):
                fields["pmcid"] = value
        fields["pmid"] = pmid
        if "Retracted Publication" in record.get("pubtype", []):
            fields["retraction"] = "Retracted Publication (PubMed)"
        return "article", fields


def _pubdate(text: str) -> dict[str, str]:
    match = re.match(r"^(\d{4})(?:\s+([A-Za-z]{3}))?(?:\s+(\d{1,2}))?", text.strip())
    if not match:
        return {}
    year, month, day = match.groups()
    parts = [int(year)]
    if month and month.lower() in MONTHS:
        parts.append(MONTHS.index(month.lower()) + 1)
        if day:
            parts.append(int(day))
    return date_fields(parts)
