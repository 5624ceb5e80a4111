"""The identifier services: one small class each, fetching kept apart from a pure
`to_fields(answer)` that turns the service's documented answer into bibliography fields."""
from __future__ import annotations

import html
import os
import re
import urllib.parse

from evidencesite.citations.services.http_client import HttpClient, InvalidAnswer, NotFound

SERVICES = {
    "crossref": ("EVIDENCESITE_CROSSREF_URL", "https://api.crossref.org"),
    "doi": ("EVIDENCESITE_DOI_URL", "https://doi.org"),
    "eutils": ("EVIDENCESITE_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"),
    "idconv": ("EVIDENCESITE_IDCONV_URL", "https://www.ncbi.nlm.nih.gov/pmc/utils/idconv/v1.0"),
    "ctgov": ("EVIDENCESITE_CTGOV_URL", "https://clinicaltrials.gov/api/v2"),
}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def service_url(name: str) -> str:
    variable, default = SERVICES[name]
    return os.environ.get(variable, "").rstrip("/") or default


def polite_intervals() -> dict[str, float]:
    """Seconds between requests to each host, as the services ask."""
    ncbi = 0.1 if os.environ.get("NCBI_API_KEY") else 0.34
    hosts = {"crossref": 0.05, "eutils": ncbi, "idconv": ncbi, "ctgov": 1.0, "doi": 0.1}
    return {urllib.parse.urlsplit(service_url(name)).netloc: seconds
            for name, seconds in hosts.items()}


def _plain(text: str) -> str:
    """Text without markup (Crossref titles and JATS abstracts carry tags)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _given(given: str) -> str:
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        return " ".join(f"{letter}." for letter in given)
    return given


def _pages(value: str) -> str:
    return re.sub(r"\s*[-–]+\s*", "--", value.strip())


def _date_fields(parts: list) -> dict[str, str]:
    fields = {}
    if parts and parts[0]:
        fields["year"] = str(parts[0])
        if len(parts) > 1 and parts[1]:
            fields["month"] = MONTHS[int(parts[1]) - 1]
            if len(parts) > 2 and parts[2]:
                fields["date"] = f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return fields


class Crossref:
    """DOI -> Crossref REST /works/{doi}."""

    name = "crossref"

    def fetch(self, client: HttpClient, doi: str):
        params = {"mailto": client.contact} if client.contact else {}
        return client.get_json(self.name, service_url("crossref"),
                               f"/works/{urllib.parse.quote(doi, safe='')}", params)

    @staticmethod
    def to_fields(answer) -> tuple[str, dict[str, str]]:
        if not isinstance(answer, dict) or not isinstance(answer.get("message"), dict):
            raise InvalidAnswer("crossref: the answer has no `message`")
        work = answer["message"]
        if not work.get("DOI") or not work.get("title"):
            raise InvalidAnswer("crossref: the answer has no DOI or title")
        fields: dict[str, str] = {}
        authors = []
        for person in work.get("author", []):
            if person.get("family"):
                given = _given(person.get("given", ""))
                authors.append(f"{person['family']}, {given}" if given else person["family"])
            elif person.get("name"):
                authors.append("{" + person["name"] + "}")
        if authors:
            fields["author"] = " and ".join(authors)
        fields["title"] = _plain(work["title"][0])
        if work.get("container-title"):
            fields["journal"] = _plain(work["container-title"][0])
        issued = (work.get("issued") or work.get("published-print") or
                  work.get("published-online") or {}).get("date-parts") or [[]]
        fields.update(_date_fields(issued[0]))
        for source, target in (("volume", "volume"), ("issue", "number")):
            if work.get(source):
                fields[target] = str(work[source])
        if work.get("page"):
            fields["pages"] = _pages(work["page"])
        fields["doi"] = work["DOI"]
        if work.get("abstract"):
            fields["abstract"] = _plain(work["abstract"])
        for notice in work.get("updated-by", []):
            kind = str(notice.get("type", "")).lower()
            when = _date_fields((notice.get("updated") or {}).get("date-parts", [[]])[0])
            text = f"{kind} notice {notice.get('DOI', '')}".strip() + (
                f" ({when['year']})" if "year" in when else "")
            target = "retraction" if "retract" in kind or "withdraw" in kind else "correction"
            fields[target] = "; ".join(filter(None, [fields.get(target), text]))
        entry_type = "article" if work.get("type", "journal-article") == "journal-article" \
            else "misc"
        return entry_type, fields


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
            authors.append(f"{family}, {_given(initials)}" if family else initials)
        if authors:
            fields["author"] = " and ".join(authors)
        title = _plain(record.get("title", ""))
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
            fields["pages"] = _pages(pages)
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
    return _date_fields(parts)


class IdConverter:
    """PMCID, PMID or DOI -> the other identifiers of the same work."""

    name = "idconv"

    def fetch(self, client: HttpClient, identifier: str):
        params = {"ids": identifier, "format": "json", "tool": "evidencesite"}
        if client.contact:
            params["email"] = client.contact
        return client.get_json(self.name, service_url("idconv"), "/", params)

    @staticmethod
    def to_fields(answer) -> dict[str, str]:
        try:
            record = answer["records"][0]
        except (KeyError, IndexError, TypeError) as exc:
            raise InvalidAnswer("idconv: the answer has no `records`") from exc
        if record.get("status") == "error":
            return {}
        return {name: str(record[name]) for name in ("pmid", "pmcid", "doi") if record.get(name)}


class ClinicalTrials:
    """NCT number -> ClinicalTrials.gov API v2 /studies/{nct}."""

    name = "ctgov"

    def fetch(self, client: HttpClient, nct: str):
        return client.get_json(self.name, service_url("ctgov"), f"/studies/{nct}")

    @staticmethod
    def to_fields(answer) -> tuple[str, dict[str, str]]:
        try:
            protocol = answer["protocolSection"]
            ident = protocol["identificationModule"]
            nct = ident["nctId"]
        except (KeyError, TypeError) as exc:
            raise InvalidAnswer("ctgov: the answer has no protocolSection.identificationModule"
                                ) from exc
        fields = {"title": ident.get("officialTitle") or ident.get("briefTitle", "")}
        if not fields["title"]:
            raise InvalidAnswer(f"ctgov: {nct} has no title")
        sponsor = protocol.get("sponsorCollaboratorsModule", {}).get("leadSponsor", {})
        if sponsor.get("name"):
            fields["organization"] = sponsor["name"]
        fields["nct"] = nct
        status = protocol.get("statusModule", {})
        if status.get("overallStatus"):
            fields["status"] = _words(status["overallStatus"])
        design = protocol.get("designModule", {})
        if design.get("studyType"):
            fields["studytype"] = _words(design["studyType"])
        phases = [p for p in design.get("phases", []) if p]
        if phases:
            fields["phases"] = ", ".join("Not applicable" if p == "NA" else
                                         _words(p).replace("Phase", "Phase ").replace(
                                             "Early phase", "Early phase ") for p in phases)
        enrollment = design.get("enrollmentInfo", {})
        if enrollment.get("count") is not None:
            kind = f" ({str(enrollment['type']).lower()})" if enrollment.get("type") else ""
            fields["enrollment"] = f"{enrollment['count']}{kind}"
        conditions = protocol.get("conditionsModule", {}).get("conditions", [])
        if conditions:
            fields["conditions"] = "; ".join(conditions)
        locations = protocol.get("contactsLocationsModule", {}).get("locations", [])
        places = [", ".join(p for p in (loc.get("city"), loc.get("state") or loc.get("country"))
                            if p) for loc in locations]
        if places:
            shown = "; ".join(places[:5])
            fields["location"] = shown + (f"; and {len(places) - 5} more" if len(places) > 5 else "")
        for source, target in (("startDateStruct", "startdate"),
                               ("completionDateStruct", "completiondate")):
            if status.get(source, {}).get("date"):
                fields[target] = status[source]["date"]
        summary = protocol.get("descriptionModule", {}).get("briefSummary")
        if summary:
            fields["abstract"] = " ".join(summary.split())
        return "misc", fields


def _words(value: str) -> str:
    """RECRUITING -> Recruiting, NOT_YET_RECRUITING -> Not yet recruiting, PHASE2 -> Phase2."""
    return value.replace("_", " ").capitalize()
