"""A real HTTP server on 127.0.0.1 that answers like Crossref, NCBI E-utilities, the PMC ID
converter and ClinicalTrials.gov, from recorded answers in tests/fixtures/answers/."""
from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.parse
from pathlib import Path

ANSWERS = Path(__file__).resolve().parent / "fixtures" / "answers"

# Identifiers that make the server misbehave the way real services sometimes do.
RATE_LIMITED = "10.9999/rate-limited"   # 429 with Retry-After: 1, then the answer
DOWN = "10.9999/down"                   # 500 every time
GARBLED = "10.9999/garbled"             # 200 with a body that is not JSON
SLOW = "10.9999/slow"                   # answers after 3 s


class AnswerServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.rate_limited_once = False
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 (the standard library's name)
                server.requests.append(self.path)
                status, body, headers = server.answer(self.path)
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    for name, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def env(self) -> dict[str, str]:
        return {"EVIDENCESITE_CROSSREF_URL": f"{self.base}/crossref",
                "EVIDENCESITE_DOI_URL": f"{self.base}/doi",
                "EVIDENCESITE_EUTILS_URL": f"{self.base}/eutils",
                "EVIDENCESITE_IDCONV_URL": f"{self.base}/idconv",
                "EVIDENCESITE_CTGOV_URL": f"{self.base}/ctgov"}

    def __enter__(self) -> "AnswerServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str):
        parts = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(parts.query)
        segments = parts.path.strip("/").split("/")
        service = segments[0]
        if service == "crossref" and len(segments) >= 3 and segments[1] == "works":
            identifier = urllib.parse.unquote("/".join(segments[2:]))
            special = self.misbehave(identifier)
            if special:
                return special
            return self.recorded("crossref", identifier)
        if service == "idconv":
            return self.recorded("idconv", query.get("ids", [""])[0])
        if service == "eutils" and segments[-1] == "esummary.fcgi":
            pmid = query.get("id", [""])[0]
            found = self.recorded("eutils", pmid)
            if found[0] == 404:  # E-utilities answers 200 with an error inside
                return 200, {"result": {"uids": [pmid], pmid: {"uid": pmid,
                                                               "error": "cannot get document summary"}}}, {}
            return found
        if service == "ctgov" and len(segments) == 3 and segments[1] == "studies":
            return self.recorded("ctgov", segments[2])
        return 404, {"error": "unknown endpoint"}, {}

    def misbehave(self, identifier: str):
        if identifier == RATE_LIMITED and not self.rate_limited_once:
            self.rate_limited_once = True
            return 429, {"message": "rate limited"}, {"Retry-After": "1"}
        if identifier == DOWN:
            return 500, {"message": "internal error"}, {}
        if identifier == GARBLED:
            return 200, b"{not json", {}
        if identifier == SLOW:
            time.sleep(3)
            return 200, {"status": "ok"}, {}
        return None

    def recorded(self, service: str, identifier: str):
        path = ANSWERS / service / f"{urllib.parse.quote(identifier, safe='')}.json"
        if not path.is_file():
            if service == "idconv":
                return 200, {"status": "ok", "records": [{"status": "error",
                                                          "errmsg": "invalid article id"}]}, {}
            return 404, {"status": "error", "message": "Resource not found."}, {}
        return 200, json.loads(path.read_text(encoding="utf-8")), {}
