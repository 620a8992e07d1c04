"""SKOS without inference: every concept is asserted a skos:Concept in its scheme, and every
scheme names its top concepts (the concepts with no broader one), both ways."""

from __future__ import annotations

import pyoxigraph as ox

from builder.pipeline import Built

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _store(built: Built) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in built.parts().everything())
    return store


def _nodes(store: ox.Store, query: str) -> set[str]:
    return {str(row[0].value) for row in store.query(f"PREFIX skos: <{SKOS}> {query}")}  # type: ignore[index,union-attr]


def test_every_concept_is_asserted_and_in_a_scheme(article_built: Built) -> None:
    store = _store(article_built)
    in_scheme = _nodes(store, "SELECT DISTINCT ?c WHERE { ?c skos:inScheme ?s }")
    concepts = _nodes(store, "SELECT DISTINCT ?c WHERE { ?c a skos:Concept }")
    assert len(in_scheme) > 60
    assert in_scheme == concepts


def test_top_concepts_are_declared_both_ways(article_built: Built) -> None:
    store = _store(article_built)
    schemes = _nodes(store, "SELECT DISTINCT ?s WHERE { ?s a skos:ConceptScheme }")
    with_tops = _nodes(store, "SELECT DISTINCT ?s WHERE { ?s skos:hasTopConcept ?c }")
    used = _nodes(store, "SELECT DISTINCT ?s WHERE { ?c skos:inScheme ?s }")
    assert used <= schemes and used <= with_tops
    one_way = _nodes(
        store,
        """SELECT ?c WHERE {
        { ?c skos:topConceptOf ?s FILTER NOT EXISTS { ?s skos:hasTopConcept ?c } }
        UNION { ?s skos:hasTopConcept ?c FILTER NOT EXISTS { ?c skos:topConceptOf ?s } } }""",
    )
    assert one_way == set()
    roots = _nodes(
        store,
        """SELECT ?c WHERE { ?c skos:inScheme ?s
        FILTER NOT EXISTS { ?c skos:broader ?b } FILTER NOT EXISTS { ?c skos:topConceptOf ?s } }""",
    )
    assert roots == set()
    assert "https://w3id.org/luohu-kg/id/domain-finance" not in _nodes(
        store, "SELECT ?c WHERE { ?c skos:topConceptOf ?s }"
    )
