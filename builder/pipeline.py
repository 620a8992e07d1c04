"""The stages end to end: inputs -> checked corpus -> graph -> files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .graph import Triple, article_triples, graph_iri
from .load import load_corpus
from .model import Corpus, check_corpus
from .outputs import GraphParts, ontology_triples, sorted_triples, write_all, write_atomic
from .vocab import DEFAULT_BASE, PREFIXES, ontology_graph, shipped_vocabulary


def check(inputs: list[str]) -> Corpus:
    """Load and check the fact files (raises InputError on bad input)."""
    return check_corpus(load_corpus(inputs), shipped_vocabulary())


@dataclass
class Built:
    """A checked corpus and its triples."""

    corpus: Corpus
    base: str
    triples: dict[str, list[Triple]] = field(default_factory=dict)  # by article id

    def parts(self) -> GraphParts:
        """The triples ready for the serialisers."""
        articles = {
            aid: (str(graph_iri(self.base, aid)), sorted_triples(triples))
            for aid, triples in self.triples.items()
        }
        return GraphParts(ontology_triples(), articles)

    def graph(self, with_ontology: bool = False) -> Graph:
        """An rdflib graph of the data, optionally with the ontology merged in."""
        graph = Graph()
        for prefix, iri in sorted(PREFIXES.items()):
            graph.bind(prefix, iri)
        for triples in self.triples.values():
            graph.addN((s, p, o, graph) for s, p, o in triples)
        if with_ontology:
            graph.addN((s, p, o, graph) for s, p, o in ontology_graph())
        return graph


def build(inputs: list[str], base: str = DEFAULT_BASE) -> Built:
    """Check the inputs and make the triples of every article."""
    corpus = check(inputs)
    built = Built(corpus, base)
    for article, triples in article_triples(corpus, shipped_vocabulary(), base):
        built.triples[article.id] = triples
    return built


HTML_NAME = "graph.html"


def build_to(inputs: list[str], out_dir: Path, base: str = DEFAULT_BASE) -> list[Path]:
    """Build and write every output file into `out_dir`; nothing is written on bad input."""
    from .viz import graph_html  # the page needs jinja2 and networkx: load them only here

    built = build(inputs, base)
    page, _view = graph_html(built.graph())
    written = write_all(built.parts(), out_dir)
    write_atomic(out_dir / HTML_NAME, page)
    return [*written, out_dir / HTML_NAME]
