"""The stages end to end: inputs -> checked corpus -> graph -> files."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .errors import ViolationError
from .graph import article_triples, data_prefixes, draft_graph_iri, graph_iri
from .load import load_corpus
from .model import Corpus, check_corpus
from .outputs import (
    HTML_NAME,
    OUTPUT_NAMES,
    OUTPUT_PLAN,
    ArticleTriples,
    GraphParts,
    WriteError,
    ontology_triples,
    out_dir_problem,
    output_transaction,
    recover,
    serialize_to,
)
from .stores import choose_store, rdflib_graph
from .vocab import DEFAULT_BASE, PREFIXES, shipped_vocabulary


class Progress:
    """Told where a build is, stage by stage; this one ignores it (the CLI's shows it)."""

    def articles(self, done: int, total: int) -> None:
        """`done` of the `total` article folders read."""

    def stage(self, text: str) -> None:
        """A new stage begins ("checking the graph: 312,000 triples")."""

    def step(self, text: str) -> None:
        """Progress within a stage ("making triples: 120/300 articles"), often: throttle."""

    def finished(self, summary: str) -> None:
        """The build is over, its outputs in place."""

    def note(self, text: str) -> None:
        """Something the user should know of the outputs (the page shows part of a corpus)."""


QUIET = Progress()


def check(inputs: list[str], progress: Progress = QUIET, include_drafts: bool = False) -> Corpus:
    """Load and check the fact files (raises InputError on bad input); draft files too, and
    checked the same way, with `include_drafts`."""
    raw = load_corpus(inputs, progress.articles, include_drafts)
    progress.stage(f"checking the facts of {len(raw):,} articles")
    return check_corpus(raw, shipped_vocabulary())


@dataclass
class Built:
    """A checked corpus and its triples."""

    corpus: Corpus
    base: str
    triples: dict[str, ArticleTriples] = field(default_factory=dict)  # by article id
    _parts: GraphParts | None = field(default=None, init=False, repr=False)
    _store: ox.Store | None = field(default=None, init=False, repr=False)

    def parts(self) -> GraphParts:
        """The triples ready for the serialisers (made once)."""
        if self._parts is None:
            prefixes = {**PREFIXES, **data_prefixes(self.base)}
            self._parts = GraphParts(ontology_triples(), self.triples, prefixes)
        return self._parts

    def store(self) -> ox.Store:
        """A pyoxigraph store of ontology and data, in its default graph (made once)."""
        if self._store is None:
            from .query import store_from_triples

            self._store = store_from_triples(self.parts().everything())
        return self._store

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


def build(
    inputs: list[str],
    base: str = DEFAULT_BASE,
    progress: Progress = QUIET,
    include_drafts: bool = False,
) -> Built:
    """Check the inputs and make the triples of every article (with `include_drafts`, also
    of what draft files propose, in a named graph per article)."""
    with _no_cyclic_gc():
        return _build(inputs, base, progress, include_drafts)


def _build(inputs: list[str], base: str, progress: Progress, include_drafts: bool) -> Built:
    corpus = check(inputs, progress, include_drafts)
    built = Built(corpus, base)
    total = len(corpus.articles)
    progress.stage(f"making triples of {total:,} articles")
    for article, own, shared, proposed in article_triples(corpus, shipped_vocabulary(), base):
        drafts = draft_graph_iri(base, article.id).value
        built.triples[article.id] = ArticleTriples(
            graph_iri(base, article.id).value, own, shared, proposed, drafts
        )
        progress.step(f"making triples: {len(built.triples):,}/{total:,} articles")
    return built


HTML_MAX_NODES = 2000  # the build's overview page keeps the most central entities of a corpus


def build_to(
    inputs: list[str],
    out_dir: Path,
    base: str = DEFAULT_BASE,
    html: bool = True,
    store: str = "auto",
    outputs: Iterable[str] = OUTPUT_PLAN,
    shacl: str = "auto",
    progress: Progress = QUIET,
    include_drafts: bool = False,
) -> list[Path]:
    """Build, run the checks `validate` runs, and write every output file into `out_dir`, as
    one transaction: the files are written into a staging folder and replace their targets
    only once all are written, so on bad input (InputError), a failed check
    (ViolationError), a failure to write (WriteError) or an interrupt (KeyboardInterrupt,
    `Interrupted`) at any step `out_dir` is left as it was. Leftovers of builds killed
    outright (SIGKILL) are cleaned up first; see `outputs.output_transaction`. Draft files
    are read only with `include_drafts`."""
    problem = out_dir_problem(out_dir)
    if problem is not None:
        raise WriteError(out_dir, problem)
    start = time.perf_counter()
    recover(out_dir)  # even when this build fails, a commit a killed one left is undone
    built = build(inputs, base, progress, include_drafts)
    from .checks import check_graph  # checks import this module

    triples = len(built.parts().data())
    progress.stage(f"checking the graph: {triples:,} triples")
    report = check_graph(built, shacl)
    if report.problems:
        raise ViolationError(report.problems)
    page = None
    if html:
        from .viz import graph_html  # the page needs jinja2 and networkx: load them only here

        progress.stage(f"drawing {HTML_NAME}")
        page, view = graph_html(built.store(), max_nodes=HTML_MAX_NODES, base=base)
        for note in view.notes:
            progress.note(note)
    plan = [(OUTPUT_NAMES[key], *OUTPUT_PLAN[key]) for key in outputs]
    with _no_cyclic_gc(), output_transaction(out_dir) as transaction:
        for index, (name, fmt, with_ontology) in enumerate(plan, 1):
            progress.stage(f"writing {name} ({index}/{len(plan) + (page is not None)})")
            transaction.write(
                name, partial(serialize_to, built.parts(), fmt, with_ontology=with_ontology)
            )
        if page is not None:
            progress.stage(f"writing {HTML_NAME} ({len(plan) + 1}/{len(plan) + 1})")
            transaction.write(HTML_NAME, page)
    seconds = time.perf_counter() - start
    articles = len(built.triples)
    progress.finished(
        f"built {articles:,} article{'' if articles == 1 else 's'}, {triples:,} triples "
        f"in {seconds:.1f} s"
    )
    return transaction.paths()
