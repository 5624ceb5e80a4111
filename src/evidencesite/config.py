"""Settings of one run, fixed before the pipeline starts."""
from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path


LATEST_ZONE = dt.timezone(dt.timedelta(hours=14))


@dataclass(frozen=True)
class Config:
    root: Path
    out_dir: Path
    strict: bool = False
    base_url: str | None = None  # overrides content/site.yaml when set
    build_time: int = 0  # seconds since the epoch; shown as the build date
    jobs: int = 0  # processes for reading and rendering; 0: one per core

    @property
    def build_date(self) -> dt.date:
        """The day of `build_time` (UTC): the date the site shows and checks dates against."""
        return dt.datetime.fromtimestamp(self.build_time, dt.timezone.utc).date()

    @property
    def latest_date(self) -> dt.date:
        """The day of `build_time` in the time zone furthest east (UTC+14): no date after it
        is today anywhere on Earth, so none after it can be the date of a change."""
        return dt.datetime.fromtimestamp(self.build_time, LATEST_ZONE).date()

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def bib_path(self) -> Path:
        return self.root / "citations.bib"

    def shown(self, path: Path) -> str:
        """A path as diagnostics show it: relative to the project root."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep) and os.sep == "/":
            return text[len(root) + 1:]
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def find_root(start: str | Path | None = None) -> Path:
    """The project folder: the nearest folder, from `start` (the current folder) upwards,
    that holds content/site.yaml; `start` itself when none does."""
    here = Path(start or ".").resolve()
    for folder in (here, *here.parents):
        if (folder / "content" / "site.yaml").is_file():
            return folder
    return here


def make_config(root: str | Path = ".", out: str | Path | None = None, strict: bool = False,
                base_url: str | None = None, jobs: int = 0) -> Config:
    root_path = Path(root).resolve()
    out_path = Path(out).resolve() if out else root_path / "site"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    build_time = int(epoch) if epoch.isdigit() else int(time.time())
    if base_url is not None and not base_url.endswith("/"):
        base_url += "/"  # GitHub Pages gives its address without the final slash
    return Config(root_path, out_path, strict, base_url, build_time, max(jobs, 0))
