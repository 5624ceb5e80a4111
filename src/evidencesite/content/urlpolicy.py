"""One policy for every link the site shows: Markdown links, images and bibliography URLs."""
from __future__ import annotations

import re
from urllib.parse import unquote

INTERNAL_SCHEMES = ("entry", "question", "page")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def check_url(url: str, allow_internal: bool = True, image: bool = False) -> str:
    """'' when `url` is allowed, else why it is refused.

    Allowed: https:, mailto:, #fragments, relative paths and, in content, links to other
    parts of the site (`entry:<id>`, `question:<id>`, `page:<slug>`). Images must be relative.
    """
    decoded = unquote(url)
    squeezed = _CONTROL.sub("", decoded)
    match = _SCHEME.match(squeezed)
    if "\\" in squeezed:
        return f"link `{url}` contains a backslash; use `/`"
    if squeezed.startswith("//"):
        return f"link `{url}` points to another host without a scheme"
    if match:
        scheme = match.group(1).lower()
        if image:
            return f"image `{url}` must be a file of this site, not a `{scheme}:` address"
        if scheme == "https" or scheme == "mailto":
            return ""
        if allow_internal and scheme in INTERNAL_SCHEMES:
            return ""
        if scheme == "http":
            return f"link `{url}` uses insecure http:"
        return f"link `{url}` uses the scheme `{scheme}:`, which is not allowed"
    if ".." in squeezed.split("/"):
        return f"link `{url}` leaves the site's folder"
    return ""
