"""Building a small site end to end: pages, links under a sub-path, exit codes, atomic writes."""
from __future__ import annotations

import io
import re
from pathlib import Path

from conftest import diagnostics_of


def all_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# Pagefind writes its filter and metadata indexes in hash-map order, so their bytes (and the
# hashes naming them) differ from run to run (Pagefind issue #638); everything else is stable.
UNSTABLE_SEARCH_FILES = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta|"
                                   r"pagefind-entry\.json)$")


def stable_files(folder: Path) -> dict[str, bytes]:
    return {name: data for name, data in all_files(folder).items()
            if not UNSTABLE_SEARCH_FILES.match(name)}


def test_build_writes_every_page_type(mini_site):
    for page in ["index.html", "entries/smith-2020/index.html",
                 "questions/does-it-work/index.html", "questions/index.html",
                 "bibliography/index.html", "evidence/index.html", "about/index.html",
                 "agents/anti-pd-1/index.html", "designs/rct/index.html",
                 "populations/nsclc/index.html", "settings/first-line/index.html",
                 "404.html", "schema/entry.schema.json", "static/style.css"]:
        assert (mini_site.site / page).is_file(), page
    summary = mini_site.output.strip().splitlines()[-1]
    assert re.match(r"Built \d+ pages \(\d+ files\), 0 errors, 0 warnings, in \d+\.\d\d s", summary)


def test_every_link_lives_under_the_base_path(mini_site):
    for path in mini_site.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for href in re.findall(r'(?:href|src)="([^"]+)"', html):
            if href.startswith(("#", "https://", "mailto:")):
                continue
            assert href.startswith("/mini/"), f"{path}: {href}"
            target = mini_site.site / href[len("/mini/"):].split("#")[0].split("?")[0]
            if target.suffix == "":
                target = target / "index.html"
            assert target.is_file(), f"{path.relative_to(mini_site.site)} links to missing {href}"


def test_base_url_option_overrides_site_yaml(project):
    assert project.run("build", "--base-url", "https://example.org/review/") == 0
    assert 'href="/review/static/style.css"' in project.page("index.html")


def test_citations_are_numbered_per_page_with_a_reference_list(mini_site):
    question = mini_site.page("questions/does-it-work/index.html")
    assert 'href="#ref-1"' in question and 'href="#ref-2"' in question
    references = question.split('id="references-heading"')[1]
    assert references.index("Smith A, Jones B, et al.") < references.index("Tang LB.")
    entry = mini_site.page("entries/smith-2020/index.html")
    assert '>1, p. 3</a>' in entry
    assert 'href="https://doi.org/10.1000/xyz123"' in entry
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"' in entry


def test_bibliography_links_back_to_citing_pages(mini_site):
    bibliography = mini_site.page("bibliography/index.html")
    smith = bibliography.split('id="smith2020trial"')[1].split("</li>")[0]
    assert 'href="/mini/entries/smith-2020/"' in smith
    assert 'href="/mini/questions/does-it-work/"' in smith


def test_internal_link_resolves_to_the_question(mini_site):
    assert '<a href="/mini/questions/does-it-work/">the question</a>' in mini_site.page(
        "entries/smith-2020/index.html")


def test_home_shows_status_questions_and_latest_entries(mini_site):
    home = mini_site.page("index.html")
    assert "evidence as of" in home and "2025-12-01" in home
    assert "Evidence: very limited" in home
    assert 'href="/mini/entries/smith-2020/"' in home


def test_same_input_gives_byte_identical_output(project, tmp_path):
    assert project.run("build", "--out", str(tmp_path / "one")) == 0
    assert project.run("build", "--out", str(tmp_path / "two")) == 0
    one, two = stable_files(tmp_path / "one"), stable_files(tmp_path / "two")
    assert any(name.startswith("pagefind/fragment/") for name in one)
    assert one == two


def test_source_date_epoch_fixes_the_build_date(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798800000")
    assert project.run("build") == 0
    assert "built 2027-01-01" in project.page("index.html")


def test_failed_build_leaves_previous_site_and_no_staging_folder(project, capsys):
    assert project.run("build") == 0
    before = all_files(project.site)
    project.write("content/entries/smith-2020.md", "no front matter\n")
    assert project.run("build") == 1
    assert all_files(project.site) == before
    assert [p.name for p in project.root.iterdir() if "staging" in p.name] == []


def test_rebuild_rewrites_only_files_whose_bytes_changed(project):
    assert project.run("build") == 0
    inode = {name: (project.site / name).stat().st_ino
             for name in ("about/index.html", "entries/smith-2020/index.html")}
    project.write("content/pages/about.md", PAGE_CHANGED)
    assert project.run("build") == 0
    assert "About this living review." in project.page("about/index.html")
    assert (project.site / "about/index.html").stat().st_ino != inode["about/index.html"]
    assert (project.site / "entries/smith-2020/index.html").stat().st_ino == \
        inode["entries/smith-2020/index.html"]


PAGE_CHANGED = "---\ntitle: About\nnav_order: 1\n---\nAbout this living review.\n"


def test_failure_while_writing_leaves_previous_site(project, monkeypatch):
    assert project.run("build") == 0
    before = all_files(project.site)
    import evidencesite.output.write as write_module

    def broken_swap(staging, out_dir):
        raise OSError("disk full")

    monkeypatch.setattr(write_module, "_swap", broken_swap)
    try:
        project.run("build")
    except OSError:
        pass
    assert all_files(project.site) == before
    assert [p.name for p in project.root.iterdir() if "staging" in p.name] == []


def test_check_writes_nothing_and_exits_zero_when_clean(project, capsys):
    assert project.run("check") == 0
    assert not project.site.exists()
    assert "Checked: 0 errors, 0 warnings" in capsys.readouterr().err


def test_check_exits_one_on_errors(project, capsys):
    project.write("content/entries/smith-2020.md",
                  project.root.joinpath("content/entries/smith-2020.md").read_text()
                  .replace("type: rct", "type: trial"))
    assert project.run("check") == 1


def test_usage_error_exits_two(project, capsys):
    assert project.run("frobnicate") == 2
    assert project.run("build", "--no-such-option") == 2


def test_strict_turns_unused_reference_warning_into_failure(project, capsys):
    project.write("citations.bib", project.root.joinpath("citations.bib").read_text() + """
@article{unused2021,
  title = {Never cited},
  year = {2021}
}
""")
    assert project.run("check") == 0
    lines = diagnostics_of(capsys)
    assert lines[0] == ("citations.bib:21:1: warning[unused-reference]: "
                        "record `unused2021` is not cited anywhere")
    assert project.run("check", "--strict") == 1
    assert project.run("build", "--strict") == 1
    assert not project.site.exists()


def test_github_format_prints_annotations(project, capsys):
    project.write("content/entries/smith-2020.md",
                  project.root.joinpath("content/entries/smith-2020.md").read_text()
                  .replace("type: rct", "type: trial"))
    assert project.run("check", "--format", "github") == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=content/entries/smith-2020.md,line=4,col=7,"
                          "title=invalid-value::`type` is `trial`")


def test_crlf_and_bom_are_read_like_plain_utf8(project):
    text = project.root.joinpath("content/entries/smith-2020.md").read_text()
    project.write_bytes("content/entries/smith-2020.md",
                        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert project.run("build") == 0
    assert ">A trial of things</h1>" in project.page("entries/smith-2020/index.html")


def test_raw_html_in_markdown_is_escaped(project):
    project.write("content/pages/about.md", "---\ntitle: About\n---\n"
                  "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n")
    assert project.run("build") == 0
    about = project.page("about/index.html")
    assert "<script>alert" not in about and "<img src=x" not in about
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in about


def test_csp_meta_is_first_in_head(mini_site):
    for path in mini_site.site.rglob("*.html"):
        head = path.read_text(encoding="utf-8").split("<head>", 1)[1].lstrip()
        assert head.startswith('<meta http-equiv="Content-Security-Policy"'), path


def test_template_error_names_the_template_and_line(project, capsys):
    template = project.root / "templates/entry.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[5] = "{% if %}"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert project.run("build") == 1
    assert any(line.startswith("templates/entry.html:6:1: error[template]:")
               for line in diagnostics_of(capsys))
    assert not project.site.exists()


def test_undefined_template_variable_is_an_error(project, capsys):
    template = project.root / "templates/404.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<h1>Page not found</h1>", "<h1>{{ no_such_variable }}</h1>"), encoding="utf-8")
    assert project.run("build") == 1
    assert any(line.startswith(
        "templates/404.html:4:1: error[template]: 'no_such_variable' is undefined")
               for line in diagnostics_of(capsys))


def test_citation_keys_are_case_sensitive(project):
    project.write("citations.bib", project.root.joinpath("citations.bib").read_text()
                  .replace("smith2020trial", "Smith2020Trial"))
    project.write("content/entries/smith-2020.md", project.root.joinpath(
        "content/entries/smith-2020.md").read_text().replace("smith2020trial", "Smith2020Trial"))
    project.write("content/questions/does-it-work.md", project.root.joinpath(
        "content/questions/does-it-work.md").read_text().replace("smith2020trial", "Smith2020Trial"))
    assert project.run("build") == 0
    assert "Smith A, Jones B, et al." in project.page("entries/smith-2020/index.html")


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal_and_only_for_slow_builds():
    from evidencesite.commands.cli import Console

    slow = Terminal()
    console = Console(slow, started=0.0)  # as if the build began long ago
    console.progress("render", 50, 200)
    assert "render" in slow.getvalue() and "[#######.......................] 50/200" in slow.getvalue()
    assert "\033[" in slow.getvalue()
    fast = Terminal()
    Console(fast).progress("render", 50, 200)
    assert fast.getvalue() == ""
    piped = io.StringIO()
    Console(piped, started=0.0).progress("render", 50, 200)
    assert piped.getvalue() == ""
