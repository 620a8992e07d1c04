"""The RDF Data Cube integrity constraints IC-1 … IC-21, run on a normalised copy of the graph.

The queries are ours (`queries/datacube/`): the normalisation step of the specification as a
SPARQL Update, then one SELECT per constraint returning the offending nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources.abc import Traversable

import pyoxigraph as ox

from .resources import shipped

PARENT_CHILD = "<urn:luohu-kg:parent-child-property>"  # replaced per hierarchical code list
HIERARCHIES = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?property ?inverse WHERE {
  ?list a qb:HierarchicalCodeList ; qb:parentChildProperty ?pcp .
  OPTIONAL { ?pcp owl:inverseOf ?of }
  BIND(COALESCE(?of, ?pcp) AS ?property)
  BIND(BOUND(?of) AS ?inverse)
}
"""


def _folder() -> Traversable:
    return shipped("queries").joinpath("datacube")


def constraint_queries() -> dict[str, str]:
    """The IC queries by name (`ic-01-unique-dataset` …), in order."""
    found = {
        entry.name[: -len(".rq")]: entry.read_text("utf-8")
        for entry in _folder().iterdir()
        if entry.name.startswith("ic-") and entry.name.endswith(".rq")
    }
    return dict(sorted(found.items()))


def normalised_store(triples: Iterable[ox.Triple]) -> ox.Store:
    """A new store holding the triples and what the cube normalisation adds to them."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    store.update(_folder().joinpath("normalize.ru").read_text("utf-8"))
    return store


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [
        {name: str(row[name].value) for name in names if row[name] is not None} for row in result
    ]


def check_cube(triples: Iterable[ox.Triple]) -> dict[str, list[dict[str, str]]]:
    """Rows of every constraint that fails (none when the cube is well formed)."""
    store = normalised_store(triples)
    hierarchies = _rows(store, HIERARCHIES)
    found: dict[str, list[dict[str, str]]] = {}
    for name, query in constraint_queries().items():
        if PARENT_CHILD in query:
            inverse = name.endswith("-inverse")
            rows = []
            for h in hierarchies:
                if (h.get("inverse") == "true") == inverse:
                    rows += _rows(
                        store, query.replace(PARENT_CHILD, str(ox.NamedNode(h["property"])))
                    )
        else:
            rows = _rows(store, query)
        if rows:
            found[name] = rows
    return found
