"""Cold-start time of `luohu-kg query NAME` on the built article graph (not a test).

Each catalog query runs as a fresh process (interpreter start, imports, loading
out/luohu-kg.ttl, the query, the table) several times; the median and worst wall times
are printed and written to benchmarks/results-query.md.

    python benchmarks/query_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results-query.md"


def main() -> None:
    """Time every catalog query cold and keep the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("luohu-kg", path=str(Path(sys.executable).parent)) or "luohu-kg"
    if not (ROOT / "out" / "luohu-kg.ttl").is_file():
        subprocess.run([exe, "build"], cwd=ROOT, check=True, capture_output=True)
    listing = subprocess.run(
        [exe, "query", "--list"], cwd=ROOT, check=True, capture_output=True, text=True
    )
    names = [line.split()[0] for line in listing.stdout.splitlines() if line.strip()]
    rows = []
    for name in names:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([exe, "query", name], cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(times), max(times)))
    lines = [
        "# Cold `luohu-kg query NAME` on the article",
        "",
        f"{args.runs} runs per query, each a new process; graph: out/luohu-kg.ttl.",
        "",
        "| query | median (s) | worst (s) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {median:.3f} | {worst:.3f} |" for name, median, worst in rows]
    overall = max(median for _n, median, _w in rows)
    lines += ["", f"Slowest median: {overall:.3f} s (target ≤ 0.3 s)."]
    text = "\n".join(lines) + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
