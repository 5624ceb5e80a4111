"""The documented commands work as documented: `python3 build.py ...` with a Python that lacks
the dependencies, and from any folder inside the project."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, diagnostics_of
from evidencesite.commands.cli import main


def _bare_python_run(project, *args, cwd=None):
    """build.py run by a Python without site-packages (-S: no jinja2, no yaml), as the
    system python3 of a fresh machine is."""
    env = {k: v for k, v in os.environ.items() if k != "EVIDENCESITE_IN_VENV"}
    return subprocess.run([sys.executable, "-S", str(project.root / "build.py"), *args],
                          cwd=cwd or project.root, capture_output=True, text=True, env=env,
                          timeout=120)


def _with_build_py(project):
    shutil.copy(REPO / "build.py", project.root / "build.py")
    shutil.copytree(REPO / "src/evidencesite", project.root / "src/evidencesite",
                    ignore=shutil.ignore_patterns("__pycache__"))


@pytest.mark.slow  # build.py in a Python process of its own
def test_build_py_without_dependencies_and_without_venv_says_what_to_run(project):
    _with_build_py(project)
    result = _bare_python_run(project, "check")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"build.py: this Python ({sys.executable}) lacks the module `jinja2`; set up once "
        "with `python3 -m venv .venv && .venv/bin/pip install -e .`, then run the command "
        "again\n")


def _with_venv(project, *python_options: str) -> None:
    """A .venv/bin/python that stands for the one the README's set-up makes (with -S: one
    whose packages are missing)."""
    venv_python = project.root / ".venv/bin/python"
    venv_python.parent.mkdir(parents=True)
    options = "".join(f" {option}" for option in python_options)
    venv_python.write_text(f'#!/bin/sh\nexec "{sys.executable}"{options} "$@"\n',
                           encoding="utf-8")
    venv_python.chmod(0o755)


@pytest.mark.slow  # build.py in a Python process of its own
def test_build_py_without_dependencies_runs_again_in_the_projects_venv(project):
    _with_build_py(project)
    _with_venv(project)
    result = _bare_python_run(project, "check", cwd=project.root / "content")
    assert result.returncode == 0, result.stderr
    assert "Checked: 0 errors, 0 warnings" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # build.py in a Python process of its own
def test_a_broken_venv_is_not_run_again_in_a_loop(project):
    _with_build_py(project)
    _with_venv(project, "-S")
    result = _bare_python_run(project, "check", cwd=project.root / "content/entries")
    assert result.returncode == 2
    assert result.stderr == (
        f"build.py: this Python ({sys.executable}) lacks the module `jinja2`; set up once "
        f"with `.venv/bin/pip install -e .` (in {project.root}), then run the command "
        "again\n")


def test_new_entry_from_a_subfolder_writes_into_the_project_and_names_that_file(
        project, capsys, monkeypatch):
    monkeypatch.chdir(project.root / "content/entries")
    assert main(["new", "entry", "jones-2024", "--citation", "smith2020trial"]) == 0
    assert (project.root / "content/entries/jones-2024.md").is_file()
    assert not (project.root / "content/content").exists()
    assert capsys.readouterr().err == (
        "Created jones-2024.md; fill it in, then run `python3 build.py check`.\n")


def test_check_from_a_subfolder_checks_the_whole_project(project, capsys, monkeypatch):
    project.write("content/entries/smith-2020.md",
                  (project.root / "content/entries/smith-2020.md").read_text()
                  .replace("type: rct", "type: trial"))
    monkeypatch.chdir(project.root / "content/questions")
    assert main(["check"]) == 1
    assert diagnostics_of(capsys)[0].startswith(
        "content/entries/smith-2020.md:4:7: error[invalid-value]: `type` is `trial`")


def test_pre_commit_hook_runs_build_py_with_python3():
    import yaml

    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert hook["language"] == "system"
    assert hook["entry"] == "python3 build.py check --strict"
