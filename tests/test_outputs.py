"""Outputs: byte-identical runs, and every file re-parses to the same graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from builder.outputs import OUTPUT_NAMES
from builder.pipeline import build_to

from .conftest import DATA, ROOT

RDFLIB_FORMATS = {"ttl": "turtle", "data-ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "data-ttl": ox.RdfFormat.TURTLE,
              "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
              "trig": ox.RdfFormat.TRIG}  # fmt: skip


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    build_to([str(DATA)], out)
    return out


def _build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "builder", "build", "--data", str(DATA), "--out", str(out)],
        check=True, cwd=ROOT, env=env, capture_output=True,
    )  # fmt: skip


def test_two_builds_are_byte_identical(tmp_path: Path, out_dir: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _build_in_subprocess(first, "1")
    _build_in_subprocess(second, "4242")
    for name in OUTPUT_NAMES.values():
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (out_dir / name).read_bytes() == (first / name).read_bytes(), name


def test_every_file_reparses_to_the_same_graph(out_dir: Path) -> None:
    reference = Graph().parse(out_dir / OUTPUT_NAMES["nt"], format="nt")
    assert len(reference) > 1000
    for key in ("ttl", "jsonld"):
        graph = Graph().parse(out_dir / OUTPUT_NAMES[key], format=RDFLIB_FORMATS[key])
        assert isomorphic(graph, reference), key
    trig = Dataset()
    trig.parse(out_dir / OUTPUT_NAMES["trig"], format="trig")
    union = Graph()
    for s, p, o, _g in trig.quads((None, None, None, None)):
        union.add((s, p, o))
    assert isomorphic(union, reference)


def test_pyoxigraph_parses_every_file(out_dir: Path) -> None:
    counts = {}
    for key, fmt in OX_FORMATS.items():
        quads = list(ox.parse((out_dir / OUTPUT_NAMES[key]).read_bytes(), format=fmt))
        counts[key] = len({q.triple for q in quads})
    assert counts["ttl"] == counts["nt"] == counts["jsonld"] == counts["trig"]
    assert counts["data-ttl"] < counts["ttl"]


def test_no_blank_nodes_and_no_relative_iris(out_dir: Path) -> None:
    text = (out_dir / OUTPUT_NAMES["nt"]).read_text("utf-8")
    assert "_:" not in text
    for quad in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES):
        for term in (quad.subject, quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode):
                assert term.value.startswith(("http://", "https://")), term


def test_trig_keeps_each_article_in_its_own_graph(out_dir: Path) -> None:
    quads = list(ox.parse((out_dir / OUTPUT_NAMES["trig"]).read_bytes(), format=ox.RdfFormat.TRIG))
    graphs = {str(q.graph_name.value) for q in quads}
    assert "https://w3id.org/luohu-kg/ontology" in graphs
    assert "https://w3id.org/luohu-kg/id/graph/luohu-pilot-zone-2nd-anniversary" in graphs
