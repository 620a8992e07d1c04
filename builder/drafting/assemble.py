"""The stages put together: entities found and merged, linked or given ids, then the facts
(entities, posts, indicators and figures, quotes, claims) each with a unique quote."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

from . import claims, entities, events, figures, people, relations, segment
from .entities import ORG_TYPES, PLACE_TYPES, SUFFIX_INFO, Entity, Mention
from .facts import add_facts
from .linking import GraphIndex, english_label, new_id, person_id
from .merge import merge_entities
from .text import ArticleText, Span

if TYPE_CHECKING:
    from . import Draft

# the lines that end a WeChat article's body: what follows is the page around it
_CHROME = re.compile(
    r"^(?:往期精彩回顾|往期回顾|推荐阅读|相关阅读|延伸阅读|猜你喜欢|您可能也对)", re.M
)
FLAGS = {"Person": "nr", **{t: "ns" for t in PLACE_TYPES}, **{t: "nt" for t in ORG_TYPES}}


class Assembler:
    """Turns one article's text into proposed facts."""

    def __init__(
        self,
        aid: str,
        text: str,
        year: int,
        published: str,
        index: GraphIndex,
        roles: dict[str, str] | None = None,
    ):
        self.article = ArticleText(aid, text)
        self.roles = roles or {}  # byline rule -> the id article.yaml gives (publisher…)
        self.year, self.published, self.index = year, published, index
        chrome = _CHROME.search(text)
        self.body_end = chrome.start() if chrome else len(text)
        self.entities: dict[str, Entity] = {}
        self.taken: set[str] = set(index.ids)
        self.facts: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.ambiguous: list[dict[str, Any]] = []
        self.numbers: list[dict[str, Any]] = []  # numbers written in Chinese, for review
        self.post_list: list[people.Post] = []
        self.posts_by_person: dict[str, str] = {}  # person's zh -> the id of their last post
        self.first_words: list[claims.FirstWords] = []
        self.fact_by_id: dict[str, dict[str, Any]] = {}  # the entity facts, by id

    # ------------------------------------------------------------------ entities
    def add(
        self,
        kind: str,
        zh: str,
        span: Span | Mention,
        rule: str,
        confidence: float,
        suffix_en: str = "",
    ) -> Entity:
        """The entity of this label, made or found, with one more mention."""
        mention = Mention(span.start, span.end, span.text)
        entity = self.entities.get(zh)
        if entity is None:
            entity = Entity(kind, zh, [], rule, confidence, suffix_en)
            self.entities[zh] = entity
        elif confidence > entity.confidence:
            entity.type, entity.rule, entity.confidence = kind, rule, confidence
            entity.en_suffix = suffix_en or entity.en_suffix
        if all(m.start != mention.start for m in entity.mentions):
            entity.mentions.append(mention)
        return entity

    def collect(self) -> None:
        """Every candidate name of the text."""
        text = self.article.text
        for doc in entities.documents(self.article):
            for mention in doc.mentions:
                entity = self.add(doc.type, doc.zh, mention, doc.rule, doc.confidence)
                entity.alt_zh = sorted(set(entity.alt_zh) | set(doc.alt_zh))
            for name, kind in entities.issuers(doc):
                at = text.find(name, doc.mentions[0].start)
                self.add(kind, name, Span(at, at + len(name), name), "document-issuer", 0.8)
        for found in (*entities.byline(self.article), *entities.titled_people(self.article)):
            self.add(found.type, found.zh, found.mentions[0], found.rule, found.confidence)
        for post in people.posts(self.article):
            if post.org_span.start >= self.body_end:
                continue
            self.post_list.append(post)
            self.add("Person", post.person, post.name_span, "post-holder", 0.85)
            org_kind = _org_type(post.org)
            at = text.find(post.org, post.org_span.start) if post.org else -1
            if at >= 0 and at < post.name_span.start:
                self.add(
                    org_kind, post.org, Span(at, at + len(post.org), post.org), "post-org", 0.8
                )
        for sentence in self.article.sentences:
            if sentence.start >= self.body_end:
                break
            for clause in self.article.clauses(sentence, enumeration=False):
                for named, kind, last, rule in entities.suffix_names(clause):
                    self.add(kind, named.text, named, rule, 0.6, SUFFIX_INFO[last][1])
                for span, kind in entities.standalone_names(clause):
                    self.add(kind, span.text, span, "standalone-name", 0.7)
                for span, kind in entities.place_words(self.article, clause):
                    self.add(kind, span.text, span, "place-word", 0.5)
        self._counted_programmes()
        self._redeveloped_places()
        self._first_claim_objects()
        for items, _words in relations.domain_lists(self.article, self.body_end):
            for item in items:
                self.add("Domain", item.text, item, "domain-list", 0.7)
        for place, thing, words in relations.located_at(self.article, self.body_end):
            located = self.entities.get(thing)  # 位于蛇口片区的南山实验学校: a name
            if located is None:  # 位于莲塘地区03-14地块的小学: the school is named by its place
                label = f"{place}的{thing}"
                at = words.start + words.text.index(label)
                kind = "Project" if thing.endswith(("学", "校", "园")) else "Facility"
                located = self.add(kind, label, Span(at, at + len(label), label), "located-at", 0.7)
            located.parent, located.parent_span = place, words
            if place not in self.entities and not any(
                place in e.alt_zh for e in self.entities.values()
            ):  # 位于X: X is a place, whatever its words
                at = words.start + len("位于")
                self.add("Area", place, Span(at, at + len(place), place), "located-at-place", 0.6)
        for label, _ in self.index.surface_forms():
            at = text.find(label, 0, self.body_end)
            if at >= 0 and label not in self.entities:
                known_id, _ = self.index.lookup([label])
                if known_id is not None:
                    known = self.index.known[known_id]
                    self.add(
                        known.type, label, Span(at, at + len(label), label), "graph-label", 0.9
                    )

    def _counted_programmes(self) -> None:
        """800个民生微实事项目: the projects counted belong to a programme (民生微实事)."""
        for sentence in self.article.sentences:
            if sentence.start >= self.body_end:
                break
            for figure in figures.figures_in(sentence):
                counted = figure.counted
                if counted is None:
                    continue
                words = counted.text.rstrip("…")
                if words.endswith("项目") and len(words) > 4:
                    entity = self.add(
                        "Programme",
                        words[:-2],
                        Span(counted.start, counted.start + len(words) - 2, words[:-2]),
                        "counted-projects",
                        0.6,
                    )
                    entity.alt_zh = sorted(set(entity.alt_zh) | {words})
                elif len(words) >= 4 and entities._SUFFIX.search(words[-3:]):
                    kind = _suffix_type(words)
                    self.add(
                        kind,
                        words,
                        Span(counted.start, counted.start + len(words), words),
                        "counted-things",
                        0.6,
                    )

    def _redeveloped_places(self) -> None:
        """“二线插花地”棚改: a redevelopment is of a place, named by the quoted words."""
        for zh, entity in list(self.entities.items()):
            m = re.fullmatch(r"“(?P<place>[^“”]{2,12})”(?:棚改|棚户区改造|旧改)", zh)
            if entity.type != "ShantytownRedevelopmentProject" or m is None:
                continue
            mention = entity.mentions[0]
            start = mention.start + 1
            place = self.add("Area", m["place"], Span(start, start + len(m["place"]),
                             m["place"]), "redeveloped-place", 0.6)  # fmt: skip
            place.alt_zh = sorted(set(place.alt_zh) | {f"“{m['place']}”"})
            entity.parent = place.zh
            entity.parent_span = Span(mention.start, mention.end, mention.text)

    def _first_claim_objects(self) -> None:
        """What a 'first' claim is about: the name right after its words."""
        self.first_words = claims.first_claims(self.article, self.body_end)
        text = self.article.text
        for claim in self.first_words:
            ends = [text.find(ch, claim.object_start) for ch in ",，。;；\n"]
            clause_end = min((at for at in ends if at >= 0), default=len(text))  # fmt: skip
            words = text[claim.object_start : clause_end]
            clause = Span(claim.object_start, clause_end, words)
            named = [n for n in entities.suffix_names(clause) if n[0].start == claim.object_start]
            if named:
                name, kind, suffix, _ = max(named, key=lambda n: n[0].end)
                self.add(
                    kind,
                    name.text,
                    name,
                    "first-claim-object",
                    0.75,
                    SUFFIX_INFO[suffix][1],
                )
            elif 2 <= len(words) <= 16:
                self.add("Initiative", words, clause, "first-claim-object", 0.6)

    def merge(self) -> None:
        """One entity per thing (see `merge`)."""
        merge_entities(self.entities, self.article.text, self.add)

    def link(self) -> None:
        """Existing ids for what the graph knows; new ids for the rest."""
        for zh in sorted(self.entities, key=lambda z: (self.entities[z].mentions[0].start, z)):
            entity = self.entities[zh]
            role = self.roles.get(entity.rule)
            if role is not None:  # article.yaml names it: publisher, author, compiled_by
                entity.id, entity.linked = role, role in self.index.ids
                self.taken.add(role)
                if not entity.linked:
                    entity.en = english_label(zh, "", "", entity.type == "Person")
                    entity.review.append("en")
                continue
            found, candidates = self.index.lookup(entity.forms())
            if found is not None:
                entity.id, entity.linked = found, True
                continue
            if candidates:
                self.ambiguous.append(
                    {
                        "zh": zh,
                        "candidates": candidates,
                        "evidence": self._quote(entity.mentions[0]) or zh,
                    }
                )
                entity.review.append("ambiguous")
            prefix = "post" if entity.type == "Post" else ""
            if entity.type == "Person" and not zh.endswith(("女士", "先生")):
                entity.id = person_id(zh, self.taken)
            else:
                entity.id = new_id(zh, self.taken, prefix)
            suffix = _suffix_of(zh)
            suffix_en = SUFFIX_INFO[suffix][1] if suffix else ""
            entity.en = english_label(zh, suffix, suffix_en, entity.type == "Person")
            if entity.type != "Person":
                entity.review.append("en")

    # ------------------------------------------------------------------ quotes
    def _quote(self, span: Span | Mention, end: int | None = None) -> str | None:
        """The shortest unique quote holding the span (to `end` if given)."""
        found = self.article.unique_quote(span.start, span.end if end is None else end)
        return found.text if found is not None else None

    def _quote_from(self, start: int, end: int) -> str | None:
        found = self.article.unique_quote(start, end)
        return found.text if found is not None else None

    def mentions_in(
        self, start: int, end: int, types: AbstractSet[str]
    ) -> list[tuple[Mention, Entity]]:
        """The mentions of entities of these types between two offsets, longest first at a
        place, in the order of the text."""
        found = []
        for entity in self.entities.values():
            if entity.type not in types:
                continue
            for form in entity.forms():
                at = self.article.text.find(form, start, end)
                while at >= 0:
                    found.append((Mention(at, at + len(form), form), entity))
                    at = self.article.text.find(form, at + 1, end)
        found.sort(key=lambda m: (m[0].start, -(m[0].end - m[0].start), m[1].zh))
        kept: list[tuple[Mention, Entity]] = []
        for mention, entity in found:
            if kept and mention.start < kept[-1][0].end:
                continue
            kept.append((mention, entity))
        return kept

    # ------------------------------------------------------------------ facts
    def entity_facts(self) -> None:
        """A fact for each new entity; a `links` entry for each existing one."""
        for zh in sorted(self.entities, key=lambda z: (self.entities[z].mentions[0].start, z)):
            entity = self.entities[zh]
            mention = min(entity.mentions, key=lambda m: (m.start >= self.body_end, m.start))
            quote = self._quote(mention)
            if quote is None:
                continue
            entity.written = True
            if entity.linked:
                self.links.append(
                    {
                        "id": entity.id,
                        "zh": mention.text,
                        "evidence": quote,
                        "proposed_by": "link-by-label",
                        "confidence": 0.9,
                    }
                )
                continue
            fact: dict[str, Any] = {
                "id": entity.id,
                "type": entity.type,
                "zh": entity.zh,
                "en": entity.en,
            }
            if entity.zh not in self.article.text:
                fact["zh_constructed"] = True
            alts = [a for a in entity.alt_zh if a != entity.zh]
            if alts:
                fact["alt_zh"] = alts
            fact["evidence"] = quote
            fact["relations"] = []  # filled by `relations.stated_relations`, or dropped
            fact["proposed_by"] = entity.rule
            fact["confidence"] = entity.confidence
            if entity.review:
                fact["review"] = sorted(set(entity.review))
            self.facts.append(fact)
            self.fact_by_id[entity.id] = fact

    def run(self) -> Draft:
        """Every stage, in order; the Draft."""
        from . import Draft

        words = [
            (label, FLAGS.get(self.index.known[i].type, "nz"))
            for label, i in self.index.surface_forms()
        ]
        segment.prepare(words)
        self.collect()
        self.merge()
        segment.prepare(
            [*words, *((zh, FLAGS.get(e.type, "nz")) for zh, e in self.entities.items())]
        )
        self.link()
        self.entity_facts()
        add_facts(self)
        events.add_events(self)
        return Draft(self.article.article_id, self.facts, self.links, self.ambiguous, self.numbers)


def _suffix_of(zh: str) -> str:
    for suffix, _, _ in entities.SUFFIXES:
        if zh.endswith(suffix):
            return suffix
    return ""


def _suffix_type(zh: str) -> str:
    suffix = _suffix_of(zh)
    return SUFFIX_INFO[suffix][0] if suffix else "Initiative"


def _org_type(org: str) -> str:
    kind = _suffix_type(org)
    if org.endswith(("委", "党组", "党委")):
        return "PartyOrganization"
    return kind if kind in ORG_TYPES else "GovernmentBody"
