"""The dev server, run for real: it survives a bad edit, shows the error, and recovers."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import ENTRY, REPO

pytestmark = pytest.mark.slow  # a live server and rebuild loops


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def wait_for(predicate, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"condition not met in {seconds} s (last: {last!r})")


@pytest.fixture
def server(project):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(project.root), "serve",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ})
    try:
        wait_for(lambda: get(port, "/")[0] == 200)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serves_the_site_at_the_root(server):
    status, html = get(server, "/entries/smith-2020/")
    assert status == 200
    assert ">A trial of things</h1>" in html
    assert 'href="/static/style.css"' in html  # base_url "/" while serving
    assert "livereload.js" in html and "&#39;unsafe-inline&#39;" in html


def test_bad_edit_keeps_last_good_site_and_shows_error_until_fixed(server, project):
    path = "content/entries/smith-2020.md"
    project.write(path, ENTRY.replace("type: rct", "type: rtc"))
    html = wait_for(lambda: (lambda r: r[1] if "build-errors" in r[1] else None)(
        get(server, "/entries/smith-2020/")))
    assert ">A trial of things</h1>" in html  # still the last good page
    assert "smith-2020.md:4:7: error[invalid-value]" in html
    project.write(path, ENTRY.replace("A trial of things", "A trial of many things"))
    html = wait_for(lambda: (lambda r: r[1] if "many things" in r[1] else None)(
        get(server, "/entries/smith-2020/")))
    assert "build-errors" not in html


def test_never_serves_files_outside_the_build(server, project):
    (project.root / "secret.txt").write_text("secret")
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"]:
        status, body = get(server, path)
        assert "secret" not in body or status == 404
        assert status == 404


def test_unknown_path_gets_the_404_page(server):
    status, html = get(server, "/no/such/page/")
    assert status == 404
    assert "Page not found" in html


def test_dev_rebuild_rewrites_only_what_the_edit_changes_and_indexes_later(project, tmp_path):
    from evidencesite.config import make_config
    from evidencesite.commands.serve import DevSite

    folder = tmp_path / "served"
    dev = DevSite(make_config(project.root, base_url="/"), folder)
    dev.rebuild()
    dev.indexing.join(timeout=60)

    def inodes():
        return {p.relative_to(folder).as_posix(): p.stat().st_ino
                for p in folder.rglob("*") if p.is_file()}

    def index_files():
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in (folder / "pagefind").rglob("*") if p.is_file()}

    before, index_before = inodes(), index_files()
    project.write("content/pages/about.md",
                  "---\ntitle: About\nnav_order: 1\n---\nAbout this living review.\n")
    assert dev.rebuild().errors == 0
    after = inodes()
    assert {name for name in after if before.get(name) != after[name]} == {"about/index.html"}
    dev.indexing.join(timeout=60)
    assert index_files() != index_before
    assert "living review" in (folder / "about/index.html").read_text()


def test_dev_rebuild_rechecks_unchanged_files_against_a_changed_neighbour(project, tmp_path):
    from evidencesite.config import make_config
    from evidencesite.commands.serve import DevSite

    dev = DevSite(make_config(project.root, base_url="/"), tmp_path / "served")
    assert dev.rebuild().errors == 0
    question = project.root / "content/questions/does-it-work.md"
    kept = question.read_text()
    question.unlink()
    broken = [d.format_text() for d in dev.rebuild().diagnostics]
    assert any(line.startswith("content/entries/smith-2020.md:") and "unknown-question" in line
               for line in broken), broken
    question.write_text(kept)
    assert dev.rebuild().errors == 0


def _serve(project, port: int, temporary) -> subprocess.Popen:
    """The server, with its temporary folders made in `temporary`."""
    temporary.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(project.root), "serve",
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TMPDIR": str(temporary)})


def test_a_busy_port_is_one_line_naming_a_free_one(project, tmp_path):
    import re

    tmp_path = tmp_path / "tmp"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _serve(project, port, tmp_path)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 1
    match = re.fullmatch(
        rf"error: port {port} on 127\.0\.0\.1 is in use \(Address already in use\): try "
        r"`--port (\d+)` \(free now\) or `--port 0` \(any free port\)\n", output)
    assert match, output
    assert int(match.group(1)) > port
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_port_0_picks_a_free_port_and_stopping_removes_the_temporary_folder(
        project, tmp_path, stop):
    tmp_path = tmp_path / "tmp"
    process = _serve(project, 0, tmp_path)
    try:
        line = ""
        while not line.startswith("Serving on "):
            line = process.stdout.readline()
            assert line, "the server stopped before serving"
        port = int(line.split(":")[2].split("/")[0])
        assert port > 0
        wait_for(lambda: get(port, "/")[0] == 200)
        assert [p.name[:19] for p in tmp_path.iterdir()] == ["evidencesite-serve-"]
    finally:
        process.send_signal(stop)
        process.wait(timeout=20)
    assert process.returncode == 0
    assert list(tmp_path.iterdir()) == []
