"""How well `luohu-kg draft` proposes an article's curated facts (not a test).

For each article folder given, the article's text and article.yaml alone are copied into a
scratch folder, drafted there in a fresh process (timed: a cold start), and the draft is
compared with the article's curated facts, kind by kind:

- figures: an Observation (or a restated figure) matches when the draft has a figure whose
  number starts at the same offset of the text with the same value and unit (`value+unit`);
  `+period` also needs the same period or as-of time (or neither), `+subject` the same subject
  (same id, or a zh/alt label in common), `+growth` and `+rank` the same growth and rank;
- entities: places, organisations, people, projects, initiatives and documents match by
  label (the draft's zh and alt labels share one with the curated ones); a draft entity that
  is linked to an existing fact matches by id;
- posts: label, and the holder's label; quotes: the speaker, and quoted words that overlap
  the curated ones by half; first claims: the same words at the same offset, about the same
  thing (label), with the same scope; comparisons likewise; relations: subject, property and
  object (labels or ids), for relations the text states (not background knowledge); events:
  the same date, with evidence that overlaps the curated one.

Precision counts the draft's items of a kind that match a curated one. The drafter sees no
curated file of the article it drafts; it links to the other articles of --data.

    python benchmarks/draft_eval.py [ARTICLE_DIR ...] [--data PATH ...]

Default: the article of data/ and every article of tests/corpus/articles/. Writes
benchmarks/results-draft.md and benchmarks/results-draft.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from builder.load import find_article_folders, read_article  # noqa: E402
from builder.quantities import QuantityError, parse_quantity  # noqa: E402

ENTITY_TYPES = {
    "Country", "Province", "City", "District", "Area", "Community", "Facility",
    "GovernmentBody", "PartyOrganization", "Organization", "NewsOrganization", "School",
    "Person", "Project", "ShantytownRedevelopmentProject", "UrbanRenewalProject",
    "LandConsolidationProject", "CommercialStreetRenovationProject", "SchoolConstructionProject",
    "HousingProject", "TransportHubProject", "ProjectProposal", "Programme", "GovernanceService",
    "Pilot", "Reform", "DigitalPlatform", "Initiative", "PolicyDocument", "Plan",
}  # fmt: skip
NOT_ENTITIES = {
    "Observation",
    "Quote",
    "FirstClaim",
    "ComparisonClaim",
    "TrendClaim",
    "Indicator",
    "Post",
    "Event",
}
KINDS = [
    "figures value+unit",
    "figures +period",
    "figures +subject",
    "figures +period+subject",
    "figures +growth",
    "figures +rank",
    "entities",
    "posts",
    "quotes",
    "first claims",
    "comparisons",
    "relations",
    "events",
]
SCORED = [
    "figures value+unit",
    "entities",
    "posts",
    "quotes",
    "first claims",
    "comparisons",
    "relations",
]


def forms_of(fact: dict[str, Any]) -> set[str]:
    """A fact's zh and alt labels."""
    found = {fact.get("zh")} | set(fact.get("alt_zh") or [])
    return {f for f in found if isinstance(f, str) and f}


def number_at(text: str, value: str, quote: str) -> tuple[int, Decimal, str] | None:
    """(offset of the value's first digit, value, unit) of a figure written in a quote."""
    start = text.find(quote)
    if start < 0 or value not in quote:
        return None
    at = start + (quote.find(value) if quote.count(value) == 1 else quote.rfind(value))
    digit = next((i for i, ch in enumerate(value) if ch.isdigit()), 0)
    try:
        q = parse_quantity(value)
    except QuantityError:
        return None
    return at + digit, q.value, q.unit


def when(fact: dict[str, Any]) -> tuple[str, str]:
    """The time of a figure: its period, its as-of time, or none."""
    if fact.get("period") is not None:
        return "period", str(fact["period"])
    if fact.get("as_of") is not None:
        return "as_of", str(fact["as_of"])
    return "none", ""


class Side:
    """The facts of one side (curated or draft), with the labels of what they refer to."""

    def __init__(self, facts: list[dict[str, Any]], known: dict[str, set[str]]) -> None:
        self.facts = facts
        self.by_id = {str(f.get("id")): f for f in facts}
        self.known = known

    def labels(self, ref: object) -> set[str]:
        """The labels of a referenced id (its own fact, or one of the linked data)."""
        fact = self.by_id.get(str(ref))
        if fact is not None:
            return forms_of(fact)
        return self.known.get(str(ref), set())

    def of(self, *types: str) -> list[dict[str, Any]]:
        return [f for f in self.facts if f.get("type") in types]


def same(a: Side, ref_a: object, b: Side, ref_b: object) -> bool:
    """Whether two references name the same thing: same id, or a label in common."""
    return ref_a == ref_b or bool(a.labels(ref_a) & b.labels(ref_b))


def compare(text: str, cur: Side, dra: Side, links: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per kind: curated, drafted, recall hits and precision hits."""
    rows: dict[str, list[int]] = {k: [0, 0, 0, 0] for k in KINDS}
    misses: dict[str, list[str]] = {k: [] for k in KINDS}

    def tally(kind: str, curated: list[Any], drafted: list[Any], match: Any, show: Any) -> None:
        rows[kind][0], rows[kind][1] = len(curated), len(drafted)
        hits = [c for c in curated if any(match(c, d) for d in drafted)]
        rows[kind][2] = len(hits)
        rows[kind][3] = sum(1 for d in drafted if any(match(c, d) for c in curated))
        misses[kind] = [show(c) for c in curated if c not in hits]

    # --- figures
    def figures(side: Side) -> list[tuple[Any, dict[str, Any]]]:
        found = []
        for fact in side.of("Observation"):
            at = number_at(text, str(fact.get("value")), str(fact.get("evidence")))
            if at is not None:
                found.append((at, fact))
            for again in fact.get("restated") or []:
                at = number_at(text, str(again.get("value")), str(again.get("evidence")))
                if at is not None:
                    found.append((at, {**fact, "growth": None, "rank": None}))
        return found

    cf, df = figures(cur), figures(dra)

    def fig(extra: str) -> Any:
        def match(c: Any, d: Any) -> bool:
            if c[0] != d[0]:
                return False
            ok = True
            if "period" in extra:
                ok = ok and when(c[1]) == when(d[1])
            if "subject" in extra:
                ok = ok and same(cur, c[1].get("subject"), dra, d[1].get("subject"))
            if "growth" in extra:
                ok = ok and c[1].get("growth") == d[1].get("growth")
            if "rank" in extra:
                ok = ok and c[1].get("rank") == d[1].get("rank")
            return ok

        return match

    def show_fig(c: Any) -> str:
        return f"{c[1].get('value')} ({c[1].get('id')})"

    for kind, extra in (
        ("figures value+unit", ""),
        ("figures +period", "period"),
        ("figures +subject", "subject"),
        ("figures +period+subject", "period subject"),
    ):
        tally(kind, cf, df, fig(extra), show_fig)
    tally(
        "figures +growth",
        [c for c in cf if c[1].get("growth")],
        [d for d in df if d[1].get("growth")],
        fig("growth"),
        show_fig,
    )
    tally(
        "figures +rank",
        [c for c in cf if c[1].get("rank")],
        [d for d in df if d[1].get("rank")],
        fig("rank"),
        show_fig,
    )

    # --- entities (a linked one is its id, with the labels of the data it is linked to)
    ce = [f for f in cur.facts if f.get("type") in ENTITY_TYPES]
    de: list[tuple[str, set[str]]] = [
        (str(f["id"]), forms_of(f)) for f in dra.facts if f.get("type") not in NOT_ENTITIES
    ]
    de += [
        (str(link["id"]), {str(link["zh"])} | dra.known.get(str(link["id"]), set()))
        for link in links
    ]
    every = [f for f in cur.facts if f.get("type") not in NOT_ENTITIES - {"Indicator"}]

    def ent(c: dict[str, Any], d: tuple[str, set[str]]) -> bool:
        return c.get("id") == d[0] or bool(forms_of(c) & d[1])

    tally("entities", ce, de, ent, lambda c: f"{c.get('zh')} ({c.get('type')})")
    rows["entities"][3] = sum(1 for d in de if any(ent(c, d) for c in every))

    # --- posts
    def holder(side: Side, post: dict[str, Any]) -> object:
        return next(
            (r.get("object") for r in post.get("relations") or [] if r.get("property") == "heldBy"),
            None,
        )

    def post_match(c: dict[str, Any], d: dict[str, Any]) -> bool:
        return bool(forms_of(c) & forms_of(d)) and same(cur, holder(cur, c), dra, holder(dra, d))

    tally("posts", cur.of("Post"), dra.of("Post"), post_match, lambda c: str(c.get("zh")))

    # --- quotes
    def span(fact: dict[str, Any]) -> tuple[int, int]:
        quote, words = str(fact.get("evidence")), str(fact.get("text"))
        start = text.find(quote) + max(0, quote.find(words))
        return start, start + len(words)

    def quote_match(c: dict[str, Any], d: dict[str, Any]) -> bool:
        (a, b), (x, y) = span(c), span(d)
        overlap = max(0, min(b, y) - max(a, x))
        return overlap * 2 >= b - a and same(cur, c.get("speaker"), dra, d.get("speaker"))

    tally("quotes", cur.of("Quote"), dra.of("Quote"), quote_match, lambda c: str(c.get("id")))

    # --- claims
    def words_at(fact: dict[str, Any]) -> int:
        quote = str(fact.get("evidence"))
        return text.find(quote) + quote.find(str(fact.get("text")))

    def first_match(c: dict[str, Any], d: dict[str, Any]) -> bool:
        scope_ok = (c.get("scope") is None) == (d.get("scope") is None) and (
            c.get("scope") is None or same(cur, c.get("scope"), dra, d.get("scope"))
        )
        return (
            words_at(c) == words_at(d)
            and c.get("text") == d.get("text")
            and scope_ok
            and same(cur, c.get("about"), dra, d.get("about"))
        )

    tally(
        "first claims",
        cur.of("FirstClaim"),
        dra.of("FirstClaim"),
        first_match,
        lambda c: f"{c.get('text')} ({c.get('about')})",
    )

    def comparison_match(c: dict[str, Any], d: dict[str, Any]) -> bool:
        about_c, about_d = cur.by_id.get(str(c.get("about"))), dra.by_id.get(str(d.get("about")))
        if about_c is None or about_d is None:
            return False
        at_c = number_at(text, str(about_c.get("value")), str(about_c.get("evidence")))
        at_d = number_at(text, str(about_d.get("value")), str(about_d.get("evidence")))
        return (
            at_c is not None
            and at_c == at_d
            and c.get("aspect") == d.get("aspect")
            and c.get("comparison") == d.get("comparison")
        )

    tally(
        "comparisons",
        cur.of("ComparisonClaim"),
        dra.of("ComparisonClaim"),
        comparison_match,
        lambda c: str(c.get("id")),
    )

    # --- relations stated by the text
    def stated(side: Side) -> list[tuple[str, str, str]]:
        found = []
        for fact in side.facts:
            for rel in fact.get("relations") or []:
                if rel.get("background") is None:
                    found.append(
                        (str(fact.get("id")), str(rel.get("property")), str(rel.get("object")))
                    )
        return found

    def rel_match(c: tuple[str, str, str], d: tuple[str, str, str]) -> bool:
        return c[1] == d[1] and same(cur, c[0], dra, d[0]) and same(cur, c[2], dra, d[2])

    tally("relations", stated(cur), stated(dra), rel_match, lambda c: " ".join(c))

    # --- dated events
    def quoted(fact: dict[str, Any]) -> tuple[int, int]:
        quote = str(fact.get("evidence"))
        start = text.find(quote)
        return start, start + len(quote)

    def event_match(c: dict[str, Any], d: dict[str, Any]) -> bool:
        (a, b), (x, y) = quoted(c), quoted(d)
        return str(c.get("date")) == str(d.get("date")) and a >= 0 and min(b, y) > max(a, x)

    tally("events", cur.of("Event"), dra.of("Event"), event_match, lambda c: str(c.get("zh")))
    return {"rows": rows, "misses": misses}


def draft_cold(folder: Path, data: list[str], scratch: Path) -> tuple[Path, float, list[str]]:
    """Copy the article's text and article.yaml alone, draft it in a fresh process."""
    meta = yaml.safe_load((folder / "article.yaml").read_text(encoding="utf-8"))
    target = scratch / folder.name
    target.mkdir(parents=True)
    shutil.copy(folder / "article.yaml", target / "article.yaml")
    text_name = str(meta.get("text", "article.txt"))
    shutil.copy(folder / text_name, target / text_name)
    args = [sys.executable, "-m", "builder", "draft", str(target), "-o", str(target / "draft.yaml")]
    for spec in data:
        args += ["--data", spec]
    started = time.perf_counter()
    subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
    seconds = time.perf_counter() - started
    return target / "draft.yaml", seconds, [text_name]


def evaluate(folder: Path, data: list[str], scratch: Path) -> dict[str, Any]:
    """The comparison of one article's draft with its curated facts."""
    raw = read_article(folder)
    draft_path, seconds, _ = draft_cold(folder, data, scratch)
    drafted = yaml.safe_load(draft_path.read_text(encoding="utf-8"))
    known: dict[str, set[str]] = {}
    for other in find_article_folders(data):
        for _, item in read_article(other).facts:
            known.setdefault(str(item.get("id")), set()).update(forms_of(item))
    curated = [dict(item) for _, item in raw.facts]
    cur = Side(curated, known)
    dra = Side(list(drafted.get("facts") or []), known)
    result = compare(raw.text, cur, dra, list(drafted.get("links") or []))
    result["article"] = raw.id
    result["seconds"] = round(seconds, 2)
    result["ambiguous"] = len(drafted.get("ambiguous") or [])
    rows = result["rows"]
    hits = sum(rows[k][3] for k in SCORED)
    total = sum(rows[k][1] for k in SCORED)
    result["precision"] = round(hits / total, 3) if total else None
    return result


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def report(results: list[dict[str, Any]]) -> str:
    """The Markdown tables of the results."""
    lines = [
        "# Draft evaluation",
        "",
        "Written by `python benchmarks/draft_eval.py`: each article drafted cold from its "
        "text and article.yaml alone, compared with its curated facts (see the script's "
        "docstring for how each kind is matched).",
        "",
    ]
    for result in results:
        lines += [
            f"## {result['article']}",
            "",
            f"Cold draft (fresh process): {result['seconds']} s. Overall precision "
            f"(figures, entities, posts, quotes, claims, relations): "
            f"{percent(int(1000 * (result['precision'] or 0)), 1000)}. "
            f"Ambiguous names listed: {result['ambiguous']}.",
            "",
            "| kind | curated | drafted | recall | precision |",
            "|---|---:|---:|---:|---:|",
        ]
        for kind in KINDS:
            cur, dra, hit, good = result["rows"][kind]
            lines.append(
                f"| {kind} | {cur} | {dra} | {hit} ({percent(hit, cur)}) | "
                f"{good} ({percent(good, dra)}) |"
            )
        lines.append("")
        for kind in (
            "figures value+unit",
            "figures +period+subject",
            "entities",
            "posts",
            "quotes",
            "first claims",
            "events",
        ):
            missed = result["misses"][kind]
            if missed:
                lines.append(f"Missed {kind}: " + ", ".join(missed[:40]) + ".")
                lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", nargs="*", type=Path)
    parser.add_argument("--data", action="append", default=None)
    args = parser.parse_args()
    corpus = ROOT / "tests" / "corpus" / "articles"
    articles = args.articles or [
        *find_article_folders([str(ROOT / "data")]),
        *(find_article_folders([str(corpus)]) if corpus.is_dir() else []),
    ]
    data = args.data or [str(ROOT / "data"), *([str(corpus)] if corpus.is_dir() else [])]
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for folder in articles:
            results.append(evaluate(folder.resolve(), data, Path(scratch)))
    text = report(results)
    print(text)
    (HERE / "results-draft.md").write_text(text + "\n", encoding="utf-8")
    (HERE / "results-draft.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
