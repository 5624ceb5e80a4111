"""Crossref: a DOI's bibliographic record."""
from __future__ import annotations

import urllib.parse

from evidencesite.citations.services.common import date_fields, given_name, page_range, \
    plain_text, service_url
from evidencesite.citations.services.http_client import HttpClient, InvalidAnswer


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
                given = given_name(person.get("given", ""))
                authors.append(f"{person['family']}, {given}" if given else person["family"])
            elif person.get("name"):
                authors.append("{" + person["name"] + "}")
        if authors:
            fields["author"] = " and ".join(authors)
        fields["title"] = plain_text(work["title"][0])
        if work.get("container-title"):
            fields["journal"] = plain_text(work["container-title"][0])
        issued = (work.get("issued") or work.get("published-print") or
                  work.get("published-online") or {}).get("date-parts") or [[]]
        fields.update(date_fields(issued[0]))
        for source, target in (("volume", "volume"), ("issue", "number")):
            if work.get(source):
                fields[target] = str(work[source])
        if work.get("page"):
            fields["pages"] = page_range(work["page"])
        fields["doi"] = work["DOI"]
        if work.get("abstract"):
            fields["abstract"] = plain_text(work["abstract"])
        for notice in work.get("updated-by", []):
            kind = str(notice.get("type", "")).lower()
            when = date_fields((notice.get("updated") or {}).get("date-parts", [[]])[0])
            text = f"{kind} notice {notice.get('DOI', '')}".strip() + (
                f" ({when['year']})" if "year" in when else "")
            target = "retraction" if "retract" in kind or "withdraw" in kind else "correction"
            fields[target] = "; ".join(filter(None, [fields.get(target), text]))
        entry_type = "article" if work.get("type", "journal-article") == "journal-article" \
            else "misc"
        return entry_type, fields
