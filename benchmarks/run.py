"""Benchmark the generator on synthetic reviews, optionally against Hugo + Pagefind.

    python benchmarks/run.py --entries 1000 10000 [--runs 3] [--compare hugo mkdocs] [--json out.json]

Measures, for each corpus size: cold full build (fresh process, no cache, empty output),
warm rebuild (nothing changed), the command-line rebuild after one entry is edited, the dev
server's rebuild after one entry is edited (and how many files it rewrote), the cold build of
the same corpus with two results an entry and a synthesis a question, the generator's
peak RSS and the search indexer's beside it, output and search-index size, and the bytes a
browser fetches (in headless Chromium, when available) to answer a first search. Times are
medians of --runs runs with their spread; on a shared machine compare ratios, not seconds.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from corpus import generate  # noqa: E402

EPOCH = "1800000000"
BUILD_IN_PROCESS = """
import resource, sys, time
sys.path.insert(0, {src!r})
from evidencesite.commands.cli import main
started = time.perf_counter()
code = main(["--root", {root!r}, "build", "--out", {out!r}])
seconds = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("RESULT", code, seconds, own, children)
"""


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def edit_one_entry(root: Path) -> None:
    entry = sorted(Path(root, "content", "entries").glob("*.md"))[0]
    entry.write_text(entry.read_text() + "\nOne more sentence.\n")


def build_once(root: Path, out: Path) -> dict:
    script = BUILD_IN_PROCESS.format(src=str(REPO / "src"), root=str(root), out=str(out))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    line = [l for l in result.stdout.splitlines() if l.startswith("RESULT")]
    if not line or line[0].split()[1] != "0":
        raise SystemExit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    _, _, seconds, own, children = line[0].split()
    return {"seconds": float(seconds), "generator_rss_mb": int(own) / 1024,
            "indexer_rss_mb": int(children) / 1024}


def serve_rebuild(root: Path, out: Path) -> tuple[float, int]:
    """The dev server's rebuild after one entry changes, measured in its own process once
    the server has settled (first build written and indexed); and the files it rewrote."""
    script = f"""
import sys, time, os
sys.path.insert(0, {str(REPO / 'src')!r})
from pathlib import Path
from evidencesite.config import make_config
from evidencesite.commands.serve import DevSite
out = Path({str(out)!r})
dev = DevSite(make_config({str(root)!r}, base_url="/"), out)
dev.rebuild()
dev.indexing.join()
stamps = {{p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}}
entry = sorted(Path({str(root)!r}, "content", "entries").glob("*.md"))[0]
entry.write_text(entry.read_text() + "\\nOne more sentence.\\n")
started = time.perf_counter()
dev.rebuild()
seconds = time.perf_counter() - started
rewritten = sum(1 for p in out.rglob("*") if p.is_file() and stamps.get(p) != p.stat().st_mtime_ns)
print("RESULT", seconds, rewritten)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    line = [l for l in result.stdout.splitlines() if l.startswith("RESULT")]
    if not line:
        raise SystemExit(f"serve rebuild failed:\n{result.stderr[-3000:]}")
    _, seconds, rewritten = line[0].split()
    return float(seconds), int(rewritten)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def first_query_bytes(site: Path, query: str = "therapy") -> tuple[int, int] | None:
    """Bytes of /pagefind/ a headless Chromium fetches to show the first results: as this
    plain server sends them, and as a host that gzips text (GitHub Pages does) would send
    them; Pagefind's index files and WebAssembly are gzipped already and sent as they are."""
    chromium = os.environ.get("EVIDENCESITE_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(chromium).is_file():
        return None
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("response", lambda r: "/pagefind/" in r.url and fetched.append(
                (r.url, r.body())))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={query}",
                      wait_until="networkidle")
            page.locator("#search-results li").first.wait_for(timeout=60000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    text = (".js", ".json", ".css", ".html")
    wire = sum(len(gzip.compress(body)) if url.split("?")[0].endswith(text) else len(body)
               for url, body in fetched)
    return sum(len(body) for _, body in fetched), wire


def hugo_site(corpus: Path, out: Path) -> Path:
    """The same entry bodies as a Hugo site: what a Hugo user would build."""
    site = out / "hugo"
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "entries").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "/"\ntitle = "Benchmark"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "baseof.html").write_text(
        "<!doctype html><html lang=en><head><title>{{ .Title }}</title></head>"
        "<body><main data-pagefind-body>{{ block \"main\" . }}{{ end }}</main></body></html>")
    (site / "layouts" / "_default" / "single.html").write_text(
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}")
    (site / "layouts" / "_default" / "list.html").write_text(
        "{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
        "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}")
    for entry in sorted((corpus / "content" / "entries").glob("*.md")):
        text = entry.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = next(l for l in front.splitlines() if l.startswith("title:"))
        (site / "content" / "entries" / entry.name).write_text(f"---\n{title}\n---\n{body}",
                                                              encoding="utf-8")
    return site


def removed(*folders: Path) -> None:
    """Remove earlier output before a timed build, and wait until the file system has
    finished with the removal: deleting tens of thousands of files leaves it busy for many
    seconds, and would slow whichever build ran next."""
    for folder in folders:
        if folder.exists():
            shutil.rmtree(folder)
    os.sync()


def hugo_once(site: Path) -> float:
    hugo = shutil.which("hugo") or str(Path(sys.executable).parent / "hugo")
    public = site / "public"
    removed(public)
    started = time.perf_counter()
    subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(public)], check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(public), "--silent"],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def mkdocs_site(corpus: Path, out: Path) -> Path:
    """The same entry bodies as a bare MkDocs site (no plugins, no search, only the home page
    in the navigation: a navigation of every page makes MkDocs quadratic)."""
    site = out / "mkdocs"
    if site.exists():
        shutil.rmtree(site)
    (site / "docs" / "entries").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: Benchmark\nplugins: []\nnav:\n  - index.md\n")
    (site / "docs" / "index.md").write_text("# Benchmark\n")
    for entry in sorted((corpus / "content" / "entries").glob("*.md")):
        _, front, body = entry.read_text(encoding="utf-8").split("---\n", 2)
        title = next(l for l in front.splitlines() if l.startswith("title:"))[6:].strip()
        (site / "docs" / "entries" / entry.name).write_text(f"# {title}\n\n{body}",
                                                            encoding="utf-8")
    return site


def mkdocs_once(site: Path) -> float:
    removed(site / "public")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"),
                    "-d", str(site / "public")], check=True, capture_output=True)
    return time.perf_counter() - started


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}


def benchmark(entries: int, runs: int, compare: list[str], work: Path,
              evidence: bool = True) -> dict:
    corpus = generate(work / f"corpus-{entries}", entries)
    out = work / f"site-{entries}"
    # the same review with two results per entry and a synthesis per question
    pooled = generate(work / f"corpus-evidence-{entries}", entries, outcomes=True) \
        if evidence else None
    with_evidence = []
    result: dict = {"entries": entries}
    hugo = hugo_site(corpus, work) if "hugo" in compare else None
    mkdocs = mkdocs_site(corpus, work) if "mkdocs" in compare else None
    cold, warm, edited, own, indexer, hugo_s, mkdocs_s = [], [], [], [], [], [], []
    for _ in range(runs):  # the tools take turns, so that a noisy spell hits all of them
        removed(out, corpus / ".cache")
        measured = build_once(corpus, out)
        cold.append(measured["seconds"])
        own.append(measured["generator_rss_mb"])
        indexer.append(measured["indexer_rss_mb"])
        warm.append(build_once(corpus, out)["seconds"])
        edit_one_entry(corpus)
        edited.append(build_once(corpus, out)["seconds"])
        if pooled is not None:
            removed(work / "site-evidence", pooled / ".cache")
            with_evidence.append(build_once(pooled, work / "site-evidence")["seconds"])
        if hugo is not None:
            hugo_s.append(hugo_once(hugo))
        if mkdocs is not None:
            mkdocs_s.append(mkdocs_once(mkdocs))
    result["cold_build_s"] = summary(cold)
    result["warm_rebuild_s"] = summary(warm)
    result["edit_rebuild_s"] = summary(edited)
    serve = [serve_rebuild(corpus, work / f"serve-out-{n}") for n in range(runs)]
    result["serve_rebuild_s"] = summary([seconds for seconds, _ in serve])
    result["serve_files_rewritten"] = max(rewritten for _, rewritten in serve)
    result["generator_peak_rss_mb"] = max(own)
    result["indexer_peak_rss_mb"] = max(indexer)
    result["output_mb"] = folder_bytes(out) / 1e6
    result["search_index_mb"] = folder_bytes(out / "pagefind") / 1e6
    fetched = first_query_bytes(out)
    result["first_query_kb"] = fetched[0] / 1e3 if fetched is not None else None
    result["first_query_gzip_kb"] = fetched[1] / 1e3 if fetched is not None else None
    if mkdocs_s:
        result["mkdocs_s"] = summary(mkdocs_s)
        result["mkdocs_to_ours"] = result["mkdocs_s"]["median"] / result["cold_build_s"]["median"]
    if hugo_s:
        result["hugo_pagefind_s"] = summary(hugo_s)
        result["ratio_to_hugo"] = result["cold_build_s"]["median"] / result["hugo_pagefind_s"]["median"]
    result["warm_to_cold"] = result["warm_rebuild_s"]["median"] / result["cold_build_s"]["median"]
    if with_evidence:
        result["cold_with_evidence_s"] = summary(with_evidence)
        result["evidence_to_plain"] = (result["cold_with_evidence_s"]["median"] /
                                       result["cold_build_s"]["median"])
    return result


def print_table(results: list[dict]) -> None:
    def cell(value, digits=2):
        if value is None:
            return "n/a"
        if isinstance(value, dict):
            return f"{value['median']:.{digits}f} ({value['min']:.{digits}f}-{value['max']:.{digits}f})"
        return f"{value:.{digits}f}"

    rows = [("cold build s", "cold_build_s"), ("warm rebuild s", "warm_rebuild_s"),
            ("warm / cold", "warm_to_cold"), ("edit rebuild s", "edit_rebuild_s"),
            ("serve rebuild s", "serve_rebuild_s"), ("serve files rewritten", "serve_files_rewritten"), ("generator peak MB", "generator_peak_rss_mb"),
            ("indexer peak MB", "indexer_peak_rss_mb"), ("output MB", "output_mb"),
            ("search index MB", "search_index_mb"), ("first query kB", "first_query_kb"),
            ("first query kB gzip", "first_query_gzip_kb"),
            ("cold with evidence s", "cold_with_evidence_s"),
            ("evidence / plain", "evidence_to_plain"),
            ("Hugo+Pagefind s", "hugo_pagefind_s"), ("ratio to Hugo", "ratio_to_hugo"),
            ("MkDocs (bare) s", "mkdocs_s"), ("MkDocs / ours", "mkdocs_to_ours")]
    header = f"{'measure':<20}" + "".join(f"{r['entries']:>26}" for r in results)
    print(header)
    print("-" * len(header))
    for label, key in rows:
        if not any(key in r for r in results):
            continue
        print(f"{label:<20}" + "".join(f"{cell(r.get(key)):>26}" for r in results))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", choices=["hugo", "mkdocs"], nargs="*", default=[])
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    parser.add_argument("--no-evidence", action="store_true",
                        help="skip the cold build of the same corpus with outcomes and syntheses")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="evidencesite-bench-"))
    try:
        results = [benchmark(n, args.runs, args.compare, work, not args.no_evidence)
                   for n in args.entries]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    args.json.write_text(json.dumps({"machine_cores": os.cpu_count(), "results": results},
                                    indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
