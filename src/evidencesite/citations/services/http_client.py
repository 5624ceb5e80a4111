"""A polite HTTP client for the identifier services: contact address, rate limits, retries
with back-off (honouring Retry-After), timeouts, and an on-disk cache of answers."""
from __future__ import annotations

import errno
import hashlib
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from evidencesite import __version__

MAX_ATTEMPTS = 4
MAX_RETRY_AFTER = 60.0


class ServiceError(RuntimeError):
    """The service could not give an answer (down, timing out, refusing)."""


class Offline(ServiceError):
    """No network: the service's host cannot be reached at all (no route, no name, nothing
    listening). Not retried: every other request would fail the same way."""


class NotFound(ServiceError):
    """The service answered that the identifier does not exist (HTTP 404)."""


class InvalidAnswer(ServiceError):
    """The service answered something that is not what its documentation describes."""


@dataclass(frozen=True)
class Answer:
    body: object  # parsed JSON
    from_cache: bool


class HttpClient:
    def __init__(self, cache_dir: Path | None, contact: str = "", timeout: float = 15.0,
                 offline: bool = False, read_cache: bool = True,
                 min_interval: dict[str, float] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.cache_dir = cache_dir
        self.contact = contact
        self.timeout = timeout
        self.offline = offline
        self.read_cache = read_cache  # False: ask the service, then update the cache
        self.min_interval = min_interval or {}
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self.cache_hits = 0

    def user_agent(self) -> str:
        contact = f"; mailto:{self.contact}" if self.contact else ""
        return f"evidencesite/{__version__} (living evidence review{contact})"

    def get_json(self, service: str, base: str, resource: str,
                 params: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> Answer:
        """GET base + resource. The cache is keyed by service, resource and the parameters
        that change the answer, so it outlives a change of the service's address."""
        full = base + resource + ("?" + urllib.parse.urlencode(sorted((params or {}).items()))
                                  if params else "")
        cached = self._cache_path(service, resource, params)
        if cached and self.read_cache and cached.is_file():
            self.cache_hits += 1
            return Answer(json.loads(cached.read_text(encoding="utf-8"))["body"], True)
        if self.offline:
            raise ServiceError(f"{service}: no cached answer for {full} and the network is off")
        body = self._fetch(service, full, headers or {})
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            record = {"service": service, "resource": resource, "params": _shareable(params),
                      "body": body}
            cached.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False)
                              + "\n", encoding="utf-8")
        return Answer(body, False)

    def _cache_path(self, service: str, resource: str,
                    params: dict[str, str] | None) -> Path | None:
        if self.cache_dir is None:
            return None
        stable = _shareable(params)
        tail = resource.rstrip("/").rsplit("/", 1)[-1] or "_".join(stable.values())
        readable = "".join(c if c.isalnum() or c in ".-" else "_"
                           for c in urllib.parse.unquote(tail))[:60]
        digest = hashlib.sha256(json.dumps([resource, sorted(stable.items())]).encode()
                                ).hexdigest()
        return self.cache_dir / service / f"{readable}-{digest[:12]}.json"

    def _wait_turn(self, host: str) -> None:
        interval = self.min_interval.get(host, 0.0)
        if interval and host in self._last:
            wait = self._last[host] + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()

    def _fetch(self, service: str, url: str, headers: dict[str, str]) -> object:
        host = urllib.parse.urlsplit(url).netloc
        request = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent(), "Accept": "application/json", **headers})
        problem = ""
        for attempt in range(MAX_ATTEMPTS):
            self._wait_turn(host)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    raw = response.read()
                try:
                    return json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InvalidAnswer(f"{service}: the answer to {url} is not valid JSON "
                                        f"({exc})") from exc
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    raise NotFound(f"{service}: not found ({url})") from exc
                if exc.code != 429 and exc.code < 500:
                    raise ServiceError(f"{service}: HTTP {exc.code} for {url}") from exc
                problem = f"HTTP {exc.code}"
                delay = _retry_after(exc.headers.get("Retry-After"), attempt)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                problem = str(getattr(exc, "reason", exc)) or exc.__class__.__name__
                if _unreachable(exc):
                    raise Offline(f"{service}: cannot reach {host}: {problem}") from exc
                delay = 0.25 * 2.0 ** attempt
            if attempt + 1 < MAX_ATTEMPTS:
                self.sleep(delay)
        raise ServiceError(f"{service}: no answer after {MAX_ATTEMPTS} tries ({problem}); "
                           "try again later")


_NO_ROUTE = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN,
             errno.EADDRNOTAVAIL}


def _unreachable(exc: BaseException) -> bool:
    """A failure to connect at all (as opposed to a slow or failing service)."""
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (socket.gaierror, ConnectionRefusedError)):
        return True
    return isinstance(reason, OSError) and not isinstance(reason, TimeoutError) and \
        reason.errno in _NO_ROUTE


def _shareable(params: dict[str, str] | None) -> dict[str, str]:
    """Parameters that change the answer: not the contact address, tool name or API key,
    which must not end up in a committed cache."""
    return {k: v for k, v in sorted((params or {}).items())
            if k not in ("mailto", "email", "tool", "api_key")}


def _retry_after(value: str | None, attempt: int) -> float:
    if value and value.strip().isdigit():
        return min(float(value.strip()), MAX_RETRY_AFTER)
    return 0.25 * 2.0 ** attempt
