"""Outputs: byte-identical runs, and every file re-parses to the same graph."""

from __future__ import annotations

import os
import re
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
        assert (first / name).is_file(), name
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


def test_turtle_abbreviates_every_data_iri(out_dir: Path) -> None:
    text = (out_dir / OUTPUT_NAMES["ttl"]).read_text("utf-8")
    assert "@prefix lkd: <https://w3id.org/luohu-kg/id/> ." in text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix "))
    assert "<https://w3id.org/luohu-kg/id/" not in body  # every data IRI is a CURIE
    assert "\\/" not in body  # and none needs an escaped slash
    assert "statement:post-luohu-party-secretary.heldBy.luo-yude" in body
    assert "evidence:luohu-gdp-2021-h1.quote" in body and "period:2021-H1" in body


def test_turtle_keeps_each_subject_in_one_block(out_dir: Path) -> None:
    text = (out_dir / OUTPUT_NAMES["ttl"]).read_text("utf-8")
    # the writer puts each subject alone on the line that opens its block
    subject = re.compile(r"(?:[A-Za-z][\w-]*:\S*|<[^>\s]+>)")
    heads = [line for line in text.splitlines() if subject.fullmatch(line)]
    assert len(heads) == len(set(heads)) > 500
    mentions = next(line for line in text.splitlines() if line.strip() == "schema:mentions")
    assert mentions  # a long object list is broken one object per line
    assert max(len(line) for line in text.splitlines() if '"' not in line) < 200


def test_jsonld_is_compacted_with_its_context(out_dir: Path) -> None:
    import json

    document = json.loads((out_dir / OUTPUT_NAMES["jsonld"]).read_text("utf-8"))
    context = json.loads((out_dir / OUTPUT_NAMES["context"]).read_text("utf-8"))
    assert document["@context"] == context["@context"]
    assert context["@context"]["lkd"] == "https://w3id.org/luohu-kg/id/"
    ids = {node["@id"] for node in document["@graph"]}
    assert "lkd:luohu" in ids and "statement:luohu.locatedIn.shenzhen" in ids


def test_jsonld_round_trips_through_pyld(out_dir: Path) -> None:
    import json

    from pyld import jsonld  # type: ignore[import-untyped]

    document = json.loads((out_dir / OUTPUT_NAMES["jsonld"]).read_text("utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    from_pyld = Graph().parse(data=nquads, format="nt")  # one default graph: N-Triples lines
    reference = Graph().parse(out_dir / OUTPUT_NAMES["nt"], format="nt")
    assert isomorphic(from_pyld, reference)


DOC_SAMPLES = [ROOT / "README.md", ROOT / "docs" / "DESIGN.md"]


def _turtle_samples() -> list[tuple[str, str]]:
    found = []
    for path in DOC_SAMPLES:
        for i, match in enumerate(
            re.finditer(r"```turtle\n(.*?)```", path.read_text("utf-8"), re.S)
        ):
            found.append((f"{path.name}#{i}", match.group(1)))
    return found


@pytest.mark.parametrize(("where", "sample"), _turtle_samples())
def test_turtle_samples_of_the_docs_parse(where: str, sample: str) -> None:
    assert len(Graph().parse(data=sample, format="turtle")) > 0, where
    assert list(ox.parse(sample.encode(), format=ox.RdfFormat.TURTLE)), where


def test_raptor_parses_every_turtle_file_and_sample(out_dir: Path, tmp_path: Path) -> None:
    import shutil

    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but rapper is missing: apt-get install raptor2-utils")
        pytest.skip("rapper is missing (apt-get install raptor2-utils); CI runs it")
    files = [out_dir / OUTPUT_NAMES["ttl"], out_dir / OUTPUT_NAMES["data-ttl"]]
    for where, sample in _turtle_samples():
        files.append(tmp_path / f"{where.replace('#', '-')}.ttl")
        files[-1].write_text(sample, encoding="utf-8")
    for path in files:
        done = subprocess.run([rapper, "-i", "turtle", "-c", str(path)], capture_output=True,
                              text=True)  # fmt: skip
        assert done.returncode == 0, (path.name, done.stderr[-1000:])
    trig = subprocess.run([rapper, "-i", "trig", "-c", str(out_dir / OUTPUT_NAMES["trig"])],
                          capture_output=True, text=True)  # fmt: skip
    assert trig.returncode == 0, trig.stderr[-1000:]
