"""The graph of entities (facts) and links between them, and analytics on it with networkx.

An *entity* is a data node typed with an `lk:` class other than the provenance classes
(`NOT_ENTITY_CLASSES`: evidence, statements, restatements, the curators): places, agents,
projects…, observations, quotes, claims and the article itself. Evidence, selectors,
statements, restatements, periods and datasets are not entities; literals are attributes, not
nodes. A *link* is a triple between two entities, except the links the builder generates for
every fact (`schema:mentions`, `lk:sourceArticle`), which would tie everything to the article,
and `skos:narrower`, which the builder writes as the inverse of every `skos:broader`.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from . import resolver
from .errors import EXIT_VIOLATIONS, LuohuKGError
from .outputs import write_atomic
from .pagedata import STANDARD_LABELS, closure
from .resolver import NOT_ENTITY_CLASS_IRIS, NameIndex, resolve
from .resolver import EntityLookupError as EntityLookupError  # raised by EntityGraph.resolve
from .vocab import (
    DEFAULT_BASE,
    LK,
    PREFIXES,
    SCHEMA,
    SKOS,
    local_name,
    ontology_graph,
)

HIDDEN_LINKS = frozenset({SCHEMA.mentions, LK.sourceArticle, SKOS.narrower})
# provenance nodes: what states a fact or relation (and who), not things the article is about
NOT_ENTITY_CLASSES = frozenset(URIRef(c) for c in NOT_ENTITY_CLASS_IRIS)
LANGS = ("zh", "en")


class NoPathError(LuohuKGError, ValueError):
    """Two entities with no path between them (exit code 1: an answer, not bad input)."""

    exit_code = EXIT_VIOLATIONS

    def lines(self) -> list[str]:
        """The message as it is: no path is a result, not an error."""
        return [str(self)]


@dataclass(frozen=True)
class Entity:
    """A node of the entity graph: its IRI, class and labels."""

    iri: str
    cls: str  # class IRI (the most specific lk: class)
    zh: str
    en: str
    alt: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """The label in `lang` ("zh" or "en")."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Link:
    """A triple between two entities."""

    source: str
    prop: str  # property IRI
    target: str


class Terms:
    """Labels and prefixed names of classes, properties and other IRIs.

    Looks in the data graph first, then in the shipped ontology.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.ontology = ontology_graph()
        self.names = NamespaceManager(Graph(), bind_namespaces="none")
        for prefix, iri in sorted(PREFIXES.items()):
            self.names.bind(prefix, iri, override=True)
        self._cache: dict[str, tuple[str, str] | None] = {}

    def qname(self, iri: str) -> str:
        """`lk:locatedIn` for a known namespace, else the IRI."""
        try:
            return str(self.names.curie(iri, generate=False))
        except (KeyError, ValueError):
            return iri

    def found_labels(self, iri: str) -> tuple[str, str] | None:
        """(zh, en) labels from the data or the ontology, or None when it has none."""
        if iri not in self._cache:
            node = URIRef(iri)
            found = _labels(self.graph, node) or _labels(self.ontology, node)
            self._cache[iri] = found or STANDARD_LABELS.get(iri)
        return self._cache[iri]

    def labels(self, iri: str) -> tuple[str, str]:
        """(zh, en) labels; the other language or the local name when one is missing."""
        found = self.found_labels(iri)
        if found is None:
            name = local_name(iri) or iri
            return name, name
        return found

    @cached_property
    def superclasses(self) -> dict[str, set[str]]:
        """Every class's transitive superclasses (from the ontology and the data graph)."""
        direct: dict[str, set[str]] = {}
        for g in (self.ontology, self.graph):
            for sub, sup in g.subject_objects(RDFS.subClassOf):
                if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                    direct.setdefault(str(sub), set()).add(str(sup))
        return closure(direct)


def _labels(graph: Graph, node: URIRef) -> tuple[str, str] | None:
    by_lang: dict[str, list[str]] = {}
    for prop in (RDFS.label, SKOS.prefLabel, SCHEMA.headline):
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                by_lang.setdefault(value.language or "", []).append(str(value))
        if by_lang:
            break
    if not by_lang:
        return None
    other = min(min(values) for values in by_lang.values())
    plain = min(by_lang.get("", [other]))
    zh = min(by_lang.get("zh", by_lang.get("zh-cn", [plain])))
    en = min(by_lang.get("en", [plain]))
    return zh, en


def is_entity_class(cls: Node) -> bool:
    """An `lk:` class whose instances are entities (every one but `NOT_ENTITY_CLASSES`)."""
    return isinstance(cls, URIRef) and resolver.is_entity_class(str(cls))  # the one definition


def entity_iris(graph: Graph) -> list[str]:
    """The IRIs of the graph's entities, sorted (terms of the ontology itself excluded)."""
    found = {
        str(s)
        for s, cls in graph.subject_objects(RDF.type)
        if isinstance(s, URIRef) and is_entity_class(cls) and not str(s).startswith(str(LK))
    }
    return sorted(found)


def most_specific(classes: Iterable[str], terms: Terms) -> str:
    """The class that is not a superclass of another one (the first by IRI on a tie)."""
    pool = sorted(set(classes))
    ancestors = set().union(*(terms.superclasses.get(c, set()) for c in pool))
    specific = [c for c in pool if c not in ancestors]
    return (specific or pool)[0]


def entities_of(graph: Graph, terms: Terms | None = None) -> dict[str, Entity]:
    """Every entity of the graph by IRI, in IRI order."""
    terms = terms or Terms(graph)
    result: dict[str, Entity] = {}
    for iri in entity_iris(graph):
        node = URIRef(iri)
        classes = [str(c) for c in graph.objects(node, RDF.type) if is_entity_class(c)]
        zh, en = terms.labels(iri)
        alt = sorted(str(a) for a in graph.objects(node, SKOS.altLabel) if isinstance(a, Literal))
        result[iri] = Entity(iri, most_specific(classes, terms), zh, en, tuple(alt))
    return result


def links_of(graph: Graph, entities: dict[str, Entity]) -> list[Link]:
    """Every triple between two entities (generated hub links excluded), sorted."""
    found = set()
    for iri in entities:
        for prop, obj in graph.predicate_objects(URIRef(iri)):
            if prop == RDF.type or prop in HIDDEN_LINKS or not isinstance(obj, URIRef):
                continue
            if str(obj) in entities:
                found.add(Link(iri, str(prop), str(obj)))
    return sorted(found, key=lambda link: (link.source, link.prop, link.target))


@dataclass
class EntityGraph:
    """The entities and links of an RDF graph, as a networkx multi-digraph."""

    rdf: Graph
    terms: Terms
    entities: dict[str, Entity]
    links: list[Link]

    @classmethod
    def from_rdf(cls, graph: Graph) -> EntityGraph:
        """Read the entities and links of `graph`."""
        terms = Terms(graph)
        entities = entities_of(graph, terms)
        return cls(graph, terms, entities, links_of(graph, entities))

    @cached_property
    def digraph(self) -> nx.MultiDiGraph:
        """Nodes are entity IRIs, edges keyed by property IRI (insertion order is sorted)."""
        g = nx.MultiDiGraph()
        for iri in self.entities:
            g.add_node(iri)
        for link in self.links:
            g.add_edge(link.source, link.target, key=link.prop)
        return g

    @cached_property
    def undirected(self) -> nx.Graph:
        """The simple undirected graph (parallel and opposite links merged)."""
        g = nx.Graph()
        g.add_nodes_from(self.entities)
        g.add_edges_from((link.source, link.target) for link in self.links)
        return g

    @cached_property
    def pagerank(self) -> dict[str, float]:
        """PageRank of every entity on the undirected graph."""
        return pagerank(self.undirected)

    def degree(self, iri: str) -> int:
        """Number of links in and out."""
        return int(self.digraph.degree(iri))

    def ranked(self) -> list[str]:
        """Entity IRIs, most central first (PageRank, then degree, then IRI)."""
        score = self.pagerank
        return sorted(self.entities, key=lambda i: (-round(score[i], 12), -self.degree(i), i))

    @cached_property
    def names(self) -> NameIndex:
        """The entities' main labels (rdfs:label, skos:prefLabel) and alternative labels."""
        labels = []
        for iri in self.entities:
            node = URIRef(iri)
            for prop, main in ((RDFS.label, True), (SKOS.prefLabel, True), (SKOS.altLabel, False)):
                labels += [
                    (iri, str(v), main)
                    for v in self.rdf.objects(node, prop)
                    if isinstance(v, Literal)
                ]
        return NameIndex(self.entities, labels)

    def resolve(self, name: str, base: str = DEFAULT_BASE) -> str:
        """The entity named by IRI, id, or zh/en (or alternative) label: `resolver.resolve`."""
        return resolve(name, self.names, base)

    def neighbourhood(self, center: str, depth: int) -> list[str]:
        """Entities within `depth` links of `center` (either direction), sorted."""
        reach = nx.single_source_shortest_path_length(self.undirected, center, cutoff=depth)
        return sorted(reach)


def pagerank(
    graph: nx.Graph, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200
) -> dict[str, float]:
    """PageRank by power iteration (pure Python: no numpy/scipy needed); sums to 1."""
    nodes = sorted(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    rank = dict.fromkeys(nodes, 1.0 / n)
    degree = {v: graph.degree(v) for v in nodes}
    neighbours = {v: sorted(graph.neighbors(v)) for v in nodes}
    for _ in range(max_iter):
        dangling = alpha * sum(rank[v] for v in nodes if degree[v] == 0) / n
        base = (1.0 - alpha) / n + dangling
        new = {
            v: base + alpha * sum(rank[u] / degree[u] for u in neighbours[v] if degree[u])
            for v in nodes
        }
        err = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


# --- analyze ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """Figures of `luohu-kg analyze`."""

    entities: int
    links: int
    top: list[tuple[str, float, int]]  # (iri, pagerank, degree)
    components: list[int]  # sizes, biggest first
    degrees: list[tuple[int, int]]  # (degree, number of entities), by degree


def analyze(eg: EntityGraph, top: int = 10) -> Report:
    """Top-k central entities, connected components and the degree distribution."""
    g = eg.digraph
    score = eg.pagerank
    best = [(i, score[i], eg.degree(i)) for i in eg.ranked()[: max(top, 0)]]
    components = sorted((len(c) for c in nx.weakly_connected_components(g)), reverse=True)
    degrees = sorted(Counter(int(d) for _n, d in g.degree()).items())
    return Report(len(eg.entities), len(eg.links), best, components, degrees)


def format_report(eg: EntityGraph, report: Report, lang: str = "zh") -> str:
    """The report as text tables."""
    comps = report.components
    shown = ", ".join(str(s) for s in comps[:20]) + (" …" if len(comps) > 20 else "")
    lines = [
        f"entities: {report.entities}",
        f"links: {report.links}",
        f"connected components: {len(comps)} (sizes: {shown or '-'})",
        "",
        f"top {len(report.top)} entities by PageRank:",
        f"  {'#':>3}  {'pagerank':>8}  {'degree':>6}  {'class':<20}  label",
    ]
    for n, (iri, score, degree) in enumerate(report.top, 1):
        entity = eg.entities[iri]
        cls = local_name(entity.cls)
        lines.append(f"  {n:>3}  {score:8.4f}  {degree:>6}  {cls:<20}  {entity.label(lang)}")
    lines += ["", "degree distribution:", f"  {'degree':>6}  {'entities':>8}"]
    lines += [f"  {degree:>6}  {count:>8}" for degree, count in report.degrees]
    return "\n".join(lines)


def format_focus(eg: EntityGraph, iri: str, lang: str = "zh", base: str = DEFAULT_BASE) -> str:
    """Where one entity stands: its PageRank rank, links in and out, component, neighbours."""
    entity = eg.entities[iri]
    ranked = eg.ranked()
    ident = iri[len(base) :] if iri.startswith(base) else f"<{iri}>"
    out_links = sum(1 for link in eg.links if link.source == iri)
    in_links = sum(1 for link in eg.links if link.target == iri)
    neighbours = sorted(eg.undirected.neighbors(iri), key=lambda i: ranked.index(i))
    component = len(nx.node_connected_component(eg.undirected, iri))
    shown = ", ".join(eg.entities[i].label(lang) for i in neighbours[:10])
    if len(neighbours) > 10:
        shown += f" … ({len(neighbours) - 10} more)"
    return "\n".join(
        [
            f"{entity.label(lang)} ({ident}, {local_name(entity.cls)}):",
            f"  pagerank: {eg.pagerank[iri]:.4f} (#{ranked.index(iri) + 1} of {len(ranked)})",
            f"  links: {out_links + in_links} ({out_links} out, {in_links} in)",
            f"  component: {component} entities",
            f"  neighbours ({len(neighbours)}): {shown or '-'}",
        ]
    )


# --- path ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One hop of a path: from `source` to `target` over `props`, along or against them."""

    source: str
    target: str
    props: tuple[str, ...]  # property IRIs
    forward: bool  # the links point from source to target


def shortest_path(eg: EntityGraph, start: str, end: str) -> list[Step]:
    """A shortest path, searched on the undirected graph; each step keeps the link direction."""
    try:
        nodes = nx.shortest_path(eg.undirected, start, end)
    except nx.NetworkXNoPath as err:
        raise NoPathError(
            f"no path between {eg.entities[start].zh} and {eg.entities[end].zh}"
        ) from err
    steps = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        out = sorted(eg.digraph.get_edge_data(u, v, default={}))
        back = sorted(eg.digraph.get_edge_data(v, u, default={}))
        steps.append(Step(u, v, tuple(out), True) if out else Step(u, v, tuple(back), False))
    return steps


def format_path(eg: EntityGraph, start: str, steps: list[Step], lang: str = "zh") -> str:
    """`罗育德 —heldBy← 罗湖区委书记 —postIn→ …` (property local names, arrows as the links go)."""
    parts = [eg.entities[start].label(lang)]
    for step in steps:
        names = "|".join(local_name(p) for p in step.props)
        parts.append(f"—{names}→" if step.forward else f"—{names}←")
        parts.append(eg.entities[step.target].label(lang))
    return " ".join(parts)


# --- GraphML ---------------------------------------------------------------------------------


def graphml_graph(eg: EntityGraph) -> nx.MultiDiGraph:
    """The entity graph with plain string/number attributes, as Gephi reads them."""
    g = nx.MultiDiGraph()
    score = eg.pagerank
    for iri, e in eg.entities.items():
        czh, cen = eg.terms.labels(e.cls)
        g.add_node(
            iri,
            label=e.zh,
            label_zh=e.zh,
            label_en=e.en,
            type=local_name(e.cls),
            class_zh=czh,
            class_en=cen,
            pagerank=round(score[iri], 10),
            degree=eg.degree(iri),
        )
    for link in eg.links:
        pzh, pen = eg.terms.labels(link.prop)
        g.add_edge(
            link.source,
            link.target,
            key=local_name(link.prop),
            label=local_name(link.prop),
            label_zh=pzh,
            label_en=pen,
            property=link.prop,
        )
    return g


def graphml_bytes(graph: Graph) -> bytes:
    """The entity graph of `graph` as GraphML (UTF-8); same input, same bytes."""
    buffer = io.BytesIO()
    nx.write_graphml_xml(
        graphml_graph(EntityGraph.from_rdf(graph)), buffer, encoding="utf-8", prettyprint=True
    )
    return buffer.getvalue()


def write_graphml(graph: Graph, path: Path) -> Path:
    """Write the entity graph of `graph` as GraphML (for Gephi) to `path`, atomically."""
    write_atomic(path, graphml_bytes(graph))
    return path
