"""Command line: argument parsing, and diagnostics turned into output and exit codes."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from evidencesite import __version__
from evidencesite.incremental.store import FOLDER as CACHE_FOLDER, BuildCache
from evidencesite.incremental.statistics import statistics_process
from evidencesite.config import find_root, make_config

if TYPE_CHECKING:
    from evidencesite.build import BuildResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evidencesite",
        description="Build, check and serve a living evidence review from content/, "
                    "templates/ and citations.bib.")
    parser.add_argument("--version", action="version", version=f"evidencesite {__version__}")
    parser.add_argument("--root", default=None,
                        help="project folder (default: the nearest folder, from the current "
                             "one upwards, that holds content/site.yaml)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_common(sub):
        sub.add_argument("--strict", action="store_true",
                         help="treat warnings (such as unused references) as errors")
        sub.add_argument("--format", choices=("text", "github"), default="text",
                         help="diagnostics as text, or as GitHub Actions annotations")
        sub.add_argument("--no-cache", action="store_true",
                         help="build everything afresh: neither read nor write "
                              ".cache/evidencesite/")
        sub.add_argument("--jobs", type=int, default=0, metavar="N",
                         help="processes to use (default: one per core; 1: none besides "
                              "this one). The output is the same whatever N is.")

    build_cmd = commands.add_parser("build", help="validate, render and write site/",
                                    description="Validate the content, render every page and "
                                                "write the site (atomically) to site/.")
    add_common(build_cmd)
    build_cmd.add_argument("--out", default=None, help="output folder (default: site/)")
    build_cmd.add_argument("--base-url", default=None,
                           help="where the site is served, overriding content/site.yaml")

    check_cmd = commands.add_parser("check", help="validate only; write nothing",
                                    description="Validate content, bibliography and templates "
                                                "without writing anything. Exit 0 when clean, "
                                                "1 on errors (or warnings with --strict).")
    add_common(check_cmd)

    serve_cmd = commands.add_parser("serve", help="dev server with live reload",
                                    description="Serve the site on 127.0.0.1, rebuild on every "
                                                "change and reload the browser. A bad edit shows "
                                                "its diagnostics in the page.")
    serve_cmd.add_argument("--port", type=int, default=8000,
                           help="port (default 8000; 0: any free port)")

    _add_cite_parser(commands)
    _add_new_parser(commands)
    return parser


def _add_cite_parser(commands) -> None:
    cite_cmd = commands.add_parser("cite", help="bibliography records from identifiers",
                                   description="Turn DOIs, PMIDs, PMCIDs and NCT numbers into "
                                               "citations.bib records, one record per work.")
    cite_sub = cite_cmd.add_subparsers(dest="action", metavar="ACTION", required=True)
    cite_add_cmd = cite_sub.add_parser(
        "add", help="add the works these identifiers name",
        description="ID is a DOI (10.1234/x, doi:..., https://doi.org/...), PMID:123 or "
                    "digits, PMC123, or NCT01234567. Prints the keys written.")
    cite_add_cmd.add_argument("ids", nargs="+", metavar="ID")
    cite_add_cmd.add_argument("--dry-run", action="store_true",
                              help="print the records; write nothing")
    cite_refresh_cmd = cite_sub.add_parser(
        "refresh", help="fetch records again and show what changed",
        description="Ask the services again (the cached answer is used when one fails, "
                    "and said so; without a network nothing changes) and show a diff; "
                    "--write applies it.")
    cite_refresh_cmd.add_argument("keys", nargs="*", metavar="KEY")
    cite_refresh_cmd.add_argument("--write", action="store_true", help="apply the changes")
    cite_check_cmd = cite_sub.add_parser(
        "check", help="malformed identifiers, duplicated works, retractions",
        description="Report malformed identifiers, works recorded twice under different keys, "
                    "and records flagged as retracted or corrected.")
    cite_check_cmd.add_argument("--strict", action="store_true",
                                help="fail on flagged records too")


def _add_new_parser(commands) -> None:
    new_cmd = commands.add_parser("new", help="scaffold a new entry",
                                  description="Create content/entries/<id>.md with every "
                                              "required field; never overwrites a file.")
    new_kind = new_cmd.add_subparsers(dest="kind", metavar="KIND", required=True)
    new_entry_cmd = new_kind.add_parser("entry", help="a new evidence entry")
    new_entry_cmd.add_argument("id", help="lower-case letters, digits and hyphens")
    source = new_entry_cmd.add_mutually_exclusive_group()
    source.add_argument("--citation", default="", help="bibliography key it summarises")
    source.add_argument("--from", dest="identifier", default="", metavar="ID",
                        help="a DOI, PMID, PMCID or NCT number: its record is added to "
                             "citations.bib (cite add) and cited by the entry")


class Console:
    """Human output on stderr: colour only on a terminal, progress only for slow builds."""

    def __init__(self, stream=None, started: float | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter() if started is None else started

    def paint(self, text: str, colour: str) -> str:
        codes = {"red": "31", "yellow": "33", "green": "32", "bold": "1"}
        return f"\033[{codes[colour]}m{text}\033[0m" if self.tty else text

    def progress(self, stage: str, done: int, total: int) -> None:
        """A bar on a terminal, once the build has run for two seconds."""
        if not self.tty or time.perf_counter() - self.started < 2:
            return
        if total:
            width = 30
            filled = width * min(done, total) // total
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            bar = ""
        self.stream.write(f"\r\033[K{self.paint(stage, 'bold')} {bar}")
        self.stream.flush()

    def report(self, result: BuildResult, output_format: str) -> None:
        if self.tty:
            self.stream.write("\r\033[K")
        for diagnostic in result.diagnostics:
            if output_format == "github":
                print(diagnostic.format_github(), file=sys.stdout)
            colour = "red" if diagnostic.severity == "error" else "yellow"
            print(diagnostic.format_text(lambda label: self.paint(label, colour)),
                  file=self.stream)


def _counts(result: BuildResult) -> str:
    return f"{result.errors} error{'s' * (result.errors != 1)}, " \
           f"{result.warnings} warning{'s' * (result.warnings != 1)}"


def _write_step_summary(result: BuildResult, command: str) -> None:
    """With --format github in GitHub Actions: every problem as a table in the job's summary."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    from evidencesite.diagnostics import markdown_summary

    text = markdown_summary(f"evidencesite {command}: {_counts(result)}", result.diagnostics)
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(text)
    except OSError as exc:
        print(f"note: the step summary could not be written to {path}: {exc}", file=sys.stderr)


def _summary(result: BuildResult, verb: str, strict: bool) -> str:
    counts = _counts(result)
    if result.failed(strict):
        return f"{verb} failed: {counts} in {result.seconds:.2f} s"
    if verb == "Build":
        return f"Built {result.pages} pages ({len(result.files)} files), {counts}, " \
               f"in {result.seconds:.2f} s"
    return f"Checked: {counts}, {result.pages} pages rendered in memory, in {result.seconds:.2f} s"


def _cite(args) -> int:
    from evidencesite.citations.cite_command import CiteError, cite_add, cite_check, cite_refresh

    root = Path(args.root).resolve()
    try:
        if args.action == "add":
            report = cite_add(root, args.ids, dry_run=args.dry_run)
        elif args.action == "refresh":
            report = cite_refresh(root, args.keys, write=args.write)
        else:
            report = cite_check(root)
    except CiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    for line in report.lines:
        print(line)
    strict = getattr(args, "strict", False)
    return EXIT_PROBLEMS if report.errors or (strict and report.warnings) else EXIT_OK


def _cite_for_entry(root, identifier: str) -> tuple[str, str]:
    """Add the work to citations.bib (or find it there): its key and title."""
    from evidencesite.citations.cite_command import CiteError, cite_add
    from evidencesite.commands.new_entry import ScaffoldError

    try:
        report = cite_add(root, [identifier])
    except CiteError as exc:
        raise ScaffoldError(str(exc)) from exc
    for line in report.lines:
        print(line)
    if report.errors or not report.keys:
        raise ScaffoldError(f"could not add {identifier} to citations.bib; no entry written")
    return _cited_record(root, report.keys[0])


def _cited_record(root, key: str) -> tuple[str, str]:
    """The key and title of a record of citations.bib; refuses a key it does not hold."""
    from evidencesite.citations.bibtex_read import parse_bibliography
    from evidencesite.diagnostics import did_you_mean
    from evidencesite.commands.new_entry import ScaffoldError

    bib = root / "citations.bib"
    text = bib.read_text(encoding="utf-8") if bib.is_file() else ""
    records = parse_bibliography(text, "citations.bib").records
    if key not in records:
        hint = did_you_mean(key, records) or \
            "add the work first with `python3 build.py cite add <DOI|PMID|NCT>`, or use --from"
        raise ScaffoldError(f"citation key `{key}` is not in citations.bib; {hint}")
    return key, records[key].get("title")


def _shown_from_here(path) -> str:
    """The path written, as the user can open it from the folder they are in (absolute when
    it is not inside that folder)."""
    try:
        return Path(path).relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _new_entry(args) -> int:
    from evidencesite.commands.new_entry import ScaffoldError, entry_path, new_entry

    config = make_config(args.root)
    citation, title = args.citation, ""
    try:
        entry_path(config.content_dir, args.id)  # refuse before adding any citation
        if args.identifier:
            citation, title = _cite_for_entry(config.root, args.identifier)
        elif citation:
            citation, title = _cited_record(config.root, citation)
        today = config.build_date
        path = new_entry(config.content_dir, args.id, citation=citation, title=title,
                         today=today)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Created {_shown_from_here(path)}; fill it in, then run `python3 build.py check`.",
          file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    args.root = find_root() if args.root is None else Path(args.root).resolve()
    console = Console()
    if args.command == "serve":
        from evidencesite.commands.serve import serve
        return serve(make_config(args.root, base_url="/"), port=args.port)
    if args.command == "new":
        return _new_entry(args)
    if args.command == "cite":
        return _cite(args)
    config = make_config(args.root, out=getattr(args, "out", None), strict=args.strict,
                         base_url=getattr(args, "base_url", None), jobs=args.jobs)
    write = args.command == "build"
    cache_folder = config.root / CACHE_FOLDER
    cache = BuildCache() if args.no_cache else BuildCache.load(cache_folder, config.out_dir)
    statistics = statistics_process(config, cache)  # before the generator loads, beside it
    from evidencesite.build import build
    result = build(config, write=write, progress=console.progress, cache=cache,
                   statistics=statistics)
    if result.written and not args.no_cache and cache.needs_saving():
        try:
            cache.save(config.out_dir, result.files)
        except OSError as exc:  # the site is built; only the next build will be slower
            print(f"note: the build cache could not be saved: {exc}", file=sys.stderr)
    console.report(result, args.format)
    if args.format == "github":
        _write_step_summary(result, args.command)
    verb = "Build" if write else "Check"
    summary = _summary(result, verb, args.strict)
    colour = "red" if result.failed(args.strict) else "green"
    print(console.paint(summary, colour), file=sys.stderr)
    return EXIT_PROBLEMS if result.failed(args.strict) else EXIT_OK
