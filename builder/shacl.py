"""SHACL validation of the built graph against the shipped shapes."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate
from rdflib import Graph, Namespace

from . import resources

SH = Namespace("http://www.w3.org/ns/shacl#")
FIELDS = (SH.focusNode, SH.resultPath, SH.resultMessage, SH.value)


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL result: the focus node, the path, the message and the offending value."""

    focus: str
    path: str
    message: str
    value: str


@dataclass(frozen=True)
class ShaclResult:
    """Whether the graph conforms, pySHACL's readable report, and the results one by one."""

    conforms: bool
    report: str
    results: list[ShapeResult]


def shapes_graph() -> Graph:
    """The shipped SHACL shapes."""
    return Graph().parse(data=resources.shapes_text(), format="turtle")


def check_shapes(data_with_ontology: Graph, shapes: Graph | None = None) -> ShaclResult:
    """Validate a graph that already holds the ontology (so sh:class sees the class tree)."""
    conforms, report, text = validate(
        data_with_ontology,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        advanced=True,
    )
    results = []

    def one(result: object, prop: object) -> str:
        value = report.value(result, prop)
        return "" if value is None else str(value)

    for result in report.subjects(SH.focusNode, None):
        results.append(
            ShapeResult(
                *(one(result, p) for p in (SH.focusNode, SH.resultPath, SH.resultMessage, SH.value))
            )
        )
    return ShaclResult(
        bool(conforms), str(text), sorted(results, key=lambda r: (r.focus, r.message))
    )
