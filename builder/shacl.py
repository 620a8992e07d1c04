"""SHACL validation of the built graph against the shipped shapes."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate
from rdflib import Graph

from . import resources


@dataclass(frozen=True)
class ShaclResult:
    """Whether the graph conforms, and pySHACL's readable report."""

    conforms: bool
    report: str


def shapes_graph() -> Graph:
    """The shipped SHACL shapes."""
    return Graph().parse(data=resources.shapes_text(), format="turtle")


def check_shapes(data_with_ontology: Graph, shapes: Graph | None = None) -> ShaclResult:
    """Validate a graph that already holds the ontology (so sh:class sees the class tree)."""
    conforms, _report_graph, text = validate(
        data_with_ontology,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        advanced=True,
    )
    return ShaclResult(bool(conforms), str(text))
