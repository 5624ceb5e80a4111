"""Built-site gates, offline: the Nu HTML Checker finds no errors on any page, and an
internal link and anchor check (lychee) finds no broken link."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from evidencesite.commands.cli import main

pytestmark = pytest.mark.slow  # external checkers over the whole review

VNU = REPO / ".cache/node/node_modules/vnu-jar/build/dist/vnu.jar"


def _tool_or_skip(available: bool, what: str) -> None:
    if available:
        return
    if os.environ.get("EVIDENCESITE_REQUIRE_BROWSER"):
        pytest.fail(f"{what} is missing; .ci/run installs it")
    pytest.skip(f"{what} not installed")


@pytest.fixture(scope="module")
def built_review(tmp_path_factory):
    root = tmp_path_factory.mktemp("gates") / "review"
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "citations.bib", root / "citations.bib")
    assert main(["--root", str(root), "build", "--strict"]) == 0
    return root / "site"


def test_nu_html_checker_finds_no_errors(built_review):
    _tool_or_skip(VNU.is_file() and shutil.which("java") is not None, "the Nu HTML Checker")
    pages = sorted(str(p) for p in built_review.rglob("*.html"))
    assert len(pages) > 40
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", *pages],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-5000:]
    assert result.stderr.strip() == ""


def test_no_broken_internal_link_or_anchor(built_review):
    lychee = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    _tool_or_skip(Path(lychee).is_file(), "lychee")
    result = subprocess.run(
        [lychee, "--offline", "--include-fragments", "--no-progress",
         "--root-dir", str(built_review), "--index-files", "index.html",
         str(built_review / "**/*.html")],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "0 Errors" in result.stdout
