"""The stages end to end: inputs -> checked corpus -> graph -> files."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .errors import ViolationError
from .graph import article_triples, data_prefixes, graph_iri
from .load import load_corpus
from .model import Corpus, check_corpus
from .outputs import (
    OUTPUT_PLAN,
    ArticleTriples,
    GraphParts,
    ontology_triples,
    write_all,
    write_atomic,
)
from .stores import choose_store, rdflib_graph
from .vocab import DEFAULT_BASE, PREFIXES, shipped_vocabulary


def check(inputs: list[str]) -> Corpus:
    """Load and check the fact files (raises InputError on bad input)."""
    return check_corpus(load_corpus(inputs), shipped_vocabulary())


@dataclass
class Built:
    """A checked corpus and its triples."""

    corpus: Corpus
    base: str
    triples: dict[str, ArticleTriples] = field(default_factory=dict)  # by article id
    _parts: GraphParts | None = field(default=None, init=False, repr=False)

    def parts(self) -> GraphParts:
        """The triples ready for the serialisers (made once)."""
        if self._parts is None:
            prefixes = {**PREFIXES, **data_prefixes(self.base)}
            self._parts = GraphParts(ontology_triples(), self.triples, prefixes)
        return self._parts

    def graph(self, with_ontology: bool = False, store: str = "auto") -> Graph:
        """An rdflib graph of the data (optionally with the ontology) on `store`."""
        parts = self.parts()
        triples = parts.everything() if with_ontology else parts.data()
        return rdflib_graph(triples, choose_store(store, len(triples)))


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the build makes millions of objects and no cycles,
    and the collector's repeated scans of them cost more than the build itself on a corpus."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(inputs: list[str], base: str = DEFAULT_BASE) -> Built:
    """Check the inputs and make the triples of every article."""
    with _no_cyclic_gc():
        return _build(inputs, base)


def _build(inputs: list[str], base: str) -> Built:
    corpus = check(inputs)
    built = Built(corpus, base)
    for article, own, shared in article_triples(corpus, shipped_vocabulary(), base):
        built.triples[article.id] = ArticleTriples(graph_iri(base, article.id).value, own, shared)
    return built


HTML_NAME = "graph.html"
HTML_MAX_NODES = 2000  # the build's overview page keeps the most central entities of a corpus


def build_to(
    inputs: list[str],
    out_dir: Path,
    base: str = DEFAULT_BASE,
    html: bool = True,
    store: str = "auto",
    outputs: Iterable[str] = OUTPUT_PLAN,
    shacl: str = "auto",
) -> list[Path]:
    """Build, run the checks `validate` runs, and write every output file into `out_dir`;
    nothing is written on bad input (InputError) or on a failed check (ViolationError)."""
    built = build(inputs, base)
    from .checks import check_graph  # checks import this module

    report = check_graph(built, shacl)
    if report.problems:
        raise ViolationError(report.problems)
    page = None
    if html:
        from .viz import graph_html  # the page needs jinja2 and networkx: load them only here

        page, _view = graph_html(built.graph(store=store), max_nodes=HTML_MAX_NODES)
    with _no_cyclic_gc():
        written = write_all(built.parts(), out_dir, outputs)
    if page is not None:
        write_atomic(out_dir / HTML_NAME, page)
        written.append(out_dir / HTML_NAME)
    return written
