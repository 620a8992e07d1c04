"""The page: one self-contained, offline HTML file with the graph, the article and the questions.

Three views of the same data (`pagedata.PageModel`, read from a pyoxigraph store):

- the graph (vis-network, as bundled with pyvis): entities by family, figures, claims and
  concepts folded into what they are about until switched on;
- the article, its paragraphs as in the source, each evidence quote highlighted (the kind of
  fact it states by colour), so that what no fact quotes stands out unmarked;
- the questions: every catalog query, run when the page is made (`pagequestions`).

Every text from the data reaches the page only inside a `<script type="application/json">`
block (with `<`, `>` and `&` escaped) or through Jinja's autoescaping; the page script renders
it with `textContent` only.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from . import resolver
from .outputs import write_atomic
from .pagedata import (
    CLAIM_OF,
    FAMILIES,
    FIGURE_OF,
    KEY_PROPERTIES,
    LK,
    LONG_LITERAL,
    NO_PERIOD,
    NOT_SHOWN,
    TAG_PROPERTIES,
    PageModel,
    Span,
    Term,
    amount,
    local_name,
    number_text,
    pagerank,
)
from .pagequestions import questions
from .pagetext import Mark, paragraphs
from .prefixes import PREFIXES
from .query import StoreNames
from .vocab import DEFAULT_BASE

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
    '"PingFang SC", sans-serif'
)
VIS_DIR = "templates/lib/vis-9.1.2"
TEMPLATE = "graph.html.j2"
LANGS = ("zh", "en")
READ_ARTICLES = 20  # articles with a read view in one page (a corpus page keeps the first)
# the questions tab runs the catalog up to this many triples: unbound, some catalog queries
# grow much faster than the graph (at 100 synthetic articles, 100,000 triples, they took minutes)
QUESTION_TRIPLES = 50_000

# vis shape of each class; subclasses not listed take their nearest listed superclass's
CLASS_SHAPES = {
    "Country": "dot", "Province": "dot", "City": "dot", "District": "dot",
    "Community": "dot", "Area": "dot", "Facility": "square", "Place": "dot",
    "GovernmentBody": "square", "PartyOrganization": "square", "NewsOrganization": "square",
    "School": "square", "Organization": "square", "Person": "dot", "Post": "triangleDown",
    "Agent": "square", "Project": "hexagon", "Initiative": "triangle", "Event": "diamond",
    "Plan": "square", "PolicyDocument": "square", "ProjectProposal": "square",
    "NewsArticle": "square", "Quote": "diamond", "Observation": "dot", "Claim": "star",
    "Indicator": "square", "Domain": "star", "Goal": "star", "DataCategory": "dot",
}  # fmt: skip
# shades within a family: the family colour, then lighter and darker ones, by class order
SHADES = (1.0, 1.35, 0.72, 1.6, 0.55, 1.2, 0.85)
SCHEMA_TEXT = PREFIXES["schema"] + "text"


@dataclass
class View:
    """What a page shows: the chosen entities and why (the cap), and its centre."""

    model: PageModel
    shown: list[str]
    rank: dict[str, float]
    focus: str | None = None
    depth: int = 0
    total: int = 0
    capped: bool = False
    links: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def nodes(self) -> int:
        """Number of entities on the page."""
        return len(self.shown)


def select_view(
    model: PageModel,
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    base: str = DEFAULT_BASE,
) -> View:
    """The entities to show: all, or those within `depth` links of `focus`; at most
    `max_nodes`, the most central (PageRank), the centre always among them.

    `focus` is named as every command names an entity (`resolver.resolve`);
    `resolver.EntityLookupError` when it names none or several.
    """
    entities = list(model.classes)
    rank = pagerank(entities, model.links)
    center = resolver.resolve(focus, StoreNames(model.store), base) if focus else None
    pool = _neighbourhood(model, center, depth) if center else entities
    capped = max_nodes is not None and len(pool) > max_nodes
    if capped and max_nodes is not None:
        ordered = sorted(pool, key=lambda i: (-round(rank[i], 12), i))[: max(max_nodes, 1)]
        if center and center not in ordered:
            ordered = [center, *ordered[: max(max_nodes - 1, 0)]]
        pool = ordered
    view = View(model, sorted(pool), rank, center, depth if center else 0, len(entities))
    view.capped = capped
    keep = set(pool)
    view.links = sum(1 for s, _p, o in model.links if s in keep and o in keep)
    if capped:
        view.notes.append(
            f"graph.html shows the {len(pool):,} most central of {len(entities):,} entities "
            "(PageRank); `luohu-kg viz --focus ENTITY` draws the neighbourhood of any other"
        )
    return view


def _neighbourhood(model: PageModel, center: str, depth: int) -> list[str]:
    around: dict[str, set[str]] = defaultdict(set)
    for s, _p, o in model.links:
        around[s].add(o)
        around[o].add(s)
    seen = {center: 0}
    todo = deque([center])
    while todo:
        node = todo.popleft()
        if seen[node] >= depth:
            continue
        for other in sorted(around[node]):
            if other not in seen:
                seen[other] = seen[node] + 1
                todo.append(other)
    return sorted(seen)


# --- colours -------------------------------------------------------------------------------


def shade(colour: str, factor: float) -> str:
    """The colour darkened (factor < 1) or lightened towards white (factor > 1)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    if factor <= 1:
        mixed = [round(c * factor) for c in rgb]
    else:
        mixed = [round(c + (255 - c) * (factor - 1)) for c in rgb]
    return "#" + "".join(f"{min(max(c, 0), 255):02x}" for c in mixed)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- page data -----------------------------------------------------------------------------


class PageData:
    """Turns a view into the JSON the page script reads."""

    def __init__(self, view: View, base: str = DEFAULT_BASE) -> None:
        self.view, self.model, self.base = view, view.model, base
        self.shown = set(view.shown)
        self.values: dict[str, dict[str, list[Term]]] = {}
        for iri in view.shown:
            by_prop: dict[str, list[Term]] = defaultdict(list)
            for prop, obj in self.model.triples(iri):
                by_prop[prop].append(obj)
            self.values[iri] = dict(by_prop)
        self.links = [lk for lk in self.model.links if lk[0] in self.shown and lk[2] in self.shown]
        self.edge_of = {lk: f"e{n}" for n, lk in enumerate(self.links)}
        self.used: dict[str, Span] = {}  # every quote the page refers to, by span id
        self.others: dict[str, dict[str, list[Term]]] = {}  # values of nodes not shown
        self.info_ev: dict[str, list[str]] = {}  # the span ids of each entity's quotes
        self.restated_of: dict[str, str] = {}  # restatement -> its observation
        for iri, values in self.values.items():
            for node in values.get(LK + "restatedAs", []):
                self.restated_of[node.value] = iri
        self.classes = sorted({self.model.classes[i] for i in view.shown})
        self.styles = self._styles()

    def _styles(self) -> dict[str, dict[str, str]]:
        by_family: dict[str, list[str]] = defaultdict(list)
        for cls in self.classes:
            by_family[self.model.family(cls)].append(cls)
        colours = {f[0]: f[3] for f in FAMILIES}
        styles = {}
        for family, members in by_family.items():
            same_shape: dict[str, int] = defaultdict(int)  # classes of one shape get own shades
            for cls in members:
                shape = self._shape(cls)
                n = same_shape[shape]
                same_shape[shape] += 1
                styles[cls] = {
                    "family": family,
                    "colour": shade(colours[family], SHADES[n % len(SHADES)]),
                    "shape": shape,
                }
        return styles

    def _shape(self, cls: str) -> str:
        for name in [local_name(cls)] + sorted(
            local_name(c) for c in self.model.superclasses.get(cls, set())
        ):
            if name in CLASS_SHAPES:
                return CLASS_SHAPES[name]
        return "dot"

    def term(self, iri: str) -> list[str]:
        """[zh, en, prefixed name] of a property or class."""
        zh, en = self.model.label(iri)
        return [zh, en, self.qname(iri)]

    def qname(self, iri: str) -> str:
        """`lk:locatedIn`, `lkd:luohu`, or the IRI."""
        if iri.startswith(self.base):
            return f"lkd:{iri[len(self.base) :]}"
        known = [(p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)]
        if not known:
            return iri
        prefix, ns = max(known, key=lambda pair: (len(pair[1]), pair[0]))
        return f"{prefix}:{iri[len(ns) :]}"

    def ident(self, iri: str) -> str:
        """The fact id of an entity (what `#id` deep links use): the IRI after the base."""
        return iri[len(self.base) :] if iri.startswith(self.base) else iri

    # --- one entity ---

    def amount_of(self, iri: str) -> tuple[str, str] | None:
        """(zh, en) of an observation's (or restatement's) value."""
        return amount(self.model_values(iri))

    def value(self, obj: Term) -> dict[str, Any]:
        """A property value for the details panel: texts in both languages, link target."""
        if not obj.iri:
            text = obj.value if len(obj.value) <= LONG_LITERAL else obj.value[:LONG_LITERAL] + "…"
            return {"zh": text, "en": text, "lang": obj.lang}
        if obj.value in self.model.classes:
            zh, en = self.model.label(obj.value)
            row: dict[str, Any] = {"zh": zh, "en": en}
            if obj.value in self.shown:
                row["target"] = obj.value
            return row
        if obj.value in self.restated_of:
            found = self.amount_of(obj.value)
            if found is not None:
                return {"zh": found[0], "en": found[1]}
        if obj.value in self.model.labels:
            zh, en = self.model.label(obj.value)
            return {"zh": zh, "en": en}
        name = self.qname(obj.value)
        return {"zh": name, "en": name}

    def key_values(self, iri: str) -> list[dict[str, Any]]:
        """Amounts with units, dates, status, quote text: first in the panel and tooltip."""
        values = self.values[iri]
        rows = []
        is_observation = local_name(self.model.classes[iri]) == "Observation"
        found = amount(values) if is_observation else None
        for prop in KEY_PROPERTIES:
            if prop == LK + "refPeriod" and is_observation and prop not in values:
                rows.append({"p": self.term(prop), "zh": NO_PERIOD[0], "en": NO_PERIOD[1]})
                continue
            if prop == LK + "value":
                if found is not None and prop in values:
                    unit = values.get(LK + "unit", [Term("")])[0].value
                    text = f"{number_text(values[prop][0].value)} {self.qname(unit)}".strip()
                    rows.append({"p": self.term(prop), "zh": text, "en": found[1]})
                continue
            for obj in values.get(prop, []):
                shown = self.value(obj)
                row = {"p": self.term(prop), "zh": shown["zh"], "en": shown["en"]}
                rows.append({**row, "lang": obj.lang} if obj.lang else row)
        return rows

    def quotes(self, fact: str) -> list[str]:
        """Span ids of the quotes of a fact (kept for the page)."""
        found = self.model.spans_of(fact)
        for span in found:
            self.used[span.id] = span
        return [s.id for s in found]

    def evidence(self, iri: str) -> list[str]:
        """Span ids of the quotes of a fact, then of its restatements."""
        found = self.quotes(iri)
        for node in self.values.get(iri, {}).get(LK + "restatedAs", []):
            found += self.quotes(node.value)
        return found

    def background(self, s: str, p: str, o: str) -> dict[str, Any]:
        """`bg` and the curators' note for a relation the article does not state."""
        basis = self.model.basis(s, p, o)
        if basis is None or not basis.background:
            return {}
        return {"bg": True, "bgNote": basis.note}

    def info(self, iri: str) -> dict[str, Any]:
        """Everything the tooltip and details panel show about one entity."""
        values = self.values[iri]
        zh, en = self.model.label(iri)
        props = []
        for prop, objs in sorted(values.items()):
            if prop in NOT_SHOWN:
                continue
            for obj in objs:
                row = {"p": self.term(prop), **self.value(obj)}
                props.append({**row, **self.background(iri, prop, obj.value)})
        return {
            "zh": zh,
            "en": en,
            "id": self.ident(iri),
            "alt": self.model.alt.get(iri, []),
            "cls": self.model.classes[iri],
            "key": self.key_values(iri),
            "props": props,
            "ev": self.info_ev.setdefault(iri, self.evidence(iri)),
            "score": round(self.view.rank.get(iri, 0.0), 6),
            **self.proposal(iri),
        }

    def proposal(self, iri: str) -> dict[str, Any]:
        """`proposed`: the rule and confidence of a fact a draft proposes (`build
        --include-drafts`), which no curator has accepted yet."""
        values = self.values.get(iri) or self.model_values(iri)
        rule = values.get(LK + "proposedBy")
        if not rule:
            return {}
        confidence = values.get(LK + "confidence")
        return {
            "proposed": {
                "by": rule[0].value,
                "confidence": confidence[0].value if confidence else "",
            }
        }

    def folded(self) -> dict[str, dict[str, list[str]]]:
        """What each entity shows of the folded ones: its figures, claims and tags."""
        result: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in self.links:
            if p == FIGURE_OF:
                result[o]["figures"].append(s)
            elif p == CLAIM_OF:
                result[o]["claims"].append(s)
            elif p in TAG_PROPERTIES:
                result[s]["tags"].append(o)
        return {k: {kind: sorted(set(v)) for kind, v in d.items()} for k, d in result.items()}

    def incoming(self) -> dict[str, list[dict[str, Any]]]:
        """Each entity's incoming links, under the property's inverse label."""
        result: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s, p, o in self.links:
            inverse = self.model.inverse_label(p)
            label = list(inverse) if inverse else [f"← {x}" for x in self.model.label(p)]
            row = {"p": [*label, self.qname(p)], "source": s, "e": self.edge_of[(s, p, o)]}
            result[o].append({**row, **self.background(s, p, o)})
        return dict(result)

    # --- the graph ---

    def display_labels(self, iri: str) -> tuple[str, str]:
        """Short (zh, en) labels drawn on the canvas; an observation shows its amount, a
        claim its words."""
        name = local_name(self.model.classes[iri])
        if name == "Observation":
            found = self.amount_of(iri)
            if found is not None:
                return _short(found[0], 16), _short(found[1], 22)
        words = self.values[iri].get(LK + "claimText")
        if words:
            en = self.model.label(iri)[1].split(": ", 1)[-1]
            return _short(words[0].value, 14), _short(en, 26)
        zh, en = self.model.label(iri)
        return _short(zh, 14), _short(en, 26)

    def nodes(self) -> list[dict[str, Any]]:
        """The vis nodes: sized by PageRank, coloured by family, shaped by class."""
        top = max((self.view.rank.get(i, 0.0) for i in self.view.shown), default=1.0) or 1.0
        order = sorted(self.view.shown, key=lambda i: (-round(self.view.rank.get(i, 0), 12), i))
        importance = {iri: n for n, iri in enumerate(order)}
        result = []
        for iri in self.view.shown:
            cls = self.model.classes[iri]
            style = self.styles[cls]
            folded = next(f[4] for f in FAMILIES if f[0] == style["family"])
            weight = math.sqrt(self.view.rank.get(iri, 0.0) / top)
            size = (6 + 8 * weight) if folded else (12 + 24 * weight)
            colour = style["colour"]
            result.append(
                {
                    "id": iri,
                    "cls": cls,
                    "fam": style["family"],
                    "rank": importance[iri],
                    "shape": style["shape"],
                    "size": round(size, 1),
                    "borderWidth": 3 if iri == self.view.focus else 1.5,
                    **({"shapeProperties": {"borderDashes": [3, 3]}} if self.proposal(iri) else {}),
                    "color": {
                        "background": colour,
                        "border": shade(colour, 0.65),
                        "highlight": {"background": shade(colour, 1.3), "border": "#111827"},
                        "hover": {"background": shade(colour, 1.15), "border": "#111827"},
                    },
                }
            )
        return result

    def edges(self) -> list[dict[str, Any]]:
        """The vis edges, with the property and the basis of each."""
        pairs: dict[frozenset[str], int] = defaultdict(int)
        for s, _p, o in self.links:
            pairs[frozenset((s, o))] += 1
        seen: dict[frozenset[str], int] = defaultdict(int)
        result = []
        for s, p, o in self.links:
            edge: dict[str, Any] = {"id": self.edge_of[(s, p, o)], "from": s, "to": o, "p": p}
            basis = self.model.basis(s, p, o)
            if basis is not None and basis.background:
                edge["dashes"] = True
            elif basis is not None and self.proposal(basis.statement):
                edge["dashes"] = [2, 4]  # proposed by a draft: dotted
            pair = frozenset((s, o))
            if pairs[pair] > 1:  # parallel links: bend each one differently
                edge["smooth"] = {"type": "curvedCW", "roundness": 0.15 * seen[pair]}
                seen[pair] += 1
            result.append(edge)
        return result

    def edge_info(self) -> dict[str, Any]:
        """Label, basis and quotes of each edge, by edge id: a relation with a statement shows
        that statement's basis; the links generated for a fact are stated by its quote."""
        result = {}
        for s, p, o in self.links:
            basis = self.model.basis(s, p, o)
            row: dict[str, Any] = {"p": self.term(p)}
            if basis is None:
                row.update(basis=None, ev=self.evidence(s))
            elif basis.background:
                row.update(
                    basis={
                        "kind": "background",
                        "label": self.term(LK + "BackgroundKnowledge"),
                        "note": basis.note,
                        "noteLang": basis.note_lang,
                        "by": [list(self.model.label(b)) for b in basis.by],
                    },
                    ev=[],
                )
            else:
                spans = self.quotes(basis.statement)
                row.update(
                    basis={
                        "kind": "text",
                        "label": self.term(LK + "TextEvidence"),
                        "mention": basis.mention,
                    },
                    ev=spans,
                )
            result[self.edge_of[(s, p, o)]] = row
        return result

    def legend(self) -> list[dict[str, Any]]:
        """The families and, inside each, the classes present, with colour, shape and count."""
        counts: dict[str, int] = defaultdict(int)
        for iri in self.view.shown:
            counts[self.model.classes[iri]] += 1
        families = []
        for key, zh, en, colour, folded, _tops in FAMILIES:
            members = [c for c in self.classes if self.styles[c]["family"] == key]
            if not members:
                continue
            classes = []
            for cls in members:
                czh, cen = self.model.label(cls)
                style = self.styles[cls]
                classes.append(
                    {
                        "iri": cls,
                        "key": local_name(cls),
                        "zh": czh,
                        "en": cen,
                        "colour": style["colour"],
                        "shape": style["shape"],
                        "count": counts[cls],
                    }
                )
            families.append(
                {
                    "key": key,
                    "zh": zh,
                    "en": en,
                    "colour": colour,
                    "folded": folded,
                    "classes": classes,
                }
            )
        return families

    # --- the article ---

    def span_fact(self, span: Span) -> dict[str, Any]:
        """What a quote states, for the read view: an entity, or a relation (edge)."""
        if span.fact in self.model.classes:
            return {"n": span.fact}
        if span.fact in self.restated_of:
            return {"n": self.restated_of[span.fact], "restated": True}
        statement = self.statement(span.fact)
        if statement is not None and statement in self.edge_of:
            return {"e": self.edge_of[statement], "n": statement[0]}
        if statement is not None:
            return {"n": statement[0], "rel": [*self.term(statement[1]), statement[2]]}
        return {}

    def statement(self, iri: str) -> tuple[str, str, str] | None:
        """(subject, property, object) of an lk:Statement."""
        values = self.model_values(iri)
        parts = [values.get(LK + f"statement{k}", []) for k in ("Subject", "Predicate", "Object")]
        if not all(parts):
            return None
        return parts[0][0].value, parts[1][0].value, parts[2][0].value

    def span_entry(self, span: Span) -> dict[str, Any] | None:
        """A quote as the page holds it: its words, context, line, and what it states."""
        fact = self.span_fact(span)
        if not fact or fact["n"] not in self.shown:
            return None
        entity = fact["n"]
        related = "e" in fact or "rel" in fact
        kind = "relation" if related else self.model.family(self.model.classes[entity])
        entry: dict[str, Any] = {"k": kind, "x": span.exact, "pre": span.prefix, "suf": span.suffix}
        if self.proposal(span.fact):
            entry["pr"] = True  # a draft's proposal: marked apart in the article
        return {**entry, **fact, "l": span.line, "a": span.article}

    def quote_texts(self) -> dict[str, str]:
        """The span id of each quote's words: an evidence quote's, and a Quote's own text."""
        found: dict[str, str] = {}
        for sid, span in sorted(self.used.items(), key=lambda item: int(item[0][1:])):
            found.setdefault(span.exact, sid)
        for iri in self.view.shown:
            if local_name(self.model.classes[iri]) != "Quote" or not self.info_ev.get(iri):
                continue
            for words in self.values[iri].get(SCHEMA_TEXT, []):
                found.setdefault(words.value, self.info_ev[iri][0])
        return found

    def read_articles(self) -> tuple[list[str], str | None]:
        """The articles with a read view: all, or the READ_ARTICLES with most facts shown."""
        articles = sorted(self.model.texts)
        if len(articles) <= READ_ARTICLES:
            return articles, None
        facts: dict[str, int] = defaultdict(int)
        for iri in self.view.shown:
            for source in self.values[iri].get(LK + "sourceArticle", []):
                facts[source.value] += 1
        chosen = sorted(articles, key=lambda a: (-facts[a], a))[:READ_ARTICLES]
        return sorted(chosen), f"{READ_ARTICLES} of {len(articles)}"

    def reading(self) -> tuple[list[dict[str, Any]], str | None]:
        """The read view: each article's paragraphs cut into segments at every quote's
        start and end, and why some articles are left out."""
        articles, note = self.read_articles()
        views = []
        for article in articles:
            text = self.model.texts[article]
            marks: list[Mark] = []
            for span in self.model.spans_in(article):
                fact = self.span_fact(span)
                if not fact or fact["n"] not in self.shown:
                    continue
                self.used[span.id] = span
                marks.append((span.start, span.end, span.id, None))
                entity = fact["n"]
                if local_name(self.model.classes[entity]) == "Observation" and "e" not in fact:
                    figure = span.fact if fact.get("restated") else entity
                    words = self.model_values(figure).get(LK + "valueText", [])
                    if words and words[0].value in span.exact:
                        at = span.start + span.exact.index(words[0].value)
                        marks.append((at, at + len(words[0].value), span.id, figure))
            title = self.model.label(article)
            views.append(
                {
                    "id": article,
                    "title": list(title),
                    "paragraphs": paragraphs(text, marks),
                    "figures": self._figures(marks),
                }
            )
        return views, note

    def model_values(self, iri: str) -> dict[str, list[Term]]:
        """Property values of any node (read from the store when not an entity shown)."""
        if iri in self.values:
            return self.values[iri]
        if iri not in self.others:
            found: dict[str, list[Term]] = defaultdict(list)
            for prop, obj in self.model.triples(iri):
                found[prop].append(obj)
            self.others[iri] = dict(found)
        return self.others[iri]

    def _figures(self, marks: list[Mark]) -> dict[str, Any]:
        """The normalised value, unit and period of each figure marked in the text."""
        result = {}
        for _start, _end, _span, figure in marks:
            if figure is None or figure in result:
                continue
            values = self.model_values(figure)
            found = amount(values)
            observation = self.restated_of.get(figure, figure)
            period = self.model_values(observation).get(LK + "refPeriod", [])
            label = list(self.model.label(period[0].value)) if period else list(NO_PERIOD)
            result[figure] = {"v": list(found) if found else ["", ""], "period": label}
        return result

    def titles(self) -> dict[str, str]:
        """The page heading in both languages: the article's headline when there is one."""
        zh, en = "罗湖知识图谱", "Luohu knowledge graph"
        if len(self.model.texts) == 1:
            azh, aen = self.model.label(next(iter(self.model.texts)))
            zh, en = f"{zh} · {azh}", f"{en} · {aen}"
        if self.view.focus:
            czh, cen = self.model.label(self.view.focus)
            d = self.view.depth
            zh += f" — {czh} 周边 {d} 跳"
            en += f" — {d}-hop neighbourhood of {cen}"
        return {"zh": zh, "en": en}

    def page(self, lang: str, with_questions: bool) -> dict[str, Any]:
        """Everything the page script needs, as one JSON-ready value."""
        nodes = self.nodes()
        folded = self.folded()
        incoming = self.incoming()
        info = {}
        for iri in self.view.shown:
            row = self.info(iri)
            row.update(folded.get(iri, {}))
            row["in"] = incoming.get(iri, [])
            info[iri] = row
        reading, read_note = self.reading()
        edge_info = self.edge_info()
        asked, asked_note = (
            questions(self.model.store, self.shown, self.quote_texts(), self.base)
            if with_questions
            else ([], "skipped")
        )
        spans = {}
        for sid, span in sorted(self.used.items(), key=lambda item: int(item[0][1:])):
            entry = self.span_entry(span)
            if entry is not None:
                spans[sid] = entry
        total = self.view.total
        return {
            "lang": lang,
            "title": self.titles(),
            "focus": self.view.focus,
            "depth": self.view.depth,
            "stats": {
                "entities": total,
                "shown": len(self.view.shown),
                "links": len(self.links),
                "capped": self.view.capped,
            },
            "notes": {"read": read_note, "questions": asked_note},
            "font": FONT_STACK,
            "families": self.legend(),
            "nodes": nodes,
            "edges": self.edges(),
            "labels": {i: list(self.display_labels(i)) for i in self.view.shown},
            "info": info,
            "edgeInfo": edge_info,
            "articles": reading,
            "spans": spans,
            "questions": asked,
            "options": vis_options(len(nodes)),
        }


def vis_options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: barnesHut physics that stabilise, then stop (see the page)."""
    small = n_nodes <= 150
    big = n_nodes > 600
    iterations = 600 if small else max(60, min(400, 150_000 // max(n_nodes, 1)))
    return {
        "autoResize": True,
        "layout": {"randomSeed": 20210825, "improvedLayout": n_nodes <= 150},
        "physics": {
            "enabled": True,
            # forceAtlas2 spreads a hub's neighbours out (barnesHut packs them round it)
            "solver": "forceAtlas2Based" if n_nodes <= 300 else "barnesHut",
            "forceAtlas2Based": {
                "theta": 0.5,
                "gravitationalConstant": -70,
                "centralGravity": 0.02,
                "springLength": 70,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.9,
            },
            "barnesHut": {
                "theta": 0.8,
                "gravitationalConstant": -2600,
                "centralGravity": 0.45,
                "springLength": 90,
                "springConstant": 0.04,
                "damping": 0.2,
                "avoidOverlap": 0,
            },
            "maxVelocity": 50,
            "minVelocity": 0.75 if not big else 2,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 25,
                "fit": False,
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
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#b6bfcc", "highlight": "#1f2937", "hover": "#4b5563"},
            "width": 1.2,
            "selectionWidth": 1.5,
            "font": {
                "face": FONT_STACK,
                "size": 0,  # edge labels show for the selected node only (the page sets them)
                "color": "#374151",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "horizontal",
            },
            "smooth": {"enabled": not big, "type": "continuous", "roundness": 0.3},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "keyboard": {"enabled": False},
            "navigationButtons": False,
            "multiselect": False,
            "zoomView": True,
            "dragView": True,
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
    """A vis-network file bundled with pyvis, checked to be safe to inline (found without
    importing pyvis, whose package imports IPython and jinja at start)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: its copy of vis-network is inlined")
    folder = Path(next(iter(spec.submodule_search_locations)))
    text = (folder / VIS_DIR / name).read_text("utf-8")
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


def render_html(
    view: View, lang: str = "zh", base: str = DEFAULT_BASE, with_questions: bool | None = None
) -> str:
    """The page of a view, as a string; the questions tab is filled up to
    QUESTION_TRIPLES triples unless `with_questions` says."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (zh or en)")
    if with_questions is None:
        with_questions = len(view.model.store) <= QUESTION_TRIPLES
        if not with_questions:
            view.notes.append(
                f"graph.html's questions tab is empty: the catalog is run at build time up to "
                f"{QUESTION_TRIPLES:,} triples; ask with `luohu-kg query NAME`"
            )
    data = PageData(view, base).page(lang, with_questions)
    template = _environment().get_template(TEMPLATE)
    return template.render(
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        heading=data["title"][lang],
        font_stack=Markup(FONT_STACK),  # a constant; autoescaping would break the CSS
        data_json=json_for_script(data),
        vis_js=Markup(_bundled("vis-network.min.js")),
        vis_css=Markup(_bundled("vis-network.css")),
    )


def focus_path(focus: str, folder: Path = Path("out"), base: str = DEFAULT_BASE) -> Path:
    """Where `viz --focus` writes by default: `out/graph-<id>.html`, so that the full view
    (`out/graph.html`) is kept; characters other than letters, digits, `.`, `_`, `-` in the
    id (e.g. the `/` of `article/…`) become `-`."""
    ident = focus[len(base) :] if focus.startswith(base) else local_name(focus)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", ident).strip("-.") or "entity"
    return folder / f"graph-{safe}.html"


def graph_html(
    store: ox.Store,
    *,
    lang: str = "zh",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    base: str = DEFAULT_BASE,
    with_questions: bool | None = None,
) -> tuple[bytes, View]:
    """The page of the graph in `store` as UTF-8 bytes, and what it shows."""
    view = select_view(PageModel.read(store), focus, depth, max_nodes, base)
    return render_html(view, lang, base, with_questions).encode("utf-8"), view


def write_graph_html(
    store: ox.Store,
    path: Path,
    *,
    lang: str = "zh",
    focus: str | None = None,
    depth: int = 1,
    max_nodes: int | None = None,
    base: str = DEFAULT_BASE,
) -> View:
    """Write the page of `store` to `path` (atomically) and return what it shows.

    `focus` (an entity's zh/en label, id or IRI) limits the view to the entities within
    `depth` links of it; `max_nodes` keeps the most central ones. Raises
    `resolver.EntityLookupError` when `focus` names no entity or several.
    """
    content, view = graph_html(
        store, lang=lang, focus=focus, depth=depth, max_nodes=max_nodes, base=base
    )
    write_atomic(path, content)
    return view
