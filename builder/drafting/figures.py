"""Figures of the text: every number with its unit and qualifier, the growth rate and rank
stated with it, and the indicator phrase it measures.

A figure is read with the builder's own `parse_quantity`, so what it proposes is a value the
builder takes. Numbers written in Chinese (八个, 两周年) are read by `chinese_value` and
listed for review: the fact files write figures in digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..quantities import COUNT_WORDS, MEASURE_UNITS, QuantityError, parse_quantity
from .text import Span

_UNITS = sorted([*MEASURE_UNITS, *COUNT_WORDS], key=len, reverse=True)
_UNIT = "|".join(re.escape(u) for u in _UNITS)
FIGURE = re.compile(
    r"(?P<pre>约|近|逾|超过|超)?"
    r"(?P<num>(?<![0-9.\-])[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?)"
    r"(?P<yu>余)?(?P<mult>万|亿)?"
    rf"(?:(?P<months>个月)|(?P<cls>个|大)?(?P<unit>{_UNIT})?)"
    r"(?P<post>以上|余)?"
)
GROWTH = re.compile(
    r"(?:同比|比上年|比去年同期)?(?P<verb>增长|增加|上升|提高|下降|减少|回落)"
    r"(?P<value>[0-9]+(?:\.[0-9]+)?%)"
)
RANK = re.compile(
    r"(?P<aspect>总量|增速|规模|完成率|增幅)?(?:居|位居|排名|排|列|位列)?"
    r"(?P<rank>(?:全市|全省|全国)第(?:[一二三四五六七八九十]|[0-9]{1,3}))"
)
COMPARISON = re.compile(
    r"(?P<aspect>增速|总量|增幅)?(?P<verb>跑赢|高于|快于|超过|领先)(?P<ref>全市|全省|全国|各区)"
    r"(?:平均水平|平均)?"
)
# the figure is a count of the words after it (成立14个小区物业调解室): they end at one of these
_AFTER_END = re.compile(r"[,，;；:：、。!?！？()（）\n“”]|[0-9]|和|及|与|等|的")
_COUNT_NOUNS = frozenset(word for word in COUNT_WORDS if len(word) > 1)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# words after a figure that start what is done, not what is counted
_NOT_COUNTED = ("增长", "提供", "以上", "开展", "用于", "建设", "完成", "共", "累计", "左右")
_DEMONSTRATIVE = re.compile(r"(?:该|这个|这间|这所|此)(?:项目|工程|学校|平台|中心|校)")
# words before a figure that belong to no indicator: verbs of "is", adverbs, time words
_LEAD_WORDS = (
    "其中", "同时", "此外", "并且", "并", "还将", "还", "也", "共", "累计", "已经", "已", "将",
    "目前", "截至目前", "当前", "全年", "预计", "计划", "力争", "达到", "达", "为", "是",
)  # fmt: skip
_LEAD = re.compile(
    r"(?:今年以来|今年|去年|明年|上半年|下半年|全年|前三季度|近年来|截至目前|目前|当前|"
    + "|".join(sorted(_LEAD_WORDS, key=len, reverse=True))
    + r")"
)
_LINK_VERBS = re.compile(
    r"(?:已?(?:升至|提高至|提高到|增至|达到|达|为|是|超过|超|约|突破|占比|共计|合计|近|逾))+$"
)
ATTRIBUTE_WORDS = (
    "总投资",
    "投资估算",
    "总工期",
    "工期",
    "可容纳",
    "将有",
    "涉及",
    "占地",
    "建筑面积",
    "总面积",
    "年来",
    "设计",
    "规划",
)
TARGET_WORDS = ("将", "计划", "力争", "目标", "预计", "拟", "未来", "规划", "要")
_CN_NUMBER = re.compile(
    r"(?P<pre>首|第)?(?P<num>[一二两三四五六七八九十百千万]+)"
    r"(?P<unit>个|周年|年|项|家|所|批|大|方面|条|次|届)"
    r"|(?P<first>首(?:批|个|家|次|届))"
)


@dataclass(frozen=True)
class Figure:
    """A number of the text read as a quantity, and what is written next to it."""

    start: int
    end: int
    text: str  # the value as written: 约5.4亿元
    value: Decimal
    unit: str
    qualifier: str | None
    growth: Span | None = None
    rank: Span | None = None
    comparison: tuple[Span, str, str, str] | None = None  # (words, aspect, comparison, ref)
    counted: Span | None = None  # what it counts, written after it (14个小区物业调解室)


def _is_code(text: str, m: re.Match[str]) -> bool:
    """03-14 (a plot number), 1+4+2 (a slogan), 2019年 (a year): not figures."""
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end() : m.end() + 1]
    if before in "+-—" or after in {"+", "-", "—"} or (after == "年" and m["unit"] != "年"):
        return True
    return bool(m["num"].startswith("0") and len(m["num"]) > 1 and "." not in m["num"])


def figures_in(sentence: Span) -> list[Figure]:
    """Every figure of a sentence, with the growth, rank and comparison after it."""
    text = sentence.text
    found: list[Figure] = []
    for m in FIGURE.finditer(text):
        if not (m["unit"] or m["cls"] or m["months"] or "/" in m["num"]) or _is_code(text, m):
            continue
        if m["unit"] == "年" and not text.startswith("来", m.end()):
            continue  # a year (2015年) or a span of years: time words, not a figure
        written, end = m.group(), m.end()
        if m["cls"] == "个" and m["unit"] in _COUNT_NOUNS and _CJK.match(text, m.end()):
            # 14个小区物业调解室: the count is 14个; 小区物业调解室 is what it counts
            end = m.start("unit")
            written = text[m.start() : end]
        try:
            quantity = parse_quantity(written)
        except QuantityError:
            continue
        start, end = sentence.start + m.start(), sentence.start + end
        growth_words = {"增长", "增加", "上升", "下降", "减少", "回落"}
        if text[m.start() - 2 : m.start()] in growth_words and found and written.endswith("%"):
            continue  # a growth rate: the figure before it takes it
        found.append(Figure(start, end, written, quantity.value, quantity.unit, quantity.qualifier))
    return [_with_neighbours(sentence, figure, found) for figure in found]


def _with_neighbours(sentence: Span, figure: Figure, every: list[Figure]) -> Figure:
    """The growth rate, rank and comparison written after a figure, before the next one."""
    rel_end = figure.end - sentence.start
    later = [f.start for f in every if f.start > figure.start]
    limit = (later[0] - sentence.start) if later else len(sentence.text)
    tail = sentence.text[rel_end:limit]
    growth = rank = counted = None
    comparison = None
    if not figure.text.endswith("%"):
        g = GROWTH.search(tail)
        if g is not None:
            growth = Span(figure.end + g.start("value"), figure.end + g.end(), g["value"])
    for m in RANK.finditer(tail):
        rank = Span(figure.end + m.start("rank"), figure.end + m.end("rank"), m["rank"])
        break
    for m in COMPARISON.finditer(tail):
        aspect = "growth" if m["aspect"] in {"增速", "增幅"} else "value"
        kind = "leads" if m["verb"] == "领先" else "exceeds"
        words = Span(figure.end + m.start(), figure.end + m.end(), m.group())
        comparison = (words, aspect, kind, m["ref"])
        break
    after = _AFTER_END.search(tail)
    if figure.unit.endswith("NUM") or figure.text[-1] in "米顷":
        noun = tail[: after.start() if after else len(tail)]
        if 2 <= len(noun) <= 20 and not noun.startswith(_NOT_COUNTED):
            counted = Span(figure.end, figure.end + len(noun), noun)
    return Figure(
        figure.start, figure.end, figure.text, figure.value, figure.unit, figure.qualifier,
        growth, rank, comparison, counted,
    )  # fmt: skip


def indicator_words(sentence: Span, figure: Figure, names: list[Span]) -> Span | None:
    """The words before a figure that say what it measures (地区生产总值达 → 地区生产总值),
    without the names of entities, time words and linking verbs; None when nothing is left."""
    text = sentence.text
    rel = figure.start - sentence.start
    start = rel
    while start > 0 and text[start - 1] not in ",，;；:：。!?！？●\n ":
        start -= 1
    # a figure after another in one clause (由13.57%提高至41.59%): no words of its own
    phrase_start = start
    moved = True
    while moved:  # the names the phrase starts with: its subject (罗湖区居民… → 居民…)
        moved = False
        for name in names:
            if name.start - sentence.start == phrase_start and name.end <= figure.start:
                phrase_start, moved = name.end - sentence.start, True
        demonstrative = _DEMONSTRATIVE.match(text, phrase_start)
        if demonstrative is not None:
            phrase_start, moved = demonstrative.end(), True
    words = text[phrase_start:rel]
    if re.search(r"[0-9、]", words):
        return None  # a figure before it, or a list (涉及民政、教育3大领域): the count word says
    while True:  # 今年将…, 累计…: time words and adverbs before what is measured
        lead = _LEAD.match(words)
        if lead is None or lead.end() == len(words):
            break
        words, phrase_start = words[lead.end() :], phrase_start + lead.end()
    words = words.lstrip("的在")
    phrase_start = rel - len(words)
    trimmed = _LINK_VERBS.sub("", words)
    trimmed = re.sub(r"(?:的|之|由|从|有|将有|将)$", "", trimmed)
    if len(trimmed) < 2:
        return None
    return Span(
        sentence.start + phrase_start, sentence.start + phrase_start + len(trimmed), trimmed
    )


def measure_of(sentence: Span, figure: Figure, has_period: bool, as_of: bool) -> str:
    """flow (counted over a period), stock (standing at a time) or attribute (neither)."""
    before = sentence.text[: figure.start - sentence.start][-12:]
    if figure.unit.endswith("YR") and sentence.text.startswith("来", figure.end - sentence.start):
        return "attribute"
    if any(word in before for word in ATTRIBUTE_WORDS) and not has_period:
        return "attribute"
    if figure.unit.endswith("MO"):
        return "attribute"  # 总工期29个月: a duration, whatever date is near it
    if has_period and not as_of:
        return "flow"
    return "stock"


def status_of(sentence: Span, figure: Figure) -> str:
    """actual, target (将, 计划, 未来…) or estimate (估算, 预计)."""
    before = sentence.text[: figure.start - sentence.start]
    if any(word in before[-10:] for word in ("估算", "预计")):
        return "estimate"
    if any(word in before for word in TARGET_WORDS):
        return "target"
    return "actual"


@dataclass(frozen=True)
class ChineseNumber:
    """A number written in Chinese characters, with its value."""

    start: int
    end: int
    text: str
    value: int
    kind: str  # "count", "ordinal" (第八), "first" (首批), "anniversary" (两周年)


_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                 "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}


def chinese_value(text: str) -> int:
    """The value of a number written in Chinese characters (八 8, 十五 15, 两百三十 230,
    三千五百万 35,000,000); ValueError for other text."""
    total = section = digit = 0
    for ch in text:
        if ch in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[ch]
        elif ch in _UNIT_VALUES:
            section += (digit or 1) * _UNIT_VALUES[ch]  # 十五: the 一 of 一十 is not written
            digit = 0
        elif ch in _BIG_UNITS:
            total = (total + section + digit) * _BIG_UNITS[ch]
            section = digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def chinese_numbers(sentence: Span) -> list[ChineseNumber]:
    """八个, 两周年, 首批, 第二: numbers written in Chinese, with their values."""
    found = []
    for m in _CN_NUMBER.finditer(sentence.text):
        if m["first"] or m["pre"] == "首":
            value, kind = 1, "first"
        else:
            try:
                value = chinese_value(m["num"])
            except ValueError:
                continue
            kind = "ordinal" if m["pre"] == "第" else "count"
            if m["unit"] == "周年":
                kind = "anniversary"
        if (
            m["first"] is None
            and m["pre"] is None
            and m["num"] in {"一", "两"}
            and m["unit"] in {"个", "批", "条"}
        ):
            continue  # 一个 / 两个: an article, not a figure
        start = sentence.start + m.start()
        found.append(ChineseNumber(start, start + len(m.group()), m.group(), value, kind))
    return found
