"""Relations a sentence states, each with the words that state it: 位于X的Y (Y locatedIn X),
a name written inside a place's (罗湖区清水河重点片区: locatedIn), 由X负责 (carriedOutBy X),
投入…开展Y (the actor invests in Y), 涉及A、B…N大领域 (hasDomain), 《X关于…》 (issuedBy X).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .entities import ORG_TYPES, PLACE_TYPES, Entity
from .text import ArticleText, Span

if TYPE_CHECKING:
    from .assemble import Assembler

ACTIVITY_TYPES = frozenset({
    "Project", "ShantytownRedevelopmentProject", "ProjectProposal", "Programme",
    "GovernanceService", "Pilot", "Reform", "DigitalPlatform", "Initiative", "School",
})  # fmt: skip

LOCATED_AT = re.compile(
    r"位于(?P<place>[^,，。:：;；的\n]{2,20})的(?P<thing>[^,，。:：;；\n]{2,12}?)(?=[,，。:：;；\n]|将|，)"
)
CARRIED_BY = re.compile(
    r"由(?P<agent>[^,，。:：;；\n]{2,20}?)(?:负责|牵头|实施|承办|主办|建设|运营|组织)"
)
INVESTS = re.compile(
    r"投入(?P<money>[^,，。;；\n]{1,16}?元)(?:用于|开展|建设|推进|实施)(?P<what>[^,，。;；\n…]{2,30})"
)
DOMAINS = re.compile(
    r"涉及(?P<list>(?:[\u4e00-\u9fff]{2,6}、)+[\u4e00-\u9fff]{2,6}?)(?:[0-9]+|[一二三四五六七八九十])大?领域"
)


def located_at(article: ArticleText, body_end: int) -> list[tuple[str, str, Span]]:
    """(place, thing, words) of every 位于X的Y: the place X, the thing Y, and the words."""
    return [
        (m["place"], m["thing"], Span(m.start(), m.end(), m.group()))
        for m in LOCATED_AT.finditer(article.text, 0, body_end)
    ]


def carried_by(article: ArticleText, body_end: int) -> list[tuple[str, Span]]:
    """(agent words, words) of every 由X负责/实施/…."""
    return [
        (m["agent"], Span(m.start(), m.end(), m.group()))
        for m in CARRIED_BY.finditer(article.text, 0, body_end)
        if not m["agent"].startswith("此")
    ]


def investments(article: ArticleText, body_end: int) -> list[tuple[Span, Span]]:
    """(money words, what it is spent on) of every 投入…元开展…."""
    return [
        (Span(m.start("money"), m.end("money"), m["money"]),
         Span(m.start("what"), m.end("what"), m["what"]))
        for m in INVESTS.finditer(article.text, 0, body_end)
    ]  # fmt: skip


def domain_lists(article: ArticleText, body_end: int) -> list[tuple[list[Span], Span]]:
    """(the listed domains, the words) of every 涉及A、B、C N大领域."""
    found = []
    for m in DOMAINS.finditer(article.text, 0, body_end):
        items, at = [], m.start("list")
        for name in m["list"].split("、"):
            items.append(Span(at, at + len(name), name))
            at += len(name) + 1
        found.append((items, Span(m.start(), m.end(), m.group())))
    return found


def _add(a: Assembler, subject: Entity, prop: str, obj: Entity, words: Span, rule: str,
         confidence: float) -> None:  # fmt: skip
    """Add `subject prop obj` to the subject's fact, with the shortest unique quote holding
    `words` when the fact's own quote does not already name the object."""
    fact = a.fact_by_id.get(subject.id)
    if fact is None or not obj.written or obj is subject:
        return  # a linked entity's relations are the curated article's
    own = str(fact["evidence"])
    quote = own if any(form in own for form in obj.forms()) else a._quote(words)
    if quote is None or not any(form in quote for form in obj.forms()):
        return
    if quote != own and not any(form in quote for form in subject.forms()):
        return  # the model also wants the subject named (or the quote next to its own)
    if any(r["property"] == prop and r["object"] == obj.id for r in fact["relations"]):
        return
    relation: dict[str, Any] = {"property": prop, "object": obj.id}
    if quote != own:
        relation["evidence"] = quote
    relation.update({"proposed_by": rule, "confidence": confidence})
    fact["relations"].append(relation)


def _first_in(a: Assembler, start: int, end: int, types: frozenset[str]) -> Any:
    found = a.mentions_in(start, end, types)
    return found[0] if found else None


def stated_relations(a: Assembler) -> None:
    """Every relation these rules find, added to the facts of their subjects; a fact left
    without relations loses its empty list."""
    text = a.article.text
    for entity in a.entities.values():  # 罗湖区清水河重点片区, 位于莲塘地区03-14地块的小学
        parent = a.entities.get(entity.parent or "")
        if parent is None:
            parent = next((e for e in a.entities.values() if entity.parent in e.alt_zh), None)
        if parent is not None and parent.type in PLACE_TYPES and entity.parent_span is not None:
            _add(a, entity, "locatedIn", parent, entity.parent_span, "name-inside-place", 0.7)
        elif parent is not None and parent.type in PLACE_TYPES and entity.type in ORG_TYPES:
            mention = entity.mentions[0]
            _add(a, entity, "locatedIn", parent, Span(mention.start, mention.end, mention.text),
                 "name-starts-with-place", 0.7)  # fmt: skip
    for items, words in domain_lists(a.article, a.body_end):  # 涉及民政、卫健…5大领域
        sentence = a.article.sentence_at(words.start)
        first = _first_in(a, sentence.start, words.start, ACTIVITY_TYPES)
        if first is None:
            continue
        for item in items:
            domain = a.entities.get(item.text)
            if domain is not None:
                span = Span(first[0].start, words.end, text[first[0].start : words.end])
                _add(a, first[1], "hasDomain", domain, span, "involves-domains", 0.6)
    for agent_words, words in carried_by(a.article, a.body_end):  # 由区教育局负责
        agent = _first_in(a, words.start, words.end, ORG_TYPES)
        sentence = a.article.sentence_at(words.start)
        activity = _first_in(a, sentence.start, words.start, ACTIVITY_TYPES)
        if agent is not None and activity is not None and agent_words:
            span = Span(activity[0].start, words.end, text[activity[0].start : words.end])
            _add(a, activity[1], "carriedOutBy", agent[1], span, "carried-out-by", 0.6)
    for money, what in investments(a.article, a.body_end):  # X投入…元开展Y
        sentence = a.article.sentence_at(money.start)
        agent = _first_in(a, sentence.start, money.start, ORG_TYPES)
        spent = _first_in(a, what.start, what.end, ACTIVITY_TYPES)
        if agent is not None and spent is not None:
            span = Span(agent[0].start, spent[0].end, text[agent[0].start : spent[0].end])
            _add(a, agent[1], "invests", spent[1], span, "invests-in", 0.6)
    for fact in a.facts:
        if fact.get("relations") == []:
            del fact["relations"]
