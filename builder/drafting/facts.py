"""The facts that rest on entities: posts and holders, indicators and figures, quotes, and
claims (first, comparison), each with a quote that names what it refers to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import figures, people, periods, relations
from .entities import ORG_TYPES, PLACE_TYPES, Entity
from .linking import new_id, unique_id
from .text import Span

if TYPE_CHECKING:
    from .assemble import Assembler

_YEARS_SINCE = re.compile(r"[0-9]{1,2}年来")
_DEMONSTRATIVE_WORDS = re.compile(r"^(?:该|这|此|其)")
SUBJECT_TYPES = (
    PLACE_TYPES
    | ORG_TYPES
    | frozenset(
        {
            "Project",
            "ShantytownRedevelopmentProject",
            "DigitalPlatform",
            "GovernanceService",
            "Pilot",
            "Reform",
            "Programme",
            "Plan",
            "PolicyDocument",
            "Initiative",
        }
    )
    - {"NewsOrganization"}
)
PROJECT_TYPES = frozenset({"Project", "ShantytownRedevelopmentProject", "School"})
_DEMONSTRATIVE = re.compile(r"(?:该|这个|这间|这所|此)(?P<noun>项目|工程|学校|平台|中心|校)")
_DEMONSTRATED = {
    "项目": PROJECT_TYPES,
    "工程": PROJECT_TYPES,
    "学校": {"School", *PROJECT_TYPES},
    "校": {"School", *PROJECT_TYPES},
    "平台": {"DigitalPlatform"},
    "中心": {"GovernanceService"},
}
TOPIC_REACH = 320  # characters back a figure's subject may be named, in earlier sentences
SCOPE_TYPES = {"全市": "City", "全省": "Province", "全国": "Country"}
SPEAKER_TYPES = frozenset({"Person"})


def add_facts(a: Assembler) -> None:
    """Posts, figures, quotes and claims, appended to the assembler's facts; the numbers
    written in Chinese, listed for review."""
    _posts(a)
    _figures(a)
    _quotes(a)
    _first_claims(a)
    _chinese_numbers(a)
    relations.stated_relations(a)


def _chinese_numbers(a: Assembler) -> None:
    """八个方面, 两周年, 首批: the fact files write figures in digits, so these are listed
    (with their value) for the curator, who decides what they state."""
    for sentence in a.article.sentences:
        if sentence.start >= a.body_end:
            break
        for number in figures.chinese_numbers(sentence):
            quote = a._quote_from(number.start, number.end)
            if quote is not None:
                a.numbers.append(
                    {
                        "text": number.text,
                        "value": number.value,
                        "kind": number.kind,
                        "evidence": quote,
                        "proposed_by": "chinese-numeral",
                        "confidence": 0.6,
                    }
                )


def _entity(a: Assembler, zh: str) -> Entity | None:
    found = a.entities.get(zh)
    if found is not None:
        return found
    return next((e for e in a.entities.values() if zh in e.alt_zh), None)


def _names(entity: Entity, quote: str) -> bool:
    return any(form and form in quote for form in entity.forms())


def _posts(a: Assembler) -> None:
    seen: set[str] = set()
    for post in a.post_list:
        org, person = _entity(a, post.org), _entity(a, post.person)
        if post.zh in seen or person is None or not person.written:
            continue
        if org is not None and (not org.written or org.type not in ORG_TYPES):
            org = None  # 福田区区长: the post of a district's head is in its government
        quote = a._quote(post.span)
        if quote is None:
            continue
        seen.add(post.zh)
        zh, constructed = post.zh, post.constructed
        if not post.org:  # 区长郑嘉敏: the head of the article's one district (city…)
            place = _only_place(a, HEAD_PLACES.get(post.title.lstrip("常务副"), ""))
            if place is not None:
                zh, constructed = place.zh + post.title, True
        known, _ = a.index.lookup([zh])
        if known is not None and a.index.known[known].type == "Post" and person.linked:
            # a post the graph has, held by a person it has: the same post, not a second one
            _link_once(
                a,
                {
                    "id": known,
                    "zh": zh,
                    "evidence": quote,
                    "proposed_by": "post-by-label",
                    "confidence": 0.85,
                },
            )
            a.posts_by_person[post.person] = known
            continue
        pid = new_id(zh, a.taken, "post")
        fact: dict[str, Any] = {"id": pid, "type": "Post", "zh": zh, "en": "", "evidence": quote}
        org_en = org.en if org is not None else ""
        fact["en"] = f"{post.title} of {org_en}" if org_en else post.title
        if constructed:
            fact["zh_constructed"] = True
            fact["alt_zh"] = [post.title]
        rels: list[dict[str, Any]] = []
        if org is not None and (org.zh in quote or org.zh + "党组" in quote or post.org in quote):
            rels.append({"property": "postIn", "object": org.id})
        rels.append({"property": "heldBy", "object": person.id})
        fact["relations"] = rels
        fact["proposed_by"] = "post-title-name"
        fact["confidence"] = 0.85 if not post.constructed else 0.75
        fact["review"] = ["en"]
        a.facts.append(fact)
        a.posts_by_person[post.person] = pid


HEAD_PLACES = {"区长": "District", "市长": "City", "省长": "Province", "县长": "District"}


def _only_place(a: Assembler, kind: str) -> Entity | None:
    """The article's one place of a kind (its only District), or None."""
    of_kind = [e for e in a.entities.values() if e.type == kind and e.written]
    return of_kind[0] if len(of_kind) == 1 else None


def _subject(
    a: Assembler, sentence: Span, figure: figures.Figure, after: int = -1
) -> tuple[Any, Any, str | None]:
    """(mention, entity, subject_mention) of what a figure is about."""
    text = a.article.text
    before = text[sentence.start : figure.start]
    demo = None
    for m in _DEMONSTRATIVE.finditer(before):
        demo = m
    if demo is not None:
        wanted = _DEMONSTRATED[demo["noun"]]
        demo_at = sentence.start + demo.start()
        earlier = a.mentions_in(max(0, demo_at - 1500), demo_at, wanted)
        if earlier:
            mention, entity = earlier[-1]
            words = Span(sentence.start + demo.start(), sentence.start + demo.end(), demo.group())
            return words, entity, demo.group()
    if figure.counted is not None:
        counted = a.mentions_in(figure.counted.start, figure.counted.end + 2, SUBJECT_TYPES)
        if counted and counted[0][0].start == figure.counted.start:
            return counted[0][0], counted[0][1], None
    for money, what in relations.investments(a.article, a.body_end):
        if money.start <= figure.start < money.end:
            spent = a.mentions_in(what.start, what.end, SUBJECT_TYPES)
            if spent:
                return spent[0][0], spent[0][1], None
    here = [  # not 全市 (a scope), not 医改 in 医改6年来 (a time: since the reform)
        (m, e) for m, e in a.mentions_in(sentence.start, figure.start, SUBJECT_TYPES)
        if not m.text.startswith("全")
        and (m.end == figure.start or not _YEARS_SINCE.match(text, m.end))
        and not (text[m.start - 1 : m.start] == "据" and e.type in ORG_TYPES)  # 据…统计局: a source
    ]  # fmt: skip
    since = [(m, e) for m, e in here if m.start >= after]
    if since:  # a clause's own subject, after the figure before it (…,社康中心诊疗…)
        here = since + [x for x in here if x not in since]
    if here and any(w in before[-8:] for w in figures.ATTRIBUTE_WORDS[:3]):
        projects = [
            (m, e)
            for m, e in here
            if e.type in {"Project", "School", "ShantytownRedevelopmentProject"}
        ]
        if projects:
            return projects[-1][0], projects[-1][1], None
    if here:
        return here[0][0], here[0][1], None
    # no subject in the sentence: the first one of the nearest sentence before that has one
    earlier = [
        (m, e)
        for m, e in a.mentions_in(max(0, sentence.start - TOPIC_REACH), sentence.start,
                                  SUBJECT_TYPES)
        if not m.text.startswith("全")
    ]  # fmt: skip
    if earlier:
        last = a.article.sentence_at(earlier[-1][0].start)
        first = next(x for x in earlier if a.article.sentence_at(x[0].start) == last)
        return first[0], first[1], None
    return None, None, None


def _figures(a: Assembler) -> None:
    indicators: dict[tuple[str, str], str] = {}
    for sentence in a.article.sentences:
        if sentence.start >= a.body_end:
            break
        found = figures.figures_in(sentence)
        if not found:
            continue
        times = periods.time_words(sentence.text, sentence.start, a.year, a.published)
        if not times:  # 上半年,…。X增长…。: the time of the paragraph's first sentence
            paragraph = a.article.paragraph_at(sentence.start)
            lead = paragraph.text[: sentence.start - paragraph.start]
            carried = periods.time_words(lead, paragraph.start, a.year, a.published)
            times = [t for t in carried if t.kind == "period"][:1]
        every_type = {e.type for e in a.entities.values()}
        names = [
            Span(m.start, m.end, m.text)
            for m, _ in a.mentions_in(sentence.start, sentence.end, every_type)
        ]
        previous: tuple[figures.Figure, str, Any, Any, str | None] | None = None
        for figure in found:
            after = -1 if previous is None else previous[0].end
            mention, subject, subject_mention = _subject(a, sentence, figure, after)
            if subject is None or not subject.written:
                continue
            words = figures.indicator_words(sentence, figure, names)
            before = a.article.text[max(sentence.start, figure.start - 3) : figure.start]
            baseline = False
            if (
                words is None
                and previous is not None
                and re.search(r"(?:提高|增加|升|降|减少)至$|到$", before)
            ):
                words_text, ind_span = previous[1], None
            elif figure.counted is not None:
                words_text, ind_span = figure.counted.text.rstrip("…"), figure.counted
            elif words is not None and not _DEMONSTRATIVE_WORDS.match(words.text):
                words_text, ind_span = words.text, words
            elif figure.unit.endswith("YR") and a.article.text.startswith("来", figure.end):
                # 医改6年来: a duration, since what is named before it
                words_text, ind_span = "年来", Span(figure.end - 1, figure.end + 1, "年来")
            else:  # 5大领域, 36个班: what is counted is the count word
                count_word = _count_word(figure.text)
                if count_word is None:
                    continue
                at = figure.end - len(count_word)
                words_text, ind_span = count_word, Span(at, figure.end, count_word)
            if re.search(r"由$", before):
                baseline = True
            time = next((t for t in reversed(times) if t.end <= figure.start), None)
            has_period = time is not None and time.kind == "period"
            as_of = time is not None and time.kind == "as_of"
            measure = figures.measure_of(sentence, figure, has_period, as_of)
            status = figures.status_of(sentence, figure)
            fact: dict[str, Any] = {"type": "Observation", "subject": subject.id}
            key = (words_text, measure)
            if key not in indicators:
                iid = _indicator(a, words_text, ind_span, measure, sentence)
                if iid is None:
                    continue
                indicators[key] = iid
            fact["indicator"] = indicators[key]
            if measure == "flow" and time is not None:
                fact["period"] = time.value
                fact["date_text"] = time.text
            elif measure == "stock":
                fact["as_of"] = (
                    time.value if time is not None and time.kind == "as_of" else ("published")
                )
                if baseline:
                    since = re.search(r"([0-9]{1,2})年来", sentence.text)
                    if since is not None:
                        fact["as_of"] = str(a.year - int(since[1]))
                    status = "baseline"
                if time is not None and time.kind == "as_of":
                    fact["date_text"] = time.text
            fact["value"] = figure.text
            if figure.growth is not None:
                fact["growth"] = figure.growth.text
            end = max(figure.end, figure.growth.end if figure.growth else 0)
            if figure.rank is not None:
                scope = _scope_entity(a, figure.rank.text[:2])
                if scope is not None:
                    fact["rank"] = figure.rank.text
                    fact["rank_scope"] = scope.id
                    end = max(end, figure.rank.end)
                else:  # 全市第一 in an article that names no city: left to the curator
                    fact["note"] = (
                        f"The text ranks it {figure.rank.text}, but names no single place "
                        f"that {figure.rank.text[:2]} stands for: add rank and rank_scope."
                    )
            batch_at = a.article.text.rfind("首批", sentence.start, figure.start)
            if batch_at >= 0:  # the first batch of a service (首批确定涉及…)
                fact["batch"] = "首批"
            fact["status"] = status
            if subject_mention:
                fact["subject_mention"] = subject_mention
            starts = [figure.start] + ([batch_at] if batch_at >= 0 else [])
            if mention is not None:
                starts.append(mention.start)
                end = max(end, mention.end)
            if ind_span is not None:
                starts.append(ind_span.start)
                end = max(end, ind_span.end)
            if "date_text" in fact and time is not None:
                starts.append(time.start)
            quote = a._quote_from(min(starts), end)
            if quote is None:
                continue
            fact["evidence"] = quote
            if ind_span is None and words_text not in quote:
                continue
            fact["id"] = new_id(f"{subject.zh}{words_text}", a.taken)
            fact["proposed_by"] = "figure-" + ("counted" if figure.counted else "phrase")
            fact["confidence"] = (
                0.8 if mention is not None and mention.start >= sentence.start else 0.6
            )
            ordered = {"id": fact.pop("id"), **fact}
            a.facts.append(ordered)
            previous = (figure, words_text, mention, subject, subject_mention)
            if figure.comparison is not None:
                _comparison(a, ordered, figure)


def _count_word(value: str) -> str | None:
    """The noun a count is of (领域 in 5大领域), when the value ends with one."""
    from ..quantities import parse_quantity

    word = parse_quantity(value).count_word
    return word if word and word != "个" and value.endswith(word) else None


def _link_once(a: Assembler, link: dict[str, Any]) -> None:
    """A `links` entry, unless the draft links to that id already."""
    if all(known["id"] != link["id"] for known in a.links):
        a.links.append(link)


def _indicator(
    a: Assembler, words: str, span: Span | None, measure: str, sentence: Span
) -> str | None:
    at = span.start if span is not None else a.article.text.find(words, sentence.start)
    if at < 0:
        return None
    quote = a._quote_from(at, at + len(words))
    if quote is None:
        return None
    existing = sorted(
        i for i in a.index.indicators.get(words, ()) if a.index.measures.get(i) == measure
    )
    # the graph already measures this, the same way (a flow over a period, a stock at a time,
    # an attribute with no time): the same indicator, not a second 地区生产总值
    if len(existing) == 1:
        _link_once(
            a,
            {
                "id": existing[0],
                "zh": words,
                "evidence": quote,
                "proposed_by": "indicator-by-label",
                "confidence": 0.8,
            },
        )
        return existing[0]
    iid = new_id(words, a.taken)
    a.facts.append(
        {
            "id": iid,
            "type": "Indicator",
            "measure": measure,
            "zh": words,
            "en": "",
            "evidence": quote,
            "proposed_by": "indicator-phrase",
            "confidence": 0.6,
            "review": ["en"],
        }
    )
    a.facts[-1]["en"] = "(indicator: " + words + ")"
    return iid


def _scope_entity(a: Assembler, word: str) -> Entity | None:
    kind = SCOPE_TYPES.get(word)
    if kind is None:
        return None
    candidates = [e for e in a.entities.values() if e.type == kind and word in e.alt_zh]
    if len(candidates) == 1:
        return candidates[0]
    known = a.index.lookup([word])[0]
    if known is not None:
        return Entity(kind, word, [], "graph-label", 0.9, id=known, linked=True)
    return None


def _comparison(a: Assembler, observation: dict[str, Any], figure: figures.Figure) -> None:
    """增速跑赢全市, 增速领先各区: a ComparisonClaim about the figure."""
    assert figure.comparison is not None
    words, aspect, kind, ref = figure.comparison
    scope = _scope_entity(a, "全市" if ref == "各区" else ref)
    if scope is None:
        return
    quote = a._quote_from(figure.start, words.end)
    if quote is None:
        return
    a.facts.append(
        {
            "id": new_id(f"claim-{observation['id']}-{aspect}", a.taken),
            "type": "ComparisonClaim",
            "about": observation["id"],
            "aspect": aspect,
            "comparison": kind,
            "reference": scope.id,
            "text": words.text,
            "evidence": quote,
            "proposed_by": "comparison-words",
            "confidence": 0.7,
        }
    )


def _quotes(a: Assembler) -> None:
    speakers = sorted(zh for zh, e in a.entities.items() if e.type == "Person")
    posts_by_person = a.posts_by_person
    for said in people.quotes(a.article, speakers):
        speaker = a.entities[said.speaker]
        if (
            not speaker.written
            or said.span.start >= a.body_end
            or not a.article.is_unique(said.span.text)
        ):
            continue
        fact: dict[str, Any] = {
            "id": unique_id(f"quote-{speaker.id}", a.taken),
            "type": "Quote",
            "speaker": speaker.id,
        }
        if said.speaker in posts_by_person:
            fact["post"] = posts_by_person[said.speaker]
        fact.update(
            {
                "text": said.text,
                "en": "(to translate)",
                "evidence": said.span.text,
                "proposed_by": said.rule,
                "confidence": 0.8 if said.direct else 0.7,
                "review": ["en"],
            }
        )
        a.facts.append(fact)


def _first_claims(a: Assembler) -> None:
    for claim in a.first_words:
        about = a.mentions_in(claim.object_start, claim.object_start + 40, SUBJECT_TYPES)
        if not about or about[0][0].start != claim.object_start:
            continue
        mention, entity = about[0]
        if not entity.written:
            continue
        fact: dict[str, Any] = {
            "id": new_id(f"claim-first-{entity.zh}", a.taken),
            "type": "FirstClaim",
            "about": entity.id,
        }
        note = None
        if claim.scope is not None:
            scope = _scope_entity(a, claim.scope)
            if scope is not None:
                fact["scope"] = scope.id
            else:  # 全省首个 in an article that names no province: left to the curator
                note = f"{claim.scope} names no single place of the article: add `scope`."
        quote = a._quote_from(claim.words.start, mention.end)
        if quote is None:
            continue
        if note is not None:
            fact["note"] = note
        fact.update(
            {
                "text": claim.words.text,
                "evidence": quote,
                "proposed_by": "first-words",
                "confidence": 0.8,
            }
        )
        a.facts.append(fact)
