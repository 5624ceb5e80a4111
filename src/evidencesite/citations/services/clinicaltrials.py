"""ClinicalTrials.gov (API v2): a registered study's record."""
from __future__ import annotations

from evidencesite.citations.services.common import service_url
from evidencesite.citations.services.http_client import HttpClient, InvalidAnswer


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
