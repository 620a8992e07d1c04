"""Stage 4: write the graph in RDF formats, sorted (byte-identical runs) and atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .vocab import ONTOLOGY_IRI, PREFIXES

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
QUAD_FORMATS = {"trig", "nq"}
OUTPUT_NAMES = {
    "ttl": "luohu-kg.ttl",
    "data-ttl": "luohu-kg-data.ttl",
    "jsonld": "luohu-kg.jsonld",
    "nt": "luohu-kg.nt",
    "trig": "luohu-kg.trig",
}


def grouped(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Distinct triples, each subject's together, subjects in order of first appearance.

    The builder emits triples in a fixed order (articles and facts sorted by id), so this
    order is stable from run to run without a costly sort of every triple.
    """
    by_subject: dict[object, dict[ox.Triple, None]] = {}
    for triple in triples:
        bucket = by_subject.get(triple.subject)
        if bucket is None:
            bucket = by_subject[triple.subject] = {}
        bucket[triple] = None
    return [t for bucket in by_subject.values() for t in bucket]


def ontology_triples() -> list[ox.Triple]:
    """The shipped ontology's triples, in file order."""
    parsed = ox.parse(resources.ontology_text().encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return grouped(q.triple for q in parsed)


@dataclass(frozen=True)
class GraphParts:
    """The ontology and each article's data, ready to serialise."""

    ontology: list[ox.Triple]
    articles: dict[str, tuple[str, list[ox.Triple]]]  # article id -> (graph IRI, triples)

    def data(self) -> list[ox.Triple]:
        """All articles' triples, without the ontology."""
        return grouped(t for _iri, triples in self.articles.values() for t in triples)

    def everything(self) -> list[ox.Triple]:
        """Ontology and data in one list."""
        return grouped([*self.ontology, *self.data()])

    def quads(self) -> list[ox.Quad]:
        """Ontology in its own named graph, each article's data in another."""
        ontology = ox.NamedNode(ONTOLOGY_IRI)
        quads = [ox.Quad(t.subject, t.predicate, t.object, ontology) for t in self.ontology]
        for graph_iri, triples in self.articles.values():
            named = ox.NamedNode(graph_iri)
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, named) for t in triples)
        return quads


def serialize(parts: GraphParts, fmt: str, with_ontology: bool = True) -> bytes:
    """One serialisation of the graph as bytes; `fmt` is a key of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt in QUAD_FORMATS:
        quads = parts.quads()
        if not with_ontology:
            quads = [q for q in quads if q.graph_name != ox.NamedNode(ONTOLOGY_IRI)]
        return as_bytes(ox.serialize(quads, format=FORMATS[fmt], prefixes=PREFIXES))
    triples = parts.everything() if with_ontology else parts.data()
    return as_bytes(ox.serialize(triples, format=FORMATS[fmt], prefixes=PREFIXES))


def as_bytes(content: bytes | None) -> bytes:
    assert content is not None  # serialize() returns bytes when given no output
    return content


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all(parts: GraphParts, out_dir: Path) -> list[Path]:
    """Every output file; all are serialised before the first one is replaced."""
    contents = {
        OUTPUT_NAMES["ttl"]: serialize(parts, "ttl"),
        OUTPUT_NAMES["data-ttl"]: serialize(parts, "ttl", with_ontology=False),
        OUTPUT_NAMES["jsonld"]: serialize(parts, "jsonld"),
        OUTPUT_NAMES["nt"]: serialize(parts, "nt"),
        OUTPUT_NAMES["trig"]: serialize(parts, "trig"),
    }
    written = []
    for name, content in contents.items():
        write_atomic(out_dir / name, content)
        written.append(out_dir / name)
    return written
