"""The Jinja environment (autoescape, StrictUndefined) and what every template may use."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from evidencesite.content.model import SiteSettings
from evidencesite.render.taxonomy import term_slug
from evidencesite.content.vocabulary import Vocabulary

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'none'")

TYPE_LABELS = {
    "review": "Review", "systematic-review": "Systematic review",
    "meta-analysis": "Meta-analysis", "rct": "Randomised controlled trial",
    "clinical-trial": "Clinical trial (design not further stated)",
    "non-randomised-trial": "Non-randomised trial", "cohort": "Cohort study",
    "case-control": "Case-control study", "case-series": "Case series",
    "case-report": "Case report", "trial-registration": "Registered study",
    "guideline": "Guideline", "preclinical": "Preclinical study",
    "not reported": "Design not reported",
}


@dataclass(frozen=True)
class SiteView:
    """The site settings as pages show them, with the base path and the build date."""

    settings: SiteSettings
    base_path: str
    build_date: str
    bib_text: str = ""

    @property
    def absolute_base(self) -> str:
        """The site's https:// address when base_url gives one (feeds, sitemap, metadata)."""
        base = self.settings.base_url
        return base if base.startswith("https://") else ""


def base_path_of(base_url: str) -> str:
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def make_environment(templates_dir: Path, base_path: str) -> Environment:
    env = Environment(loader=FileSystemLoader(str(templates_dir)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.globals["url"] = lambda path="": base_path + path.lstrip("/")
    env.globals["term_slug"] = term_slug
    env.globals["type_label"] = lambda value: TYPE_LABELS.get(value, value)
    env.globals["csp"] = CSP
    env.globals["vocab"] = Vocabulary()  # the build sets the project's
    env.filters["status_class"] = lambda s: "status-" + str(s).replace(" ", "-")
    env.filters["slash_date"] = lambda d: str(d).replace("-", "/")
    env.filters["lower_first"] = lambda text: text[:1].lower() + text[1:]
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    return env
