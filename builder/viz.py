"""The interactive graph view: one self-contained, offline HTML file made with pyvis.

The nodes are the entities of `analytics.EntityGraph`; literals go into tooltips and the
details panel. Each link shows its basis (from its `lk:Statement`): its own quote of the
article, or, for background knowledge the article does not state, that mark and the
curators' note (and a dashed line), never a quote borrowed from the fact. vis-network's
JavaScript and CSS are inlined from the copy bundled with pyvis.
Every text from the data reaches the page only inside a `<script type="application/json">`
block (with `<`, `>` and `&` escaped) or through Jinja's autoescaping; the page script renders
it with `textContent` only.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pyvis.edge import Edge as PyvisEdge
from pyvis.network import Network
from rdflib import RDF, Graph, Literal, URIRef

from .analytics import EntityGraph, Link, Terms
from .outputs import write_atomic
from .vocab import DEFAULT_BASE, LK, OA, PROV, SCHEMA, local_name

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", sans-serif'
)
VIS_DIR = "templates/lib/vis-9.1.2"
TEMPLATE = "graph.html.j2"
LANGS = ("zh", "en")

# colour and vis shape of each class, in legend order; subclasses not listed inherit
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "Country": ("#1b5e20", "dot"),
    "Province": ("#2e7d32", "dot"),
    "City": ("#388e3c", "dot"),
    "District": ("#43a047", "dot"),
    "Community": ("#7cb342", "dot"),
    "Area": ("#9ccc65", "dot"),
    "Facility": ("#00897b", "dot"),
    "Place": ("#66bb6a", "dot"),
    "GovernmentBody": ("#1e88e5", "square"),
    "PartyOrganization": ("#d32f2f", "square"),
    "NewsOrganization": ("#5e35b1", "square"),
    "School": ("#3949ab", "square"),
    "Organization": ("#1565c0", "square"),
    "Person": ("#ef6c00", "dot"),
    "Post": ("#f9a825", "triangleDown"),
    "Agent": ("#1976d2", "square"),
    "UrbanRenewalProject": ("#e64a19", "hexagon"),
    "ShantytownRedevelopmentProject": ("#bf360c", "hexagon"),
    "CommercialStreetRenovationProject": ("#ff7043", "hexagon"),
    "SchoolConstructionProject": ("#8d6e63", "hexagon"),
    "TransportHubProject": ("#6d4c41", "hexagon"),
    "HousingProject": ("#a1887f", "hexagon"),
    "LandConsolidationProject": ("#5d4037", "hexagon"),
    "Project": ("#d84315", "hexagon"),
    "GovernanceService": ("#ab47bc", "triangle"),
    "Reform": ("#6a1b9a", "triangle"),
    "Pilot": ("#d81b60", "triangle"),
    "Programme": ("#ba68c8", "triangle"),
    "DigitalPlatform": ("#00838f", "triangle"),
    "Initiative": ("#8e24aa", "triangle"),
    "Plan": ("#78909c", "diamond"),
    "PolicyDocument": ("#546e7a", "diamond"),
    "ProjectProposal": ("#b0bec5", "diamond"),
    "Goal": ("#c0ca33", "star"),
    "Domain": ("#00acc1", "star"),
    "DataCategory": ("#4dd0e1", "star"),
    "Event": ("#fb8c00", "diamond"),
    "Indicator": ("#26a69a", "square"),
    "NewsArticle": ("#37474f", "square"),
    "Observation": ("#90a4ae", "dot"),
    "Quote": ("#ec407a", "diamond"),
    "FirstClaim": ("#c51162", "diamond"),
    "ComparisonClaim": ("#f06292", "diamond"),
    "TrendClaim": ("#ad1457", "diamond"),
    "Claim": ("#f48fb1", "diamond"),
}
FALLBACK_COLOURS = ("#607d8b", "#8d6e63", "#26a69a", "#7e57c2", "#ef5350", "#29b6f6")
CLAIM_CLASSES = frozenset({"Claim", "FirstClaim", "ComparisonClaim", "TrendClaim"})
SMALL_CLASSES = frozenset({"Observation", "Quote", *CLAIM_CLASSES})

# literal-valued properties shown in the tooltip, in this order
KEY_PROPERTIES = (
    LK.claimText,
    LK.valueText,
    LK.value,
    LK.growthText,
    LK.rankText,
    LK.restatedAs,
    LK.refPeriod,
    LK.observationStatus,
    LK.qualifier,
    LK.date,
    LK.dateText,
    LK.startDate,
    LK.endDate,
    LK.status,
    LK.phase,
    LK.honour,
    SCHEMA.text,
    SCHEMA.datePublished,
)
NOT_SHOWN = frozenset({RDF.type, LK.hasEvidence})  # the evidence has a block of its own
NO_PERIOD = ("无(不随时间的数据)", "none (a figure with no calendar time)")
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
LONG_LITERAL = 2000  # characters kept of a literal in the details panel (the article text)


@dataclass
class View:
    """What a page shows: the chosen entities, and the figures for its header."""

    eg: EntityGraph
    shown: list[str]
    focus: str | None = None
    depth: int = 0
    total: int = 0
    links: int = 0
    notes: list[str] = field(default_factory=list)


def select_view(
    eg: EntityGraph,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    base: str = DEFAULT_BASE,
) -> View:
    """The entities to show: all, or the neighbourhood of `focus`; at most `max_nodes`.

    `focus` is resolved as every command names an entity (`resolver.resolve`): label, id,
    prefixed name or IRI; `analytics.EntityLookupError` when it names none or several.
    """
    center = eg.resolve(focus, base) if focus else None
    pool = eg.neighbourhood(center, depth) if center else list(eg.entities)
    if max_nodes is not None and len(pool) > max_nodes:
        keep = set(pool)
        ranked = [i for i in eg.ranked() if i in keep]
        chosen = ranked[: max(max_nodes, 1)]
        if center and center not in chosen:
            chosen = [center, *chosen[: max(max_nodes - 1, 0)]]
        pool = sorted(chosen)
    shown = set(pool)
    links = sum(1 for link in eg.links if link.source in shown and link.target in shown)
    return View(eg, sorted(pool), center, depth if center else 0, len(eg.entities), links)


# --- page data -------------------------------------------------------------------------------


def _shade(colour: str, factor: float) -> str:
    """The colour darkened (factor < 1) or lightened towards white (factor > 1)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    if factor <= 1:
        mixed = [round(c * factor) for c in rgb]
    else:
        mixed = [round(c + (255 - c) * (factor - 1)) for c in rgb]
    return "#" + "".join(f"{min(max(c, 0), 255):02x}" for c in mixed)


def class_style(cls: str, terms: Terms, fallback_index: int) -> tuple[str, str]:
    """(colour, shape) of a class IRI: its own entry, a superclass's, or a fallback colour."""
    for candidate in [cls, *sorted(terms.superclasses.get(cls, set()))]:
        if candidate.startswith(str(LK)) and local_name(candidate) in CLASS_STYLES:
            own = local_name(candidate) == local_name(cls)
            colour, shape = CLASS_STYLES[local_name(candidate)]
            return (colour, shape) if own else (_shade(colour, 1.25), shape)
    return FALLBACK_COLOURS[fallback_index % len(FALLBACK_COLOURS)], "dot"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    for size, word in ((Decimal(10) ** 9, " bn"), (Decimal(10) ** 6, " m")):
        if abs(value) >= size:
            return f"{float(value / size):.4g}{word}"
    return f"{float(value):.6g}"


def amount_text(rdf: Graph, node: URIRef) -> tuple[str, str] | None:
    """(zh, en) of an observation's value: the raw text, and the normalised value with unit."""
    value = rdf.value(node, LK.value)
    raw = rdf.value(node, LK.valueText)
    if value is None and raw is None:
        return None
    unit = rdf.value(node, LK.unit)
    unit_zh, unit_en = UNIT_TEXT.get(local_name(str(unit)) if unit else "", ("", ""))
    count_word = rdf.value(node, LK.countWord)
    if count_word is not None:
        unit_zh = str(count_word)
    qualifier = rdf.value(node, LK.qualifier)
    prefix = QUALIFIER_EN.get(local_name(str(qualifier)), "") if qualifier else ""
    en = ""
    if value is not None:
        sep = "" if unit_en in ("%", "") else " "
        en = f"{prefix}{_number(str(value))}{sep}{unit_en}".strip()
    zh = str(raw) if raw is not None else f"{value}{unit_zh}"
    return zh, en or zh


def _term_key(term: Any) -> tuple[str, str, str, str]:
    """A total order on RDF terms (rdflib's own ordering of mixed literals is partial)."""
    language = getattr(term, "language", None) or ""
    datatype = str(getattr(term, "datatype", None) or "")
    return (type(term).__name__, str(term), language, datatype)


def _pair_key(pair: tuple[Any, Any]) -> tuple[tuple[str, str, str, str], ...]:
    return (_term_key(pair[0]), _term_key(pair[1]))


def _evidence(rdf: Graph, node: URIRef) -> list[dict[str, Any]]:
    """The quotes that state a fact, statement or restatement (lk:hasEvidence: oa:exact with
    its context, and the line)."""
    found = []
    for ev in sorted(rdf.objects(node, LK.hasEvidence), key=_term_key):
        line = rdf.value(ev, LK.line)
        for selector in sorted(rdf.objects(ev, OA.hasSelector), key=_term_key):
            exact = rdf.value(selector, OA.exact)
            if exact is None:
                continue
            found.append(
                {
                    "exact": str(exact),
                    "prefix": str(rdf.value(selector, OA.prefix) or ""),
                    "suffix": str(rdf.value(selector, OA.suffix) or ""),
                    "line": int(str(line)) if line is not None else None,
                }
            )
    return found


class PageData:
    """Turns a view into the vis nodes and edges and the details the page script shows."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.eg = view.eg
        self.rdf = view.eg.rdf
        self.terms = view.eg.terms
        self.styles: dict[str, tuple[str, str]] = {}
        classes = sorted({self.eg.entities[i].cls for i in view.shown})
        unknown = 0
        for cls in classes:
            self.styles[cls] = class_style(cls, self.terms, unknown)
            if local_name(cls) not in CLASS_STYLES:
                unknown += 1
        self.statements = self._statements()
        self._evidence: dict[str, list[dict[str, Any]]] = {}
        keep = set(view.shown)
        self.links = [lk for lk in self.eg.links if lk.source in keep and lk.target in keep]
        self.incoming: dict[str, list[Link]] = {}
        for link in self.eg.links:
            self.incoming.setdefault(link.target, []).append(link)

    def _statements(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        """The basis of each relation with an lk:Statement, by (subject, property, object)."""
        found = {}
        for st in self.rdf.subjects(RDF.type, LK.Statement):
            s = self.rdf.value(st, LK.statementSubject)
            p = self.rdf.value(st, LK.statementPredicate)
            o = self.rdf.value(st, LK.statementObject)
            if isinstance(st, URIRef) and s is not None and p is not None and o is not None:
                found[(str(s), str(p), str(o))] = self.basis(st)
        return found

    def basis(self, statement: URIRef) -> dict[str, Any]:
        """What a statement rests on: its quotes, or background knowledge with the note why.

        Background knowledge has no quote (it is not in the text): it carries the curators'
        note and who it is attributed to instead. Anything else is read as text evidence.
        """
        kind = self.rdf.value(statement, LK.basis)
        if kind == LK.BackgroundKnowledge:
            note = self.rdf.value(statement, LK.basisNote)
            by = sorted(self.rdf.objects(statement, PROV.wasAttributedTo), key=_term_key)
            return {
                "kind": "background",
                "label": self.term(str(LK.BackgroundKnowledge)),
                "note": str(note) if note is not None else "",
                "noteLang": getattr(note, "language", None) or "",
                "by": [self.value(agent) for agent in by],
                "ev": [],
            }
        mention = self.rdf.value(statement, LK.mention)
        return {
            "kind": "text",
            "label": self.term(str(LK.TextEvidence)),
            "mention": str(mention) if mention is not None else "",
            "ev": _evidence(self.rdf, statement),
        }

    def background_mark(self, source: str, prop: str, target: str) -> dict[str, Any]:
        """`bg` and the curators' note for a property row that is background knowledge."""
        basis = self.statements.get((source, prop, target))
        if basis is None or basis["kind"] != "background":
            return {}
        return {"bg": True, "bgNote": basis["note"]}

    def is_background(self, source: str, prop: str, target: str) -> bool:
        """Whether a relation is the curators' background knowledge, not the article's."""
        basis = self.statements.get((source, prop, target))
        return basis is not None and basis["kind"] == "background"

    def evidence(self, node: str) -> list[dict[str, Any]]:
        """The evidence quotes of a fact, then those of its restatements, marked with their
        words (cached: generated links share their fact's evidence)."""
        if node not in self._evidence:
            found = _evidence(self.rdf, URIRef(node))
            again = sorted(self.rdf.objects(URIRef(node), LK.restatedAs), key=_term_key)
            for restated in again:
                text = self.rdf.value(restated, LK.valueText)
                for quote in _evidence(self.rdf, URIRef(str(restated))):
                    found.append({**quote, "restated": str(text) if text is not None else ""})
            self._evidence[node] = found
        return self._evidence[node]

    def term(self, iri: str) -> list[str]:
        """[zh, en, prefixed name] of a property or class."""
        zh, en = self.terms.labels(iri)
        return [zh, en, self.terms.qname(iri)]

    def value(self, obj: Any) -> dict[str, Any]:
        """A property value for the details panel: texts in both languages, link target."""
        if isinstance(obj, Literal):
            text = str(obj)
            if len(text) > LONG_LITERAL:
                text = text[:LONG_LITERAL] + "…"
            return {"zh": text, "en": text, "lang": obj.language or ""}
        iri = str(obj)
        if iri in self.eg.entities:
            entity = self.eg.entities[iri]
            return {"zh": entity.zh, "en": entity.en, "target": iri}
        if isinstance(obj, URIRef) and (obj, RDF.type, LK.Restatement) in self.rdf:
            amount = amount_text(self.rdf, obj)
            if amount is not None:
                return {"zh": amount[0], "en": amount[1]}
        found = self.terms.found_labels(iri)
        if found is None:
            name = self.terms.qname(iri)
            return {"zh": name, "en": name}
        return {"zh": found[0], "en": found[1]}

    def key_values(self, node: URIRef) -> list[dict[str, Any]]:
        """The tooltip's values: amounts with units, dates, status, quote text."""
        rows = []
        amount = amount_text(self.rdf, node)
        timeless = (node, RDF.type, LK.Observation) in self.rdf and (
            self.rdf.value(node, LK.refPeriod) is None
        )
        for prop in KEY_PROPERTIES:
            if prop == LK.refPeriod and timeless:  # durations, capacities, totals
                rows.append({"p": self.term(str(prop)), "zh": NO_PERIOD[0], "en": NO_PERIOD[1]})
                continue
            if prop == LK.value:
                if amount is not None and self.rdf.value(node, LK.value) is not None:
                    value = self.rdf.value(node, LK.value)
                    unit = self.rdf.value(node, LK.unit)
                    unit_name = self.terms.qname(str(unit)) if unit is not None else ""
                    text = f"{value} {unit_name}".strip()
                    rows.append({"p": self.term(str(prop)), "zh": text, "en": amount[1]})
                continue
            for obj in sorted(self.rdf.objects(node, prop), key=_term_key):
                shown = self.value(obj)
                rows.append({"p": self.term(str(prop)), "zh": shown["zh"], "en": shown["en"]})
        return rows

    def info(self, iri: str) -> dict[str, Any]:
        """Everything the tooltip and details panel show about one entity."""
        node = URIRef(iri)
        entity = self.eg.entities[iri]
        props = []
        for prop, obj in sorted(self.rdf.predicate_objects(node), key=_pair_key):
            if prop in NOT_SHOWN:
                continue
            row = {"p": self.term(str(prop)), **self.value(obj)}
            props.append({**row, **self.background_mark(iri, str(prop), str(obj))})
        incoming = []
        for link in self.incoming.get(iri, []):
            row = {"p": self.term(link.prop), "source": link.source}
            incoming.append({**row, **self.background_mark(link.source, link.prop, link.target)})
        return {
            "zh": entity.zh,
            "en": entity.en,
            "alt": list(entity.alt),
            "cls": entity.cls,
            "key": self.key_values(node),
            "props": props,
            "in": incoming,
            "ev": self.evidence(iri),
            "score": round(self.eg.pagerank[iri], 6),
            "degree": self.eg.degree(iri),
        }

    def display_labels(self, iri: str) -> tuple[str, str]:
        """Short (zh, en) labels drawn on the canvas; an observation shows its amount, a claim
        its words (it is drawn next to what it is about)."""
        entity = self.eg.entities[iri]
        if local_name(entity.cls) == "Observation":
            amount = amount_text(self.rdf, URIRef(iri))
            if amount is not None:
                return _short(amount[0], 16), _short(amount[1], 22)
        if local_name(entity.cls) in CLAIM_CLASSES:
            words = self.rdf.value(URIRef(iri), LK.claimText)
            if words is not None:
                en = entity.en.split(": ", 1)[-1]
                return _short(str(words), 14), _short(en, 26)
        return _short(entity.zh, 14), _short(entity.en, 26)

    def network(self, lang: str) -> Network:
        """The pyvis network of the view (nodes sized by PageRank, edges by property)."""
        shown = self.view.shown
        net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
        top = max((self.eg.pagerank[i] for i in shown), default=1.0) or 1.0
        keep = set(shown)
        ranks = {iri: n for n, iri in enumerate(i for i in self.eg.ranked() if i in keep)}
        big_labels = max(3, min(round(0.04 * len(shown)), 12))
        mid_labels = max(8, min(round(0.15 * len(shown)), 40))
        for iri in shown:
            entity = self.eg.entities[iri]
            colour, shape = self.styles[entity.cls]
            small = local_name(entity.cls) in SMALL_CLASSES
            weight = math.sqrt(self.eg.pagerank[iri] / top)
            size = (6 + 7 * weight) if small else (11 + 25 * weight)
            zh, en = self.display_labels(iri)
            options: dict[str, Any] = {
                "size": round(size, 1),
                "color": {
                    "background": colour,
                    "border": _shade(colour, 0.7),
                    "highlight": {"background": _shade(colour, 1.3), "border": "#111827"},
                    "hover": {"background": _shade(colour, 1.15), "border": "#111827"},
                },
                "borderWidth": 3 if iri == self.view.focus else 1.5,
            }
            # the most central labels are bigger: they stay drawn when zoomed out, the rest
            # appear when zooming in (vis hides labels under scaling.label.drawThreshold)
            rank = ranks[iri]
            font = 11 if small else 26 if rank < big_labels else 21 if rank < mid_labels else 14
            options["font"] = {"size": font, "color": "#4b5563" if small else "#1f2937"}
            net.add_node(iri, label=en if lang == "en" else zh, shape=shape, **options)
        links = self.links
        pairs: dict[frozenset[str], int] = {}
        for link in links:
            pair = frozenset((link.source, link.target))
            pairs[pair] = pairs.get(pair, 0) + 1
        seen: dict[frozenset[str], int] = {}
        for n, link in enumerate(links):
            pair = frozenset((link.source, link.target))
            zh, en = self.terms.labels(link.prop)
            options = {"id": f"e{n}", "label": en if lang == "en" else zh}
            if self.is_background(link.source, link.prop, link.target):
                options["dashes"] = True  # not in the text: see the details panel
            if pairs[pair] > 1:  # parallel links: bend each one differently
                k = seen.get(pair, 0)
                seen[pair] = k + 1
                options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15 * k}
            # pyvis's add_edge scans every node and edge for each call; build its Edge directly
            net.edges.append(PyvisEdge(link.source, link.target, True, **options).options)
        net.options = vis_options(len(shown), len(links))
        return net

    def fit_nodes(self) -> list[str]:
        """The nodes the first view frames: the biggest component, unless it is a small part.

        Unlinked entities drift far from the rest under physics; framing them all would
        zoom out until no label is readable (the "fit" button frames everything).
        """
        sub = self.eg.undirected.subgraph(self.view.shown)
        parts = sorted(nx.connected_components(sub), key=lambda c: (-len(c), min(c)))
        if not parts or len(parts[0]) < 0.6 * len(self.view.shown):
            return []
        return sorted(parts[0])

    def edge_info(self) -> dict[str, Any]:
        """Property labels, basis and evidence of each shown edge, by edge id.

        A relation with a statement shows that statement's basis only; the links the builder
        generates for a fact (observation, quote, claim) are stated by the fact's own quote.
        """
        result = {}
        for n, link in enumerate(self.links):
            basis = self.statements.get((link.source, link.prop, link.target))
            if basis is None:
                edge = {"p": self.term(link.prop), "ev": self.evidence(link.source), "basis": None}
            else:
                shown = {k: v for k, v in basis.items() if k != "ev"}
                edge = {"p": self.term(link.prop), "ev": basis["ev"], "basis": shown}
            result[f"e{n}"] = edge
        return result

    def legend(self) -> list[dict[str, Any]]:
        """The classes present, with colour, shape, labels and count."""
        counts: dict[str, int] = {}
        for iri in self.view.shown:
            cls = self.eg.entities[iri].cls
            counts[cls] = counts.get(cls, 0) + 1
        order = {name: n for n, name in enumerate(CLASS_STYLES)}
        rows = []
        for cls, count in counts.items():
            zh, en = self.terms.labels(cls)
            colour, shape = self.styles[cls]
            rows.append(
                {
                    "iri": cls,
                    "key": local_name(cls),
                    "zh": zh,
                    "en": en,
                    "colour": colour,
                    "shape": shape,
                    "count": count,
                    "small": local_name(cls) in SMALL_CLASSES,
                }
            )
        return sorted(rows, key=lambda r: (order.get(r["key"], len(order)), r["iri"]))

    def titles(self) -> dict[str, str]:
        """The page heading in both languages: the article's headline when there is one."""
        articles = [i for i in self.eg.entities if self.eg.entities[i].cls == str(LK.NewsArticle)]
        zh, en = "罗湖知识图谱", "Luohu knowledge graph"
        if len(articles) == 1:
            article = self.eg.entities[articles[0]]
            zh, en = f"{zh} · {article.zh}", f"{en} · {article.en}"
        if self.view.focus:
            center = self.eg.entities[self.view.focus]
            d = self.view.depth
            zh += f" — {center.zh} 周边 {d} 跳"
            en += f" — {d}-hop neighbourhood of {center.en}"
        return {"zh": zh, "en": en}

    def page(self, lang: str) -> dict[str, Any]:
        """Everything the page script needs, as one JSON-ready value."""
        net = self.network(lang)
        nodes, edges, _heading, _height, _width, options = net.get_network_data()
        return {
            "lang": lang,
            "title": self.titles(),
            "focus": self.view.focus,
            "stats": {
                "entities": self.view.total,
                "shown": len(self.view.shown),
                "links": len(edges),
            },
            "font": FONT_STACK,
            "classes": self.legend(),
            "nodes": nodes,
            "edges": edges,
            "labels": {i: list(self.display_labels(i)) for i in self.view.shown},
            "fitNodes": self.fit_nodes(),
            "info": {i: self.info(i) for i in self.view.shown},
            "edgeInfo": self.edge_info(),
            "options": json.loads(options),
        }


def vis_options(n_nodes: int, n_edges: int) -> dict[str, Any]:
    """vis-network options: barnesHut physics that stabilise fast, then stop (see the page)."""
    small = n_nodes <= 60
    big = n_nodes > 300
    huge = n_nodes > 1500
    iterations = 1000 if n_nodes <= 60 else max(60, min(400, 150_000 // n_nodes))
    return {
        "autoResize": True,
        "layout": {"randomSeed": 20210825, "improvedLayout": n_nodes <= 150},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "theta": 0.5 if not big else 0.8,
                "gravitationalConstant": -5000 if small else -2600,
                "centralGravity": 0.25 if small else 0.45,
                "springLength": 130 if small else 80,
                "springConstant": 0.04,
                "damping": 0.12 if not big else 0.2,
                "avoidOverlap": 0.3 if small else 0.1 if not big else 0,
            },
            "maxVelocity": 50,
            "minVelocity": 0.75 if not big else 2,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 25 if not huge else 10,
                "fit": False,  # the page frames the main component itself
            },
        },
        "nodes": {
            "font": {
                "face": FONT_STACK,
                "size": 14,
                "color": "#1f2937",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 9, "maxVisible": 40}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b6bfcc", "highlight": "#1f2937", "hover": "#4b5563"},
            "width": 1.2,
            "selectionWidth": 1.5,
            "font": {
                "face": FONT_STACK,
                "size": 10,
                "color": "#6b7280",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "horizontal",
            },
            # in bigger graphs edge labels show when zoomed in, or for the selected node
            "scaling": {"label": {"drawThreshold": 5 if small else 12}},
            "smooth": {"enabled": not big, "type": "continuous", "roundness": 0.3},
        },
        "interaction": {
            "hover": not huge,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": huge,
            "keyboard": {"enabled": False},
            "navigationButtons": False,
            "multiselect": False,
        },
    }


# --- HTML ------------------------------------------------------------------------------------


def json_for_script(value: Any) -> Markup:
    """JSON safe inside `<script type="application/json">`: `<`, `>`, `&` escaped, sorted keys."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _bundled(name: str) -> str:
    """A vis-network file bundled with pyvis, checked to be safe to inline."""
    text = resources.files("pyvis").joinpath(f"{VIS_DIR}/{name}").read_text("utf-8")
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower():
        raise RuntimeError(f"pyvis's {name} cannot be inlined: it contains {closing}")
    return text


def _environment() -> Environment:
    folder = Path(str(resources.files("builder").joinpath("templates")))
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_html(view: View, lang: str = "zh") -> str:
    """The page of a view, as a string."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (zh or en)")
    data = PageData(view).page(lang)
    template = _environment().get_template(TEMPLATE)
    return template.render(
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        heading=data["title"][lang],
        font_stack=Markup(FONT_STACK),  # a constant; autoescaping would break the CSS
        data_json=json_for_script(data),
        vis_js=Markup(_bundled("vis-network.min.js")),
        vis_css=Markup(_bundled("vis-network.css")),
        stats=data["stats"],
    )


def focus_path(focus: str, folder: Path = Path("out"), base: str = DEFAULT_BASE) -> Path:
    """Where `viz --focus` writes by default: `out/graph-<id>.html`, so that the full view
    (`out/graph.html`) is kept; characters other than letters, digits, `.`, `_`, `-` in the
    id (e.g. the `/` of `article/…`) become `-`."""
    ident = focus[len(base) :] if focus.startswith(base) else local_name(focus)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.") or "entity"
    return folder / f"graph-{safe}.html"


def graph_html(
    graph: Graph,
    *,
    lang: str = "zh",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    base: str = DEFAULT_BASE,
) -> tuple[bytes, View]:
    """The page of `graph` as UTF-8 bytes, and what it shows (see `write_graph_html`)."""
    view = select_view(EntityGraph.from_rdf(graph), focus, depth, max_nodes, base)
    return render_html(view, lang).encode("utf-8"), view


def write_graph_html(
    graph: Graph,
    path: Path,
    *,
    lang: str = "zh",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    base: str = DEFAULT_BASE,
) -> View:
    """Write the interactive view of `graph` to `path` (atomically) and return what it shows.

    `focus` (an entity's zh/en label, id or IRI) limits the view to the entities within
    `depth` links of it; `max_nodes` keeps the most central ones. Raises
    `analytics.EntityLookupError` when `focus` names no entity or several.
    """
    content, view = graph_html(
        graph, lang=lang, focus=focus, depth=depth, max_nodes=max_nodes, base=base
    )
    write_atomic(path, content)
    return view
