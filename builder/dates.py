"""Dates and periods: ISO text in the fact files to typed literals and intervals."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"

# ASCII digits only (\d would take ²⁰²¹ or ２０２１), and nothing after them (not even "\n")
_YEAR = re.compile(r"^[0-9]{4}\Z")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")
_DAY = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_HALF = re.compile(r"^([0-9]{4})-H([12])\Z")


class DateError(ValueError):
    """A date or period text that is not valid."""


@dataclass(frozen=True)
class DateValue:
    """A date at year, month or day precision."""

    text: str
    datatype: str  # xsd:gYear, xsd:gYearMonth or xsd:date
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Period:
    """A time interval with its readable labels."""

    key: str
    start: dt.date
    end: dt.date
    label_zh: str
    label_en: str
    approximate: bool = False
    # an uncertain end (未来5-10年): the earliest and the latest end; `end` is then the latest
    end_range: tuple[dt.date, dt.date] | None = None
    # the start at the precision the text gives (the publication month), when approximate
    start_value: DateValue | None = None


def parse_date(text: object) -> DateValue:
    """`2021`, `2021-04` or `2019-08-18`."""
    value = str(text).strip()
    try:
        if _YEAR.match(value):
            year = int(value)
            return DateValue(value, XSD + "gYear", dt.date(year, 1, 1), dt.date(year, 12, 31))
        if m := _MONTH.match(value):
            year, month = int(m[1]), int(m[2])
            last_day = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            first, last = dt.date(year, month, 1), dt.date(year, month, last_day)
            return DateValue(value, XSD + "gYearMonth", first, last)
        if _DAY.match(value):
            day = dt.date.fromisoformat(value)
            return DateValue(value, XSD + "date", day, day)
    except ValueError as err:
        raise DateError(f"bad date {value!r}: {err}") from err
    raise DateError(f"bad date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")


def _labels_for_date(value: DateValue) -> tuple[str, str]:
    first = value.first
    if value.datatype.endswith("gYear"):
        return f"{first.year}年", f"{first.year}"
    if value.datatype.endswith("gYearMonth"):
        return f"{first.year}年{first.month}月", first.strftime("%B %Y")
    return f"{first.year}年{first.month}月{first.day}日", first.isoformat()


def parse_period(text: object, published: DateValue | None = None) -> Period:
    """A period: a date, `YYYY-H1`/`YYYY-H2`, `A--B` with A and B dates, or `next-5-10-years`
    (from the article's publication, which `published` gives)."""
    value = str(text).strip()
    if value.startswith("next-"):
        if published is None:
            raise DateError(f"bad period {value!r}: a relative period needs the article's date")
        relative = parse_relative_period(value, published)
        if relative is not None:
            return relative
    if m := _HALF.match(value):
        year, half = int(m[1]), int(m[2])
        start = dt.date(year, 1 if half == 1 else 7, 1)
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        zh = f"{year}年{'上' if half == 1 else '下'}半年"
        en = f"{'first' if half == 1 else 'second'} half of {year}"
        return Period(value, start, end, zh, en)
    if "--" in value:
        left, right = value.split("--", 1)
        first, last = parse_date(left), parse_date(right)
        if last.last < first.first:
            raise DateError(f"bad period {value!r}: it ends before it starts")
        zh = f"{_labels_for_date(first)[0]}至{_labels_for_date(last)[0]}"
        en = f"{_labels_for_date(first)[1]} to {_labels_for_date(last)[1]}"
        return Period(value, first.first, last.last, zh, en)
    try:
        single = parse_date(value)
    except DateError as err:
        if "expected" not in str(err):
            raise
        raise DateError(
            f"bad period {value!r} (expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-H1, YYYY-H2, "
            "A--B with A and B dates, or next-N-M-years)"
        ) from err
    zh, en = _labels_for_date(single)
    return Period(value, single.first, single.last, zh, en)


_NEXT_YEARS = re.compile(r"^next-([0-9]{1,2})(?:-([0-9]{1,2}))?-years\Z")


@dataclass(frozen=True)
class Instant:
    """A point in time at year, month or day precision (the as-of time of a stock figure)."""

    key: str
    value: DateValue
    approximate: bool
    label_zh: str
    label_en: str


def parse_as_of(text: object, published: DateValue) -> Instant:
    """`published` (the article's date, approximate) or a date: when a running total stands."""
    value = str(text).strip()
    if value == "published":
        zh, en = _labels_for_date(published)
        return Instant(f"as-of-{published.text}", published, True, f"截至{zh}前后",
                       f"as of about {en}")  # fmt: skip
    date = parse_date(value)
    zh, en = _labels_for_date(date)
    return Instant(f"as-of-{date.text}", date, False, f"截至{zh}", f"as of {en}")


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February: the 28th in a common year)."""
    year = day.year + years
    if year > dt.MAXYEAR:
        raise DateError(f"it would end after the year {dt.MAXYEAR}")
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return day.replace(year=year, day=28)
    return day.replace(year=year)


def parse_relative_period(text: str, published: DateValue) -> Period | None:
    """`next-5-10-years`: an interval that starts at publication and ends 5 to 10 years later."""
    m = _NEXT_YEARS.match(text)
    if m is None:
        return None
    low = int(m[1])
    high = int(m[2]) if m[2] else low
    if not 0 < low <= high:
        raise DateError(f"bad period {text!r}: use next-N-years or next-N-M-years with N <= M")
    start = published.first
    try:
        end_range = (_add_years(start, low), _add_years(published.last, high))
    except DateError as err:
        raise DateError(f"bad period {text!r}: {err}") from err
    zh_start, en_start = _labels_for_date(published)
    span_zh = f"{low}至{high}年" if high != low else f"{low}年"
    span_en = f"{low} to {high} years" if high != low else f"{low} years"
    return Period(
        f"{published.text}--{text}",
        start,
        end_range[1],
        f"{zh_start}起未来{span_zh}",
        f"the next {span_en} from {en_start}",
        approximate=True,
        end_range=end_range,
        start_value=published,
    )
