"""Officials and what they said: posts and their holders (罗湖区委书记罗育德表示), direct
quotes (“…”某某表示。) and reported speech (某某表示,…).

A post is an organisation's name followed by one or more titles (党组书记、局长) and a
person's name; a title alone after another post's organisation (党组书记、局长) is a post of
that organisation. The organisation of 党组书记 is the organisation's Party group (…党组).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import ArticleText, Span

TITLES = (
    "党组书记", "党委书记", "党工委书记", "副书记", "书记", "常务副区长", "副区长", "区长",
    "副市长", "市长", "副省长", "省长", "副局长", "局长", "副主任", "主任", "副院长", "院长",
    "副校长", "校长", "董事长", "总经理", "副部长", "部长", "副厅长", "厅长", "处长", "科长",
    "主席", "秘书长", "站长", "社长", "所长", "总编辑", "负责人",
)  # fmt: skip
_TITLE = "|".join(TITLES)
SPEECH = "表示|介绍|指出|强调|说|称|认为|透露|坦言|谈到"
_ORG_CHARS = r"[\u4e00-\u9fff0-9“”]"
POST = re.compile(
    rf"(?P<org>{_ORG_CHARS}{{2,20}}?)(?P<titles>(?:{_TITLE})(?:、(?:{_TITLE}))*)"
    rf"(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?=(?:{SPEECH})|[,，。、]|在|对|也|还|则)"
)
# 区长郑嘉敏介绍: a head of government named by the title alone, at the start of a sentence
BARE_HEAD = re.compile(
    rf"(?:^|(?<=[,，。:：;；”\n]))(?P<title>(?:常务)?副?(?:区长|市长|省长|县长|镇长))"
    rf"(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?={SPEECH})",
    re.M,
)
_ORG_START = re.compile(r"(?:[,，。:：;；!！?？”“\s]|表示|指出|强调|介绍)")
# heads of a government: after a Party committee's name (福田区委副书记、区长), the post is the
# government's (福田区区长), not the committee's
GOVERNMENT_HEADS = ("区长", "市长", "省长", "县长", "镇长")
DIRECT_AFTER = re.compile(
    rf"“(?P<q>[^“”]{{4,400}})”(?P<who>[^“”。\n,，]{{2,40}}?)(?P<verb>{SPEECH})(?:道)?[。:：,，]?"
)
REPORTED = re.compile(
    rf"(?P<who>[^“”。\n,，:：]{{2,40}}?)(?P<verb>{SPEECH})[,，:：]\s*"
    r"(?P<q>(?:[^“”。\n]|“[^“”\n]{1,10}”){6,300})"
)
DIRECT_BEFORE_TAIL = re.compile(r"“(?P<q>[^“”]{4,400})”")
# the speaker first, then the quoted words: 罗育德表示:“我们将……”
SPEAKER_THEN_QUOTE = re.compile(
    rf"(?P<who>[^“”。\n,，:：]{{2,40}}?)(?P<verb>{SPEECH})[,，:：]\s*“(?P<q>[^“”]{{4,400}})”"
)


@dataclass(frozen=True)
class Post:
    """A post of the text and who holds it."""

    zh: str  # the post as written (罗湖区委书记) or made from its parts (深圳市商务局局长)
    constructed: bool
    title: str
    org: str  # the organisation the post is in (罗湖区委, 深圳市商务局党组)
    person: str
    span: Span  # organisation, titles and name, as written
    name_span: Span
    org_span: Span


@dataclass(frozen=True)
class SaidQuote:
    """Words someone said, with where they are written and who said them."""

    text: str
    span: Span  # the evidence: the words and the attribution
    speaker: str  # the name of the speaker as written (or the person's words 何女士)
    direct: bool
    rule: str


def _trim_org(org: str) -> str:
    """The organisation's name: the words after the last break before the title."""
    pieces = _ORG_START.split(org)
    return pieces[-1] if pieces else org


def posts(article: ArticleText) -> list[Post]:
    """Every post + holder of the text (several for 党组书记、局长张非梦)."""
    found = []
    for m in POST.finditer(article.text):
        org = _trim_org(m["org"])
        if len(org) < 2:
            continue
        org_start = m.end("org") - len(org)
        titles = m["titles"].split("、")
        name = m["name"]
        if re.search(rf"{SPEECH}$", name):
            continue
        span = Span(org_start, m.end("name"), article.text[org_start : m.end("name")])
        name_span = Span(m.start("name"), m.end("name"), name)
        org_span = Span(org_start, m.end("org"), org)
        for index, title in enumerate(titles):
            in_org = org
            if title.lstrip("副常务") in GOVERNMENT_HEADS and re.search(r"[区市省县镇]委$", org):
                in_org = org[:-1]  # 福田区委 … 区长: the head of 福田区
            elif title.startswith(("党组", "党委", "党工委")) and not org.endswith(
                ("党组", "党委")
            ):
                prefix = title[: title.index("书记")]
                in_org, title = org + prefix, title[len(prefix) :]
            written = index == 0 and (in_org + title) in article.text
            found.append(
                Post(in_org + title, not written, title, in_org, name, span, name_span, org_span)
            )
    for m in BARE_HEAD.finditer(article.text):
        span = Span(m.start(), m.end("name"), article.text[m.start() : m.end("name")])
        name_span = Span(m.start("name"), m.end("name"), m["name"])
        empty = Span(m.start(), m.start(), "")
        found.append(Post(m["title"], False, m["title"], "", m["name"], span, name_span, empty))
    return sorted(found, key=lambda p: p.span.start)  # stable: titles stay in their order


def quotes(article: ArticleText, speakers: list[str]) -> list[SaidQuote]:
    """Direct quotes with their speaker after them, and reported speech after a speaker."""
    found: list[SaidQuote] = []
    for m in DIRECT_AFTER.finditer(article.text):
        who = _speaker_in(m["who"], speakers)
        if who is None:
            continue
        end = m.end()
        span = Span(m.start(), end, article.text[m.start() : end])
        found.append(SaidQuote(m["q"], span, who, True, "quote-then-speaker"))
    taken = [(q.span.start, q.span.end) for q in found]
    for m in SPEAKER_THEN_QUOTE.finditer(article.text):
        who = _speaker_in(m["who"], speakers)
        if who is None or any(a <= m.start("q") < b for a, b in taken):
            continue
        span = Span(m.start("who"), m.end(), article.text[m.start("who") : m.end()])
        found.append(SaidQuote(m["q"], span, who, True, "speaker-then-quote"))
        taken.append((span.start, span.end))
    for m in REPORTED.finditer(article.text):
        who = _speaker_in(m["who"], speakers)
        if who is None or any(a <= m.start("q") < b for a, b in taken):
            continue
        words = m["q"].rstrip(",，")
        end = m.start("q") + len(words)
        span = Span(m.start("who"), end, article.text[m.start("who") : end])
        found.append(SaidQuote(words, span, who, False, "speaker-then-reported"))
        tail = article.text[end : article.sentence_at(end).end]
        direct = DIRECT_BEFORE_TAIL.search(tail)
        if direct is not None and direct.start() <= 2:
            start = end + direct.start()
            quote_span = Span(start, end + direct.end(), direct.group())
            found.append(SaidQuote(direct["q"], quote_span, who, True, "speaker-then-quote"))
    return sorted(found, key=lambda q: q.span.start)


def _speaker_in(words: str, speakers: list[str]) -> str | None:
    """The last known speaker named at the end of the attribution words."""
    best = None
    for name in speakers:
        if words.endswith(name) and (best is None or len(name) > len(best)):
            best = name
    return best
