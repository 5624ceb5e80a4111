"""The golden mini-site: its whole output compared with tests/golden/expected/.

After an intended change: python tests/golden/regenerate.py, then review the diff.
"""
from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent / "golden"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("golden_regenerate", HERE / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_site_matches_expected_output(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    _regenerate_module().build_golden(tmp_path / "out")
    actual, expected = _files(tmp_path / "out"), _files(HERE / "expected")
    assert sorted(actual) == sorted(expected), "the set of output files changed"
    for name in sorted(expected):
        if actual[name] != expected[name]:
            diff = "".join(difflib.unified_diff(
                expected[name].decode("utf-8").splitlines(True),
                actual[name].decode("utf-8").splitlines(True),
                f"expected/{name}", f"actual/{name}", n=2))
            raise AssertionError(f"{name} differs from the golden output "
                                 f"(python tests/golden/regenerate.py if intended):\n{diff}")
