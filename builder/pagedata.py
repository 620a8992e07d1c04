"""What the page shows, read from a pyoxigraph store with the SPARQL of `queries/page/`.

`PageModel.read` runs a handful of SELECTs over the whole store (types, labels, links between
IRIs, evidence, statements, articles) and keeps plain strings; the details of the entities a
page shows are read subject by subject (`Store.quads_for_pattern`). Nothing goes through
rdflib: at a million triples this is what keeps the page step a few seconds.

An *entity* is what `resolver.is_entity` says (the nodes every command names); a *link* is a
triple between two entities, but for the links the builder generates for every fact
(`schema:mentions`, `lk:sourceArticle`) and `skos:narrower` (the inverse of every
`skos:broader`), as in `analytics`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from . import resolver
from .prefixes import ONTOLOGY_NS, PREFIXES
from .resources import shipped

LK = ONTOLOGY_NS
RDF_TYPE = PREFIXES["rdf"] + "type"
SCHEMA = PREFIXES["schema"]
SKOS = PREFIXES["skos"]
NOT_SHOWN = frozenset({RDF_TYPE, LK + "hasEvidence"})  # evidence has a block of its own
LONG_LITERAL = 2000  # characters kept of a literal in the details panel (the article text)

_P = PREFIXES
# labels of the standard terms the data uses that the ontology does not label itself
STANDARD_LABELS: dict[str, tuple[str, str]] = {
    _P["rdf"] + "type": ("类型", "type"),
    _P["rdfs"] + "label": ("名称", "label"),
    _P["rdfs"] + "comment": ("说明", "comment"),
    _P["skos"] + "prefLabel": ("首选名称", "preferred label"),
    _P["skos"] + "altLabel": ("别名", "alternative label"),
    _P["skos"] + "inScheme": ("所属体系", "in scheme"),
    _P["qb"] + "dataSet": ("数据集", "data set"),
    _P["schema"] + "about": ("涉及", "about"),
    _P["schema"] + "author": ("作者", "author"),
    _P["schema"] + "publisher": ("发布媒体", "publisher"),
    _P["schema"] + "datePublished": ("发布日期", "date published"),
    _P["schema"] + "headline": ("标题", "headline"),
    _P["schema"] + "inLanguage": ("语言", "language"),
    _P["schema"] + "text": ("文本", "text"),
    _P["dcterms"] + "rights": ("版权", "rights"),
    _P["prov"] + "wasDerivedFrom": ("来源", "derived from"),
    _P["prov"] + "wasAttributedTo": ("归属于", "attributed to"),
}

# the families of the legend: (key, zh, en, colour, folded by default, top classes)
FAMILIES: tuple[tuple[str, str, str, str, bool, tuple[str, ...]], ...] = (
    ("places", "地点", "Places", "#2e7d32", False, ("Place",)),
    ("agents", "机构与人物", "Agents", "#1565c0", False, ("Agent", "Post")),
    (
        "work",
        "项目、举措与事件",
        "Projects, initiatives & events",
        "#e65100",
        False,
        ("Project", "Initiative", "Event"),
    ),
    (
        "documents",
        "文件、报道与讲话",
        "Documents, articles & quotes",
        "#6a1b9a",
        False,
        ("Plan", "PolicyDocument", "ProjectProposal", "NewsArticle", "Quote"),
    ),
    ("concepts", "指标、领域与目标", "Indicators, domains & goals", "#00838f", True, ()),
    ("figures", "数据与声称", "Figures & claims", "#ad1457", True, ("Observation", "Claim")),
)
FAMILY_KEYS = tuple(f[0] for f in FAMILIES)
CONCEPT_FAMILY = "concepts"  # classes in no other family (indicators, domains, goals…)

# how each kind of folded entity is attached to what it is about, for the details panel
FIGURE_OF = LK + "observedEntity"
CLAIM_OF = LK + "claimAbout"
TAG_PROPERTIES = frozenset(
    {LK + "hasDomain", LK + "targets", LK + "includesData", LK + "indicator", SKOS + "broader"}
)

UNIT_TEXT = {
    "CCY_CNY": ("元", "CNY"),
    "PERCENT": ("%", "%"),
    "HA": ("公顷", "ha"),
    "M2": ("平方米", "m²"),
    "MO": ("个月", "months"),
    "YR": ("年", "years"),
    "NUM": ("", ""),
    "UNITLESS": ("", ""),
}
QUALIFIER_EN = {"About": "about ", "Nearly": "nearly ", "MoreThan": "over ", "AtLeast": "≥ "}

# literal-valued properties shown first (the key values), in this order
KEY_PROPERTIES = tuple(
    LK + name
    for name in (
        "claimText",
        "valueText",
        "value",
        "growthText",
        "rankText",
        "restatedAs",
        "refPeriod",
        "observationStatus",
        "qualifier",
        "date",
        "dateText",
        "startDate",
        "endDate",
        "status",
        "phase",
        "honour",
    )
) + (SCHEMA + "text", SCHEMA + "datePublished")
NO_PERIOD = ("无(不随时间的数据)", "none (a figure with no calendar time)")


def page_query(name: str) -> str:
    """The text of `queries/page/NAME.rq`."""
    return shipped("queries").joinpath("page", f"{name}.rq").read_text("utf-8")


def local_name(iri: str) -> str:
    """The part after the last `#` or `/`."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(term: Any) -> str:
    return str(term.value) if term is not None else ""


@dataclass(frozen=True, order=True)
class Term:
    """A literal or IRI as the page shows it."""

    value: str
    iri: bool = False
    lang: str = ""
    datatype: str = ""


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term(term.value, iri=True)
    if isinstance(term, ox.Literal):
        return Term(term.value, lang=term.language or "", datatype=term.datatype.value)
    return Term(str(term))


@dataclass
class Span:
    """One evidence quote at its place in an article."""

    id: str
    fact: str  # the entity, statement or restatement it states
    article: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    line: int | None


@dataclass
class Basis:
    """What a relation with a statement rests on."""

    statement: str
    background: bool
    note: str = ""
    note_lang: str = ""
    mention: str = ""
    by: list[str] = field(default_factory=list)


OA = PREFIXES["oa"]
PROV = PREFIXES["prov"]


class PageModel:
    """The entities, links and labels of a store (read at once with SPARQL), and the evidence
    and statements of any node (read when asked, by pattern, and kept)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        types: dict[str, list[str]] = defaultdict(list)
        rdf_type = ox.NamedNode(RDF_TYPE)
        for row in _select(store, "types"):
            cls = row[0].value
            if resolver.is_entity_class(cls):  # instances read by pattern: no other type
                for quad in store.quads_for_pattern(None, rdf_type, row[0]):
                    if isinstance(quad.subject, ox.NamedNode):
                        types[quad.subject.value].append(cls)
        direct: dict[str, set[str]] = defaultdict(set)
        for row in _select(store, "subclasses"):
            direct[row[0].value].add(row[1].value)
        self.superclasses = closure(direct)
        self.classes = {
            iri: _most_specific(
                [c for c in found if resolver.is_entity_class(c)], self.superclasses
            )
            for iri, found in sorted(types.items())
            if resolver.is_entity(iri, found)
        }
        labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        headlines: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        alt: dict[str, list[str]] = defaultdict(list)
        inverse: dict[str, dict[str, str]] = defaultdict(dict)
        for node, kind, label in _labels(store):
            lang = label.language or ""
            if kind == "main":
                labels[node][lang].append(label.value)
            elif kind == "headline":
                headlines[node][lang].append(label.value)
            elif kind == "alt":
                alt[node].append(label.value)
            else:
                inverse[node][lang] = min(label.value, inverse[node].get(lang, label.value))
        for node, by_lang in headlines.items():
            labels.setdefault(node, by_lang)
        self.labels = dict(labels)
        self.alt = {k: sorted(set(v)) for k, v in alt.items()}
        self.inverse = dict(inverse)
        classes = self.classes
        self.links = sorted(
            (s, p, o) for s, p, o in _iri_rows(store, "links") if s in classes and o in classes
        )
        self.texts = {r[0].value: r[1].value for r in _select(store, "articles")}
        self._labels: dict[str, tuple[str, str]] = {}
        self._families: dict[str, str] = {}
        self._spans: dict[tuple[str, str], Span] = {}  # by (fact, evidence)
        self._bases: dict[str, dict[tuple[str, str], Basis]] = {}  # by subject, (p, o)

    @classmethod
    def read(cls, store: ox.Store) -> PageModel:
        """Read the entities, links and labels of `store`."""
        return cls(store)

    def label(self, iri: str) -> tuple[str, str]:
        """(zh, en) of an IRI: its labels, the other language's, or its local name."""
        found = self._labels.get(iri)
        if found is None:
            found = self._labels[iri] = self._label(iri)
        return found

    def _label(self, iri: str) -> tuple[str, str]:
        by_lang = self.labels.get(iri)
        if not by_lang:
            if iri in STANDARD_LABELS:
                return STANDARD_LABELS[iri]
            name = local_name(iri) or iri
            return name, name
        first = min(min(v) for v in by_lang.values())
        plain = min(by_lang.get("", [first]))
        zh = min(by_lang.get("zh", by_lang.get("zh-cn", [plain])))
        en = min(by_lang.get("en", [plain]))
        return zh, en

    def inverse_label(self, prop: str) -> tuple[str, str] | None:
        """(zh, en) of how a link of `prop` reads from its object, when the ontology says."""
        found = self.inverse.get(prop)
        if not found:
            return None
        zh = found.get("zh", found.get("en", ""))
        return zh, found.get("en", zh)

    def family(self, cls: str) -> str:
        """The legend family of a class (by itself or its nearest listed superclass)."""
        if cls not in self._families:
            self._families[cls] = self._family(cls)
        return self._families[cls]

    def _family(self, cls: str) -> str:
        names = [local_name(cls)] + sorted(
            local_name(c) for c in self.superclasses.get(cls, set()) if c.startswith(LK)
        )
        for key, _zh, _en, _colour, _folded, tops in FAMILIES:
            if any(name in tops for name in names):
                return key
        return CONCEPT_FAMILY

    def triples(self, iri: str) -> list[tuple[str, Term]]:
        """(property, object) of a subject, in a fixed order."""
        quads = self.store.quads_for_pattern(ox.NamedNode(iri), None, None)
        return sorted(
            (q.predicate.value, _term(q.object))
            for q in quads
            if not isinstance(q.object, ox.Triple)
        )

    def _objects(self, node: str, prop: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        quads = self.store.quads_for_pattern(ox.NamedNode(node), ox.NamedNode(prop), None)
        return sorted((q.object for q in quads), key=str)  # type: ignore[misc]

    def _span(self, fact: str, evidence: str) -> Span | None:
        key = (fact, evidence)
        if key not in self._spans:
            found = None
            source = self._objects(evidence, OA + "hasSource")
            line = self._objects(evidence, LK + "line")
            values: dict[str, str] = {}
            for selector in self._objects(evidence, OA + "hasSelector"):
                for name in ("exact", "prefix", "suffix", "start", "end"):
                    for obj in self._objects(selector.value, OA + name):
                        values[name] = obj.value
            if source and {"exact", "start", "end"} <= set(values):
                found = Span(
                    f"s{len(self._spans)}",
                    fact,
                    source[0].value,
                    int(values["start"]),
                    int(values["end"]),
                    values["exact"],
                    values.get("prefix", ""),
                    values.get("suffix", ""),
                    int(line[0].value) if line else None,
                )
            self._spans[key] = found  # type: ignore[assignment]
        return self._spans[key]

    def spans_of(self, fact: str) -> list[Span]:
        """The evidence quotes of an entity, statement or restatement, by position."""
        found = [self._span(fact, ev.value) for ev in self._objects(fact, LK + "hasEvidence")]
        return sorted((s for s in found if s is not None), key=lambda s: (s.start, s.end))

    def spans_in(self, article: str) -> list[Span]:
        """Every evidence quote of an article, with what it states, by position."""
        found = []
        for quad in self.store.quads_for_pattern(
            None, ox.NamedNode(OA + "hasSource"), ox.NamedNode(article)
        ):
            evidence = quad.subject
            if not isinstance(evidence, ox.NamedNode):
                continue
            for fact in self.store.quads_for_pattern(
                None, ox.NamedNode(LK + "hasEvidence"), evidence
            ):
                if not isinstance(fact.subject, ox.NamedNode):
                    continue
                span = self._span(fact.subject.value, evidence.value)
                if span is not None:
                    found.append(span)
        return sorted(found, key=lambda s: (s.start, s.end, s.fact))

    def basis(self, s: str, p: str, o: str) -> Basis | None:
        """The basis of the relation (s, p, o) when a statement records it."""
        if s not in self._bases:
            bases: dict[tuple[str, str], Basis] = {}
            for quad in self.store.quads_for_pattern(
                None, ox.NamedNode(LK + "statementSubject"), ox.NamedNode(s)
            ):
                if not isinstance(quad.subject, ox.NamedNode):
                    continue
                st = quad.subject.value
                pred = self._objects(st, LK + "statementPredicate")
                obj = self._objects(st, LK + "statementObject")
                kind = self._objects(st, LK + "basis")
                if not pred or not obj or not kind:
                    continue
                note = self._objects(st, LK + "basisNote")
                mention = self._objects(st, LK + "mention")
                by = self._objects(st, PROV + "wasAttributedTo")
                note_lang = (
                    note[0].language or "" if note and isinstance(note[0], ox.Literal) else ""
                )
                bases[(pred[0].value, obj[0].value)] = Basis(
                    st,
                    kind[0].value == LK + "BackgroundKnowledge",
                    note[0].value if note else "",
                    note_lang,
                    mention[0].value if mention else "",
                    sorted(b.value for b in by),
                )
            self._bases[s] = bases
        return self._bases[s].get((p, o))


def _select(store: ox.Store, name: str) -> Iterable[ox.QuerySolution]:
    result = store.query(page_query(name), use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return result


LABEL_KINDS = (
    (PREFIXES["rdfs"] + "label", "main"),
    (SKOS + "prefLabel", "main"),
    (SCHEMA + "headline", "headline"),
    (SKOS + "altLabel", "alt"),
    (LK + "inverseLabel", "inverse"),
)


def _labels(store: ox.Store) -> Iterator[tuple[str, str, ox.Literal]]:
    """(node, kind, label) of every literal label, by pattern: at a million triples reading
    the five properties one by one is several times faster than their SPARQL union."""
    for prop, kind in LABEL_KINDS:
        for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            if isinstance(quad.object, ox.Literal) and isinstance(quad.subject, ox.NamedNode):
                yield quad.subject.value, kind, quad.object


def _iri_rows(store: ox.Store, name: str) -> Iterator[tuple[str, ...]]:
    """The rows of a SELECT of IRIs only, as strings: read from its TSV serialisation, which
    is several times faster than taking the terms one by one at 100,000 rows."""
    result = store.query(page_query(name), use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    text = result.serialize(format=ox.QueryResultsFormat.TSV)
    assert isinstance(text, bytes)
    lines = text.decode("utf-8").split("\n")
    for line in lines[1:]:
        if line:
            cells = line.split("\t")
            if all(c.startswith("<") and c.endswith(">") for c in cells):
                yield tuple(c[1:-1] for c in cells)


def closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each class's transitive superclasses, from its direct ones."""
    closed: dict[str, set[str]] = {}
    for cls in direct:
        seen: set[str] = set()
        todo = list(direct[cls])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(direct.get(parent, ()))
        closed[cls] = seen
    return closed


def _most_specific(classes: list[str], superclasses: dict[str, set[str]]) -> str:
    pool = sorted(set(classes))
    ancestors = set().union(*(superclasses.get(c, set()) for c in pool))
    return ([c for c in pool if c not in ancestors] or pool)[0]


# --- ranking -------------------------------------------------------------------------------


def pagerank(nodes: list[str], links: Iterable[tuple[str, str, str]]) -> dict[str, float]:
    """PageRank on the undirected simple graph of the links (the figures of
    `analytics.pagerank`, on index lists: fast enough for a corpus page)."""
    index = {iri: n for n, iri in enumerate(nodes)}
    neighbours: list[set[int]] = [set() for _ in nodes]
    for s, _p, o in links:
        a, b = index[s], index[o]
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    count = len(nodes)
    if count == 0:
        return {}
    adjacency = [sorted(n) for n in neighbours]
    inverse_degree = [1.0 / len(n) if n else 0.0 for n in adjacency]
    isolated = [v for v in range(count) if not adjacency[v]]
    rank = [1.0 / count] * count
    alpha = 0.85
    for _ in range(200):
        dangling = alpha * sum(rank[v] for v in isolated) / count
        base = (1.0 - alpha) / count + dangling
        share = [alpha * r * d for r, d in zip(rank, inverse_degree, strict=True)]
        pick = share.__getitem__
        new = [base + sum(map(pick, around)) for around in adjacency]
        err = sum(map(abs, map(float.__sub__, new, rank)))
        rank = new
        if err < count * 1.0e-10:
            break
    return {iri: rank[n] for n, iri in enumerate(nodes)}


# --- amounts -------------------------------------------------------------------------------


def number_text(text: str) -> str:
    """A decimal with thousands separators: 126819000000 -> 126,819,000,000."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    whole, _, fraction = f"{value:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}" if digits else "0"
    fraction = fraction.rstrip("0")
    return f"{sign}{grouped}{'.' + fraction if fraction else ''}"


def amount(values: dict[str, list[Term]]) -> tuple[str, str] | None:
    """(zh, en) of an observation's value: its words as written, and the normalised value
    with its unit (约5.4亿元 -> about 540,000,000 CNY)."""
    value = values.get(LK + "value", [None])[0]
    raw = values.get(LK + "valueText", [None])[0]
    if value is None and raw is None:
        return None
    unit = values.get(LK + "unit", [None])[0]
    unit_zh, unit_en = UNIT_TEXT.get(local_name(unit.value) if unit else "", ("", ""))
    count_word = values.get(LK + "countWord", [None])[0]
    if count_word is not None:
        unit_zh = count_word.value
    qualifier = values.get(LK + "qualifier", [None])[0]
    prefix = QUALIFIER_EN.get(local_name(qualifier.value), "") if qualifier else ""
    en = ""
    if value is not None:
        sep = "" if unit_en in ("%", "") else " "
        en = f"{prefix}{number_text(value.value)}{sep}{unit_en}".strip()
    zh = raw.value if raw is not None else f"{value.value if value else ''}{unit_zh}"
    return zh, en or zh
