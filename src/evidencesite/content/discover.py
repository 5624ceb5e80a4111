"""The inputs of a build: the content files to read (each checked to be a Markdown file with
a valid id), the site settings, citations.bib parsed, the identifiers that must be in it
(content/sources.yaml), the outcomes entries report (content/outcomes.yaml) and the flow of
studies (content/flow.yaml), with every problem found."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from evidencesite.content import schema
from evidencesite.citations.bibtex_read import parse_bibliography
from evidencesite.incremental.store import BuildCache
from evidencesite.config import Config
from evidencesite.diagnostics import Diagnostic, ERROR
from evidencesite.incremental.keys import digest, generator_fingerprint
from evidencesite.content.frontmatter import read_text
from evidencesite.content.model import CONTENT_FOLDERS, Bibliography, Kind, SourceLocation
from evidencesite.evidence.flow import FlowSource
from evidencesite.evidence.stage import OutcomeSource
from evidencesite.content.strict_yaml import load_yaml
from evidencesite.content.vocabulary import Vocabulary

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_BIB_BYTES = 64_000_000


@dataclass(frozen=True)
class RequiredIdentifier:
    kind: str  # doi | pmid | pmcid | nct
    value: str
    location: SourceLocation


@dataclass(frozen=True)
class Sources:
    site: dict
    site_positions: dict
    content_files: tuple[tuple[Kind, Path], ...]  # (kind, path), read by read.py
    bibliography: Bibliography
    required_identifiers: tuple[RequiredIdentifier, ...] = ()
    outcomes: OutcomeSource = OutcomeSource()
    vocabulary: Vocabulary = Vocabulary()
    flow: FlowSource = FlowSource()


def load_sources(config: Config, cache: BuildCache) -> tuple[Sources, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    site, site_positions = _load_site(config, problems)
    files = tuple((kind, path) for kind, folder in CONTENT_FOLDERS.items()
                  for path in _content_files(config, config.content_dir / folder, problems))
    bibliography = _load_bibliography(config, problems, cache)
    required = _load_required_identifiers(config, problems)
    outcomes = _load_outcomes(config, problems)
    vocabulary = _load_optional(config, "vocabulary.yaml", "vocabulary", problems)
    vocabulary = Vocabulary.from_data(vocabulary[0]) if vocabulary and vocabulary[3] else Vocabulary()
    flow = _load_flow(config, problems)
    return Sources(site, site_positions, files, bibliography, required, outcomes,
                   vocabulary, flow), problems


def _load_optional(config: Config, name: str, schema_name: str, problems: list):
    """content/<name>, when it exists and is valid YAML: (data, positions, shown path, whether
    the schema accepted it); None when it is absent or unreadable (reported)."""
    path = config.content_dir / name
    if not path.is_file():
        return None
    shown = config.shown(path)
    text, problem = read_text(path, shown)
    result = load_yaml(text, shown, first_line=1) if problem is None else None
    if problem or result.problems:
        problems.extend([problem] if problem else result.problems)
        return None
    found = schema.validate(schema_name, result.data, result.positions, shown)
    problems.extend(found)
    return result.data, result.positions, shown, not found


def _load_outcomes(config: Config, problems: list) -> OutcomeSource:
    """content/outcomes.yaml (optional): the outcomes entries report and questions pool."""
    loaded = _load_optional(config, "outcomes.yaml", "outcomes", problems)
    if loaded is None or not loaded[3]:
        return OutcomeSource(path=config.shown(config.content_dir / "outcomes.yaml"))
    return OutcomeSource(*loaded[:3])


def _load_flow(config: Config, problems: list) -> FlowSource:
    """content/flow.yaml (optional): how studies were found and selected, per release."""
    loaded = _load_optional(config, "flow.yaml", "flow", problems)
    if loaded is None or not loaded[3]:
        return FlowSource(path=config.shown(config.content_dir / "flow.yaml"))
    return FlowSource(*loaded[:3])


def _load_required_identifiers(config: Config, problems: list) -> tuple[RequiredIdentifier, ...]:
    """content/sources.yaml (optional): identifiers that must be in the bibliography."""
    loaded = _load_optional(config, "sources.yaml", "sources", problems)
    if loaded is None or not isinstance(loaded[0], dict):
        return ()
    data, positions, shown, _ = loaded
    found = []
    for kind, values in sorted(data.items()):
        for index, value in enumerate(values if isinstance(values, list) else []):
            found.append(RequiredIdentifier(kind, str(value),
                                            positions.get((kind, index),
                                                          SourceLocation(shown, 1, 1))))
    return tuple(found)


def _load_site(config: Config, problems: list) -> tuple[dict, dict]:
    path = config.content_dir / "site.yaml"
    shown = config.shown(path)
    if not path.is_file():
        problems.append(Diagnostic(SourceLocation(shown), ERROR, "missing-file",
                                   "content/site.yaml is missing",
                                   "create it with title, description, base_url and review"))
        return {}, {}
    text, problem = read_text(path, shown)
    if problem:
        problems.append(problem)
        return {}, {}
    result = load_yaml(text, shown, first_line=1)
    problems.extend(result.problems)
    if result.problems:
        return {}, {}
    if not isinstance(result.data, dict):
        problems.append(Diagnostic(SourceLocation(shown, 1, 1), ERROR, "front-matter",
                                   "site.yaml must be a mapping of settings"))
        return {}, {}
    problems.extend(schema.validate("site", result.data, result.positions, shown))
    return result.data, result.positions


def _content_files(config: Config, folder: Path, problems: list) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        path = folder / entry.name
        shown = config.shown(path)
        if path.name.startswith(".") and path.suffix != ".md":
            continue  # editor and system files
        if entry.is_symlink():
            problems.append(Diagnostic(SourceLocation(shown), ERROR, "symlink",
                                       "symbolic links are not allowed in content",
                                       "replace the link with the file itself"))
            continue
        if path.suffix != ".md" or not entry.is_file(follow_symlinks=False):
            problems.append(Diagnostic(SourceLocation(shown), ERROR, "unexpected-file",
                                       f"`{path.name}` is not a Markdown file",
                                       "content files end in .md; move other files elsewhere"))
            continue
        if not SLUG.match(path.stem):
            problems.append(Diagnostic(SourceLocation(shown), ERROR, "invalid-file-name",
                                       f"file name `{path.name}` is not a valid id",
                                       "use lower-case letters, digits and hyphens, then .md"))
            continue
        found.append(path)
    return found


def slug_of(text: str) -> str:
    """`Smith 2020: Trial` -> `smith-2020-trial`: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _load_bibliography(config: Config, problems: list, cache: BuildCache) -> Bibliography:
    shown = config.shown(config.bib_path)
    if not config.bib_path.is_file():
        problems.append(Diagnostic(SourceLocation(shown), ERROR, "missing-file",
                                   "citations.bib is missing", "create an empty citations.bib"))
        return Bibliography({}, ())
    text, problem = read_text(config.bib_path, shown, max_bytes=MAX_BIB_BYTES)
    if problem:
        problems.append(problem)
        return Bibliography({}, ())
    key = digest(generator_fingerprint(), shown, text)
    bibliography = cache.get_or_make("bibliography", key,
                                     lambda: parse_bibliography(text, shown))
    problems.extend(bibliography.problems)
    return bibliography
