"""IRIs and prefixes as plain strings (no rdflib import, so `luohu-kg query` starts fast)."""

from __future__ import annotations

ONTOLOGY_NS = "https://w3id.org/luohu-kg/ontology#"
ONTOLOGY_IRI = "https://w3id.org/luohu-kg/ontology"
DEFAULT_BASE = "https://w3id.org/luohu-kg/id/"

PREFIXES: dict[str, str] = {
    "lk": ONTOLOGY_NS,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "qb": "http://purl.org/linked-data/cube#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "unit": "http://qudt.org/vocab/unit/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
