"""Parsing the article's quantity texts (1268.19亿元, 10.3%, 超过80家) into values and units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

UNIT = "http://qudt.org/vocab/unit/"

# zh unit word -> (QUDT unit IRI, English name)
MEASURE_UNITS: dict[str, tuple[str, str]] = {
    "元": (UNIT + "CCY_CNY", "yuan"),
    "%": (UNIT + "PERCENT", "percent"),
    "公顷": (UNIT + "HA", "hectare"),
    "平方米": (UNIT + "M2", "square metre"),
    "个月": (UNIT + "MO", "month"),
    "年": (UNIT + "YR", "year"),
}
# count words: the thing counted is kept as lk:countWord, the unit is unit:NUM
COUNT_WORDS: dict[str, str] = {
    "个": "units",
    "家": "institutions",
    "所": "schools",
    "套": "housing units",
    "项": "items",
    "条": "records",
    "次": "times",
    "人次": "person-times",
    "人": "persons",
    "班": "classes",
    "小区": "residential compounds",
    "部门": "departments",
    "事项": "service items",
    "领域": "domains",
}
COUNT_UNIT = UNIT + "NUM"
FRACTION_STEP = Decimal("0.0000000001")  # 1/3 -> 33.3333333333 percent
MAX_DIGITS = 18  # digits of a number: times 亿, it stays exact in the 28 digits of a Decimal

MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
PREFIX_QUALIFIERS = {
    "约": "About",
    "近": "Nearly",
    "逾": "MoreThan",
    "超过": "MoreThan",
    "超": "MoreThan",
}
SUFFIX_QUALIFIERS = {"以上": "AtLeast", "余": "MoreThan"}

_UNIT_WORDS = sorted([*MEASURE_UNITS, *COUNT_WORDS], key=len, reverse=True)
_PATTERN = re.compile(
    r"^(?P<pre>约|近|逾|超过|超)?"
    r"(?P<num>\d+(?:\.\d+)?(?:/\d+)?)"
    r"(?P<yu>余)?"
    r"(?P<mult>万|亿)?"
    # a classifier before the count word (36个班, 5大领域): the count word is the noun after it
    r"(?P<cls>个|大)?"
    r"(?P<unit>" + "|".join(re.escape(u) for u in _UNIT_WORDS) + r")?"
    r"(?P<post>以上|余)?$"
)
_NUMBER_ONLY = re.compile(r"^(?P<pre>约|近|逾|超过|超)?(?P<num>\d+(?:\.\d+)?)(?P<rest>.*)$")


class QuantityError(ValueError):
    """A quantity text that cannot be read."""


@dataclass(frozen=True)
class Quantity:
    """A parsed quantity: normalised value in the unit, and the text it came from."""

    text: str
    value: Decimal
    unit: str
    count_word: str | None
    qualifier: str | None


def decimal_text(value: Decimal) -> str:
    """Canonical xsd:decimal lexical form: no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text


def parse_quantity(text: str) -> Quantity:
    """Parse `[qualifier] number [余] [万|亿] unit [以上|余]`; raise QuantityError otherwise."""
    raw = text.strip()
    match = _PATTERN.match(raw)
    if match is None or (match["unit"] or match["cls"]) is None and "/" not in match["num"]:
        loose = _NUMBER_ONLY.match(raw)
        if loose is not None and loose["rest"]:
            raise QuantityError(f"unknown unit {loose['rest']!r} in {text!r}")
        raise QuantityError(f"cannot read quantity {text!r}")
    unit_word = match["unit"]
    if match["cls"] and unit_word is None:
        if match["cls"] != "个":
            raise QuantityError(f"no count word after {match['cls']!r} in {text!r}")
        unit_word = "个"
    elif match["cls"] and unit_word not in COUNT_WORDS:
        raise QuantityError(f"{match['cls']!r} must be followed by a count word in {text!r}")
    number_text = match["num"]
    if sum(ch.isdigit() for ch in number_text) > MAX_DIGITS:
        raise QuantityError(f"more than {MAX_DIGITS} digits in {text!r}: not a figure")
    if "/" in number_text:
        numerator, denominator = number_text.split("/")
        if int(denominator) == 0:
            raise QuantityError(f"division by zero in {text!r}")
        # a fraction is a share: written in percent like the article's other shares
        with localcontext(prec=2 * MAX_DIGITS):  # exact: 100 x 18 digits, 10 decimals
            value = (100 * Decimal(numerator) / Decimal(denominator)).quantize(FRACTION_STEP)
    else:
        value = Decimal(number_text)
    if match["mult"]:
        value *= MULTIPLIERS[match["mult"]]
    count_word: str | None = None
    if unit_word is None:
        unit = MEASURE_UNITS["%"][0]
    elif unit_word in MEASURE_UNITS:
        unit = MEASURE_UNITS[unit_word][0]
    else:
        unit, count_word = COUNT_UNIT, unit_word
    qualifier = PREFIX_QUALIFIERS.get(match["pre"] or "")
    if match["yu"] or match["post"]:
        qualifier = SUFFIX_QUALIFIERS[match["post"] or "余"]
    return Quantity(raw, value, unit, count_word, qualifier)


def parse_percent(text: str) -> Quantity:
    """A growth rate or share, which must be a percentage."""
    quantity = parse_quantity(text)
    if quantity.unit != MEASURE_UNITS["%"][0]:
        raise QuantityError(f"{text!r} is not a percentage")
    return quantity


_ORDINALS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_RANK = re.compile(
    r"^(?P<scope>全市|全省|全国|各区)?第(?P<n>[0-9]{1,6}|[一二三四五六七八九十])(?:名)?\Z"
)
RANK_SCOPES = {"全市": "City", "全省": "Province", "全国": "Country"}


def parse_rank(text: str) -> tuple[int, str | None]:
    """`全市第二` -> (2, "City"): the rank and the class of the place it ranks in."""
    match = _RANK.match(text.strip())
    if match is None:
        raise QuantityError(f"cannot read rank {text!r} (expected e.g. 全市第一)")
    n = match["n"]
    rank = int(n) if n.isdigit() else _ORDINALS[n]
    return rank, RANK_SCOPES.get(match["scope"] or "")
