"""Pooled syntheses are kept like every other result (a rebuild with nothing changed never
loads statsmodels), and a first build of a large review may pool them in a process that
loads statsmodels from the start: both give exactly the site a fresh build gives."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from conftest import REPO, make_project
from evidence_fixture import write_bcg_site
from test_build import stable_files

from evidencesite.incremental.preload import Preloaded

sys.path.insert(0, str(REPO / "benchmarks"))
from corpus import generate  # noqa: E402

BUILD = """
import sys
from evidencesite.commands.cli import main
code = main(sys.argv[1:])
print("STATSMODELS", "statsmodels" in sys.modules)
sys.exit(code)
"""


def build_elsewhere(root, out, *options: str) -> bool:
    """Build in a fresh process; whether that process loaded statsmodels."""
    result = subprocess.run(
        [sys.executable, "-c", BUILD, "--root", str(root), "build", "--out", str(out),
         *options], capture_output=True, text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1800000000"})
    assert result.returncode == 0, result.stderr[-3000:]
    return "STATSMODELS True" in result.stdout


def test_preloaded_process_computes_and_raises_as_here():
    with Preloaded(("json",)) as process:
        assert process.submit(pow, 2, 10).get() == 1024
    with Preloaded(("json",)) as process:
        with pytest.raises(ZeroDivisionError):
            process.submit(divmod, 1, 0).get()


def test_large_work_is_sent_without_waiting_for_the_process_to_load(tmp_path, monkeypatch):
    """The process reads its work only once its modules are loaded; sending a message
    larger than a pipe holds must not hold the build until then."""
    gate = tmp_path / "open"
    (tmp_path / "slow_to_load.py").write_text(
        "import pathlib, time\n"
        f"while not pathlib.Path({str(gate)!r}).exists():\n    time.sleep(0.01)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with Preloaded(("slow_to_load",)) as process:
        submitted = []
        sender = threading.Thread(target=lambda: submitted.append(
            process.submit(len, b"x" * 4_000_000)))
        sender.start()
        sender.join(timeout=30)
        returned_while_loading = not sender.is_alive()
        gate.touch()
        sender.join()
        assert returned_while_loading
        assert submitted[0].get() == 4_000_000


def test_the_command_line_starts_before_the_generator_loads():
    """The process that loads statsmodels is started by the command line before the rest of
    the generator (templates, YAML, Markdown, the renderer) loads, beside that loading."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; import evidencesite.commands.cli; "
         "print(sorted(m for m in ('jinja2', 'yaml', 'markdown_it', 'evidencesite.build') "
         "if m in sys.modules))"], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_preloaded_process_yields_the_cores_to_the_build():
    """It loads at the lowest priority: it takes only what the build leaves of the cores."""
    with Preloaded(("json",)) as process:
        assert process.submit(os.nice, 0).get() == min(19, os.nice(0) + 19)


def test_the_statistics_module_counts_entries_where_the_content_model_keeps_them():
    """It names the entries' folder itself, so as not to load the content model early."""
    from evidencesite.content.model import CONTENT_FOLDERS, Kind
    from evidencesite.incremental.statistics import ENTRY_FOLDER
    assert ENTRY_FOLDER == CONTENT_FOLDERS[Kind.ENTRY]


def test_preloaded_process_that_died_leaves_the_work_to_this_one():
    with Preloaded(("json",)) as process:
        process._process.kill()
        process._process.join()
        assert process.submit(pow, 3, 3).get() == 27


def test_preloaded_process_that_is_not_needed_is_ended_quietly(capfd):
    def interrupt(signum, frame):  # what the dev server does with SIGTERM
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        process = Preloaded(("statsmodels.stats.meta_analysis",))
        child = process._process
        process.close()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert not child.is_alive()
    assert capfd.readouterr().err == ""


def test_rebuild_with_nothing_changed_does_not_load_statsmodels(tmp_path):
    project = write_bcg_site(make_project(tmp_path / "bcg", with_content=False))
    site = tmp_path / "site"
    assert build_elsewhere(project.root, site)  # pooled: statsmodels loaded
    first = stable_files(site)
    assert not build_elsewhere(project.root, site)  # every synthesis kept
    assert stable_files(site) == first

    entry = project.root / "content/entries/bcg-01.md"
    entry.write_text(entry.read_text().replace("events: 4,", "events: 5,"))
    assert build_elsewhere(project.root, site)  # its synthesis pooled again
    fresh = tmp_path / "fresh"
    build_elsewhere(project.root, fresh, "--no-cache", "--jobs", "1")
    assert stable_files(site) == stable_files(fresh)
    pooled = json.loads((site / "data/syntheses.json").read_text())["syntheses"][0]
    assert pooled["studies"][0]["citation"] == "bcg01"


@pytest.mark.slow
def test_first_build_pooling_beside_the_reading_equals_a_single_process_build(tmp_path):
    review = generate(tmp_path / "review", 250, outcomes=True)
    # on two cores or more, a cold build of 250 entries with outcomes pools in the process
    # that loaded statsmodels from the start, not in the build's own
    loaded_here = build_elsewhere(review, tmp_path / "parallel", "--jobs", "2")
    assert loaded_here == ((os.cpu_count() or 1) < 2)
    build_elsewhere(review, tmp_path / "single", "--no-cache", "--jobs", "1")
    assert stable_files(tmp_path / "parallel") == stable_files(tmp_path / "single")
