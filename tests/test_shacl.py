"""SHACL: the built graphs conform to the shipped shapes, and broken ones do not."""

from pathlib import Path

from rdflib import RDFS, Literal

from builder.pipeline import Built, build
from builder.shacl import check_shapes


def test_article_graph_conforms(article_built: Built) -> None:
    result = check_shapes(article_built.graph(with_ontology=True))
    assert result.conforms, result.report[:3000]


def test_missing_english_label_violates(mini: Path) -> None:
    graph = build([str(mini)]).graph(with_ontology=True)
    person = next(
        s for s, o in graph.subject_objects(RDFS.label) if o == Literal("罗育德", lang="zh")
    )
    graph.remove((person, RDFS.label, Literal("Luo Yude", lang="en")))
    result = check_shapes(graph)
    assert not result.conforms
    assert "luo-yude" in result.report
