"""The small example builds exactly the graph kept in examples/valid/mini/expected.ttl."""

from pathlib import Path

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from builder.pipeline import build

from .conftest import MINI


def test_mini_graph_matches_golden(mini: Path) -> None:
    built = build([str(mini)]).graph()
    golden = Graph().parse(MINI / "expected.ttl", format="turtle")
    if not isomorphic(built, golden):
        _both, only_built, only_golden = graph_diff(to_isomorphic(built), to_isomorphic(golden))
        missing = sorted(" ".join(x.n3() for x in t) for t in only_golden)[:10]
        extra = sorted(" ".join(x.n3() for x in t) for t in only_built)[:10]
        raise AssertionError(f"missing {missing}\nextra {extra}")
