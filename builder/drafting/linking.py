"""What the graph already knows: the labels of other articles' facts, to reuse their ids; and
readable, stable ids for new things (pinyin), with English labels where the words allow.

An entity whose zh label (or, failing that, one of its alternative labels) names exactly one
existing fact is that fact: the draft refers to its id and does not define it again. A label
that names several facts is listed for the curator, never guessed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..load import ARTICLE_META, find_article_folders, is_draft_file
from .segment import words as dictionary_words

NOT_LINKED_TYPES = frozenset(
    {"Observation", "Quote", "FirstClaim", "ComparisonClaim", "TrendClaim", "Indicator"}
)
_ASCII_ID = re.compile(r"[^a-z0-9]+")
MAX_ID = 60
try:  # libyaml's constructor: several times faster than PyYAML's
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Known:
    """A fact of the existing data that has labels."""

    id: str
    type: str
    zh: str
    alt_zh: tuple[str, ...]
    en: str


@dataclass
class GraphIndex:
    """The existing entities by label: main labels and alternative ones apart."""

    known: dict[str, Known] = field(default_factory=dict)
    main: dict[str, set[str]] = field(default_factory=dict)
    alt: dict[str, set[str]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    # indicators by zh label, apart: a figure's indicator phrase names one, the text does not
    indicators: dict[str, set[str]] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)  # an indicator's flow/stock/attribute

    def add(self, fact: Known) -> None:
        """Index one fact (the first one read of an id wins)."""
        self.ids.add(fact.id)
        if fact.type == "Indicator" and fact.zh:
            self.indicators.setdefault(fact.zh, set()).add(fact.id)
        if fact.type in NOT_LINKED_TYPES or fact.id in self.known:
            return
        self.known[fact.id] = fact
        if fact.zh:
            self.main.setdefault(fact.zh, set()).add(fact.id)
        for form in fact.alt_zh:
            self.alt.setdefault(form, set()).add(fact.id)

    def lookup(self, forms: list[str]) -> tuple[str | None, list[str]]:
        """(the id the forms name, []) or (None, the candidates when they name several)."""
        for table in (self.main, self.alt):
            for form in forms:
                found = sorted(table.get(form, ()))
                if len(found) == 1:
                    return found[0], []
                if len(found) > 1:
                    return None, found
        return None, []

    def surface_forms(self) -> list[tuple[str, str]]:
        """(label, id) of every label worth finding in a new text (2 characters or more; an
        alternative label of 2 characters only when it is not a generic word such as 全市)."""
        forms = [(label, i) for label, ids in self.main.items() for i in ids if len(label) >= 2]
        forms += [
            (label, i)
            for label, ids in self.alt.items()
            for i in ids
            if len(label) >= 3 or (len(label) == 2 and label[0] not in "全该本辖集")
        ]
        return sorted(forms)


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def graph_index(inputs: list[str], drafted: Path, article_id: str = "") -> GraphIndex:
    """The labels of every article named by `inputs` except the one being drafted (its folder
    or another copy of it, by id); drafts of other articles are not read either."""
    index = GraphIndex()
    if not inputs:
        return index
    skip = drafted.resolve()
    for folder in find_article_folders(inputs):
        if folder.resolve() == skip:
            continue
        for item in _curated_facts(folder, article_id):
            fid, ftype = item.get("id"), item.get("type")
            if not isinstance(fid, str) or not isinstance(ftype, str):
                continue
            zh = item.get("zh")
            en = item.get("en")
            if ftype == "Indicator" and isinstance(item.get("measure"), str):
                index.measures.setdefault(fid, item["measure"])
            index.add(
                Known(
                    fid,
                    ftype,
                    zh if isinstance(zh, str) else "",
                    _texts(item.get("alt_zh")),
                    en if isinstance(en, str) else "",
                )  # fmt: skip
            )
    return index


def _lazy_pinyin() -> Any:
    """pypinyin's `lazy_pinyin`, with its dictionary of single characters only: its phrase
    dictionary takes 0.3 s to load and changes few readings of names (set
    PYPINYIN_NO_PHRASES=0 to load it)."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    from pypinyin import lazy_pinyin

    return lazy_pinyin


def _curated_facts(folder: Path, article_id: str) -> list[dict[str, Any]]:
    """The facts of an article's curated fact files (not of its drafts), or none when it is
    the article being drafted. Read with libyaml's own constructor: the labels are needed,
    not the lines that `load` keeps for messages."""
    try:
        meta = yaml.load((folder / ARTICLE_META).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(meta, dict) or str(meta.get("id", folder.name)) == article_id:
        return []
    found: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == ARTICLE_META or is_draft_file(path):
            continue
        try:
            content = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # a file that does not load cannot be linked to
        facts = content.get("facts") if isinstance(content, dict) else None
        if isinstance(facts, list):
            found += [item for item in facts if isinstance(item, dict)]
    return found


def pinyin_words(zh: str) -> list[str]:
    """The label in pinyin, one item per word of it (罗湖区 → luohu, qu)."""
    # one syllable (or other character) per character of the label, read in one call
    syllables = _lazy_pinyin()(zh, errors=lambda chars: list(chars))
    if len(syllables) != len(zh):
        syllables = list(zh)
    words, at = [], 0
    for token in dictionary_words(zh):
        word = _ASCII_ID.sub("", "".join(syllables[at : at + len(token)]).lower())
        at += len(token)
        if word:
            words.append(word)
    return words


def new_id(zh: str, taken: set[str], prefix: str = "") -> str:
    """A readable id from the pinyin of a label, unique among `taken` (which it joins)."""
    words = pinyin_words(zh) or ["x"]
    base = prefix
    for word in words:
        candidate = f"{base}-{word}" if base else word
        if len(candidate) > MAX_ID:
            break
        base = candidate
    base = base.strip("-") or "x"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "令狐",
        "慕容",
        "尉迟",
        "公孙",
        "夏侯",
        "长孙",
        "司徒",
        "端木",
    }
)


def split_name(zh: str) -> tuple[str, str]:
    """(family name, given name) of a Chinese name (罗育德 → 罗, 育德; 欧阳明 → 欧阳, 明)."""
    size = 2 if zh[:2] in COMPOUND_SURNAMES and len(zh) > 2 else 1
    return zh[:size], zh[size:]


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or base-2, base-3…: the first not in `taken` (which it joins)."""
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


def person_id(zh: str, taken: set[str]) -> str:
    """family-given in pinyin, as the curated ids are written (罗育德 → luo-yude)."""
    lazy_pinyin = _lazy_pinyin()
    parts = [_ASCII_ID.sub("", "".join(lazy_pinyin(p)).lower()) for p in split_name(zh) if p]
    base = "-".join(p for p in parts if p) or "person"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


def english_label(zh: str, suffix: str, suffix_en: str, person: bool = False) -> str:
    """An English label: pinyin of the proper name and the English of its last word
    (罗湖区 → Luohu District); a person's name as Family Given (罗育德 → Luo Yude)."""
    lazy_pinyin = _lazy_pinyin()

    if person:
        family, given = split_name(zh)
        parts = ["".join(lazy_pinyin(family)).title()]
        if given and given[-1] not in "女先":
            parts.append("".join(lazy_pinyin(given)).title())
        elif given:
            parts.insert(0, "Ms" if given.startswith("女") else "Mr")
        return " ".join(parts)
    stem = zh[: len(zh) - len(suffix)] if suffix and zh.endswith(suffix) else zh
    words = [w.title() for w in pinyin_words(stem)]
    return " ".join([*words, suffix_en] if suffix_en else words).strip() or zh
