"""A smoke test so that the benchmark cannot rot (it measures nothing here)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_synthetic_corpus_builds_and_the_benchmark_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/run.py"), "--entries", "6", "--runs", "1",
         "--json", str(tmp_path / "results.json"), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "cold build s" in result.stdout
    data = json.loads((tmp_path / "results.json").read_text())
    measured = data["results"][0]
    assert measured["entries"] == 6
    for key in ("cold_build_s", "warm_rebuild_s", "edit_rebuild_s", "serve_rebuild_s",
                "cold_with_evidence_s"):
        assert measured[key]["median"] > 0
    assert measured["generator_peak_rss_mb"] > 0 and measured["search_index_mb"] > 0
    entries = sorted((tmp_path / "work/corpus-6/content/entries").glob("*.md"))
    assert len(entries) == 6
    text = entries[0].read_text()
    assert "key_findings:" in text and "| Outcome |" in text and "[@ref" in text
    pooled = (tmp_path / "work/corpus-evidence-6/content/questions/q00.md").read_text()
    assert "syntheses:" in pooled and "measure: HR" in pooled
