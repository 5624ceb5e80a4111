"""Worker processes for the build: one per core, or none.

The workers are forked, so they start with everything the build has loaded; what they
return is pickled back. With one job (or one core) everything runs in this process, in
the same order, and gives the same result.
"""
from __future__ import annotations

import os
from multiprocessing import get_context


class Done:
    """The result of work done at once, shaped like a pending one."""

    def __init__(self, value) -> None:
        self.value = value

    def get(self):
        return self.value


class Workers:
    def __init__(self, jobs: int = 0) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            # work still running (e.g. references for a build that failed validation)
            # is not worth waiting for
            self._pool.terminate()
            self._pool.join()

    def _started(self):
        if self._pool is None:
            self._pool = get_context("fork").Pool(self.jobs)
        return self._pool

    def parallel(self, items: int, worth_from: int) -> bool:
        return self.jobs > 1 and items >= worth_from

    def submit(self, function, *args, worth_it: bool = True):
        """Start `function(*args)`; `.get()` waits for its result."""
        if self.jobs == 1 or not worth_it:
            return Done(function(*args))
        return self._started().apply_async(function, args)

    def _chunk(self, items: list) -> int:
        """Items sent to a worker at a time: a few chunks per worker, so that they finish
        together, and small enough for results to stream back."""
        return max(1, min(50, len(items) // (self.jobs * 4)))

    def imap(self, function, items: list):
        """function(item) for each item, in order, as the workers finish them."""
        return self._started().imap(function, items, chunksize=self._chunk(items))

    def map(self, function, items: list, worth_from: int = 1) -> list:
        """[function(item) for item in items], spread over the workers when there are at
        least `worth_from` items."""
        if not self.parallel(len(items), worth_from):
            return [function(item) for item in items]
        return self._started().map(function, items, chunksize=self._chunk(items))
