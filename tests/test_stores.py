"""The rdflib graph is the same on the memory store and on Oxigraph."""

from rdflib import XSD, Graph, Literal
from rdflib.compare import isomorphic

from builder.pipeline import Built
from builder.stats import count_by_class_and_property
from builder.stores import AUTO_OXIGRAPH_ABOVE, choose_store


def plain(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def test_memory_and_oxigraph_hold_the_same_graph(article_built: Built) -> None:
    # Oxigraph gives plain literals their RDF 1.1 datatype xsd:string; rdflib keeps them untyped
    memory = plain(article_built.graph(store="memory"))
    oxigraph = plain(article_built.graph(store="oxigraph"))
    assert len(memory) == len(oxigraph) > 5000
    assert isomorphic(memory, oxigraph)
    assert count_by_class_and_property(memory) == count_by_class_and_property(oxigraph)


def test_auto_store_switches_on_size() -> None:
    assert choose_store("auto", 10) == "memory"
    assert choose_store("auto", AUTO_OXIGRAPH_ABOVE + 1) == "oxigraph"
    assert choose_store("memory", 10**7) == "memory"
