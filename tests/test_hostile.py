"""Bad and hostile input (every class of SECURITY.md not covered by test_broken_sites.py):
each gets a clear error that writes nothing, or safe output."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import BIB, ENTRY, REPO, diagnostics_of

E = "content/entries/smith-2020.md"


def errors_of(capsys) -> list[str]:
    return [line for line in diagnostics_of(capsys) if ": error[" in line]


def run_broken(project, capsys) -> list[str]:
    assert project.run("build") == 1
    assert not project.site.exists()
    return errors_of(capsys)


# -- front matter -------------------------------------------------------------------------
def test_scalar_front_matter(project, capsys):
    project.write(E, "---\njust a sentence\n---\n")
    assert run_broken(project, capsys) == [
        f"{E}:2:1: error[front-matter]: front matter must be a mapping of fields, found str"]


def test_several_yaml_documents_in_site_settings(project, capsys):
    site = (project.root / "content/site.yaml").read_text()
    project.write("content/site.yaml", site + "---\ntitle: again\n")
    assert run_broken(project, capsys) == [
        "content/site.yaml:8:1: error[yaml-documents]: more than one YAML document"]


def test_oversized_file(project, capsys):
    project.write(E, ENTRY + "x" * 1_000_001)
    errors = run_broken(project, capsys)
    assert errors[0].startswith(f"{E}: error[file-too-large]: file is ")


def test_implicit_float_where_text_is_expected(project, capsys):
    project.write("content/site.yaml", (project.root / "content/site.yaml").read_text()
                  .replace('version: "0.1"', "version: 1.10"))
    assert run_broken(project, capsys) == [
        "content/site.yaml:6:12: error[wrong-type]: `review.version` must be text, "
        "not the number 1.1"]


def test_date_where_text_is_expected_stays_text(project):
    project.write(E, ENTRY.replace("title: A trial of things", "title: 2024-01-02"))
    assert project.run("build") == 0
    assert ">2024-01-02</h1>" in project.page("entries/smith-2020/index.html")


# -- references and paths -------------------------------------------------------------------
def test_duplicate_entry_ids(project, capsys):
    project.write("content/entries/smith-2021.md", ENTRY)
    errors = run_broken(project, capsys)
    assert ("content/entries/smith-2021.md:2:5: error[id-mismatch]: id `smith-2020` differs "
            "from the file name `smith-2021.md`") in errors
    assert any("error[duplicate-id]: entry id `smith-2020` is also used by" in e for e in errors)


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "%2e%2e", "/absolute", "back\\\\slash",
                                    "nul\\x00byte", "UPPER"])
def test_ids_that_try_to_leave_the_output_folder(project, capsys, tmp_path, bad_id):
    project.write(E, ENTRY.replace("id: smith-2020", f'id: "{bad_id}"'))
    errors = run_broken(project, capsys)
    assert any(f"{E}:2:5: error[invalid-value]: `id`" in e for e in errors), errors
    assert not (project.root.parent / "etc").exists()


@pytest.mark.parametrize("name", ["..hidden-dots.md", "%2e%2e.md", "Bad Name.md", "back\\slash.md"])
def test_file_names_that_are_not_ids(project, capsys, name):
    project.write(f"content/entries/{name}", ENTRY)
    errors = run_broken(project, capsys)
    assert any("error[invalid-file-name]" in e or "error[unexpected-file]" in e for e in errors)


def test_every_output_path_stays_inside_the_site():
    from evidencesite.output.write import UnsafeOutputPath, safe_relative

    for bad in ["../x", "a/../../x", "/etc/x", "a\\..\\x", "a\x00b", ""]:
        with pytest.raises(UnsafeOutputPath):
            safe_relative(bad)
    assert str(safe_relative("entries/a/index.html")) == "entries/a/index.html"


# -- BibTeX ----------------------------------------------------------------------------------
def test_bibtex_javascript_url(project, capsys):
    project.write("citations.bib", BIB.replace("  pmid = {12345},",
                                               "  pmid = {12345},\n  url = {javascript:alert(1)},"))
    assert run_broken(project, capsys) == [
        "citations.bib:11:3: error[unsafe-url]: record `smith2020trial`: link "
        "`javascript:alert(1)` uses the scheme `javascript:`, which is not allowed"]


def test_bibtex_latex_that_cannot_be_decoded(project, capsys):
    project.write("citations.bib", BIB.replace("title = {A trial of things}",
                                               "title = {A trial of \\frobnicate{things}}"))
    assert run_broken(project, capsys) == [
        "citations.bib:3:3: error[bibtex-latex]: record `smith2020trial`: cannot decode LaTeX "
        "`\\frobnicate` in `title`"]


# -- Markdown ----------------------------------------------------------------------------------
@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "&#106;avascript:alert(1)",
    "<java&#x09;script:alert(1)>", "%6Aavascript:alert(1)", "//evil.example/x",
    "http://insecure.example/", "\\\\evil\\share",
])
def test_dangerous_links_are_reported_not_dropped(project, capsys, target):
    project.write(E, ENTRY + f"\n[click]({target})\n")
    errors = run_broken(project, capsys)
    assert any(e.startswith(f"{E}:21:") and "error[unsafe-url]" in e for e in errors), errors


@pytest.mark.parametrize("source", ["https://evil.example/pixel.png", "data:image/png;base64,AAAA"])
def test_images_must_come_from_the_site(project, capsys, source):
    project.write(E, ENTRY + f"\n![pixel]({source})\n")
    assert any("error[unsafe-url]: image" in e for e in run_broken(project, capsys))


def test_event_handlers_and_title_breakouts_are_escaped(project):
    project.write(E, ENTRY + '\n<img src=x onerror=alert(1)> <b onclick="x()">b</b>\n\n'
                  '[t](https://ok.example/ "a\\" onmouseover=\\"alert(1)")\n')
    assert project.run("build") == 0
    page = project.page("entries/smith-2020/index.html")
    assert "<img src=x" not in page and "<b onclick" not in page
    assert re.search(r'<a href="https://ok.example/" title="a&quot; onmouseover=&quot;alert\(1\)">',
                     page)


@pytest.mark.parametrize("body", [
    "> " * 3000 + "deep quote",
    "".join("  " * i + "- item\n" for i in range(300)),
    "[" * 20000 + "x" + "]" * 20000,
    "*a " * 20000,
    "[@k" * 20000,
    "`" * 30000,
])
@pytest.mark.slow  # each body built in a process of its own
def test_pathological_markdown_builds_in_bounded_time(project, body):
    """Guarded by a subprocess timeout, so a runaway parser fails instead of hanging."""
    project.write(E, ENTRY + "\n" + body + "\n")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(project.root),
                             "check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


# -- an XSS corpus through every renderer and template -------------------------------------------
MARKERS = ['<script>alert("x1")</script>', '"><img src=x onerror=alert("x2")>',
           "'><svg onload=alert('x3')>"]


def test_xss_corpus_never_appears_unescaped(project):
    m1, m2, m3 = MARKERS
    bib = BIB.replace("title = {A trial of things}", "title = {A trial " + m1 + "}") \
             .replace("author = {Smith, Anna and", "author = {Smith" + m2 + ", Anna and") \
             .replace("journal = {J Things}", "journal = {J " + m3 + "}") \
             .replace("abstract = {We found that things work in some patients.}",
                      "abstract = {We found that things work in some patients. " + m1 + "}")
    project.write("citations.bib", bib)
    entry = (ENTRY.replace("title: A trial of things", f"title: '{m2}'")
             .replace("agents: [anti-PD-1]", "agents: [anti-PD-1]\nsummary: '" + m1 + "'")
             .replace("  - statement: Things work in some patients.",
                      "  - statement: '" + m3.replace("'", "''") + "'")
             .replace("quote: things work in some patients",
                      "quote: 'some patients. " + m1 + "'"))
    project.write(E, entry)
    page = "---\ntitle: '" + m1 + "'\ndescription: '" + m2 + "'\nnav_order: 1\n---\n" + m3 + "\n"
    project.write("content/pages/about.md", page)
    assert project.run("build") == 0
    checked = 0
    for path in project.site.rglob("*"):
        if path.suffix in (".html", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8")
            for marker in MARKERS:
                assert marker not in text, f"{path.relative_to(project.site)}: {marker}"
            assert not re.search(r"<(script|img|svg)[^>]*(onerror|onload)=", text), path
            checked += 1
    assert checked >= 20
    entry_page = project.page("entries/smith-2020/index.html")
    assert "&lt;script&gt;alert(&#34;x1&#34;)&lt;/script&gt;" in entry_page or \
        "&lt;script&gt;alert(&quot;x1&quot;)&lt;/script&gt;" in entry_page
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', entry_page, re.S).group(1)
    assert "<" not in ld
