"""Namespaces, and the class and property names the fact files may use (read from the ontology)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, Graph, Namespace, URIRef

from . import resources

LK = Namespace("https://w3id.org/luohu-kg/ontology#")
ONTOLOGY_IRI = "https://w3id.org/luohu-kg/ontology"
DEFAULT_BASE = "https://w3id.org/luohu-kg/id/"

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
QB = Namespace("http://purl.org/linked-data/cube#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
CUR = Namespace("http://qudt.org/vocab/currency/")

PREFIXES: dict[str, str] = {
    "lk": str(LK),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "qb": str(QB),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "unit": str(UNIT),
    "cur": str(CUR),
    "rdf": str(RDF),
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": str(OWL),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# classes written by the builder itself, not by a fact's `type:` in the YAML
GENERATED_CLASSES = frozenset({"NewsArticle", "Evidence", "Observation", "Quote"})


@dataclass(frozen=True)
class Vocabulary:
    """What the fact files may name: entity classes and relation properties, by local name."""

    entity_classes: dict[str, URIRef]
    object_properties: dict[str, URIRef]


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
        if isinstance(p, URIRef)
    }
    return Vocabulary(dict(sorted(entity_classes.items())), dict(sorted(properties.items())))


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
