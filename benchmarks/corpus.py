"""A deterministic synthetic review in the site's own content format, for benchmarks.

    python benchmarks/corpus.py OUT --entries 1000

N entries (every schema field, ~400-word bodies with headings, a list, a table and 3-6
citations), N/2 bibliography records, and a few dozen questions. The same N gives the same
bytes. The text is filler, not evidence.
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("immune checkpoint inhibitor rechallenge resistance tumour microenvironment cohort "
         "patients response progression adverse events therapy lung cancer analysis outcome "
         "survival treatment biomarker expression clinical trial interval safety efficacy "
         "toxicity dose regimen combination follow-up median hazard ratio confidence").split()
POPULATIONS = ["NSCLC", "SCLC", "lung cancer", "solid tumours"]
SETTINGS = ["rechallenge-after-progression", "rechallenge-after-irae", "primary-resistance",
            "acquired-resistance", "post-resistance-strategies", "first-line"]
AGENTS = ["anti-PD-1", "anti-PD-L1", "anti-CTLA-4", "pembrolizumab", "nivolumab",
          "atezolizumab", "durvalumab"]
TYPES = ["review", "systematic-review", "rct", "cohort", "case-series", "trial-registration"]


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


OUTCOMES = """\
- id: survival
  name: Overall survival
  kind: time-to-event
  importance: critical
  favourable: lower
- id: response
  name: Objective response
  kind: proportion
  importance: critical
  favourable: higher
"""
CERTAINTY = """\
    certainty:
      rating: low
      start: high
      domains:
        risk_of_bias: {rating: serious, reason: filler}
        inconsistency: {rating: serious, reason: filler}
        indirectness: {rating: not serious}
        imprecision: {rating: not serious}
        publication_bias: {rating: not serious}
"""


def outcome_rows(rng: random.Random, source: int) -> str:
    """Two filler results: a hazard ratio with its interval, and a response count."""
    hr = round(rng.uniform(0.5, 1.2), 2)
    total = rng.randint(20, 300)
    return ("outcomes:\n"
            f"  - outcome: survival\n    citation: ref{source:05d}\n    locator: table 2\n"
            f"    comparison: a vs b\n    measure: HR\n    estimate: {hr}\n"
            f"    ci: [{round(hr * 0.8, 3)}, {round(hr * 1.25, 3)}]\n"
            f"  - outcome: response\n    citation: ref{source:05d}\n    locator: table 3\n"
            f"    events: {rng.randint(0, total)}\n    total: {total}\n")


def syntheses(q: int, members: list[str]) -> str:
    """One synthesis a question: hazard ratios for even questions, proportions for odd."""
    outcome, measure = ("survival", "HR") if q % 2 == 0 else ("response", "proportion")
    return (f"syntheses:\n  - outcome: {outcome}\n    measure: {measure}\n"
            f"    entries: [{', '.join(members)}]\n" + CERTAINTY +
            "    statement: Filler.\n")


def generate(out: Path, entries: int, seed: int = 1, outcomes: bool = False) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(REPO / "templates", out / "templates")
    content = out / "content"
    (content / "entries").mkdir(parents=True)
    (content / "questions").mkdir()
    (content / "pages").mkdir()
    (content / "site.yaml").write_text(
        "title: Benchmark review\ndescription: Synthetic content for benchmarks.\n"
        "base_url: /\nreview:\n  status: living\n  version: \"1.0\"\n"
        "  last_search: 2024-01-01\n", encoding="utf-8")
    records = max(1, entries // 2)
    abstracts = []
    bib = []
    for r in range(records):
        abstract = paragraph(rng, 4)
        abstracts.append(abstract)
        bib.append(f"@article{{ref{r:05d},\n  author = {{Author{r}, A. and Second, B. and others}},"
                   f"\n  title = {{{sentence(rng, 10)[:-1]}}},\n  journal = {{J Bench}},"
                   f"\n  year = {{{2000 + r % 25}}},\n  volume = {{{r % 40 + 1}}},"
                   f"\n  pages = {{{r}--{r + 9}}},\n  doi = {{10.5555/bench.{r}}},"
                   f"\n  abstract = {{{abstract}}}\n}}\n")
    (out / "citations.bib").write_text("\n".join(bib), encoding="utf-8")
    questions = 36
    if outcomes:
        (content / "outcomes.yaml").write_text(OUTCOMES, encoding="utf-8")
    for q in range(questions):
        members = [f"e{e:05d}" for e in range(q, entries, questions)]
        pooled = syntheses(q, members) if outcomes and members else ""
        (content / "questions" / f"q{q:02d}.md").write_text(
            f"---\nid: q{q:02d}\ntitle: Benchmark question {q}\norder: {q}\npico:\n"
            "  population: p\n  intervention: i\n  comparator: c\n  outcomes: [o]\n"
            f"bottom_line: Filler bottom line [@ref{q % records:05d}].\n"
            "evidence_status: limited\nopen_questions: [Why?]\n" + pooled + "---\n"
            f"{paragraph(rng, 3)}\n", encoding="utf-8")
    for e in range(entries):
        cited = sorted({rng.randrange(records) for _ in range(rng.randint(3, 6))})
        source = cited[0]
        words = abstracts[source].split()
        start = rng.randrange(max(1, len(words) - 8))
        quote = " ".join(words[start:start + 8])
        cites = "; ".join(f"@ref{c:05d}" for c in cited[1:]) or f"@ref{source:05d}"
        body = [f"## Background\n\n{paragraph(rng, 6)} [@ref{source:05d}]\n",
                f"## Methods\n\n{paragraph(rng, 6)} [{cites}]\n",
                "- " + "\n- ".join(sentence(rng, 8) for _ in range(4)) + "\n",
                "| Outcome | Arm A | Arm B |\n|---|---|---|\n" +
                "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} | {rng.randint(1, 99)} |"
                          for _ in range(4)) + "\n",
                f"## Results\n\n{paragraph(rng, 6)}\n",
                f"## Discussion\n\n{paragraph(rng, 6)} [@ref{cited[-1]:05d}, p. 3]\n"]
        design = rng.choice(TYPES)
        if outcomes and design in ("review", "systematic-review", "trial-registration"):
            design = "cohort"  # reviews are not pooled with primary studies
        front = (f"---\nid: e{e:05d}\ntitle: Benchmark entry {e}\ntype: {design}\n"
                 f"citation: ref{source:05d}\n"
                 f"population: [{rng.choice(POPULATIONS)}]\n"
                 f"setting: [{rng.choice(SETTINGS)}]\n"
                 f"agents: [{', '.join(sorted(set(rng.sample(AGENTS, 2))))}]\n"
                 f"questions: [q{e % questions:02d}]\n"
                 f"summary: {sentence(rng, 10)}\n"
                 "key_findings:\n"
                 f"  - statement: {sentence(rng, 9)}\n    citation: ref{source:05d}\n"
                 f"    quote: \"{quote}\"\n    locator: abstract\n"
                 "results: not reported\n" +
                 (outcome_rows(rng, source) if outcomes else "") +
                 "added: 2023-01-01\nupdated: 2023-06-01\n"
                 "history:\n  - date: 2023-06-01\n    change: Updated.\n"
                 f"tags: [{rng.choice(WORDS)}]\n---\n")
        (content / "entries" / f"e{e:05d}.md").write_text(front + "\n".join(body),
                                                        encoding="utf-8")
    # works the entries never cite would only add warnings; cite them all from one page
    (content / "pages" / "all.md").write_text(
        "---\ntitle: All works\n---\n" + " ".join(f"[@ref{r:05d}]" for r in range(records)) +
        "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--outcomes", action="store_true",
                        help="entries report two results each; every question pools one")
    args = parser.parse_args()
    print(generate(args.out, args.entries, args.seed, args.outcomes))
