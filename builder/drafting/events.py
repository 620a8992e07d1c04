"""Dated events: a clause that says something happened or will happen at a time (2019年8月18日,
今年4月, 9月, 近日…) with an event verb (发布, 开工, 开学…), proposed as an `Event` with its
`date` (read as `periods` reads the figures' times), the words of the date and a short label
(the subject and the verb: 《意见》发布, 新学校开学)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import periods
from .linking import english_label, new_id
from .text import CLAUSE_END, SENTENCE_END, ArticleText, Span

if TYPE_CHECKING:
    from .assemble import Assembler

VERBS = (
    "投入使用", "发布", "出台", "印发", "召开", "举行", "开工", "动工", "奠基", "竣工", "完工",
    "建成", "开业", "开学", "揭牌", "挂牌", "启动", "上线", "签约", "公示", "提出", "成立",
    "封顶", "启用", "投用", "开通", "通车", "开幕", "落成", "拆除", "完成",
)  # fmt: skip
_VERB = re.compile(f"(?:{'|'.join(VERBS)})(?!会|仪式|[0-9一二三四五六七八九十两])")
_ISO = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?")
_DAY = re.compile(r"(?<![0-9年])(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日")
_RECENT = re.compile(r"近日|日前|近期|不久前")
# the words between the subject and the verb (将会, 已于, 正式, 开始全面…), and lead-ins
_LINK = re.compile(
    r"(?:将会|将于|已于|将|已|于|在|正式|顺利|如期|开始|全面|预计|计划|拟|已经|均)+$"
)
_LEAD = re.compile(r"^(?:时针拨回|早在|截至|其中|同时|此外|而|在|于)")
_AFTER_VERB = re.compile(r"(?:了)?(?P<doc>《[^《》]{2,60}》)")
_NAMED_AS = re.compile(r"[(（]下称“(?P<name>[^“”]{1,20})”[)）]")
_MODIFIER = re.compile(r"^[^的]*[0-9][^的]*的")  # 总投资约12亿元的X: X
_DATE_WORDS = re.compile(r"[0-9]{1,4}[年月日]")
_FUTURE = re.compile(r"将|预计|计划|拟|即将")
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


@dataclass(frozen=True)
class Dated:
    """An event of the text: its date, the words of the date, label, and the words stated."""

    date: str
    time: Span
    zh: str
    start: int
    end: int
    verb: str


def _dates(text: str, offset: int, year: int, published: str) -> list[tuple[Span, str]]:
    """(words, ISO date) of the times of a clause that name one day, month or year."""
    found: list[tuple[Span, str]] = []
    taken: set[int] = set()
    for m in _DAY.finditer(text):  # 7月22日: a day of the reference year
        month, day = int(m["m"]), int(m["d"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            found.append((Span(offset + m.start(), offset + m.end(), m.group()),
                          f"{year}-{month:02d}-{day:02d}"))  # fmt: skip
            taken |= set(range(m.start(), m.end()))
    for m in _RECENT.finditer(text):  # 近日: about the publication's month; 不久前: its year
        about = published[:7] if len(published) >= 7 and m.group() != "不久前" else str(year)
        found.append((Span(offset + m.start(), offset + m.end(), m.group()), about))
        taken |= set(range(m.start(), m.end()))
    for words in periods.time_words(text, offset, year, published):
        if set(range(words.start - offset, words.end - offset)) & taken:
            continue
        if words.kind in {"period", "date"} and _ISO.fullmatch(words.value):
            found.append((Span(words.start, words.end, words.text), words.value))
    return sorted(found, key=lambda f: f[0].start)


def _past(date: str, words: str, clause: str, published: str) -> str:
    """9月 written after the publication's month, of a done thing: last year's."""
    if not re.fullmatch(r"[0-9]{1,2}月(?:份)?(?:[0-9]{1,2}日)?", words) or _FUTURE.search(clause):
        return date
    if len(published) >= 7 and date[:4] == published[:4] and date[:7] > published[:7]:
        return f"{int(date[:4]) - 1}{date[4:]}"
    return date


def _label(subject: str, verb: str, after: str) -> str:
    """《意见》发布, 新学校开学: the subject (its short name, its last words after 等) and
    the verb, with the document it issues (印发《…》)."""
    named = _NAMED_AS.search(subject)
    if named is not None:
        subject = named["name"]
    subject = _MODIFIER.sub("", _BRACKETS.sub("", subject))
    if "等" in subject:
        subject = subject.rsplit("等", 1)[1]
    subject = _LEAD.sub("", _LINK.sub("", subject.strip(" ,，、"))).strip()
    doc = _AFTER_VERB.match(after)
    return subject + verb + (doc["doc"] if doc else "")


def dated_events(
    article: ArticleText, year: int, published: str, body_end: int | None = None
) -> list[Dated]:
    """Every clause (or a date's clause with the next one) that dates an event verb."""
    found: list[Dated] = []
    text = article.text
    for sentence in article.sentences:
        if body_end is not None and sentence.start >= body_end:
            break
        clauses = article.clauses(sentence, enumeration=False)
        for i, clause in enumerate(clauses):
            for time, date in _dates(clause.text, clause.start, year, published):
                before = text[clause.start : time.start].strip(" ,，")
                end = clause.end
                if _VERB.search(text, time.end, end) is None and i + 1 < len(clauses):
                    if text[time.end : clause.end].strip(" ,，"):
                        continue  # the date's own clause says something else
                    end = clauses[i + 1].end  # 今年4月,该项目开始全面拆除
                verb = _VERB.search(text, time.end, end)
                if verb is None:
                    continue
                if before and not _LEAD.fullmatch(before):  # X今年3月开工: X is the subject
                    subject, start = before, clause.start + text[clause.start :].index(before)
                    between = text[time.end : verb.start()].strip(" ,，")
                    if not _LINK.fullmatch(between) and between:
                        continue  # the verb is not the date's (X今年…, Y于…开工)
                else:  # 2015年,罗湖医改提出…: the subject follows the date
                    subject = text[time.end : verb.start()].strip(" ,，")
                    start = time.start
                rest = _DATE_WORDS.sub("", text[verb.end() : end])
                if re.search(r"[0-9]", rest):
                    continue  # 完成改造126个: a figure, not an event
                date = _past(date, time.text, text[clause.start : end], published)
                zh = _label(subject, verb.group(), text[verb.end() : end])
                if len(zh) - len(verb.group()) < 2:
                    continue
                stop = start + len(text[start:end].rstrip(CLAUSE_END + SENTENCE_END + " "))
                found.append(Dated(date, time, zh, start, stop, verb.group()))
                break  # one event a clause
    return found


def add_events(a: Assembler) -> None:
    """An `Event` fact for each dated event, involving the entities its quote names."""
    every_type = {e.type for e in a.entities.values()}
    seen: set[str] = set()
    for event in dated_events(a.article, a.year, a.published, a.body_end):
        quote = a._quote_from(event.start, event.end)
        if quote is None or quote in seen or event.time.text not in quote:
            continue
        seen.add(quote)
        at = a.article.text.find(quote)
        fact: dict[str, Any] = {
            "id": new_id(event.zh, a.taken, "event"),
            "type": "Event",
            "zh": event.zh,
        }
        if event.zh not in a.article.text:
            fact["zh_constructed"] = True
        fact["en"] = english_label(event.zh, "", "")
        fact["evidence"] = quote
        fact["date"] = event.date
        fact["date_text"] = event.time.text
        involved: list[dict[str, Any]] = []
        for mention, entity in a.mentions_in(at, at + len(quote), every_type):
            if not entity.written or not entity.id or mention.text not in quote:
                continue
            if any(r["object"] == entity.id for r in involved):
                continue
            involved.append({"property": "involves", "object": entity.id,
                             "proposed_by": "event-involves", "confidence": 0.6})  # fmt: skip
        if involved:
            fact["relations"] = involved
        fact["proposed_by"] = "dated-event"
        fact["confidence"] = 0.6 if event.verb in {"完成", "拆除", "提出"} else 0.7
        fact["review"] = ["en"]
        a.facts.append(fact)
