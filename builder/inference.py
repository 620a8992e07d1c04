"""Optional reasoning before a query: RDFS or OWL 2 RL closure computed with owlrl."""

from __future__ import annotations

import owlrl
import pyoxigraph as ox
from rdflib import Graph, Literal

from .stores import to_ox

INFERENCE_MODES = ("none", "rdfs", "owlrl")


def with_inference(store: ox.Store, mode: str) -> ox.Store:
    """A new store holding the closure of `store` under `mode` (`none` returns it as is)."""
    if mode == "none":
        return store
    if mode not in INFERENCE_MODES:
        raise ValueError(f"unknown inference {mode!r} (one of {', '.join(INFERENCE_MODES)})")
    graph = Graph()
    triples = ox.serialize((q.triple for q in store), format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=(triples or b"").decode("utf-8"), format="nt")
    original = set(graph)
    semantics = owlrl.RDFS_Semantics if mode == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False).expand(graph)
    closed = ox.Store()
    closed.bulk_extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in graph
        # the closure is generalised RDF (literal subjects) and copies literals with other
        # datatypes ("38"^^xsd:integer beside xsd:decimal): keep the original literals only
        if not isinstance(s, Literal) and (not isinstance(o, Literal) or (s, p, o) in original)
    )
    return closed
