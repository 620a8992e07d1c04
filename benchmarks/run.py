"""Corpus benchmark: luohu-kg against pyoxigraph alone and rdflib's memory store (not a test).

For N synthetic articles (default 10, 100, 1000; `luohu-kg synth` makes them, deterministic by
seed) each step runs in a fresh child process, so its wall time and peak RSS are its own:

- build: fact files -> checked facts -> triples -> Turtle (ontology + data; no HTML)
- ox-load-dump: pyoxigraph alone loads the same N-Triples and writes Turtle
- rdflib-load-dump: rdflib's memory store parses the same N-Triples and writes Turtle
- queries: every catalog query through luohu-kg (pyoxigraph, parameters bound)
- ox-queries: the same queries on a bare pyoxigraph store
- rdflib-queries: the same queries on rdflib's memory store (60 s limit per query)
- validate: the *-violation checks on Oxigraph (pySHACL takes minutes at this size)
- viz: the page step of a build (graph.html from the built triples, at most 2,000 entities)
- viz-before: the same step of the code before the page was read from pyoxigraph
  (BASELINE_REV, from `git archive`), in the same run on the same machine

    python benchmarks/run.py [--articles 10 100 1000] [--seed 7]

Prints a table and writes benchmarks/results.md and benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
RDFLIB_QUERY_LIMIT = 30
STEP_LIMIT = 300  # seconds
QUERY_LIMIT = 60  # seconds per catalog query (luohu-kg and pyoxigraph)
RDFLIB_QUERIES_BUDGET = 240  # seconds for all rdflib queries of one size; the rest are skipped
# the last commit whose page was made through rdflib (EntityGraph): viz-before runs its code
BASELINE_REV = "76f8f61"


def _catalog_questions() -> list[Any]:
    from builder.query import catalog

    return [q for name, q in catalog().items() if not name.endswith("-violation")]


def _defaults(store: Any, query: Any) -> dict[Any, Any]:
    """The query's default parameters; defaults naming the article's entities (罗湖区…) do not
    exist in a synthetic corpus, and then the parameters stay unbound (all rows)."""
    from builder.query import QueryError, bind

    try:
        return bind(store, query, {})
    except QueryError:
        pass
    import pyoxigraph as ox

    district = ox.NamedNode("https://w3id.org/luohu-kg/ontology#District")
    first = min(q.subject.value for q in store.quads_for_pattern(None, None, district))
    subs: dict[Any, Any] = {}
    for param in query.params:  # entity parameters get the corpus's first district
        if param.kind == "entity":
            subs[ox.Variable(param.name)] = ox.NamedNode(first)
    return subs


def step(name: str, corpus: Path, out: Path) -> dict[str, Any]:
    """One measured step, run inside the child process."""
    nt = out / "luohu-kg.nt"
    start = time.perf_counter()
    extra: dict[str, Any] = {}
    if name == "build":
        from builder.pipeline import build_to

        build_to([str(corpus)], out, html=False, outputs=["ttl"])  # facts -> Turtle
        extra["seconds"] = time.perf_counter() - start
        build_to([str(corpus)], out, html=False, outputs=["nt", "ttl"])  # untimed: NT for others
        extra["triples"] = sum(1 for _ in nt.open("rb"))
        return extra
    elif name == "ox-load-dump":
        import pyoxigraph as ox

        store = ox.Store()
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        store.dump(str(out / "ox.ttl"), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    elif name == "rdflib-load-dump":
        from rdflib import Graph

        graph = Graph()
        graph.parse(str(nt), format="nt")
        graph.serialize(str(out / "rdflib.ttl"), format="turtle")
    elif name in {"queries", "ox-queries"}:
        import pyoxigraph as ox

        from builder.query import execute, load_store, render

        store = load_store(out / "luohu-kg.ttl")
        extra["load"] = time.perf_counter() - start
        times: dict[str, float | None] = {}
        for query in _catalog_questions():
            subs = _defaults(store, query)
            if name == "queries":

                def run(q: Any = query, b: Any = subs) -> None:
                    render(execute(store, q.text, b), "csv")
            else:

                def run(q: Any = query, b: Any = subs) -> None:
                    result = store.query(q.text, substitutions=b)
                    result.serialize(format=ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]

            times[query.name] = timed_in_fork(run, QUERY_LIMIT)
        extra["per_query"] = times
        extra["queries_total"] = sum(t for t in times.values() if t is not None)
        extra["timeouts"] = sorted(n for n, t in times.items() if t is None)
    elif name == "rdflib-queries":
        from rdflib import Graph

        from builder.query import load_store
        from builder.stores import to_rdflib

        graph = Graph()
        graph.parse(str(nt), format="nt")
        extra["load"] = time.perf_counter() - start
        lookup = load_store(out / "luohu-kg.ttl")  # only to resolve default parameters
        times: dict[str, float | None] = {}
        failed: dict[str, str] = {}

        def timeout(_signum: int, _frame: Any) -> None:
            raise TimeoutError

        signal.signal(signal.SIGALRM, timeout)
        for query in _catalog_questions():
            if time.perf_counter() - start > RDFLIB_QUERIES_BUDGET:
                failed[query.name] = "skipped: time budget spent"
                continue
            bindings = {k.value: to_rdflib(v) for k, v in _defaults(lookup, query).items()}
            began = time.perf_counter()
            signal.alarm(RDFLIB_QUERY_LIMIT)
            try:
                list(graph.query(query.text, initBindings=bindings))
                times[query.name] = time.perf_counter() - began
            except TimeoutError:
                times[query.name] = None
            except Exception as err:  # rdflib's engine fails on some valid queries
                failed[query.name] = f"{type(err).__name__}: {err}"[:200]
            finally:
                signal.alarm(0)
        extra["per_query"] = times
        extra["queries_total"] = sum(t for t in times.values() if t is not None)
        extra["timeouts"] = sum(1 for t in times.values() if t is None)
        extra["failed"] = failed
    elif name == "validate":
        from builder.query import load_store, violations

        store = load_store(out / "luohu-kg.ttl")
        extra["violations"] = len(violations(store))
    elif name in {"viz", "viz-before"}:
        # the page step of a build: from the built triples to the page's bytes (the build
        # before it is not timed); viz-before runs the same step of BASELINE_REV's code
        from builder.pipeline import HTML_MAX_NODES, build
        from builder.viz import graph_html

        built = build([str(corpus)])
        built.parts()
        if name == "viz":
            built.store()  # a build has made it for its checks before the page step
        start = time.perf_counter()
        if name == "viz":
            page, view = graph_html(built.store(), max_nodes=HTML_MAX_NODES)
        else:  # the page of commit BASELINE_REV made its rdflib graph for the page alone
            page, view = graph_html(built.graph(store="auto"), max_nodes=HTML_MAX_NODES)
        extra["nodes_shown"] = len(view.shown)
        extra["html_bytes"] = len(page)
    else:
        raise SystemExit(f"unknown step {name}")
    extra["seconds"] = time.perf_counter() - start
    return extra


def timed_in_fork(run: Any, limit: float) -> float | None:
    """Seconds `run()` takes in a forked copy of this process, or None past `limit` (the copy
    is killed: pyoxigraph cannot be interrupted from Python)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy shares the loaded store, copy-on-write
        os.close(read_end)
        began = time.perf_counter()
        run()
        os.write(write_end, repr(time.perf_counter() - began).encode())
        os._exit(0)
    os.close(write_end)
    ready, _w, _x = select.select([read_end], [], [], limit)
    if not ready:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return None
    text = os.read(read_end, 64).decode()
    os.close(read_end)
    os.waitpid(pid, 0)
    return float(text)


def baseline_tree() -> Path:
    """BASELINE_REV's code (`git archive`), for the viz-before step; extracted once."""
    folder = WORK / f"baseline-{BASELINE_REV}"
    if not (folder / "builder").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(HERE.parent), "archive", BASELINE_REV],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def run_child(name: str, corpus: Path, out: Path) -> dict[str, Any]:
    """Run one step in a child process; add its peak RSS (MiB). A step over STEP_LIMIT
    seconds is stopped and reported as such (rdflib's Turtle writer at a million triples)."""
    args = [sys.executable, __file__, "--step", name, "--corpus", str(corpus), "--out", str(out)]
    env = None
    if name == "viz-before":  # the old code first on the path, the installed one hidden
        env = {**os.environ, "PYTHONPATH": str(baseline_tree()), "LUOHU_KG_BASELINE": "1"}
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    timer = threading.Timer(STEP_LIMIT, child.kill)
    timer.start()
    assert child.stdout is not None
    output = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
    if status != 0 and not output.strip():
        return {
            "seconds": None,
            "stopped_after": STEP_LIMIT,
            "peak_rss_mib": usage.ru_maxrss / 1024,
        }
    if status != 0:
        raise SystemExit(f"step {name} failed with status {status}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["peak_rss_mib"] = usage.ru_maxrss / 1024
    return result


def corpus_for(articles: int, seed: int) -> Path:
    """The synthetic corpus of N articles, written once and kept under benchmarks/.work."""
    from builder.synth import write_corpus

    folder = WORK / f"corpus-{articles}-{seed}"
    if not (folder / "articles").is_dir():
        write_corpus(folder, articles, seed=seed)
    return folder


def main() -> None:
    """Run every step for every size, print and keep the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steps", nargs="+", help="Run only these steps (others are kept).")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        if os.environ.get("LUOHU_KG_BASELINE"):
            # the editable install's finder would serve the current tree's package data
            sys.meta_path = [
                f for f in sys.meta_path if "Editable" not in getattr(f, "__name__", "")
            ]
            sys.path.insert(0, os.environ["PYTHONPATH"])
        print(json.dumps(step(args.step, args.corpus, args.out)))
        return
    all_steps = ["build", "ox-load-dump", "rdflib-load-dump", "queries", "ox-queries",
             "rdflib-queries", "validate", "viz", "viz-before"]  # fmt: skip
    steps = args.steps or all_steps
    results: dict[str, dict[str, Any]] = {}
    for articles in args.articles:
        corpus = corpus_for(articles, args.seed)
        out = WORK / f"out-{articles}-{args.seed}"
        out.mkdir(parents=True, exist_ok=True)
        previous = HERE / "results.json"
        kept = json.loads(previous.read_text("utf-8")) if previous.is_file() else {}
        row: dict[str, Any] = kept.get(str(articles), {})
        for number, name in enumerate(steps, 1):
            if sys.stderr.isatty():  # progress for a person; quiet in pipes and CI
                print(f"N={articles}: step {number}/{len(steps)} {name}…", file=sys.stderr)
            row[name] = run_child(name, corpus, out)
            print(f"N={articles} {name}: {_secs(row[name])} s, "
                  f"{row[name]['peak_rss_mib']:.0f} MiB", flush=True)  # fmt: skip
        results[str(articles)] = row
        previous = HERE / "results.json"
        kept = json.loads(previous.read_text("utf-8")) if previous.is_file() else {}
        write_results({**kept, **results})


def _ratio(before: dict[str, Any], now: dict[str, Any]) -> str:
    if before.get("seconds") is None or not now.get("seconds"):
        return "-"
    return f"{before['seconds'] / now['seconds']:.1f}×"


def _secs(step_result: dict[str, Any]) -> str:
    if step_result.get("not_run"):
        return "not run"
    seconds = step_result.get("seconds")
    return f"> {step_result['stopped_after']}" if seconds is None else f"{seconds:.2f}"


def write_results(results: dict[str, dict[str, Any]]) -> None:
    """benchmarks/results.json and a Markdown table in benchmarks/results.md."""
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Corpus benchmark",
        "",
        "Each step is a fresh process on this machine (2 cores). Times in seconds, "
        "peak RSS in MiB.",
        "`ours` = luohu-kg; `ox` = pyoxigraph alone on the same triples; `rdflib` = rdflib's "
        "memory store on the same triples.",
        "",
        "| articles | triples | build (ours) | ox load+dump | rdflib load+dump | build / ox "
        "| queries ours | queries ox | queries rdflib | ours / ox | rdflib path / ours "
        "| violation checks | page step | page step before | before / now | peak RSS build |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    missing = {"seconds": None, "stopped_after": 0, "not_run": True}
    for articles, row in results.items():
        ours_q, ox_q = row["queries"]["per_query"], row["ox-queries"]["per_query"]
        both = [n for n in ours_q if ours_q[n] is not None and ox_q.get(n) is not None]
        ours_total = sum(ours_q[n] for n in both)
        ox_total = sum(ox_q[n] for n in both)
        slow = sorted({n for n, t in [*ours_q.items(), *ox_q.items()] if t is None})
        queries_note = f" ({', '.join(slow)}: over {QUERY_LIMIT} s)" if slow else ""
        ours = row["build"]["seconds"] + ours_total
        rdflib_steps = [row.get("rdflib-load-dump", missing), row.get("rdflib-queries", missing)]
        # a stopped rdflib step counts with its limit: the ratio is then a lower bound
        rdflib_path = sum(r["seconds"] or r["stopped_after"] for r in rdflib_steps)
        bound = "≥ " if any(r["seconds"] is None for r in rdflib_steps) else ""
        rq = rdflib_steps[1]
        if rq.get("not_run"):
            rdflib_queries = "not run"
        elif rq["seconds"] is None:
            rdflib_queries = _secs(rq)
        else:
            failed = rq.get("failed", {})
            skipped = sum(1 for why in failed.values() if why.startswith("skipped"))
            notes = [
                f"{rq['timeouts']} over {RDFLIB_QUERY_LIMIT} s" if rq["timeouts"] else "",
                f"{len(failed) - skipped} failed" if len(failed) > skipped else "",
                f"{skipped} skipped" if skipped else "",
            ]
            shown = ", ".join(n for n in notes if n)
            rdflib_queries = f"{rq['queries_total']:.2f}" + (f" ({shown})" if shown else "")
        lines.append(
            f"| {articles} | {row['build']['triples']:,} | {row['build']['seconds']:.2f} "
            f"| {row['ox-load-dump']['seconds']:.2f} | {_secs(rdflib_steps[0])} "
            f"| {row['build']['seconds'] / row['ox-load-dump']['seconds']:.2f}× "
            f"| {ours_total:.3f}{queries_note} | {ox_total:.3f} | {rdflib_queries} "
            f"| {ours_total / ox_total:.2f}× "
            f"| {bound}{rdflib_path / ours:.1f}× | {row['validate']['seconds']:.2f} "
            f"| {_secs(row['viz'])} | {_secs(row.get('viz-before', missing))} "
            f"| {_ratio(row.get('viz-before', missing), row['viz'])} "
            f"| {row['build']['peak_rss_mib']:.0f} |"
        )
    lines += [
        "",
        "Query times add up the catalog queries that finished within the limit in both "
        "luohu-kg and pyoxigraph; a query over the limit is named. Parameters are bound with "
        "substitutions (pyoxigraph) or `initBindings` (rdflib); entity parameters whose default "
        "names one of the article's entities get the corpus's first district.",
        "",
        "`queries rdflib` adds up the queries that rdflib finished; a query over "
        f"{RDFLIB_QUERY_LIMIT} s is stopped, and once the step has spent "
        f"{RDFLIB_QUERIES_BUDGET} s the rest are skipped. rdflib's engine fails on two valid "
        "catalog queries (`projects`, `timeline`: NotBoundError); Oxigraph answers them. "
        "`rdflib path / ours` compares rdflib load+dump+queries with luohu-kg build+queries; a "
        "stopped step counts with its limit, so `≥` marks a lower bound.",
        "",
        "`page step` is what a build spends on graph.html once the triples are made and "
        "checked (the page holds at most 2,000 entities; above, the most central, and it says "
        "so): it reads the pyoxigraph store the checks already made. `page step before` is the "
        f"same step of commit {BASELINE_REV}, which made an rdflib copy of the graph for the "
        "page and walked it; both run in the same benchmark on the same machine.",
        "",
        "Validation at this size runs the `*-violation.rq` checks on Oxigraph; pySHACL is used by "
        "`luohu-kg validate` up to 200,000 triples (`--shacl always` forces it).",
    ]
    text = "\n".join(lines) + "\n"
    (HERE / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
