"""Content files -> checked documents with their Markdown rendered (`Analysed`).

A file whose bytes, path and kind are unchanged since a build that used the same generator
is taken from the cache; the others are read in a pool of processes, one per core, when
there are enough of them to pay for starting it.
"""
from __future__ import annotations

import os
from dataclasses import replace
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from evidencesite.analyse import Analysed, analyse
from evidencesite.cache import BuildCache
from evidencesite.config import Config
from evidencesite.diagnostics import Diagnostic
from evidencesite.fingerprint import digest, generator_fingerprint
from evidencesite.frontmatter import MAX_FILE_BYTES
from evidencesite.load import load_document

POOL_FROM = 200  # files; below this, starting processes costs more than it saves


def read_documents(config: Config, files, cache: BuildCache,
                   workers: int = 0) -> tuple[list[Analysed], list[Diagnostic]]:
    """Every content file in `files` ((kind, path) pairs), in that order, with the problems
    found; `workers` 0 means one per core, 1 means none."""
    keys = [_key(config, kind, path) for kind, path in files]
    results: list = [cache.get("documents", key) if key else None for key in keys]
    missing = [index for index, result in enumerate(results) if result is None]
    jobs = [(config, files[index][0], str(files[index][1])) for index in missing]
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(jobs) >= POOL_FROM:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            made = list(pool.map(_read_job, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
    else:
        made = [_read_job(job) for job in jobs]
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


def _key(config: Config, kind: str, path: Path) -> str | None:
    try:
        if path.is_symlink() or path.stat().st_size > MAX_FILE_BYTES:
            return None  # reported as a problem when read; nothing to cache
        raw = path.read_bytes()
    except OSError:
        return None
    return digest(generator_fingerprint(), kind, config.shown(path), raw)


def _read_job(job) -> tuple[Analysed | None, list[Diagnostic]]:
    config, kind, path = job
    document, problems = load_document(config, kind, Path(path))
    return (analyse(document) if document is not None else None), problems
