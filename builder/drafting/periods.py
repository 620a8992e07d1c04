"""Time words of Chinese news (今年上半年, 今年4月, 9月, 未来5-10年, 截至目前, “十四五”…) read
against the article's reference year, with the words kept.

Each becomes what the fact files write: a `period` (a flow's interval: `2021-H1`, `2021-04`,
`2015--2020`, `next-5-10-years`), an `as_of` (a stock's time: `published` for 目前, 截至目前,
累计; a day for 截至6月底) or a `date` (a day: 2019年8月18日).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

_YEAR = r"(?P<y>(?:19|20)[0-9]{2})年"
_RANGE = r"(?P<a>(?:19|20)[0-9]{2})年?\s*[-—–~至到]\s*(?P<b>(?:19|20)[0-9]{2})年"
_PATTERNS: list[tuple[str, str]] = [
    ("range", _RANGE),
    ("day", _YEAR + r"(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日"),
    ("half", _YEAR + r"(?P<h>上|下)半年"),
    ("month", _YEAR + r"(?P<m>[0-9]{1,2})月(?:份)?"),
    ("year", _YEAR + r"(?!以来|来)"),
    ("until-month", r"截[至止](?:(?P<r>今年|去年))?(?P<m>[0-9]{1,2})月(?:底|末|份)?"),
    ("months", r"(?P<r>今年|去年)?(?P<a>[0-9]{1,2})\s*[-—~至到]\s*(?P<b>[0-9]{1,2})月(?:份)?"),
    ("three-quarters", r"(?P<r>今年|去年)?前三季度"),
    ("since-month", r"(?P<r>今年|去年)?(?P<m>[0-9]{1,2})月(?:份)?以来"),
    ("rel-half", r"(?P<r>今年|去年|前年)?(?P<h>上|下)半年"),
    ("whole-year", r"(?P<r>今年|去年|明年)?全年(?!目标|任务|计划)"),
    ("rel-quarter", r"(?P<r>今年|去年)(?:第)?(?P<q>一|二|三|四|[1-4])季度"),
    ("rel-month", r"(?P<r>今年|去年)(?P<m>[0-9]{1,2})月(?:份)?"),
    ("rel-year", r"(?P<r>今年|去年|前年|明年)(?!以来|来|[0-9上下第])"),
    ("since-year", r"(?P<r>今年)以来"),
    ("bare-month", r"(?<![0-9年])(?P<m>[0-9]{1,2})月(?:份)?(?![0-9]{1,2}日)"),
    (
        "next-years",
        r"未来(?P<a>[0-9]{1,2}|[一二三四五六七八九十])(?:\s*[-—~至到]\s*"
        r"(?P<b>[0-9]{1,2}|[一二三四五六七八九十]))?年",
    ),
    ("five-year", r"“?(?P<n>十[一二三四五六七八九]|[0-9]{2})五”?(?:规划|期间|时期|末)?"),
    ("now", r"截至目前|截至当前|截止目前|目前|当前|现已|至今|累计"),
]
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_RELATIVE = {"今年": 0, "去年": -1, "前年": -2, "明年": 1}


@dataclass(frozen=True)
class TimeWords:
    """A time expression of the text: its words, where they are, and what they mean."""

    start: int
    end: int
    text: str
    kind: str  # "period" (an interval), "as_of" (a point: now) or "date"
    value: str  # the period key, `published`, or an ISO date


def _plan_years(number: str) -> tuple[int, int]:
    """The years of the Nth five-year plan (十四五 = 14 = 2021-2025; the 3rd began in 1966)."""
    n = 10 + _NUMERALS[number[1]] if number.startswith("十") else int(number)
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def _number(text: str) -> int:
    """2 or 二 (up to 十)."""
    return int(text) if text.isdigit() else 10 if text == "十" else _NUMERALS[text]


def _read(kind: str, m: re.Match[str], year: int, published: str) -> tuple[str, str] | None:
    """(kind, value) of one match, or None when the words name no time after all."""
    groups = m.groupdict()
    rel = year + _RELATIVE[groups["r"]] if groups.get("r") else year
    if kind == "range":
        return "period", f"{groups['a']}--{groups['b']}"
    if kind == "day":
        return "date", f"{groups['y']}-{int(groups['m']):02d}-{int(groups['d']):02d}"
    if kind in {"half", "rel-half"}:
        return "period", f"{groups.get('y') or rel}-H{1 if groups['h'] == '上' else 2}"
    if kind == "until-month":
        month = int(groups["m"])
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(rel, month)[1]
        return "as_of", f"{rel}-{month:02d}-{last:02d}"
    if kind == "months":
        low, high = int(groups["a"]), int(groups["b"])
        if not 1 <= low < high <= 12:
            return None
        return "period", f"{rel}-{low:02d}--{rel}-{high:02d}"
    if kind == "three-quarters":
        return "period", f"{rel}-01--{rel}-09"
    if kind == "since-month":
        month = int(groups["m"])
        if not 1 <= month <= 12 or published[:4] != str(rel) or len(published) < 7:
            return ("period", f"{rel}-{month:02d}--{rel}-12") if 1 <= month <= 12 else None
        return "period", f"{rel}-{month:02d}--{published[:7]}"
    if kind == "whole-year":
        return "period", str(rel)
    if kind == "rel-quarter":
        q = _NUMERALS.get(groups["q"]) or int(groups["q"])
        return "period", f"{rel}-{3 * q - 2:02d}--{rel}-{3 * q:02d}"
    if kind in {"month", "rel-month", "bare-month"}:
        month = int(groups["m"])
        if not 1 <= month <= 12:
            return None
        return "period", f"{groups.get('y') or rel}-{month:02d}"
    if kind in {"year", "rel-year", "since-year"}:
        return "period", str(groups.get("y") or rel)
    if kind == "next-years":
        low, high = _number(groups["a"]), _number(groups["b"] or groups["a"])
        if not 0 < low <= high:
            return None
        return "period", f"next-{low}-{high}-years" if high != low else f"next-{low}-years"
    if kind == "five-year":
        first, last = _plan_years(groups["n"])
        return "period", f"{first}--{last}"
    return "as_of", "published"


def time_words(text: str, offset: int, reference_year: int, published: str = "") -> list[TimeWords]:
    """Every time expression of `text` (which starts at `offset` in the article), longest
    first where they overlap, in the order of the text."""
    found: list[TimeWords] = []
    taken: set[int] = set()
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(text):
            span = set(range(m.start(), m.end()))
            if span & taken:
                continue
            read = _read(kind, m, reference_year, published)
            if read is None:
                continue
            taken |= span
            found.append(
                TimeWords(offset + m.start(), offset + m.end(), m.group(), read[0], read[1])
            )
    return sorted(found, key=lambda t: t.start)
