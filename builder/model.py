"""Stage 2: check the raw facts (structure, references, evidence, numbers) and type them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .dates import DateError, DateValue, Instant, Period, parse_as_of, parse_date, parse_period
from .errors import InputError, Problem, did_you_mean
from .evidence import CONTEXT as CONTEXT  # re-exported: the context kept with a quote
from .evidence import Evidence as Evidence
from .evidence import evidence_at, quote_occurrences
from .load import Mapping, RawArticle, kind_of
from .quantities import Quantity, QuantityError, parse_percent, parse_quantity, parse_rank
from .vocab import Vocabulary

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")  # \Z: "a\n" is not an id
MAX_ID_LENGTH = 200
# fields that take a date or a year: YAML reads `2021` as a number, which is kept as its text
YEAR_FIELDS = {"date", "start", "end", "period", "as_of", "published", "reference_year"}
YEAR = re.compile(r"^[0-9]{4}\Z")
DIGITS = re.compile(r"\d+(?:\.\d+)?")

COMMON_FIELDS = {"id", "type", "evidence", "note", "relations"}
ENTITY_FIELDS = COMMON_FIELDS | {
    "zh", "en", "alt_zh", "alt_en", "zh_constructed", "date", "start", "end", "date_text", "phase",
    "status", "honour", "measure",
}  # fmt: skip
OBSERVATION_FIELDS = COMMON_FIELDS | {
    "subject", "indicator", "period", "as_of", "value", "growth", "rank", "rank_scope", "status",
    "date_text", "restated", "batch", "subject_mention", "indicator_mention",
}  # fmt: skip
QUOTE_FIELDS = COMMON_FIELDS | {"speaker", "post", "text", "en", "about"}
# claims the article makes about a thing: each kind has the fields after COMMON_FIELDS
CLAIM_FIELDS: dict[str, set[str]] = {
    "FirstClaim": {"about", "scope", "text", "mention"},
    "ComparisonClaim": {"about", "aspect", "comparison", "reference", "text"},
    "TrendClaim": {"about", "subject", "indicator", "direction", "text", "mention"},
}
COMPARISONS = {"exceeds": "Exceeds", "leads": "LeadsAmong"}
ASPECTS = {"value": "ValueAspect", "growth": "GrowthAspect"}
DIRECTIONS = {"decrease": "Decrease", "increase": "Increase"}
MEASURES = {"flow": "Flow", "stock": "Stock", "attribute": "Attribute"}
BATCHES = {"首批": "FirstBatch"}
RELATION_FIELDS = {"property", "object", "evidence", "mention", "subject_mention", "background"}
RESTATED_FIELDS = {"value", "evidence"}
# a relation's quote that does not name its subject may lean on the fact's own quote, if that
# names the subject and lies this close (code points between the two spans)
ADJACENT = 160
SKIP_FIELDS = {"text", "evidence", "reason"}
META_FIELDS = {
    "id", "text", "title_zh", "title_en", "published", "publisher", "author", "compiled_by",
    "reference_year", "date_assumption", "rights", "source_note",
}  # fmt: skip
OBSERVATION_STATUSES = {"actual": "Actual", "target": "Target", "estimate": "Estimate",
                        "baseline": "Baseline"}  # fmt: skip


@dataclass(frozen=True)
class Proposal:
    """What a draft file (`luohu-kg draft`) says of a fact or relation it proposes: the rule
    that proposed it, how sure that rule is (0-1), and the fields a curator must check."""

    proposed_by: str | None = None
    confidence: Decimal | None = None
    review: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A statement `fact --property--> object`, with its own evidence or the fact's.

    A relation the article does not state but a reader needs is `background`: it has no quote,
    and the reason is kept instead. A relation read from a draft file (or stated by a proposed
    claim) carries its `proposal`.
    """

    prop: str
    obj: str
    evidence: Evidence | None
    line: int
    mention: str | None = None
    subject_mention: str | None = None
    background: str | None = None
    proposal: Proposal | None = None


@dataclass(frozen=True)
class Restatement:
    """The same figure stated again elsewhere (a headline), in other words."""

    value: Quantity
    evidence: Evidence


@dataclass(frozen=True)
class ObservationData:
    """The measured part of an Observation fact."""

    subject: str
    indicator: str
    period: Period | None  # a flow: the interval it is counted over
    as_of: Instant | None  # a stock: when it stands
    value: Quantity
    growth: Quantity | None
    rank: int | None
    rank_scope: str | None
    rank_text: str | None
    status: str
    restated: tuple[Restatement, ...] = ()
    batch: str | None = None
    subject_mention: str | None = None
    indicator_mention: str | None = None


@dataclass(frozen=True)
class ClaimData:
    """A claim of the article about a thing: first of its kind, a comparison, a trend."""

    about: str | None
    text: str
    scope: str | None = None  # FirstClaim: where it is first (None: the text gives no scope)
    aspect: str | None = None  # ComparisonClaim: value or growth of the observation
    comparison: str | None = None
    reference: str | None = None
    subject: str | None = None  # TrendClaim: what changes, measured by indicator
    indicator: str | None = None
    direction: str | None = None
    mention: str | None = None


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
    zh_constructed: bool = False
    measure: str | None = None
    note: str | None = None
    relations: list[Relation] = field(default_factory=list)
    dates: dict[str, DateValue] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    observation: ObservationData | None = None
    quote: QuoteData | None = None
    claim: ClaimData | None = None
    proposal: Proposal | None = None  # a fact of a draft file: proposed, not yet reviewed


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
        if isinstance(value, str):
            return value
        if key in YEAR_FIELDS and type(value) is int:
            return str(value)
        self.problem(file, raw.line_of(key), fid, _not_text(key, value))
        return None

    def texts(self, raw: Mapping, key: str, file: str, fid: str) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
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
        occurrences = quote_occurrences(text, quote)
        if occurrences == 0:
            shown = quote if len(quote) <= 40 else quote[:40] + "…"
            near = nearest_passage(text, quote)
            hint = ""
            if near is not None:
                where, passage = near
                hint = f"; nearest text, line {text.count(chr(10), 0, where) + 1}: {passage!r}"
            message = f"evidence not found in {article.text_file}: {shown!r}{hint}"
            self.problem(file, line, fid, message)
            return None
        if occurrences > 1:
            self.problem(
                file, line, fid,
                f"evidence {quote!r} occurs more than once in {article.text_file}; quote more",
            )  # fmt: skip
            return None
        return evidence_at(article.id, text, quote, start)

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


def nearest_passage(text: str, quote: str, cutoff: float = 0.6) -> tuple[int, str] | None:
    """The passage of the text most like a quote that is not in it (of about its length, on
    one line), with its offset; None when nothing is at least `cutoff` alike (difflib's
    ratio). Most characters in common wins; then the length nearest the quote's; then a
    passage that begins and ends as the quote does."""
    if not 0 < len(quote) <= 400:
        return None
    wanted = set(quote)
    best: tuple[int, int, int, int] = (0, 0, 0, -1)  # (in common, -length gap, ends, start)
    found = ""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for size in (len(quote), len(quote) + 1, len(quote) - 1):
        for start in range(max(0, len(text) - size + 1) if size > 0 else 0):
            window = text[start : start + size]
            if "\n" in window or len(wanted.intersection(window)) < cutoff * len(wanted) / 2:
                continue
            matcher.set_seq1(window)
            if matcher.quick_ratio() < cutoff:
                continue
            common = sum(block.size for block in matcher.get_matching_blocks())
            ends = (window[0] == quote[0]) + (window[-1] == quote[-1])
            score = (common, -abs(size - len(quote)), ends, start)
            if score[:3] > best[:3] and 2 * common / (size + len(quote)) >= cutoff:
                best, found = score, window
    return (best[3], found) if best[3] >= 0 else None


def _unknown_fields(
    checker: _Checker, raw: Mapping, allowed: set[str], file: str, fid: str
) -> None:
    for key in sorted(set(raw) - allowed):
        hint = did_you_mean(str(key), allowed)
        checker.problem(file, raw.line_of(key), fid, f"unknown field `{key}`{hint}")


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
            hint = did_you_mean(prop, checker.vocab.object_properties)
            checker.problem(file, item.line_of("property"), fid, f"unknown property `{prop}`{hint}")
            continue
        quote = checker.text(item, "evidence", file, fid, required=False)
        background = checker.text(item, "background", file, fid, required=False)
        mention = checker.text(item, "mention", file, fid, required=False)
        subject_mention = checker.text(item, "subject_mention", file, fid, required=False)
        if background is not None and (quote or mention or subject_mention):
            checker.problem(
                file, item.line_of("background"), fid,
                f"relation {prop} {obj}: background knowledge has no quote and no mention",
            )  # fmt: skip
            continue
        evidence = checker.locate(article, quote, file, item.line_of("evidence"), fid)
        if quote is not None and evidence is None:
            continue
        proposal = _check_proposal(checker, article, file, fid, item)
        relations.append(
            Relation(prop, obj, evidence, item.line, mention, subject_mention, background,
                     proposal)
        )  # fmt: skip
    return relations


def _inherited(proposal: Proposal | None) -> Proposal | None:
    """What a relation stated with a proposed fact has of its proposal: the rule and the
    confidence (the fields to review are the fact's)."""
    return None if proposal is None else Proposal(proposal.proposed_by, proposal.confidence)


def _check_proposal(
    checker: _Checker, article: RawArticle, file: str, fid: str, raw: Mapping
) -> Proposal | None:
    """The draft fields of a fact or relation of a draft file (None in a curated file):
    `proposed_by` a text, `confidence` a number from 0 to 1, `review` a list of texts."""
    if file not in article.draft_files:
        return None
    fields = article.draft_fields.get((file, raw.line), {})
    by = fields.get("proposed_by")
    if by is not None and not isinstance(by, str):
        checker.problem(file, raw.line_of("proposed_by"), fid, _not_text("proposed_by", by))
        by = None
    confidence = None
    value = fields.get("confidence")
    if value is not None:
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            confidence = Decimal(str(value).strip())
            if not confidence.is_finite() or not 0 <= confidence <= 1:
                raise InvalidOperation
        except InvalidOperation:
            checker.problem(
                file, raw.line_of("confidence"), fid,
                f"`confidence` must be a number from 0 to 1, not {kind_of(value)}",
            )  # fmt: skip
            confidence = None
    review = fields.get("review", ())
    if isinstance(review, str):
        review = (review,)
    if not isinstance(review, list | tuple) or not all(isinstance(r, str) for r in review):
        checker.problem(file, raw.line_of("review"), fid, "`review` must be a list of texts")
        review = ()
    return Proposal(by, confidence, tuple(review))


def _check_observation(
    checker: _Checker,
    raw: Mapping,
    article: RawArticle,
    file: str,
    fid: str,
    evidence: Evidence | None,
) -> ObservationData | None:
    published = _published(article)
    subject = checker.text(raw, "subject", file, fid, required=True)
    indicator = checker.text(raw, "indicator", file, fid, required=True)
    period_text = checker.text(raw, "period", file, fid, required=False)
    as_of_text = checker.text(raw, "as_of", file, fid, required=False)
    batch = checker.text(raw, "batch", file, fid, required=False)
    value_text = checker.text(raw, "value", file, fid, required=True)
    growth_text = checker.text(raw, "growth", file, fid, required=False)
    rank_text = checker.text(raw, "rank", file, fid, required=False)
    rank_scope = checker.text(raw, "rank_scope", file, fid, required=False)
    status = checker.text(raw, "status", file, fid, required=False) or "actual"
    ok = True
    period = value = growth = None
    as_of: Instant | None = None
    rank: int | None = None
    scope_class: str | None = None
    if period_text is not None and as_of_text is not None:
        checker.problem(
            file, raw.line_of("as_of"), fid,
            "give `period` (a flow over an interval) or `as_of` (a stock at a time), not both",
        )  # fmt: skip
        ok = False
    if period_text is not None:
        try:
            period = parse_period(period_text, published)
        except DateError as err:
            checker.problem(file, raw.line_of("period"), fid, str(err))
            ok = False
    if as_of_text is not None:
        if published is None and as_of_text == "published":
            ok = False  # the article's own check reports the bad `published`
        else:
            try:
                as_of = parse_as_of(as_of_text, published)  # type: ignore[arg-type]
            except DateError as err:
                checker.problem(file, raw.line_of("as_of"), fid, str(err))
                ok = False
    if batch is not None:
        checker.in_evidence(batch, evidence, "batch", (file, raw.line_of("batch"), fid))
        if batch not in BATCHES:
            checker.problem(
                file, raw.line_of("batch"), fid,
                f"unknown batch {batch!r} (one of {', '.join(BATCHES)})",
            )  # fmt: skip
            ok = False
    restated = _check_restated(checker, raw, article, file, fid)
    mentions = {}
    for key in ("subject_mention", "indicator_mention"):
        mentions[key] = checker.text(raw, key, file, fid, required=False)
        checker.in_evidence(mentions[key], evidence, key, (file, raw.line_of(key), fid))
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
    if not ok or restated is None or None in (subject, indicator, value):
        return None
    assert subject is not None and indicator is not None and value is not None
    for again in restated:
        problem = _restatement_problem(value, again.value)
        if problem:
            checker.problem(file, raw.line_of("restated"), fid, problem)
            return None
    return ObservationData(
        subject, indicator, period, as_of, value, growth, rank, rank_scope, rank_text, status,
        restated, batch, mentions["subject_mention"], mentions["indicator_mention"],
    )  # fmt: skip


def _check_restated(
    checker: _Checker, raw: Mapping, article: RawArticle, file: str, fid: str
) -> tuple[Restatement, ...] | None:
    value = raw.get("restated")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        checker.problem(file, raw.line_of("restated"), fid, "`restated` must be a list of mappings")
        return None
    found = []
    for item in value:
        _unknown_fields(checker, item, RESTATED_FIELDS, file, fid)
        text = checker.text(item, "value", file, fid, required=True)
        quote = checker.text(item, "evidence", file, fid, required=True)
        evidence = checker.locate(article, quote, file, item.line_of("evidence"), fid)
        if text is None or evidence is None:
            return None
        checker.in_evidence(text, evidence, "restated value", (file, item.line_of("value"), fid))
        try:
            found.append(Restatement(parse_quantity(text), evidence))
        except QuantityError as err:
            checker.problem(file, item.line_of("value"), fid, str(err))
            return None
    return tuple(found)


def _restatement_problem(value: Quantity, again: Quantity) -> str | None:
    """Why a restated figure cannot be the same figure, or None when it can."""
    if value.unit != again.unit:
        return f"restated value {again.text!r} has another unit than {value.text!r}"
    low, high = again.value, again.value
    if again.qualifier in {"MoreThan", "AtLeast"}:
        high = value.value if value.value > low else low
    elif again.qualifier == "Nearly":
        low = value.value if value.value < high else high
    elif again.qualifier == "About":
        low, high = again.value * 9 / 10, again.value * 11 / 10
    if again.qualifier is None and value.qualifier is not None:
        low, high = value.value, value.value + abs(value.value)  # 800个以上 restated as 800个
    if not low <= value.value <= high:
        return f"restated value {again.text!r} does not agree with {value.text!r}"
    return None


def _not_text(key: str, value: object) -> str:
    hint = ": quote it" if isinstance(value, int | float) else ""
    return f"`{key}` must be text, not {kind_of(value)}{hint}"


def _checked_id(checker: _Checker, value: object, file: str, line: int) -> str | None:
    """A fact id (or None, with the problem): text of a-z, 0-9 and -."""
    if not isinstance(value, str):
        checker.problem(file, line, "-", _not_text("id", value))
        return None
    if not ID_PATTERN.match(value):
        checker.problem(file, line, value, "bad id: use lowercase a-z, 0-9 and -")
        return None
    if len(value) > MAX_ID_LENGTH:
        message = f"id of {len(value)} characters: at most {MAX_ID_LENGTH}"
        checker.problem(file, line, value, message)
        return None
    return value


def _check_fact(checker: _Checker, article: RawArticle, file: str, raw: Mapping) -> Fact | None:
    fid_value = raw.get("id")
    if fid_value is None:
        checker.problem(file, raw.line, "-", "missing required field `id`")
        return None
    fid = _checked_id(checker, fid_value, file, raw.line_of("id"))
    if fid is None:
        return None
    ftype = checker.text(raw, "type", file, fid, required=True)
    if ftype is None:
        return None
    if ftype == "Observation":
        allowed = OBSERVATION_FIELDS
    elif ftype == "Quote":
        allowed = QUOTE_FIELDS
    elif ftype in CLAIM_FIELDS:
        allowed = COMMON_FIELDS | CLAIM_FIELDS[ftype]
    elif ftype in checker.vocab.entity_classes:
        allowed = ENTITY_FIELDS
    else:
        known = {"Observation", "Quote", *CLAIM_FIELDS, *checker.vocab.entity_classes}
        hint = did_you_mean(ftype, known)
        checker.problem(file, raw.line_of("type"), fid, f"unknown type `{ftype}`{hint}")
        return None
    _unknown_fields(checker, raw, allowed, file, fid)
    quote = checker.text(raw, "evidence", file, fid, required=True)
    evidence = checker.locate(article, quote, file, raw.line_of("evidence"), fid)
    relations = _check_relations(checker, raw, article, file, fid)
    note = checker.text(raw, "note", file, fid, required=False)
    if evidence is None:
        return None
    fact = Fact(fid, ftype, article.id, file, raw.line, evidence, note=note, relations=relations)
    fact.proposal = _check_proposal(checker, article, file, fid, raw)
    if fact.proposal is not None:  # a relation of a proposed fact is proposed with it
        inherited = _inherited(fact.proposal)
        fact.relations = [
            rel if rel.proposal != Proposal() else replace(rel, proposal=inherited)
            for rel in relations
        ]
    where = (file, raw.line, fid)
    date_text = checker.text(raw, "date_text", file, fid, required=False)
    checker.in_evidence(date_text, evidence, "date_text", (file, raw.line_of("date_text"), fid))
    if date_text is not None:
        fact.texts["date_text"] = date_text
    if ftype == "Observation":
        fact.observation = _check_observation(checker, raw, article, file, fid, evidence)
        return fact if fact.observation is not None else None
    if ftype in CLAIM_FIELDS:
        fact.claim = _check_claim(checker, raw, file, fid, evidence)
        return fact if fact.claim is not None else None
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
    constructed = raw.get("zh_constructed", False)
    if not isinstance(constructed, bool):
        checker.problem(
            file, raw.line_of("zh_constructed"), fid, "`zh_constructed` must be true or false"
        )
    fact.zh_constructed = constructed is True
    if not fact.zh_constructed and zh not in article.text:
        checker.problem(
            file, raw.line_of("zh"), fid,
            f"zh label {zh!r} is not written in {article.text_file}: use the article's words, "
            "or mark it `zh_constructed: true` and keep the words as an alt_zh",
        )  # fmt: skip
    measure = checker.text(raw, "measure", file, fid, required=ftype == "Indicator")
    if measure is not None and (ftype != "Indicator" or measure not in MEASURES):
        checker.problem(
            file, raw.line_of("measure"), fid,
            f"`measure` is for an Indicator: one of {', '.join(MEASURES)}",
        )  # fmt: skip
    fact.measure = measure
    checker.numbers_in_evidence((zh, *fact.alt_zh), evidence, where)
    for key in ("date", "start", "end"):
        date = checker.text(raw, key, file, fid, required=False)
        if date is not None:
            try:
                fact.dates[key] = parse_date(date)
            except DateError as err:
                checker.problem(file, raw.line_of(key), fid, str(err))
    dates = fact.dates
    if dates and date_text is None:
        key = next(iter(dates))
        checker.problem(
            file, raw.line_of(key), fid,
            f"`{key}` needs `date_text`: the article's words for the date, in the evidence",
        )  # fmt: skip
    if "start" in dates and "end" in dates and dates["end"].last < dates["start"].first:
        checker.problem(file, raw.line_of("end"), fid, "bad date: `end` is before `start`")
    for key in ("phase", "status", "honour"):
        value = checker.text(raw, key, file, fid, required=False)
        if value is not None:
            fact.texts[key] = value
            checker.numbers_in_evidence((value,), evidence, (file, raw.line_of(key), fid))
    return fact


def _published(article: RawArticle) -> DateValue | None:
    try:
        return parse_date(article.meta.get("published"))
    except DateError:
        return None


def _check_claim(
    checker: _Checker, raw: Mapping, file: str, fid: str, evidence: Evidence
) -> ClaimData | None:
    kind = str(raw.get("type"))
    fields = {
        key: checker.text(raw, key, file, fid, required=key in {"text"})
        for key in sorted(CLAIM_FIELDS[kind])
    }
    required = {"ComparisonClaim": ("about", "aspect", "comparison", "reference"),
                "TrendClaim": ("subject", "indicator", "direction"),
                "FirstClaim": ("about",)}[kind]  # fmt: skip
    missing = [key for key in required if fields.get(key) is None]
    for key in missing:
        checker.problem(file, raw.line, fid, f"missing required field `{key}`")
    checker.in_evidence(fields["text"], evidence, "claim text", (file, raw.line_of("text"), fid))
    checker.in_evidence(
        fields.get("mention"), evidence, "mention", (file, raw.line_of("mention"), fid)
    )
    for key, allowed in (("aspect", ASPECTS), ("comparison", COMPARISONS),
                         ("direction", DIRECTIONS)):  # fmt: skip
        value = fields.get(key)
        if value is not None and value not in allowed:
            checker.problem(
                file,
                raw.line_of(key),
                fid,
                f"unknown {key} {value!r} (one of {', '.join(allowed)})",
            )
            missing.append(key)
    if missing or fields["text"] is None:
        return None
    return ClaimData(
        about=fields.get("about"),
        text=str(fields["text"]),
        scope=fields.get("scope"),
        aspect=fields.get("aspect"),
        comparison=fields.get("comparison"),
        reference=fields.get("reference"),
        subject=fields.get("subject"),
        indicator=fields.get("indicator"),
        direction=fields.get("direction"),
        mention=fields.get("mention"),
    )


def _check_article(checker: _Checker, raw: RawArticle) -> Article | None:
    meta, file = raw.meta, raw.meta_file
    aid = raw.id
    if "id" in meta and not isinstance(meta["id"], str):
        checker.problem(file, meta.line_of("id"), aid, _not_text("id", meta["id"]))
    elif not ID_PATTERN.match(aid) or len(aid) > MAX_ID_LENGTH:
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
    if year_text is not None and not YEAR.match(year_text):
        checker.problem(
            file,
            meta.line_of("reference_year"),
            aid,
            "`reference_year` must be a year: four digits 0-9 (2021)",
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

    places = set(checker.vocab.place_classes)
    figures = {"Observation"}
    for fact in facts.values():
        seen: set[tuple[str, str]] = set()
        for rel in fact.relations:
            expect(fact, rel.obj, rel.line, f"{rel.prop} object", None)
            if (rel.prop, rel.obj) in seen:
                checker.problem(
                    fact.file, rel.line, fact.id, f"relation {rel.prop} {rel.obj} twice"
                )
            seen.add((rel.prop, rel.obj))
            if rel.obj == fact.id:
                checker.problem(fact.file, rel.line, fact.id, f"{rel.prop} points at itself")
            elif rel.obj in facts:
                _check_statement(checker, fact, rel, facts[rel.obj])
        if fact.claim is not None:
            claim = fact.claim
            if fact.type == "ComparisonClaim":
                expect(fact, str(claim.about), fact.line, "about", figures)
                expect(fact, str(claim.reference), fact.line, "reference", places)
            elif fact.type == "FirstClaim":
                expect(fact, str(claim.about), fact.line, "about", None)
                if claim.scope is not None:
                    expect(fact, claim.scope, fact.line, "scope", places)
                if claim.about in facts:
                    _check_mentioned(checker, fact, facts[str(claim.about)], claim.mention)
            else:
                expect(fact, str(claim.subject), fact.line, "subject", None)
                expect(fact, str(claim.indicator), fact.line, "indicator", {"Indicator"})
                if claim.about is not None:
                    expect(fact, claim.about, fact.line, "about", None)
        if fact.observation is not None:
            obs = fact.observation
            expect(fact, obs.subject, fact.line, "subject", None)
            expect(fact, obs.indicator, fact.line, "indicator", {"Indicator"})
            target = facts.get(obs.subject)
            if target is not None and target.type in {"Observation", "Quote", *CLAIM_FIELDS}:
                checker.problem(
                    fact.file, fact.line, fact.id,
                    f"subject `{obs.subject}` is a {target.type}: a figure is about an entity",
                )  # fmt: skip
            indicator = facts.get(obs.indicator)
            if indicator is not None and indicator.measure is not None:
                _check_time(checker, fact, obs, indicator)
            _check_observation_names(checker, fact, obs, target, indicator)
            if obs.rank_scope is not None and not obs.rank_scope.startswith("@"):
                expect(fact, obs.rank_scope, fact.line, "rank_scope", None)
        if fact.quote is not None:
            expect(fact, fact.quote.speaker, fact.line, "speaker", {"Person"})
            if fact.quote.post is not None:
                expect(fact, fact.quote.post, fact.line, "post", {"Post"})
            for ref in fact.quote.about:
                expect(fact, ref, fact.line, "about", None)
                target = facts.get(ref)
                if (
                    target is not None
                    and _forms(target)
                    and not _names(fact.evidence.quote, target, None)
                ):
                    checker.problem(
                        fact.file, fact.line, fact.id,
                        f"about `{ref}`: the quote does not name it ({' / '.join(_forms(target))})",
                    )  # fmt: skip
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


def _forms(fact: Fact) -> list[str]:
    return [form for form in (fact.zh, *fact.alt_zh) if form]


def _names(quote: str, fact: Fact, mention: str | None) -> bool:
    return any(form in quote for form in _forms(fact)) or bool(mention and mention in quote)


def _check_mentioned(checker: _Checker, fact: Fact, target: Fact, mention: str | None) -> None:
    """A claim's quote names what it is about."""
    if mention is not None and mention not in fact.evidence.quote:
        checker.problem(fact.file, fact.line, fact.id, f"mention {mention!r} is not in the quote")
    elif not _names(fact.evidence.quote, target, mention):
        checker.problem(
            fact.file, fact.line, fact.id,
            f"the quote does not name `{target.id}` ({' / '.join(_forms(target))}): "
            "quote more or give `mention:`",
        )  # fmt: skip


def _check_statement(checker: _Checker, fact: Fact, rel: Relation, target: Fact) -> None:
    """A relation's quote names its object, and its subject or sits next to the fact's quote."""
    if rel.background is not None:
        return
    evidence = rel.evidence or fact.evidence
    quote = evidence.quote
    where = f"relation {rel.prop} {rel.obj}"
    for what, mention in (("mention", rel.mention), ("subject_mention", rel.subject_mention)):
        if mention is not None and mention not in quote:
            checker.problem(
                fact.file, rel.line, fact.id, f"{where}: {what} {mention!r} is not in its quote"
            )
            return
    if not _names(quote, target, rel.mention):
        forms = " / ".join(_forms(target)) or "no zh label"
        checker.problem(
            fact.file, rel.line, fact.id,
            f"{where}: its quote {_short(quote)!r} does not name the object ({forms}); "
            "quote the words that state it, give `mention:`, or declare `background:`",
        )  # fmt: skip
        return
    if not _forms(fact) or _names(quote, fact, rel.subject_mention):
        return
    # the fact's own quote is where the subject is stated: a quote on it or next to it has
    # the subject in its context
    own = fact.evidence
    if max(evidence.start - own.end, own.start - evidence.end, 0) <= ADJACENT:
        return
    checker.problem(
        fact.file, rel.line, fact.id,
        f"{where}: its quote {_short(quote)!r} does not name the subject "
        f"({' / '.join(_forms(fact))}) and is not next to the fact's own quote; "
        "quote more or give `subject_mention:`",
    )  # fmt: skip


def _check_observation_names(
    checker: _Checker,
    fact: Fact,
    obs: ObservationData,
    subject: Fact | None,
    indicator: Fact | None,
) -> None:
    """A figure's quote names what it measures and what it is about (or says how it does)."""
    quote = fact.evidence.quote
    pairs = (("subject", subject, obs.subject_mention),
             ("indicator", indicator, obs.indicator_mention))  # fmt: skip
    for what, node, mention in pairs:
        if node is None or not _forms(node) or _names(quote, node, mention):
            continue
        checker.problem(
            fact.file, fact.line, fact.id,
            f"{what} `{node.id}`: the quote {_short(quote)!r} does not name it "
            f"({' / '.join(_forms(node))}); quote more or give `{what}_mention:`",
        )  # fmt: skip


def _short(quote: str) -> str:
    return quote if len(quote) <= 30 else quote[:30] + "…"


def _check_time(checker: _Checker, fact: Fact, obs: ObservationData, indicator: Fact) -> None:
    """A flow has a period, a stock an as-of time, an attribute neither."""
    measure = indicator.measure
    wanted = {"flow": (True, False), "stock": (False, True), "attribute": (False, False)}
    if (obs.period is not None, obs.as_of is not None) == wanted[str(measure)]:
        return
    need = {"flow": "a `period`", "stock": "an `as_of`", "attribute": "no period and no as_of"}
    checker.problem(
        fact.file, fact.line, fact.id,
        f"indicator `{indicator.id}` is a {measure}: its figures take {need[str(measure)]}",
    )  # fmt: skip


def _first_claims_as_relations(checker: _Checker, corpus: Corpus) -> None:
    """`全市首个`: the claim also states `item lk:firstIn city`, quoted by the claim's words.

    When several claims state the same first (two articles report it), the first claim's
    quote states the relation, a curated claim's before a proposed one's."""
    stated: set[tuple[str, str]] = set()
    for fact in sorted(corpus.facts.values(), key=lambda f: f.proposal is not None):
        claim = fact.claim
        if fact.type != "FirstClaim" or claim is None or claim.scope is None:
            continue
        item = corpus.facts[str(claim.about)]
        if (item.id, claim.scope) in stated:
            continue
        if any(r.prop == "firstIn" and r.obj == claim.scope for r in item.relations):
            checker.problem(
                item.file, item.line, item.id,
                f"firstIn {claim.scope} is stated by the claim `{fact.id}`: drop the relation",
            )  # fmt: skip
            continue
        relation = Relation(
            "firstIn", claim.scope, fact.evidence, fact.line, claim.mention,
            proposal=_inherited(fact.proposal),  # a proposed claim proposes what it states
        )  # fmt: skip
        before = len(checker.problems)
        _check_statement(checker, item, relation, corpus.facts[claim.scope])
        for i in range(before, len(checker.problems)):  # report it where the claim is written
            p = checker.problems[i]
            checker.problems[i] = Problem(fact.file, fact.line, fact.id, p.message)
        item.relations.append(relation)
        stated.add((item.id, claim.scope))


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
    if not checker.problems:
        _first_claims_as_relations(checker, corpus)
    if checker.problems:
        raise InputError(checker.problems)
    return corpus


def fact_strings(fact: Fact) -> list[str]:
    """Every text of a fact that may carry a number or a name of the article (for coverage)."""
    strings = [fact.zh, *fact.alt_zh, *fact.texts.values()]
    if fact.observation is not None:
        obs = fact.observation
        strings += [obs.value.text, obs.growth.text if obs.growth else "", obs.rank_text or ""]
        strings += [again.value.text for again in obs.restated]
        strings.append(obs.batch or "")
    if fact.quote is not None:
        strings.append(fact.quote.text)
    if fact.claim is not None:
        strings.append(fact.claim.text)
    for rel in fact.relations:  # declared mentions are the words that state a relation
        strings += [rel.mention or "", rel.subject_mention or ""]
    return [s for s in strings if s]
