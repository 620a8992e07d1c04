"""Namespaces, and the class and property names the fact files may use (read from the ontology)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from . import resources
from .prefixes import DEFAULT_BASE, ONTOLOGY_IRI, ONTOLOGY_NS, PREFIXES

__all__ = ["DEFAULT_BASE", "ONTOLOGY_IRI", "PREFIXES"]

LK = Namespace(ONTOLOGY_NS)
ORG = Namespace(PREFIXES["org"])
PROV = Namespace(PREFIXES["prov"])
OA = Namespace(PREFIXES["oa"])
QB = Namespace(PREFIXES["qb"])
TIME = Namespace(PREFIXES["time"])
SCHEMA = Namespace(PREFIXES["schema"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
UNIT = Namespace(PREFIXES["unit"])

# classes written by the builder itself, not by a fact's `type:` in the YAML
GENERATED_CLASSES = frozenset({
    "NewsArticle", "Evidence", "Observation", "Quote", "Statement", "Restatement", "Claim",
    "FirstClaim", "ComparisonClaim", "TrendClaim", "Curators",
})  # fmt: skip


# properties written by the builder (statements, claims, figures), not by a fact's `relations:`
GENERATED_PROPERTIES = frozenset({
    "hasEvidence", "statementSubject", "statementPredicate", "statementObject", "basis",
    "restatedAs", "batch", "measureType", "claimAbout", "claimScope", "comparedAspect",
    "comparison", "comparedWith", "claimIndicator", "direction", "outcomeOf", "narrower",
    "reviewStatus",
})  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    """What the fact files may name: entity classes and relation properties, by local name."""

    entity_classes: dict[str, URIRef]
    object_properties: dict[str, URIRef]
    place_classes: frozenset[str] = frozenset()

    def is_place(self, class_name: str) -> bool:
        """Whether a class local name is lk:Place or below it."""
        return class_name in self.place_classes


def local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def vocabulary_from(ontology: Graph) -> Vocabulary:
    """Entity classes are the lk: OWL classes; properties are all declared object properties."""
    classes = {
        local_name(str(c)): URIRef(c)
        for c in ontology.subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(str(LK))
    }
    entity_classes = {k: v for k, v in classes.items() if k not in GENERATED_CLASSES}
    properties = {
        local_name(str(p)): URIRef(p)
        for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
        if isinstance(p, URIRef) and local_name(str(p)) not in GENERATED_PROPERTIES
    }
    places = {
        local_name(str(c))
        for c in ontology.transitive_subjects(RDFS.subClassOf, LK.Place)
        if str(c).startswith(str(LK))
    }
    return Vocabulary(
        dict(sorted(entity_classes.items())), dict(sorted(properties.items())), frozenset(places)
    )


@cache
def ontology_graph() -> Graph:
    """The shipped ontology, parsed once per process (treat as read-only)."""
    graph = Graph()
    graph.parse(data=resources.ontology_text(), format="turtle")
    return graph


@cache
def shipped_vocabulary() -> Vocabulary:
    """The vocabulary of the shipped ontology."""
    return vocabulary_from(ontology_graph())
