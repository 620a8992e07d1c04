"""pyoxigraph terms for the graph stage: namespaces whose terms are made once and reused."""

from __future__ import annotations

import pyoxigraph as ox

from .prefixes import PREFIXES

Triple = ox.Triple
Term = ox.NamedNode | ox.Literal


class Namespace:
    """`NS.name` or `NS["name"]` gives the (cached) NamedNode of base + name."""

    def __init__(self, base: str) -> None:
        self._base = base
        self._cache: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = ox.NamedNode(self._base + name)
        return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)  # later look-ups are plain attribute reads
        return node


RDF = Namespace(PREFIXES["rdf"])
RDFS = Namespace(PREFIXES["rdfs"])
XSD = Namespace(PREFIXES["xsd"])
LK = Namespace(PREFIXES["lk"])
OA = Namespace(PREFIXES["oa"])
PROV = Namespace(PREFIXES["prov"])
QB = Namespace(PREFIXES["qb"])
SCHEMA = Namespace(PREFIXES["schema"])
SKOS = Namespace(PREFIXES["skos"])
TIME = Namespace(PREFIXES["time"])
DCTERMS = Namespace(PREFIXES["dcterms"])
