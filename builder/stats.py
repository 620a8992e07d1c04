"""Counts of the graph by class and by property."""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph
from rdflib.namespace import NamespaceManager


def count_by_class_and_property(graph: Graph) -> tuple[Counter[str], Counter[str]]:
    """Instances per class (rdf:type) and triples per property, as prefixed names."""
    names = NamespaceManager(graph, bind_namespaces="none")
    for prefix, iri in graph.namespaces():
        names.bind(prefix, iri, override=True)
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    for _s, p, o in graph:
        properties[p.n3(names)] += 1
        if p == RDF.type:
            classes[o.n3(names)] += 1
    return classes, properties


def format_stats(graph: Graph) -> str:
    """A table of counts, biggest first, then by name."""
    classes, properties = count_by_class_and_property(graph)
    lines = [f"triples: {len(graph)}", "", "instances by class:"]
    width = max((len(k) for k in [*classes, *properties]), default=10)
    for name, count in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name:<{width}}  {count:>6}")
    lines += ["", "triples by property:"]
    for name, count in sorted(properties.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {name:<{width}}  {count:>6}")
    return "\n".join(lines)
