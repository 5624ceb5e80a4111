"""Content files -> checked documents with their Markdown rendered (`Analysed`).

A file whose bytes, path and kind are unchanged since a build that used the same generator
is taken from the cache; the others are read by the build's workers when there are enough
of them to pay for sending them there.
"""
from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

from evidencesite.content.model import Analysed
from evidencesite.content.parse import analyse
from evidencesite.incremental.store import BuildCache
from evidencesite.config import Config
from evidencesite.diagnostics import Diagnostic
from evidencesite.incremental.keys import digest, generator_fingerprint
from evidencesite.content.frontmatter import MAX_FILE_BYTES
from evidencesite.content.document import load_document
from evidencesite.incremental.workers import Workers

POOL_FROM = 200  # files; below this, starting processes costs more than it saves


def read_documents(config: Config, files, cache: BuildCache,
                   workers: Workers) -> tuple[list[Analysed], list[Diagnostic]]:
    """Every content file in `files` ((kind, path) pairs), in that order, with the problems
    found."""
    keys = [_key(config, kind, path, cache.live) for kind, path in files]
    results: list = [cache.get("documents", key) if key else None for key in keys]
    missing = [index for index, result in enumerate(results) if result is None]
    jobs = [(config, files[index][0], str(files[index][1])) for index in missing]
    made = workers.map(_read_job, jobs, worth_from=POOL_FROM)
    for index, (document, problems) in zip(missing, made):
        key = keys[index]
        if key and document is not None:
            document = replace(document, source=key)
        results[index] = (document, problems)
        if key:
            cache.keep("documents", key, results[index])
    documents = [document for document, _ in results if document is not None]
    problems = [problem for _, found in results for problem in found]
    return documents, problems


def _key(config: Config, kind: str, path: Path, live: dict) -> str | None:
    """The digest of the file's kind, path and bytes. A long-lived cache (the dev server's)
    remembers it by the file's size, inode and time stamp, which a save changes."""
    try:
        status = path.lstat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
            return None  # reported as a problem when read; nothing to cache
        seen = ("file", kind, str(path), status.st_size, status.st_ino, status.st_mtime_ns)
        if seen not in live:
            live[seen] = digest(generator_fingerprint(), kind, config.shown(path),
                                path.read_bytes())
        return live[seen]
    except OSError:
        return None


def _read_job(job) -> tuple[Analysed | None, list[Diagnostic]]:
    config, kind, path = job
    loaded, problems = load_document(config, kind, Path(path))
    if loaded is None:
        return None, problems
    document, split = loaded
    # the Markdown source is not needed once parsed: not kept, not sent back, not cached
    return analyse(document, split.body), problems
