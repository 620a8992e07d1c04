"""Stage 2: check the raw facts (structure, references, evidence, numbers) and type them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .dates import DateError, DateValue, Period, parse_date, parse_period
from .errors import InputError, Problem
from .load import Mapping, RawArticle
from .quantities import Quantity, QuantityError, parse_percent, parse_quantity, parse_rank
from .vocab import Vocabulary

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
CONTEXT = 20  # characters of prefix/suffix kept with a quote

COMMON_FIELDS = {"id", "type", "evidence", "note", "relations"}
ENTITY_FIELDS = COMMON_FIELDS | {
    "zh", "en", "alt_zh", "alt_en", "date", "start", "end", "date_text", "phase", "status", "honour"
}  # fmt: skip
OBSERVATION_FIELDS = COMMON_FIELDS | {
    "subject", "indicator", "period", "value", "growth", "rank", "rank_scope", "status", "date_text"
}  # fmt: skip
QUOTE_FIELDS = COMMON_FIELDS | {"speaker", "post", "text", "en", "about"}
RELATION_FIELDS = {"property", "object", "evidence"}
SKIP_FIELDS = {"text", "evidence", "reason"}
META_FIELDS = {
    "id", "text", "title_zh", "title_en", "published", "publisher", "author", "compiled_by",
    "reference_year", "date_assumption", "rights", "source_note",
}  # fmt: skip
OBSERVATION_STATUSES = {"actual": "Actual", "target": "Target", "estimate": "Estimate",
                        "baseline": "Baseline"}  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """Where a quote sits in its article."""

    article_id: str
    quote: str
    start: int
    end: int
    line: int
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Relation:
    """A statement `fact --property--> object`, with its own evidence or the fact's."""

    prop: str
    obj: str
    evidence: Evidence | None
    line: int


@dataclass(frozen=True)
class ObservationData:
    """The measured part of an Observation fact."""

    subject: str
    indicator: str
    period: Period
    value: Quantity
    growth: Quantity | None
    rank: int | None
    rank_scope: str | None
    rank_text: str | None
    status: str


@dataclass(frozen=True)
class QuoteData:
    """Who said what."""

    speaker: str
    post: str | None
    text: str
    en: str
    about: tuple[str, ...]


@dataclass
class Fact:
    """One checked fact of a fact file."""

    id: str
    type: str
    article_id: str
    file: str
    line: int
    evidence: Evidence
    zh: str = ""
    en: str = ""
    alt_zh: tuple[str, ...] = ()
    alt_en: tuple[str, ...] = ()
    note: str | None = None
    relations: list[Relation] = field(default_factory=list)
    dates: dict[str, DateValue] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    observation: ObservationData | None = None
    quote: QuoteData | None = None


@dataclass(frozen=True)
class Skip:
    """A number or name of the article deliberately left out of the facts, and why."""

    text: str
    evidence: Evidence
    reason: str
    file: str
    line: int


@dataclass
class Article:
    """One article: its text, metadata, and the skips of its coverage."""

    id: str
    folder: Path
    text_file: str
    text: str
    meta_file: str
    title_zh: str
    title_en: str
    published: DateValue
    publisher: str
    author: str
    compiled_by: str | None
    reference_year: int
    date_assumption: str
    rights: str
    meta_lines: dict[str, int] = field(default_factory=dict)
    skips: list[Skip] = field(default_factory=list)


@dataclass
class Corpus:
    """Every article and every fact, checked; facts keyed by id in a stable order."""

    articles: list[Article]
    facts: dict[str, Fact]


class _Checker:
    """Collects problems while typing facts, so that one run reports them all."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.problems: list[Problem] = []

    def problem(self, file: str, line: int, fact_id: str, message: str) -> None:
        self.problems.append(Problem(file, line, fact_id, message))

    def text(self, raw: Mapping, key: str, file: str, fid: str, required: bool) -> str | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.problem(file, raw.line, fid, f"missing required field `{key}`")
            return None
        if isinstance(value, bool | list | dict):
            self.problem(file, raw.line_of(key), fid, f"`{key}` must be text")
            return None
        return str(value)

    def texts(self, raw: Mapping, key: str, file: str, fid: str) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problem(file, raw.line_of(key), fid, f"`{key}` must be a list of texts")
            return ()
        return tuple(str(v) for v in value)

    def locate(
        self, article: RawArticle, quote: str | None, file: str, line: int, fid: str
    ) -> Evidence | None:
        if quote is None:
            return None
        text = article.text
        start = text.find(quote)
        if start < 0:
            shown = quote if len(quote) <= 40 else quote[:40] + "…"
            self.problem(file, line, fid, f"evidence not found in {article.text_file}: {shown!r}")
            return None
        again = text.find(quote, start + 1)
        if again >= 0:
            self.problem(
                file, line, fid,
                f"evidence {quote!r} occurs more than once in {article.text_file}; quote more",
            )  # fmt: skip
            return None
        end = start + len(quote)
        return Evidence(
            article.id,
            quote,
            start,
            end,
            text.count("\n", 0, start) + 1,
            text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT],
        )

    def in_evidence(
        self, piece: str | None, evidence: Evidence | None, what: str, where: tuple[str, int, str]
    ) -> None:
        if piece is None or evidence is None:
            return
        if piece not in evidence.quote:
            self.problem(*where, f"{what} {piece!r} does not appear in the evidence")

    def numbers_in_evidence(
        self, texts: tuple[str, ...], evidence: Evidence | None, where: tuple[str, int, str]
    ) -> None:
        if evidence is None:
            return
        for text in texts:
            for number in DIGITS.findall(text):
                if number not in evidence.quote:
                    self.problem(*where, f"number {number} in {text!r} is not in the evidence")


def _unknown_fields(
    checker: _Checker, raw: Mapping, allowed: set[str], file: str, fid: str
) -> None:
    for key in sorted(set(raw) - allowed):
        checker.problem(file, raw.line_of(key), fid, f"unknown field `{key}`")


def _check_relations(
    checker: _Checker, raw: Mapping, article: RawArticle, file: str, fid: str
) -> list[Relation]:
    value = raw.get("relations")
    if value is None:
        return []
    if not isinstance(value, list):
        checker.problem(file, raw.line_of("relations"), fid, "`relations` must be a list")
        return []
    relations = []
    for item in value:
        if not isinstance(item, Mapping):
            checker.problem(file, raw.line_of("relations"), fid, "a relation must be a mapping")
            continue
        _unknown_fields(checker, item, RELATION_FIELDS, file, fid)
        prop = checker.text(item, "property", file, fid, required=True)
        obj = checker.text(item, "object", file, fid, required=True)
        if prop is None or obj is None:
            continue
        if prop not in checker.vocab.object_properties:
            checker.problem(file, item.line_of("property"), fid, f"unknown property `{prop}`")
            continue
        quote = checker.text(item, "evidence", file, fid, required=False)
        evidence = checker.locate(article, quote, file, item.line_of("evidence"), fid)
        relations.append(Relation(prop, obj, evidence, item.line))
    return relations


def _check_observation(
    checker: _Checker, raw: Mapping, file: str, fid: str, evidence: Evidence | None
) -> ObservationData | None:
    subject = checker.text(raw, "subject", file, fid, required=True)
    indicator = checker.text(raw, "indicator", file, fid, required=True)
    period_text = checker.text(raw, "period", file, fid, required=True)
    value_text = checker.text(raw, "value", file, fid, required=True)
    growth_text = checker.text(raw, "growth", file, fid, required=False)
    rank_text = checker.text(raw, "rank", file, fid, required=False)
    rank_scope = checker.text(raw, "rank_scope", file, fid, required=False)
    status = checker.text(raw, "status", file, fid, required=False) or "actual"
    ok = True
    period = value = growth = None
    rank: int | None = None
    scope_class: str | None = None
    if period_text is not None:
        try:
            period = parse_period(period_text)
        except DateError as err:
            checker.problem(file, raw.line_of("period"), fid, str(err))
    if value_text is not None:
        try:
            value = parse_quantity(value_text)
        except QuantityError as err:
            checker.problem(file, raw.line_of("value"), fid, str(err))
        checker.in_evidence(value_text, evidence, "value", (file, raw.line_of("value"), fid))
    if growth_text is not None:
        try:
            growth = parse_percent(growth_text)
        except QuantityError as err:
            checker.problem(file, raw.line_of("growth"), fid, str(err))
            ok = False
        checker.in_evidence(growth_text, evidence, "growth", (file, raw.line_of("growth"), fid))
    if rank_text is not None:
        try:
            rank, scope_class = parse_rank(rank_text)
        except QuantityError as err:
            checker.problem(file, raw.line_of("rank"), fid, str(err))
            ok = False
        checker.in_evidence(rank_text, evidence, "rank", (file, raw.line_of("rank"), fid))
        if rank_scope is None and scope_class is not None:
            rank_scope = "@" + scope_class  # resolved to the article's place of that class
    if status not in OBSERVATION_STATUSES:
        checker.problem(
            file, raw.line_of("status"), fid,
            f"unknown status {status!r} (one of {', '.join(OBSERVATION_STATUSES)})",
        )  # fmt: skip
        ok = False
    if not ok or None in (subject, indicator, period, value):
        return None
    assert subject is not None and indicator is not None
    assert period is not None and value is not None
    return ObservationData(
        subject, indicator, period, value, growth, rank, rank_scope, rank_text, status
    )


def _check_fact(checker: _Checker, article: RawArticle, file: str, raw: Mapping) -> Fact | None:
    fid_value = raw.get("id")
    fid = str(fid_value) if fid_value is not None else "-"
    if fid_value is None:
        checker.problem(file, raw.line, "-", "missing required field `id`")
        return None
    if not ID_PATTERN.match(fid):
        checker.problem(file, raw.line_of("id"), fid, "bad id: use lowercase a-z, 0-9 and -")
        return None
    ftype = checker.text(raw, "type", file, fid, required=True)
    if ftype is None:
        return None
    if ftype == "Observation":
        allowed = OBSERVATION_FIELDS
    elif ftype == "Quote":
        allowed = QUOTE_FIELDS
    elif ftype in checker.vocab.entity_classes:
        allowed = ENTITY_FIELDS
    else:
        checker.problem(file, raw.line_of("type"), fid, f"unknown type `{ftype}`")
        return None
    _unknown_fields(checker, raw, allowed, file, fid)
    quote = checker.text(raw, "evidence", file, fid, required=True)
    evidence = checker.locate(article, quote, file, raw.line_of("evidence"), fid)
    relations = _check_relations(checker, raw, article, file, fid)
    note = checker.text(raw, "note", file, fid, required=False)
    if evidence is None:
        return None
    fact = Fact(fid, ftype, article.id, file, raw.line, evidence, note=note, relations=relations)
    where = (file, raw.line, fid)
    date_text = checker.text(raw, "date_text", file, fid, required=False)
    checker.in_evidence(date_text, evidence, "date_text", (file, raw.line_of("date_text"), fid))
    if date_text is not None:
        fact.texts["date_text"] = date_text
    if ftype == "Observation":
        fact.observation = _check_observation(checker, raw, file, fid, evidence)
        return fact if fact.observation is not None else None
    if ftype == "Quote":
        speaker = checker.text(raw, "speaker", file, fid, required=True)
        text = checker.text(raw, "text", file, fid, required=True)
        english = checker.text(raw, "en", file, fid, required=True)
        post = checker.text(raw, "post", file, fid, required=False)
        checker.in_evidence(text, evidence, "quoted text", (file, raw.line_of("text"), fid))
        if speaker is None or text is None or english is None:
            return None
        about = checker.texts(raw, "about", file, fid)
        fact.quote = QuoteData(speaker, post, text, english, about)
        return fact
    zh = checker.text(raw, "zh", file, fid, required=True)
    en = checker.text(raw, "en", file, fid, required=True)
    if zh is None or en is None:
        return None
    fact.zh, fact.en = zh, en
    fact.alt_zh = checker.texts(raw, "alt_zh", file, fid)
    fact.alt_en = checker.texts(raw, "alt_en", file, fid)
    checker.numbers_in_evidence((zh, *fact.alt_zh), evidence, where)
    for key in ("date", "start", "end"):
        if raw.get(key) is not None:
            try:
                fact.dates[key] = parse_date(raw[key])
            except DateError as err:
                checker.problem(file, raw.line_of(key), fid, str(err))
    dates = fact.dates
    if "start" in dates and "end" in dates and dates["end"].last < dates["start"].first:
        checker.problem(file, raw.line_of("end"), fid, "bad date: `end` is before `start`")
    for key in ("phase", "status", "honour"):
        value = checker.text(raw, key, file, fid, required=False)
        if value is not None:
            fact.texts[key] = value
            checker.numbers_in_evidence((value,), evidence, (file, raw.line_of(key), fid))
    return fact


def _check_article(checker: _Checker, raw: RawArticle) -> Article | None:
    meta, file = raw.meta, raw.meta_file
    aid = raw.id
    if not ID_PATTERN.match(aid):
        checker.problem(file, meta.line_of("id"), aid, "bad article id: use a-z, 0-9 and -")
    _unknown_fields(checker, meta, META_FIELDS, file, aid)
    values = {
        key: checker.text(meta, key, file, aid, required=key not in {"compiled_by", "source_note"})
        for key in sorted(META_FIELDS - {"id", "text"})
    }
    published: DateValue | None = None
    if values["published"] is not None:
        try:
            published = parse_date(values["published"])
        except DateError as err:
            checker.problem(file, meta.line_of("published"), aid, str(err))
    year_text = values["reference_year"]
    if year_text is not None and not year_text.isdigit():
        checker.problem(
            file, meta.line_of("reference_year"), aid, "`reference_year` must be a year"
        )
        year_text = None
    required = ("title_zh", "title_en", "publisher", "author", "date_assumption", "rights")
    if published is None or year_text is None or any(values[k] is None for k in required):
        return None
    article = Article(
        aid,
        raw.folder,
        raw.text_file,
        raw.text,
        file,
        str(values["title_zh"]),
        str(values["title_en"]),
        published,
        str(values["publisher"]),
        str(values["author"]),
        values["compiled_by"],
        int(year_text),
        str(values["date_assumption"]),
        str(values["rights"]),
        dict(meta.key_lines),
    )
    if article.title_zh not in raw.text:
        checker.problem(file, meta.line_of("title_zh"), aid, "title_zh is not in the article text")
    for skip_file, item in raw.skips:
        _unknown_fields(checker, item, SKIP_FIELDS, skip_file, "skip")
        text = checker.text(item, "text", skip_file, "skip", required=True)
        quote = checker.text(item, "evidence", skip_file, "skip", required=True)
        reason = checker.text(item, "reason", skip_file, "skip", required=True)
        evidence = checker.locate(raw, quote, skip_file, item.line_of("evidence"), "skip")
        if text is None or reason is None or evidence is None:
            continue
        checker.in_evidence(text, evidence, "skipped text", (skip_file, item.line, "skip"))
        article.skips.append(Skip(text, evidence, reason, skip_file, item.line))
    return article


def _check_references(checker: _Checker, corpus: Corpus) -> None:
    facts = corpus.facts

    def expect(fact: Fact, ref: str, line: int, what: str, types: set[str] | None) -> None:
        target = facts.get(ref)
        if target is None:
            checker.problem(fact.file, line, fact.id, f"{what} `{ref}` is not defined")
        elif types is not None and target.type not in types:
            wanted = " or ".join(sorted(types))
            checker.problem(
                fact.file, line, fact.id, f"{what} `{ref}` is a {target.type}, not a {wanted}"
            )

    for fact in facts.values():
        seen: set[tuple[str, str]] = set()
        for rel in fact.relations:
            expect(fact, rel.obj, rel.line, f"{rel.prop} object", None)
            if (rel.prop, rel.obj) in seen:
                checker.problem(
                    fact.file, rel.line, fact.id, f"relation {rel.prop} {rel.obj} twice"
                )
            seen.add((rel.prop, rel.obj))
        if fact.observation is not None:
            obs = fact.observation
            expect(fact, obs.subject, fact.line, "subject", None)
            expect(fact, obs.indicator, fact.line, "indicator", {"Indicator"})
            if obs.rank_scope is not None and not obs.rank_scope.startswith("@"):
                expect(fact, obs.rank_scope, fact.line, "rank_scope", None)
        if fact.quote is not None:
            expect(fact, fact.quote.speaker, fact.line, "speaker", {"Person"})
            if fact.quote.post is not None:
                expect(fact, fact.quote.post, fact.line, "post", {"Post"})
            for ref in fact.quote.about:
                expect(fact, ref, fact.line, "about", None)
    for article in corpus.articles:
        refs: tuple[tuple[str, str | None], ...] = (
            ("publisher", article.publisher), ("author", article.author),
            ("compiled_by", article.compiled_by))  # fmt: skip
        for key, target_id in refs:
            if target_id is not None and target_id not in facts:
                line = article.meta_lines.get(key, 1)
                checker.problem(
                    article.meta_file, line, article.id, f"{key} `{target_id}` is not defined"
                )


def _resolve_rank_scopes(checker: _Checker, corpus: Corpus) -> None:
    """`全市第二` ranks in the article's city: find the one place of that class it names."""
    places: dict[tuple[str, str], list[str]] = {}
    for fact in corpus.facts.values():
        places.setdefault((fact.article_id, fact.type), []).append(fact.id)
    for fact in corpus.facts.values():
        obs = fact.observation
        if obs is None or obs.rank_scope is None or not obs.rank_scope.startswith("@"):
            continue
        wanted = obs.rank_scope[1:]
        found = places.get((fact.article_id, wanted), [])
        if len(found) != 1:
            checker.problem(
                fact.file, fact.line, fact.id,
                f"rank {obs.rank_text!r} needs `rank_scope`: {len(found)} {wanted} facts found",
            )  # fmt: skip
            continue
        object.__setattr__(obs, "rank_scope", found[0])


def check_corpus(raw_articles: list[RawArticle], vocab: Vocabulary) -> Corpus:
    """Type and check every fact; raise InputError listing every problem found."""
    checker = _Checker(vocab)
    articles: list[Article] = []
    facts: dict[str, Fact] = {}
    first_seen: dict[str, tuple[str, int]] = {}
    ids_seen: set[str] = set()
    for raw in raw_articles:
        if raw.id in ids_seen:
            checker.problem(raw.meta_file, raw.meta.line_of("id"), raw.id, "duplicate article id")
        ids_seen.add(raw.id)
        article = _check_article(checker, raw)
        if article is not None:
            articles.append(article)
        for file, item in raw.facts:
            fid = item.get("id")
            if isinstance(fid, str) and fid in first_seen:
                where = "{}:{}".format(*first_seen[fid])
                checker.problem(file, item.line_of("id"), fid, f"duplicate id (first at {where})")
                continue
            fact = _check_fact(checker, raw, file, item)
            if isinstance(fid, str):
                first_seen[fid] = (file, item.line)
            if fact is not None:
                facts[fact.id] = fact
    corpus = Corpus(articles, dict(sorted(facts.items())))
    if not checker.problems:
        _check_references(checker, corpus)
        _resolve_rank_scopes(checker, corpus)
    if checker.problems:
        raise InputError(checker.problems)
    return corpus


def fact_strings(fact: Fact) -> list[str]:
    """Every text of a fact that may carry a number or a name of the article (for coverage)."""
    strings = [fact.zh, *fact.alt_zh, *fact.texts.values()]
    if fact.observation is not None:
        obs = fact.observation
        strings += [obs.value.text, obs.growth.text if obs.growth else "", obs.rank_text or ""]
    if fact.quote is not None:
        strings.append(fact.quote.text)
    return [s for s in strings if s]
