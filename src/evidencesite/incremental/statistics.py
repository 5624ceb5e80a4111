"""When statsmodels is loaded ahead of need, and by which process.

Loading statsmodels (with SciPy and pandas) costs about a CPU-second. A first build of a large
review with outcomes will pool, so the command line starts `statistics_process` before it
loads the rest of the generator: the process imports statsmodels on the core that this one,
still loading its own modules and reading settings, leaves idle, then pools when asked.
This module imports nothing heavy, so that the process starts within a tenth of a second.
"""
from __future__ import annotations

import os
import sys
from contextlib import nullcontext

from evidencesite.config import Config
from evidencesite.incremental.preload import Preloaded

KIND = "syntheses"  # the build cache's kind of pooled syntheses
# The statistics library first (`STATISTICS[0] in sys.modules`: loaded already), then the
# generator's own module that pools, which the process needs to run the work it is sent.
STATISTICS = ("statsmodels.stats.meta_analysis", "statsmodels.genmod.generalized_linear_model",
              "statsmodels.stats.proportion", "evidencesite.evidence.stage")
LARGE_REVIEW = 200  # entry files; a smaller review's few syntheses are pooled where needed
ENTRY_FOLDER = "entries"  # content/entries/, as CONTENT_FOLDERS says (not imported: heavy)


def statistics_process(config: Config, cache):
    """A context: a `Preloaded` process loading statsmodels from now on when this build will
    most likely pool many syntheses and has none of them kept (a first build of a large
    review with outcomes on more than one core); otherwise nothing (None). `cache`: the
    build's BuildCache."""
    if (config.jobs == 1 or (os.cpu_count() or 1) < 2 or STATISTICS[0] in sys.modules
            or not (config.content_dir / "outcomes.yaml").is_file() or cache.holds(KIND)
            or _entry_files(config) < LARGE_REVIEW):
        return nullcontext()
    return Preloaded(STATISTICS)


def _entry_files(config: Config) -> int:
    try:
        with os.scandir(config.content_dir / ENTRY_FOLDER) as listing:
            return sum(1 for _ in listing)
    except OSError:
        return 0
