"""Benchmark of the page: time to write graph.html, its size, and how soon it can be used.

Not a test. Runs the article's graph and synthetic graphs (same classes, labels, evidence and
links as the builder makes) of 1k and 5k entities, opens each page in headless Chromium and
measures, from the page's first script: the graph interactive (layout done, labels placed),
and switching to the article view and to the questions view (rendered, laid out). Prints a
table and writes benchmarks/results-viz.md.

    python benchmarks/viz_bench.py [--sizes 1000,5000] [--no-article] [--runs 3]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from builder.analytics import entity_iris
from builder.vocab import DEFAULT_BASE, LK, OA, ORG, SCHEMA, UNIT

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-viz.md"
CHROMIUM = "/usr/bin/chromium"
TARGET_MS_1K = 3000

CLASSES = [
    "District", "Community", "Area", "Facility", "GovernmentBody", "PartyOrganization",
    "Organization", "Person", "Post", "UrbanRenewalProject", "SchoolConstructionProject",
    "GovernanceService", "Reform", "Pilot", "PolicyDocument", "Plan", "Domain", "Indicator",
    "Event", "Goal", "Observation", "Quote",
]  # fmt: skip
PROPERTIES = [
    LK.locatedIn, LK.partOf, LK.ledBy, LK.carriedOutBy, LK.targets, LK.serves, LK.hasDomain,
    LK.basedOn, LK.involves, ORG.postIn, ORG.heldBy,
]  # fmt: skip
ZH_WORDS = [
    "罗湖", "深圳", "东门", "清水河", "莲塘", "笋岗", "翠竹", "黄贝", "桂园",
    "南湖", "东晓", "东湖", "金融", "教育", "医疗", "社区", "更新", "治理",
]  # fmt: skip


def synthetic_graph(n: int, seed: int = 20210825) -> Graph:
    """`n` entities linked like the article's (preferential attachment, ~1.7 links each)."""
    rng = random.Random(seed)
    g = Graph()
    base = DEFAULT_BASE
    article = URIRef(base + "article/synthetic")
    g.add((article, RDF.type, LK.NewsArticle))
    g.add((article, RDFS.label, Literal("合成图谱", lang="zh")))
    g.add((article, RDFS.label, Literal("Synthetic graph", lang="en")))
    nodes: list[URIRef] = []
    targets: list[URIRef] = []  # repeated by degree: preferential attachment
    for i in range(n - 1):
        cls = CLASSES[i % len(CLASSES)] if i >= 5 else "District"
        node = URIRef(f"{base}e{i}")
        words = rng.sample(ZH_WORDS, 2)
        g.add((node, RDF.type, LK[cls]))
        g.add((node, RDFS.label, Literal(f"{words[0]}{words[1]}{i}", lang="zh")))
        g.add((node, RDFS.label, Literal(f"{cls} {i}", lang="en")))
        g.add((node, LK.sourceArticle, article))
        g.add((article, SCHEMA.mentions, node))
        evidence = URIRef(f"{base}evidence/e{i}")
        selector = URIRef(f"{base}evidence/e{i}.quote")
        g.add((node, LK.hasEvidence, evidence))
        g.add((evidence, RDF.type, LK.Evidence))
        g.add((evidence, OA.hasSelector, selector))
        g.add((evidence, LK.line, Literal(str(1 + i // 10), datatype=XSD.positiveInteger)))
        g.add((selector, RDF.type, OA.TextQuoteSelector))
        g.add((selector, OA.exact, Literal(f"{words[0]}{words[1]}的第{i}项工作取得进展")))
        if cls == "Observation":
            g.add((node, LK.valueText, Literal(f"{i}.5亿元")))
            g.add((node, LK.value, Literal(f"{i}50000000", datatype=XSD.decimal)))
            g.add((node, LK.unit, UNIT.CCY_CNY))
        links = rng.choice((1, 2, 2, 3)) if targets else 0
        for target in sorted({rng.choice(targets) for _ in range(links)}):
            g.add((node, rng.choice(PROPERTIES), target))
        nodes.append(node)
        targets.extend([node, *([node] if rng.random() < 0.3 else [])])
        for _ in range(2):
            if targets:
                targets.append(rng.choice(targets))
    return g


SWITCH = """name => {
  const t = performance.now();
  window.__kg.showView(name);
  document.getElementById(name + "-view").getBoundingClientRect();  // forces the layout
  return performance.now() - t;
}"""


def store_for(graph: Graph) -> ox.Store:
    """A pyoxigraph store of the graph and the ontology (what a build makes the page from)."""
    from builder.outputs import ontology_triples
    from builder.stores import to_ox

    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in ontology_triples())
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return store


def browser_ms(html: Path, runs: int) -> dict[str, float]:
    """Medians over `runs` loads: time to interactive (the page's own clock and wall time),
    and the time to switch to the article and questions views."""
    from playwright.sync_api import sync_playwright

    page_ms, wall_ms, read_ms, questions_ms = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(runs):
            context = browser.new_context(bypass_csp=True, viewport={"width": 1500, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(html.as_uri())
            page.wait_for_function("window.__interactiveMs > 0", timeout=300_000, polling=50)
            wall_ms.append((time.perf_counter() - start) * 1000)
            page_ms.append(float(page.evaluate("window.__interactiveMs")))
            read_ms.append(float(page.evaluate(SWITCH, "read")))
            questions_ms.append(float(page.evaluate(SWITCH, "questions")))
            context.close()
        browser.close()
    return {
        "interactive_ms": statistics.median(page_ms),
        "wall_ms": statistics.median(wall_ms),
        "read_ms": statistics.median(read_ms),
        "questions_ms": statistics.median(questions_ms),
    }


def measure(name: str, graph: Graph, out: Path, runs: int, browser: bool) -> dict[str, object]:
    """Write the page (timed) and open it (timed)."""
    from builder.viz import write_graph_html

    html = out / f"{name}.html"
    store = store_for(graph)
    start = time.perf_counter()
    view = write_graph_html(store, html)
    write_ms = (time.perf_counter() - start) * 1000
    row: dict[str, object] = {
        "graph": name,
        "entities": len(view.shown),
        "links": view.links,
        "triples": len(graph),
        "html_kb": html.stat().st_size // 1024,
        "write_ms": write_ms,
    }
    if browser:
        row.update(browser_ms(html, runs))
    assert len(view.shown) == len(entity_iris(graph))
    return row


def table(rows: list[dict[str, object]]) -> str:
    """Rows as a Markdown table."""
    head = (
        "| graph | entities | links | triples | HTML KiB | write (ms) | interactive (ms) "
        "| load to interactive, wall (ms) | to article view (ms) | to questions view (ms) |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        cells = [f"{r[k]:.0f}" if k in r else "-" for k in  # type: ignore[str-format]
                 ("interactive_ms", "wall_ms", "read_ms", "questions_ms")]  # fmt: skip
        lines.append(
            f"| {r['graph']} | {r['entities']} | {r['links']} | {r['triples']} | {r['html_kb']} "
            f"| {r['write_ms']:.0f} | {' | '.join(cells)} |"
        )
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="synthetic sizes, comma-separated")
    parser.add_argument("--no-article", action="store_true", help="skip the article's graph")
    parser.add_argument("--runs", type=int, default=3, help="page loads per graph (median)")
    parser.add_argument("--no-write", action="store_true", help="do not write results-viz.md")
    args = parser.parse_args()
    browser = Path(CHROMIUM).exists()
    if not browser:
        print(f"{CHROMIUM} not found: timing the HTML only", file=sys.stderr)
    graphs: list[tuple[str, Graph]] = []
    if not args.no_article:
        from builder.pipeline import build

        graphs.append(("article", build([str(ROOT / "data")]).graph()))
    for size in (int(s) for s in args.sizes.split(",") if s):
        name = f"synthetic-{size // 1000}k" if size % 1000 == 0 else f"synthetic-{size}"
        graphs.append((name, synthetic_graph(size)))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, graph in graphs:
            rows.append(measure(name, graph, Path(tmp), args.runs, browser))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = table(rows)
    print()
    print(text)
    one_k = [r for r in rows if r["graph"] == "synthetic-1k" and "interactive_ms" in r]
    verdict = ""
    if one_k:
        ms = float(one_k[0]["interactive_ms"])  # type: ignore[arg-type]
        ok = "meets" if ms <= TARGET_MS_1K else "MISSES"
        verdict = f"\n1k entities: interactive after {ms:.0f} ms: {ok} the ≤ {TARGET_MS_1K} ms"
        verdict += " target.\n"
        print(verdict)
    if not args.no_write:
        RESULTS.write_text(
            "# Graph view benchmark\n\n"
            "`python benchmarks/viz_bench.py`: time to write `graph.html` (`write_graph_html`,\n"
            "from a pyoxigraph store), its size, and in headless Chromium: time to interactive\n"
            "(`window.__interactiveMs`, measured by the page from its first script until the\n"
            "layout is done and the labels are placed; every view is built by then), wall time\n"
            "from `page.goto` to that point, and the time to switch to the article view and to\n"
            f"the questions view (rendered and laid out); median of {args.runs} loads.\n"
            "Synthetic graphs use the ontology's classes, zh/en labels, evidence quotes and\n"
            "preferential-attachment links.\n\n"
            f"{text}\n{verdict}\n"
            f"Machine: {platform.machine()}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}.\n",
            encoding="utf-8",
        )
        print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
