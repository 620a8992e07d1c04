"""Stage 4: write the graph in RDF formats, in a fixed order (byte-identical runs), atomically."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

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
class ArticleTriples:
    """One article's triples: its own, and the shared ones (periods) that others may repeat."""

    graph_iri: str
    own: list[ox.Triple]
    shared: list[ox.Triple]

    def all(self) -> list[ox.Triple]:
        """Everything the article says, as its named graph holds it."""
        return [*self.own, *self.shared]


@dataclass
class GraphParts:
    """The ontology and each article's data, ready to serialise (merged lists are cached)."""

    ontology: list[ox.Triple]
    articles: dict[str, ArticleTriples]
    _data: list[ox.Triple] | None = field(default=None, init=False, repr=False)

    def data(self) -> list[ox.Triple]:
        """All articles' triples, without the ontology; shared descriptions once."""
        if self._data is None:
            shared = dict.fromkeys(t for a in self.articles.values() for t in a.shared)
            self._data = [t for a in self.articles.values() for t in a.own] + list(shared)
        return self._data

    def everything(self) -> list[ox.Triple]:
        """Ontology and data in one list (their subjects never overlap)."""
        return [*self.ontology, *self.data()]

    def named_graphs(self, with_ontology: bool = True) -> list[tuple[str, list[ox.Triple]]]:
        """(graph IRI, triples): the ontology's graph, then one graph per article."""
        graphs = [(ONTOLOGY_IRI, self.ontology)] if with_ontology else []
        return graphs + [(a.graph_iri, a.all()) for a in self.articles.values()]

    def quads(self, with_ontology: bool = True) -> list[ox.Quad]:
        """Every triple in its named graph."""
        quads: list[ox.Quad] = []
        for iri, triples in self.named_graphs(with_ontology):
            named = ox.NamedNode(iri)
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, named) for t in triples)
        return quads


def _turtle_body(triples: list[ox.Triple]) -> str:
    """Turtle statements of the triples, without the @prefix lines."""
    text = as_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    lines = text.decode("utf-8").split("\n")
    first = next((i for i, line in enumerate(lines) if not line.startswith("@prefix ")), 0)
    return "\n".join(lines[first:]).strip("\n")


def write_trig(parts: GraphParts, output: BinaryIO, with_ontology: bool = True) -> None:
    """TriG: the prefixes once, then each named graph's Turtle statements in a block.

    Writing graph by graph avoids a quad object for every triple and keeps one graph's text
    in memory at a time.
    """
    output.write("".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()).encode())
    for iri, triples in parts.named_graphs(with_ontology):
        output.write(f"<{iri}> {{\n{_turtle_body(triples)}\n}}\n".encode())


def serialize_to(parts: GraphParts, fmt: str, output: BinaryIO, with_ontology: bool = True) -> None:
    """Write one serialisation of the graph to a binary file; `fmt` is a key of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "trig":
        write_trig(parts, output, with_ontology)
    elif fmt in QUAD_FORMATS:
        quads = parts.quads(with_ontology)
        ox.serialize(quads, output, format=FORMATS[fmt], prefixes=PREFIXES)
    else:
        triples = parts.everything() if with_ontology else parts.data()
        ox.serialize(triples, output, format=FORMATS[fmt], prefixes=PREFIXES)


def serialize(parts: GraphParts, fmt: str, with_ontology: bool = True) -> bytes:
    """One serialisation of the graph as bytes; `fmt` is a key of FORMATS."""
    buffer = io.BytesIO()
    serialize_to(parts, fmt, buffer, with_ontology)
    return buffer.getvalue()


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


OUTPUT_PLAN = {  # output key -> (format, with ontology)
    "ttl": ("ttl", True),
    "data-ttl": ("ttl", False),
    "jsonld": ("jsonld", True),
    "nt": ("nt", True),
    "trig": ("trig", True),
}


def write_all(parts: GraphParts, out_dir: Path, outputs: Iterable[str] = OUTPUT_PLAN) -> list[Path]:
    """The output files (all by default): each is written to a temporary file beside its
    target, and all are renamed into place only once every one has been written."""
    plan = [(OUTPUT_NAMES[key], *OUTPUT_PLAN[key]) for key in outputs]
    out_dir.mkdir(parents=True, exist_ok=True)
    temps: dict[str, str] = {}
    try:
        for name, fmt, with_ontology in plan:
            fd, temps[name] = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(fd, "wb") as handle:
                serialize_to(parts, fmt, handle, with_ontology)
            os.chmod(temps[name], 0o666 & ~_umask())
        for name, tmp in temps.items():
            os.replace(tmp, out_dir / name)
    except BaseException:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
        raise
    return [out_dir / name for name, _fmt, _ont in plan]
