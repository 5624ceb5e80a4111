"""The PMC ID Converter: the other identifiers (PMID, PMCID, DOI) of a work."""
from __future__ import annotations

from evidencesite.citations.services.common import service_url
from evidencesite.citations.services.http_client import HttpClient, InvalidAnswer


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
