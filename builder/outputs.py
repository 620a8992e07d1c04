"""Stage 4: write the graph in RDF formats, in a fixed order (byte-identical runs), atomically."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
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
    "context": "luohu-kg.context.jsonld",
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
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))
    _data: list[ox.Triple] | None = field(default=None, init=False, repr=False)
    _everything: list[ox.Triple] | None = field(default=None, init=False, repr=False)

    def data(self) -> list[ox.Triple]:
        """All articles' triples, without the ontology; shared descriptions once."""
        if self._data is None:
            shared = dict.fromkeys(t for a in self.articles.values() for t in a.shared)
            self._data = [t for a in self.articles.values() for t in a.own] + list(shared)
        return self._data

    def everything(self) -> list[ox.Triple]:
        """Ontology and data in one list, each subject's triples together: the data's few
        triples about ontology terms (a scheme's top concepts) join the ontology's blocks."""
        if self._everything is None:
            terms = {t.subject for t in self.ontology}
            data = self.data()
            joining = [t for t in data if t.subject in terms]
            rest = [t for t in data if t.subject not in terms] if joining else data
            self._everything = [*grouped([*self.ontology, *joining]), *rest]
        return self._everything

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


# a local name Turtle reads without escapes (PN_LOCAL, ASCII part): no "/", no final "."
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


class Names:
    """Writes IRIs as CURIEs where Turtle allows it (longest namespace first), else <IRI>."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._spaces = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._cache: dict[str, str] = {}

    def curie(self, iri: str) -> str | None:
        """`lk:locatedIn` for an IRI under a prefix with a plain local name, else None."""
        for prefix, space in self._spaces:
            if iri.startswith(space) and _LOCAL.fullmatch(iri[len(space) :]):
                return f"{prefix}:{iri[len(space) :]}"
        return None

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        """A term in Turtle syntax (N-Triples escapes for literals, which Turtle reads)."""
        if isinstance(term, ox.NamedNode):
            found = self._cache.get(term.value)
            if found is None:
                found = self._cache[term.value] = self.curie(term.value) or str(term)
            return found
        if not isinstance(term, ox.Literal):
            return str(term)
        if "\n" in term.value:  # a long string keeps the lines of a text readable
            text = '"""' + re.sub(r'(["\\\r])', _escape, term.value) + '"""'
        else:
            text = str(ox.Literal(term.value))
        if term.language is not None:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^{self.term(term.datatype)}"
        return text


def _escape(match: re.Match[str]) -> str:
    return {"\r": "\\r", '"': '\\"', "\\": "\\\\"}[match.group(1)]


XSD_STRING = PREFIXES["xsd"] + "string"


def turtle_statements(triples: list[ox.Triple], names: Names, indent: str = "") -> Iterator[str]:
    """One block per subject (the triples come grouped by subject): `a` first as written,
    predicates on their own lines, and several objects of a predicate one per line."""
    i, count = 0, len(triples)
    while i < count:
        subject = triples[i].subject
        j = i
        while j < count and triples[j].subject == subject:
            j += 1
        lines = [indent + names.term(subject)]
        k = i
        while k < j:
            predicate = triples[k].predicate
            m = k
            while m < j and triples[m].predicate == predicate:
                m += 1
            verb = "a" if predicate == RDF_TYPE else names.term(predicate)
            objects = [names.term(t.object) for t in triples[k:m]]
            if len(objects) == 1 or sum(map(len, objects)) < 60:
                lines.append(f"{indent}    {verb} {' , '.join(objects)}")
            else:
                lines.append(f"{indent}    {verb}\n{indent}        " +
                             f" ,\n{indent}        ".join(objects))  # fmt: skip
            k = m
        yield lines[0] + "\n" + " ;\n".join(lines[1:]) + " .\n"
        i = j


def _prefix_lines(prefixes: dict[str, str]) -> str:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in prefixes.items()) + "\n"


def write_turtle(triples: list[ox.Triple], output: BinaryIO, prefixes: dict[str, str]) -> None:
    """Turtle: the prefixes, then one block per subject."""
    names = Names(prefixes)
    output.write(_prefix_lines(prefixes).encode())
    for block in turtle_statements(triples, names):
        output.write(block.encode())


def write_trig(parts: GraphParts, output: BinaryIO, with_ontology: bool = True) -> None:
    """TriG: the prefixes once, then each named graph's statements in a block.

    Writing graph by graph avoids a quad object for every triple and keeps one graph's text
    in memory at a time.
    """
    names = Names(parts.prefixes)
    output.write(_prefix_lines(parts.prefixes).encode())
    for iri, triples in parts.named_graphs(with_ontology):
        output.write(f"{names.term(ox.NamedNode(iri))} {{\n".encode())
        for block in turtle_statements(triples, names, indent="    "):
            output.write(block.encode())
        output.write(b"}\n")


def jsonld_context(prefixes: dict[str, str]) -> dict[str, object]:
    """The JSON-LD context of the outputs: every prefix, as a term."""
    return {"@context": dict(prefixes)}


def _jsonld_value(
    term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, names: Names
) -> object:
    if isinstance(term, ox.NamedNode):
        return {"@id": names.curie(term.value) or term.value}
    assert isinstance(term, ox.Literal)
    if term.language is not None:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": names.curie(term.datatype.value) or term.datatype.value}


def write_jsonld(triples: list[ox.Triple], output: BinaryIO, prefixes: dict[str, str]) -> None:
    """Compacted JSON-LD: the context, then one node object per subject, one per line."""
    names = Names(prefixes)
    output.write(b'{\n"@context": ')
    output.write(json.dumps(prefixes, ensure_ascii=False, indent=1).encode())
    output.write(b',\n"@graph": [\n')
    i, count, first = 0, len(triples), True
    while i < count:
        subject = triples[i].subject
        assert isinstance(subject, ox.NamedNode)  # the builder makes no blank nodes
        node: dict[str, object] = {"@id": names.curie(subject.value) or subject.value}
        while i < count and triples[i].subject == subject:
            triple = triples[i]
            if triple.predicate == RDF_TYPE:
                types = node.setdefault("@type", [])
                assert isinstance(types, list) and isinstance(triple.object, ox.NamedNode)
                types.append(names.curie(triple.object.value) or triple.object.value)
            else:
                key = names.curie(triple.predicate.value) or triple.predicate.value
                values = node.setdefault(key, [])
                assert isinstance(values, list)
                values.append(_jsonld_value(triple.object, names))
            i += 1
        output.write((b"" if first else b",\n") + json.dumps(node, ensure_ascii=False).encode())
        first = False
    output.write(b"\n]\n}\n")


def serialize_to(parts: GraphParts, fmt: str, output: BinaryIO, with_ontology: bool = True) -> None:
    """Write one serialisation of the graph to a binary file; `fmt` is a key of FORMATS (or
    `context`: the JSON-LD context of the graph's JSON-LD)."""
    if fmt == "context":
        context = json.dumps(jsonld_context(parts.prefixes), ensure_ascii=False, indent=1)
        output.write(context.encode() + b"\n")
        return
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "trig":
        write_trig(parts, output, with_ontology)
    elif fmt in QUAD_FORMATS:
        quads = parts.quads(with_ontology)
        ox.serialize(quads, output, format=FORMATS[fmt])
    else:
        triples = parts.everything() if with_ontology else parts.data()
        if fmt == "ttl":
            write_turtle(triples, output, parts.prefixes)
        elif fmt == "jsonld":
            write_jsonld(triples, output, parts.prefixes)
        else:
            ox.serialize(triples, output, format=FORMATS[fmt])


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
    "context": ("context", False),  # the JSON-LD context alone, for web code
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
