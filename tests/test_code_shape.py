"""The source keeps the shape CONTRIBUTING asks for: small modules with one job, short
functions (no module over 400 lines, no function over 60)."""
from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "evidencesite"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules():
    return sorted(SOURCE.rglob("*.py"))


def test_no_module_is_over_400_lines():
    long = {path.relative_to(SOURCE).as_posix(): lines for path in _modules()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(SOURCE).as_posix()}:{node.lineno} "
                         f"{node.name}"] = lines
    assert long == {}


def test_the_checks_see_the_package():
    assert len(_modules()) > 50
