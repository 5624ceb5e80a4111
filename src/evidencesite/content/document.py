"""One content file -> a Document: its text, its front matter checked against the schema of
its kind (and frozen; typed once it passes: `Document.record`), and its Markdown body, with
every problem found."""
from __future__ import annotations

from pathlib import Path

from evidencesite.config import Config
from evidencesite.content import schema
from evidencesite.content.discover import SLUG, slug_of
from evidencesite.content.frontmatter import SplitFile, parse_front_matter, read_text, \
    split_front_matter
from evidencesite.content.frozen import freeze
from evidencesite.content.model import Document, Kind, from_front_matter
from evidencesite.diagnostics import Diagnostic, ERROR


def load_document(config: Config, kind: Kind,
                  path: Path) -> tuple[tuple[Document, SplitFile] | None, list[Diagnostic]]:
    """One content file: its front matter checked against the schema, and the file split
    into front matter and Markdown body; None when it cannot be read."""
    problems: list[Diagnostic] = []
    return _load_document(config, kind, path, problems), problems


def _load_document(config: Config, kind: Kind, path: Path,
                   problems: list) -> tuple[Document, SplitFile] | None:
    shown = config.shown(path)
    text, problem = read_text(path, shown)
    if problem is None:
        split, problem = split_front_matter(text, shown)
    if problem is not None:
        problems.append(problem)
        return None
    result = parse_front_matter(split, shown)
    problems.extend(result.problems)
    if result.problems:
        return None
    data = result.data
    if kind == Kind.PAGE and "id" not in data:
        data = {**data, "id": path.stem}
    data = freeze(data)
    invalid = schema.validate(kind, result.data, result.positions, shown)
    problems.extend(invalid)
    record = None if invalid else from_front_matter(kind, data)
    document = Document(kind, shown, data, result.positions, split.body_line, record)
    if kind != Kind.PAGE and isinstance(data.get("id"), str) and data["id"] != path.stem:
        problems.append(Diagnostic(document.locate("id"), ERROR, "id-mismatch",
                                   f"id `{data['id']}` differs from the file name `{path.name}`",
                                   _id_hint(data["id"], path.stem)))
    return document, split


def _id_hint(entry_id: str, stem: str) -> str:
    if SLUG.match(entry_id):
        return f"rename the file to `{entry_id}.md` or set `id: {stem}`"
    slug = slug_of(entry_id)
    also = f", or use `{slug}` for both the id and the file name (`{slug}.md`)" \
        if slug and slug != stem else ""
    return f"set `id: {stem}` (the file name){also}"
