"""One entity per thing: the names found for the same thing merged, and the labels a reader
of the article would also use (罗湖 for 罗湖区, 全市 for the article's only city)."""

from __future__ import annotations

import re
from typing import Protocol

from .entities import PLACE_TYPES, Entity
from .text import Span

ADMIN_SUFFIXES = ("区", "市", "省", "县")
# things named after a coinage in quotes: “反向办”服务 and “反向办”数据治理新服务模式 are one
COINED_TYPES = frozenset({"GovernanceService", "DigitalPlatform", "Programme", "Pilot", "Reform"})
_BRACKETED = re.compile(r"[(（](?P<other>[^()（）]{2,20})[)）]")
_COINAGE = re.compile(r"“([^”]{2,12})”")


def _absorb(owner: Entity, other: Entity, ents: dict[str, Entity], as_alt: bool = True) -> None:
    """`other` becomes a name of `owner`."""
    if as_alt:
        owner.alt_zh = sorted(set(owner.alt_zh) | set(other.forms()) - {owner.zh})
    owner.mentions += other.mentions
    ents.pop(other.zh, None)


def short_place_forms(ents: dict[str, Entity]) -> None:
    """罗湖 beside 罗湖区, 深圳 beside 深圳市: the same place; a place word jieba knows
    without such a longer form is dropped (it tags many words as places)."""
    for zh in sorted(ents):
        short = ents[zh]
        if short.rule != "place-word" or short.type == "Country":
            continue
        longer = next((ents[zh + s] for s in ADMIN_SUFFIXES if zh + s in ents), None)
        if longer is None:
            del ents[zh]
        else:
            _absorb(longer, short, ents)


def split_inner_places(ents: dict[str, Entity], add: AddEntity) -> None:
    """罗湖区清水河重点片区: the area is 清水河重点片区, written inside 罗湖区 (locatedIn)."""
    places = [e for e in ents.values() if e.type in PLACE_TYPES]
    for entity in list(ents.values()):
        if entity.type not in PLACE_TYPES or entity.type in {"City", "Province", "District"}:
            continue
        for place in places:
            rest = entity.zh[len(place.zh) :]
            if place is entity or not entity.zh.startswith(place.zh) or len(rest) < 4:
                continue
            mention = entity.mentions[0]
            start = mention.start + len(place.zh)
            inner = add(entity.type, rest, Span(start, mention.end, rest), entity.rule,
                        entity.confidence, entity.en_suffix)  # fmt: skip
            inner.parent = place.zh
            inner.parent_span = Span(mention.start, mention.end, mention.text)
            ents.pop(entity.zh, None)
            break


def bracketed_names(ents: dict[str, Entity], text: str) -> None:
    """罗湖未来学校(罗湖未来教育研究院): one thing with two names."""
    for zh in sorted(ents):
        entity = ents.get(zh)
        if entity is None:
            continue
        for mention in entity.mentions:
            m = _BRACKETED.match(text, mention.end)
            other = ents.get(m["other"]) if m else None
            if other is not None and other is not entity:
                _absorb(entity, other, ents)
                break


def alternative_names(ents: dict[str, Entity]) -> None:
    """民生微实事项目 beside 民生微实事 (whose alt label it is): one entity."""
    for zh in sorted(ents):
        entity = ents.get(zh)
        owner = next((e for e in ents.values() if e is not entity and zh in e.alt_zh), None)
        if entity is not None and owner is not None:
            _absorb(owner, entity, ents, as_alt=False)


def scope_words(ents: dict[str, Entity], text: str) -> None:
    """全市 and 全省 name the article's city and province, when it names only one of each."""
    for kind, word in (("City", "全市"), ("Province", "全省")):
        of_kind = [e for e in ents.values() if e.type == kind]
        if len(of_kind) == 1 and word in text:
            of_kind[0].alt_zh = sorted(set(of_kind[0].alt_zh) | {word})


def names_without_place(ents: dict[str, Entity], text: str) -> None:
    """罗湖医改 … 医改6年来: a name that starts with a place is also used without it; the
    place is where it is (its parent)."""
    places = [e for e in ents.values() if e.type in PLACE_TYPES]
    for entity in ents.values():
        if entity.type in PLACE_TYPES or entity.type == "Person":
            continue
        for place in places:
            form = next((f for f in place.forms() if entity.zh.startswith(f)), None)
            if form is None:
                continue
            rest = entity.zh[len(form) :]
            if len(rest) >= 2 and rest not in ents:
                if text.count(rest) > text.count(entity.zh):
                    entity.alt_zh = sorted(set(entity.alt_zh) | {rest})
                entity.parent = entity.parent or place.zh
            break


def coinages(ents: dict[str, Entity]) -> None:
    """“反向办”服务 and “反向办”数据治理新服务模式: one service named by its coinage; the
    coinage (with and without its quotes) is an alt label of the longest name."""
    heads: dict[str, Entity] = {}
    for zh in sorted(ents, key=lambda z: (-len(z), z)):
        entity = ents[zh]
        head = _COINAGE.match(zh)
        if head is None or entity.type not in COINED_TYPES:
            continue
        owner = heads.get(head[1])
        if owner is None:
            heads[head[1]] = entity
            entity.alt_zh = sorted(set(entity.alt_zh) | {head[1], head[0]})
        elif owner.type == entity.type or entity.type == "GovernanceService":
            _absorb(owner, entity, ents)


def merge_entities(ents: dict[str, Entity], text: str, add: AddEntity) -> None:
    """Every merge, in order."""
    short_place_forms(ents)
    split_inner_places(ents, add)
    bracketed_names(ents, text)
    alternative_names(ents)
    scope_words(ents, text)
    names_without_place(ents, text)
    coinages(ents)


class AddEntity(Protocol):
    """The assembler's `add`: the entity of a label, made or found, with a mention."""

    def __call__(self, kind: str, zh: str, span: Span, rule: str, confidence: float,
                 suffix_en: str = "") -> Entity: ...  # fmt: skip
