"""`cite add | refresh | check` against a real HTTP server on 127.0.0.1 serving recorded
answers in each service's documented format. No test touches the internet."""
from __future__ import annotations

import functools
import json
import re
import socket

import pytest

from answer_server import DOWN, GARBLED, RATE_LIMITED, SLOW, AnswerServer
from conftest import REPO
from evidencesite.citations import cite_command
from evidencesite.citations.bibtex_read import parse_bibliography
from evidencesite.citations.cite_command import cite_add, make_client
from evidencesite.commands.cli import main


@pytest.fixture
def services(monkeypatch):
    # the commands' client records the polite pauses between requests instead of sleeping
    # them (every service is at one address here, so each request would wait its turn)
    monkeypatch.setattr(cite_command, "make_client",
                        functools.partial(cite_command.make_client, sleep=lambda seconds: None))
    with AnswerServer() as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("EVIDENCESITE_HTTP_TIMEOUT", "1")
        monkeypatch.setenv("EVIDENCESITE_CONTACT_EMAIL", "team@example.org")
        yield server


@pytest.fixture
def review(tmp_path):
    root = tmp_path / "review"
    root.mkdir()
    (root / "citations.bib").write_text("% The bibliography.\n", encoding="utf-8")
    return root


def cite(root, *args) -> int:
    return main(["--root", str(root), "cite", *args])


def records(root):
    text = (root / "citations.bib").read_text(encoding="utf-8")
    parsed = parse_bibliography(text, "citations.bib")
    assert parsed.problems == ()
    return parsed.records


def seed_records():
    return parse_bibliography((REPO / "citations.bib").read_text(encoding="utf-8"),
                              "citations.bib").records


def comparable(fields: dict) -> dict:
    """Fields an identifier service can give: not the editors' notes; "and others" stands
    where the source document abbreviated the author list."""
    kept = {k: v for k, v in fields.items()
            if k not in ("note", "keywords", "related", "relation", "urldate", "epubdate")}
    if kept.get("author", "").endswith(" and others"):
        kept["author"] = kept["author"][: -len(" and others")]
    return kept


def test_seed_records_are_reproduced_from_recorded_answers(services, review, capsys):
    answers = REPO / "tests/fixtures/answers"
    recorded = {f.stem.replace("%2F", "/").replace("%28", "(").replace("%29", ")").lower()
                for f in (answers / "crossref").glob("*.json")}
    recorded |= {f.stem.upper() for f in (answers / "ctgov").glob("*.json")}
    # the records made from the seed documents, whose services' answers are recorded (works
    # added later from their PubMed or journal pages have none)
    seeds = {k: r for k, r in seed_records().items()
             if r.fields.get("doi", "").lower() in recorded or r.fields.get("nct") in recorded}
    identifiers = [r.fields.get("doi") or r.fields["nct"] for r in seeds.values()]
    assert cite(review, "add", *identifiers) == 0, capsys.readouterr()
    added = records(review)
    assert sorted(added) == sorted(seeds)
    for key, record in seeds.items():
        given, kept = comparable(added[key].fields), comparable(record.fields)
        # every field the service gives is the record's; a record may hold more, read since
        # on the work's own page (an issue number, a PMCID)
        assert {k: kept.get(k) for k in given} == given, key
        assert added[key].entry_type == record.entry_type, key


def test_the_same_work_by_pmid_or_pmcid_is_one_record(services, review, capsys):
    assert cite(review, "add", "PMID:37090727") == 0
    out = capsys.readouterr().out
    assert "PMID:37090727: added `zhou2023immunotherapy`" in out
    zhou = records(review)["zhou2023immunotherapy"].fields
    assert (zhou["doi"], zhou["pmid"], zhou["pmcid"]) == (
        "10.3389/fimmu.2023.1129465", "37090727", "PMC10115980")
    before = (review / "citations.bib").read_bytes()
    assert cite(review, "add", "https://doi.org/10.3389/fimmu.2023.1129465", "PMC10115980",
                "37090727") == 0
    out = capsys.readouterr().out
    assert "already in citations.bib as `zhou2023immunotherapy`; nothing added" in out
    assert out.count("zhou2023immunotherapy") == 3
    assert (review / "citations.bib").read_bytes() == before


def test_pmcid_resolves_through_the_id_converter(services, review, capsys):
    assert cite(review, "add", "pmc10115980") == 0
    assert records(review)["zhou2023immunotherapy"].fields["pmcid"] == "PMC10115980"


def test_a_doi_is_completed_with_its_pmid(services, review):
    assert cite(review, "add", "doi:10.1136/jitc-2022-004863") == 0
    record = records(review)["anon2022addressing"].fields
    assert record["pmid"] == "35858709" and record["pages"] == "e004863"


def test_trial_registration_keeps_status_design_and_sponsor(services, review, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    assert cite(review, "add", "nct07453342") == 0
    trial = records(review)["nct07453342"]
    assert trial.entry_type == "misc"
    assert trial.fields["organization"] == "Peking Union Medical College Hospital"
    assert trial.fields["studytype"] == "Observational"
    assert trial.fields["enrollment"] == "500 (estimated)"
    assert "status" not in trial.fields  # the recorded answer does not give one
    assert trial.fields["urldate"] == "2026-01-01"  # cited as seen on the day of the lookup
    assert "  urldate = {2026-01-01}\n" in (review / "citations.bib").read_text()


def test_existing_bytes_comments_and_order_are_kept(services, review):
    original = ("% Kept comment.\n\n@article{zzz2030last,\n  title = {Last},\n  year = {2030}\n}\n"
                "\n@article{aaa1990first,\n  title   =   {First, oddly spaced},\n  year={1990}\n}\n")
    (review / "citations.bib").write_text(original, encoding="utf-8")
    assert cite(review, "add", "10.1056/NEJMoa1507643") == 0
    text = (review / "citations.bib").read_text(encoding="utf-8")
    added = text[text.index("@article{borghaei2015nivolumab"):text.index("@article{zzz2030last")]
    assert text.replace(added, "") == original


def test_dry_run_prints_the_record_and_writes_nothing(services, review, capsys):
    before = (review / "citations.bib").read_bytes()
    assert cite(review, "add", "--dry-run", "10.1056/NEJMoa1507643") == 0
    out = capsys.readouterr().out
    assert "would add `borghaei2015nivolumab`" in out
    assert "@article{borghaei2015nivolumab,\n  author = {Borghaei, H. and Paz-Ares, L. and Horn, L.}," in out
    assert (review / "citations.bib").read_bytes() == before


def test_keys_are_unique(services, review):
    (review / "citations.bib").write_text(
        "@article{borghaei2015nivolumab,\n  title = {Another work},\n  year = {2015}\n}\n")
    assert cite(review, "add", "10.1056/NEJMoa1507643") == 0
    assert "borghaei2015nivolumabb" in records(review)


@pytest.mark.parametrize("identifier, message", [
    ("10.5555/not-recorded", "10.5555/not-recorded: not found"),
    ("PMID:99999999", "PMID:99999999: not found"),
    ("NCT99999999", "NCT99999999: not found"),
    (GARBLED, "the answer to"),
    ("PMID:12a", "is not an identifier this tool knows: expected a DOI"),
])
def test_failures_are_clear_and_write_nothing(services, review, capsys, identifier, message):
    before = (review / "citations.bib").read_bytes()
    assert cite(review, "add", "10.1056/NEJMoa1507643", identifier) == 1
    out = capsys.readouterr().out
    assert message in out, out
    assert "nothing written" in out or "not an identifier" in out
    assert (review / "citations.bib").read_bytes() == before


def backoff(slept) -> list[float]:
    """The waits between tries (the polite pause between requests is shorter)."""
    return [seconds for seconds in slept if seconds > 0.2]


@pytest.mark.slow
@pytest.mark.parametrize("identifier, message", [
    (DOWN, "no answer after 4 tries (HTTP 500); try again later"),
    (SLOW, "no answer after 4 tries"),
])
def test_failures_after_retries_are_clear_and_write_nothing(services, review, monkeypatch,
                                                            identifier, message):
    monkeypatch.setenv("EVIDENCESITE_HTTP_TIMEOUT", "0.3")  # the slow answer takes 3 s
    before = (review / "citations.bib").read_bytes()
    slept: list[float] = []
    report = cite_add(review, ["10.1056/NEJMoa1507643", identifier],
                      client=make_client(review, sleep=slept.append))
    out = "\n".join(report.lines)
    assert report.errors == 1
    assert message in out, out
    assert "nothing written" in out
    assert (review / "citations.bib").read_bytes() == before
    assert backoff(slept) == [0.25, 0.5, 1.0]


@pytest.mark.slow
def test_429_is_retried_after_the_time_the_service_asks(services, review):
    slept: list[float] = []
    report = cite_add(review, [RATE_LIMITED], client=make_client(review, sleep=slept.append))
    assert report.errors == 0
    crossref_calls = [r for r in services.requests if r.startswith("/crossref/works/10.9999%2Frate")]
    assert len(crossref_calls) == 2
    assert "mailto=team%40example.org" in crossref_calls[0]
    assert backoff(slept) == [1.0]  # the service's Retry-After


def test_answers_are_cached_as_sorted_json(services, review, capsys):
    assert cite(review, "add", "10.1056/NEJMoa1507643") == 0
    cached = sorted((review / "citation-cache").rglob("*.json"))
    assert [p.parent.name for p in cached] == ["crossref", "idconv"]
    body = cached[0].read_text()
    assert body == json.dumps(json.loads(body), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "team@example.org" not in body


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


OFFLINE = ("error: offline: nothing changed; add the record by hand (see CONTRIBUTING) or try "
           "again online\n")


@pytest.fixture
def offline(monkeypatch):
    """Every service at a port of 127.0.0.1 where nothing listens, as without network."""
    port = _closed_port()
    for name in ("CROSSREF", "DOI", "EUTILS", "IDCONV", "CTGOV"):
        monkeypatch.setenv(f"EVIDENCESITE_{name}_URL", f"http://127.0.0.1:{port}/{name.lower()}")
    monkeypatch.setenv("EVIDENCESITE_HTTP_TIMEOUT", "5")
    return port


def test_add_offline_stops_at_the_first_failure_and_changes_nothing(offline, review, capsys):
    before = (review / "citations.bib").read_bytes()
    assert cite(review, "add", "10.1056/NEJMoa1507643", "PMID:37090727", "NCT07453342") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == OFFLINE + (
        f"  (crossref: cannot reach 127.0.0.1:{offline}: [Errno 111] Connection refused)\n")
    assert (review / "citations.bib").read_bytes() == before
    assert not (review / "citation-cache").exists()


def test_refresh_offline_stops_at_the_first_failure_and_changes_nothing(
        services, review, capsys, monkeypatch):
    assert cite(review, "add", "10.1056/NEJMoa1507643", "NCT07453342") == 0
    before = (review / "citations.bib").read_bytes()
    port = _closed_port()
    for name in ("CROSSREF", "DOI", "EUTILS", "IDCONV", "CTGOV"):
        monkeypatch.setenv(f"EVIDENCESITE_{name}_URL", f"http://127.0.0.1:{port}/{name.lower()}")
    capsys.readouterr()
    assert cite(review, "refresh", "--write") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(OFFLINE)
    assert captured.err.count("cannot reach") == 1
    assert (review / "citations.bib").read_bytes() == before


def test_new_entry_from_an_identifier_offline_writes_nothing(offline, tmp_path, capsys):
    from conftest import make_project

    project = make_project(tmp_path / "review")
    assert project.run("new", "entry", "borghaei-2015", "--from", "10.1056/NEJMoa1507643") == 1
    assert capsys.readouterr().err.startswith(OFFLINE)
    assert not (project.root / "content/entries/borghaei-2015.md").exists()


def test_refresh_shows_a_diff_and_writes_only_with_write(services, review, capsys):
    (review / "citations.bib").write_text(
        "@article{borghaei2015nivolumab,\n  title = {Old title},\n  year = {2015},\n"
        "  doi = {10.1056/NEJMoa1507643}\n}\n", encoding="utf-8")
    before = (review / "citations.bib").read_bytes()
    assert cite(review, "refresh", "borghaei2015nivolumab") == 0
    out = capsys.readouterr().out
    assert "-  title = {Old title}," in out
    assert "+  title = {Nivolumab versus docetaxel in advanced nonsquamous non-small-cell lung cancer}," in out
    assert (review / "citations.bib").read_bytes() == before
    assert cite(review, "refresh", "--write", "borghaei2015nivolumab") == 0
    assert records(review)["borghaei2015nivolumab"].fields["journal"] == "N Engl J Med"


def test_retraction_is_recorded_and_flagged(services, review, capsys):
    assert cite(review, "add", "10.9999/retracted") == 0
    out = capsys.readouterr().out
    assert "is flagged: retraction notice 10.9999/retraction-notice (2024)" in out
    assert cite(review, "check") == 0
    assert cite(review, "check", "--strict") == 1


def test_check_reports_malformed_identifiers_and_duplicated_works(review, capsys):
    (review / "citations.bib").write_text(
        "@article{a2020x,\n  title = {A},\n  doi = {10.1000/ABC}\n}\n\n"
        "@article{b2020x,\n  title = {A again},\n  doi = {10.1000/abc}\n}\n\n"
        "@article{c2020x,\n  title = {C},\n  pmid = {PMID 12}\n}\n")
    assert cite(review, "check") == 1
    out = capsys.readouterr().out
    assert "`b2020x` and `a2020x` are the same work (DOI 10.1000/abc)" in out
    assert re.search(r"`c2020x`: malformed PMID `PMID 12`; a PMID is digits only", out)


def test_broken_bibliography_is_refused_before_any_request(services, review, capsys):
    (review / "citations.bib").write_text("@article{x\n  title = {A}\n}\n")
    assert cite(review, "add", "10.1056/NEJMoa1507643") == 1
    assert "fix citations.bib first" in capsys.readouterr().err
    assert services.requests == []


def test_new_entry_from_an_identifier_adds_and_cites_the_record(services, review, capsys,
                                                                 monkeypatch):
    import shutil
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    shutil.copytree(REPO / "templates", review / "templates")
    (review / "content").mkdir()
    shutil.copy(REPO / "tests/golden/source/content/site.yaml", review / "content/site.yaml")
    assert main(["--root", str(review), "new", "entry", "borghaei-2015",
                 "--from", "doi:10.1056/NEJMoa1507643"]) == 0
    text = (review / "content/entries/borghaei-2015.md").read_text(encoding="utf-8")
    assert "citation: borghaei2015nivolumab\n" in text
    assert 'title: "Nivolumab versus docetaxel in advanced nonsquamous non-small-cell lung cancer"' in text
    assert "borghaei2015nivolumab" in records(review)
    assert main(["--root", str(review), "check"]) == 0


def test_new_entry_from_an_unknown_identifier_writes_nothing(services, review, capsys):
    (review / "content/entries").mkdir(parents=True)
    before = (review / "citations.bib").read_bytes()
    assert main(["--root", str(review), "new", "entry", "x-2020", "--from", "PMID:99999999"]) == 1
    assert "could not add PMID:99999999" in capsys.readouterr().err
    assert not (review / "content/entries/x-2020.md").exists()
    assert (review / "citations.bib").read_bytes() == before
