"""The rdflib graph over a chosen store: rdflib's memory store or Oxigraph (via oxrdflib).

The builder makes pyoxigraph triples; rdflib stays the interface for SHACL, the HTML view and
scripts. `memory` converts every term to rdflib's; `oxigraph` bulk-loads the triples into a
pyoxigraph store and wraps it, which is much faster and smaller on a large corpus.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .prefixes import PREFIXES

STORES = ("auto", "memory", "oxigraph")
# triples. Code that walks the graph through rdflib's API (the HTML view, analytics, stats)
# is far slower on Oxigraph through oxrdflib: at a million triples the HTML view took 34 s and
# 1.7 GB on the memory store, and did not finish in 300 s on Oxigraph. Oxigraph is the choice
# when memory, not time, is what runs out.
AUTO_OXIGRAPH_ABOVE = 2_000_000

_NAMED: dict[str, URIRef] = {}


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        node = _NAMED.get(term.value)
        if node is None:
            node = _NAMED[term.value] = URIRef(term.value)
        return node
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == PREFIXES["xsd"] + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(term.value)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def choose_store(store: str, triple_count: int) -> str:
    """`auto` picks Oxigraph above AUTO_OXIGRAPH_ABOVE triples, memory below."""
    if store not in STORES:
        raise ValueError(f"unknown store {store!r} (one of {', '.join(STORES)})")
    if store != "auto":
        return store
    return "oxigraph" if triple_count > AUTO_OXIGRAPH_ABOVE else "memory"


def rdflib_graph(triples: Iterable[ox.Triple], store: str = "memory") -> Graph:
    """An rdflib Graph holding the triples, on the chosen store (`memory` or `oxigraph`)."""
    if store == "oxigraph":
        from oxrdflib import OxigraphStore

        backing = ox.Store()
        backing.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        # rdflib's default-graph identifier is what oxrdflib maps to Oxigraph's default graph
        graph = Graph(store=OxigraphStore(store=backing), identifier=DATASET_DEFAULT_GRAPH_ID)
    else:
        graph = Graph()
        graph.addN(
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), graph)  # type: ignore[arg-type]
            for t in triples
        )
    for prefix, iri in sorted(PREFIXES.items()):
        graph.bind(prefix, iri)
    return graph
