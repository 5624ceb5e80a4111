"""Pooled syntheses, kept like every other result and computed where it costs least.

Each synthesis is kept in the build cache under the digest of what it is computed from (its
specification, its outcome, the rows it includes with their labels, the generator and the
libraries), so that a build in which no synthesis's inputs changed never loads statsmodels.
The rest are pooled, all at once, by the first that applies:

- here, when statsmodels is loaded here already (the dev server, the tests);
- in the process that has been loading it since the command started
  (`incremental.statistics`: a first build of a large review, where loading it while the
  build starts and reads its files costs less than waiting for it);
- in a worker, beside the references, when there is much to pool (`worth_a_worker`);
- here otherwise.
"""
from __future__ import annotations

import sys

from evidencesite.evidence.stage import compute_syntheses, worth_a_worker
from evidencesite.incremental.keys import digest, generator_fingerprint, plain
from evidencesite.incremental.preload import Preloaded
from evidencesite.incremental.statistics import KIND, STATISTICS
from evidencesite.incremental.store import BuildCache
from evidencesite.incremental.workers import Done, Workers


def pooled_later(planned, cache: BuildCache, workers: Workers, preloaded: Preloaded | None):
    """The results of `planned` (see evidence.stage.check_evidence), kept ones reused and the
    rest started now; call the result to wait for them."""
    keys = [_key(spec, outcome, included) for spec, outcome, included in planned]
    found = [cache.get(KIND, key) for key in keys]
    missing = [item for item, result in zip(planned, found) if result is None]
    if not missing:
        pending = Done(())
    elif STATISTICS[0] in sys.modules or preloaded is None:
        pending = workers.submit(compute_syntheses, tuple(missing),
                                 worth_it=worth_a_worker(missing))
    else:
        pending = preloaded.submit(compute_syntheses, tuple(missing))

    def result() -> tuple:
        made = iter(pending.get())
        results = []
        for key, result in zip(keys, found):
            if result is None:
                result = next(made)
                cache.keep(KIND, key, result)
            results.append(result)
        return tuple(results)

    return result


def _key(spec, outcome, included) -> str:
    return digest(generator_fingerprint(), plain(spec), plain(outcome),
                  [(entry.id, entry.label, plain(row)) for entry, row in included])
