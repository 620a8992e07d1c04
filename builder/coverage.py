"""Coverage: every clause, number, name and claim of the article, and the facts that hold it.

A clause is covered when every one of its characters (punctuation and spaces aside) lies in the
evidence quote of some fact or relation, or in a skip of `coverage.yaml` (which gives a reason).
A number, name or claim word is captured only by a fact whose quote covers it *and* whose own
values or labels carry it: a word kept only in a note does not count.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .model import DIGITS, Article, Corpus, Fact, fact_strings

CLAUSE_END = re.compile(r"[。;;!!??\n]|……")
NAME_PATTERNS = [
    re.compile(r"《[^《》]{2,60}》"),
    re.compile(r"“[^“”]{2,16}”"),
    re.compile(
        r"[\u4e00-\u9fff]{1,8}?"
        r"(?:片区|社区|地区|学校|书院|教育局|商务局|口岸|火车站|商圈|步行街|研究院|日报|平台|中心|党委)"
    ),
]
# counts in Chinese numerals (八个方面, 两周年, 十四五) and ordinals (首批, 第一)
CJK_NUMBER = re.compile(
    r"首(?:批|个|家)|第[一二两三四五六七八九十]+|十四五"
    r"|[一二两三四五六七八九十百千]+(?=个|项|所|套|家|条|次|周年|方面|批|期|大|位|区|带|方|座|份|张|栋)"
)
# words that make a claim: comparisons, "first" claims, qualitative outcomes
CLAIM_WORDS = re.compile(r"跑赢|领先|率先|首个|首批|第[一二三四五六七八九十]|显著|大大")


def _content(char: str) -> bool:
    """A character that carries meaning (not punctuation, a symbol or a space)."""
    return unicodedata.category(char)[0] in {"L", "N"}


@dataclass(frozen=True)
class Mention:
    """A number, name or claim word found in the article text, and what accounts for it."""

    kind: str  # "number", "name" or "claim"
    text: str
    start: int
    end: int
    line: int
    column: int
    facts: tuple[str, ...]
    skip_reason: str | None

    @property
    def covered(self) -> bool:
        """Captured by a fact or deliberately skipped."""
        return bool(self.facts) or self.skip_reason is not None


@dataclass(frozen=True)
class Clause:
    """A clause of the article (text between 。;!? and line breaks) and what covers it."""

    text: str
    start: int
    end: int
    line: int
    content: int  # characters that carry meaning
    in_evidence: int  # of those, inside some evidence quote
    skipped: int  # of the rest, inside a skip
    facts: tuple[str, ...]
    skip_reasons: tuple[str, ...]
    uncovered: tuple[str, ...]  # the pieces outside every quote and skip

    @property
    def covered(self) -> bool:
        """Every meaningful character is quoted by a fact or skipped with a reason."""
        return not self.uncovered


@dataclass(frozen=True)
class CoverageReport:
    """Clauses and mentions of one article."""

    article_id: str
    text_file: str
    clauses: list[Clause]
    mentions: list[Mention]

    def share(self, kind: str) -> tuple[int, int]:
        """(covered, total) mentions of one kind."""
        chosen = [m for m in self.mentions if m.kind == kind]
        return sum(m.covered for m in chosen), len(chosen)

    def body(self) -> tuple[int, int, int]:
        """(characters in evidence, characters skipped, all meaningful characters)."""
        return (
            sum(c.in_evidence for c in self.clauses),
            sum(c.skipped for c in self.clauses),
            sum(c.content for c in self.clauses),
        )

    @property
    def complete(self) -> bool:
        """Every clause and every mention is covered or skipped."""
        return all(c.covered for c in self.clauses) and all(m.covered for m in self.mentions)


def _numbers_of(fact: Fact) -> set[Decimal]:
    numbers = {Decimal(n) for s in fact_strings(fact) for n in DIGITS.findall(s)}
    for value in fact.dates.values():
        numbers.update(Decimal(n) for n in DIGITS.findall(value.text.replace("-", " ")))
    obs = fact.observation
    if obs is not None:
        time = obs.period.key if obs.period else obs.as_of.key if obs.as_of else ""
        numbers.update(Decimal(n) for n in DIGITS.findall(time.replace("-", " ")))
    return numbers


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _spans(fact: Fact, article_id: str) -> list[tuple[int, int]]:
    if fact.article_id != article_id:
        return []
    spans = [(fact.evidence.start, fact.evidence.end)]
    spans += [(r.evidence.start, r.evidence.end) for r in fact.relations if r.evidence]
    if fact.observation is not None:
        spans += [(r.evidence.start, r.evidence.end) for r in fact.observation.restated]
    return spans


def split_clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause holding a meaningful character, in order."""
    found = []
    start = 0
    for match in [*CLAUSE_END.finditer(text), None]:
        end = match.start() if match is not None else len(text)
        piece = text[start:end]
        if any(_content(c) for c in piece):
            lead = len(piece) - len(piece.lstrip())
            found.append((start + lead, start + len(piece.rstrip())))
        if match is not None:
            start = match.end()
    return found


def _pieces(text: str, start: int, flags: list[bool]) -> tuple[str, ...]:
    """The runs of meaningful characters not flagged, as text."""
    runs, current = [], ""
    for i, char in enumerate(text):
        if not flags[start + i] and (current or _content(char)):
            current += char
        elif current:
            runs.append(current.strip())
            current = ""
    if current:
        runs.append(current.strip())
    return tuple(r for r in runs if any(_content(c) for c in r))


def article_coverage(corpus: Corpus, article: Article) -> CoverageReport:
    """Every clause, number, name and claim word of one article, with what covers it."""
    text = article.text
    facts = [f for f in corpus.facts.values() if f.article_id == article.id]
    spans = {f.id: _spans(f, article.id) for f in facts}
    quoted = [False] * len(text)
    for fact_spans in spans.values():
        for a, b in fact_spans:
            quoted[a:b] = [True] * (b - a)
    skipped = [False] * len(text)
    for skip in article.skips:
        ev = skip.evidence
        skipped[ev.start : ev.end] = [True] * (ev.end - ev.start)
    clauses = []
    for start, end in split_clauses(text):
        piece = text[start:end]
        content = [i for i in range(start, end) if _content(text[i])]
        holders = tuple(
            sorted(f.id for f in facts if any(a < end and start < b for a, b in spans[f.id]))
        )
        # the reasons of the skips that account for a character no quote holds
        unquoted = [i for i in content if not quoted[i]]
        reasons = tuple(
            dict.fromkeys(
                s.reason
                for s in article.skips
                if any(s.evidence.start <= i < s.evidence.end for i in unquoted)
            )
        )
        either = [q or s for q, s in zip(quoted, skipped, strict=True)]
        clauses.append(
            Clause(
                piece,
                start,
                end,
                _position(text, start)[0],
                len(content),
                sum(quoted[i] for i in content),
                sum(skipped[i] and not quoted[i] for i in content),
                holders,
                reasons,
                _pieces(piece, start, either),
            )
        )
    return CoverageReport(article.id, article.text_file, clauses, _mentions(article, facts, spans))


def _named_spans(
    facts: list[Fact], by_id: dict[str, Fact]
) -> list[tuple[str, int, int, list[str]]]:
    """(fact id, start, end, names) for each quote and the names it stands for: a fact's own
    quote its labels, a relation's quote the labels of both ends, a figure's quote its
    subject's and indicator's labels."""
    found = []
    for fact in facts:
        own = [s for s in fact_strings(fact) if len(s) >= 2]
        obs = fact.observation
        if obs is not None:
            for ref in (obs.subject, obs.indicator):
                if ref in by_id:
                    own += [s for s in (by_id[ref].zh, *by_id[ref].alt_zh) if len(s) >= 2]
        spans = [(fact.evidence.start, fact.evidence.end)]
        if obs is not None:
            spans += [(r.evidence.start, r.evidence.end) for r in obs.restated]
        found += [(fact.id, a, b, own) for a, b in spans]
        for rel in fact.relations:  # a stated relation's quote stands for both its ends
            if rel.background is not None or rel.obj not in by_id:
                continue
            target = by_id[rel.obj]
            names = [s for s in (fact.zh, *fact.alt_zh, target.zh, *target.alt_zh) if len(s) >= 2]
            quote = rel.evidence or fact.evidence
            found.append((fact.id, quote.start, quote.end, names))
    return found


def _name_holders(
    named: list[tuple[str, int, int, list[str]]], text: str, start: int, end: int, name: str
) -> tuple[str, ...]:
    """Facts with a quote that holds the name: the whole name lies in a quote standing for a
    label that contains it, or a label inside the name lies in a quote standing for it."""
    holders = set()
    for fid, a, b, labels in named:
        for label in labels:
            if name in label and a <= start and end <= b:
                holders.add(fid)
            elif label in name:
                at = text.find(label, start, end)
                if at >= 0 and a <= at and at + len(label) <= b:
                    holders.add(fid)
    return tuple(sorted(holders))


def _mentions(
    article: Article, facts: list[Fact], spans: dict[str, list[tuple[int, int]]]
) -> list[Mention]:
    text = article.text
    numbers = {f.id: _numbers_of(f) for f in facts}
    strings = {f.id: fact_strings(f) for f in facts}
    named = _named_spans(facts, {f.id: f for f in facts})
    mentions: list[Mention] = []

    def skip_for(start: int, end: int, found: str) -> str | None:
        for skip in article.skips:
            ev = skip.evidence
            if ev.start <= start and end <= ev.end and (skip.text in found or found in skip.text):
                return skip.reason
        return None

    def inside(fid: str, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in spans[fid])

    def add(kind: str, start: int, end: int, holders: tuple[str, ...]) -> None:
        found = text[start:end]
        line, column = _position(text, start)
        reason = None if holders else skip_for(start, end, found)
        mentions.append(Mention(kind, found, start, end, line, column, holders, reason))

    for match in DIGITS.finditer(text):
        start, end = match.span()
        value = Decimal(match.group())
        add("number", start, end, tuple(
            f.id for f in facts if value in numbers[f.id] and inside(f.id, start, end)
        ))  # fmt: skip
    for pattern, kind in ((CJK_NUMBER, "number"), (CLAIM_WORDS, "claim")):
        for match in pattern.finditer(text):
            start, end = match.span()
            word = match.group()
            add(kind, start, end, tuple(
                f.id for f in facts
                if inside(f.id, start, end) and any(word in s for s in strings[f.id])
            ))  # fmt: skip
    seen: set[tuple[int, int]] = set()
    for pattern in NAME_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if (start, end) in seen:
                continue
            seen.add((start, end))
            name = match.group().strip("《》“”")
            add("name", start, end, _name_holders(named, text, start, end, name))
    mentions.sort(key=lambda m: (m.start, m.kind))
    return mentions


def corpus_coverage(corpus: Corpus) -> list[CoverageReport]:
    """One report per article."""
    return [article_coverage(corpus, article) for article in corpus.articles]


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "100.0%"


def _short(text: str, width: int = 40) -> str:
    flat = text.replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


MISSING_HINTS = {
    "claim": "no fact holds these words: add a claim fact (FirstClaim, ComparisonClaim, "
    "TrendClaim) or a rank; a note does not count",
    "number": "no fact's values or labels hold it: add the figure, or a skip with a reason",
    "name": "no fact quoting it has this name: add the entity, or a skip with a reason",
}


def _clause_line(clause: Clause, where: str) -> str:
    share = _percent(clause.in_evidence, clause.content)
    text = repr(_short(clause.text))
    if not clause.covered:
        gaps = " | ".join(_short(p, 30) for p in clause.uncovered)
        return f"  UNCOVERED {where} {share} {text}: not in any quote: {gaps}"
    reasons = "; ".join(clause.skip_reasons)
    if clause.in_evidence == 0:
        return f"  skipped   {where} {text}: {reasons}"
    how = ", ".join(clause.facts[:4]) + (" …" if len(clause.facts) > 4 else "")
    if clause.in_evidence < clause.content:
        return f"  part-skip {where} {share} {text}: {how}; the rest skipped: {reasons}"
    return f"  covered   {where} {share} {text}: {how}"


def format_report(reports: list[CoverageReport], verbose: bool = False) -> tuple[str, bool]:
    """Readable report (per clause, then per kind of mention) and whether all is covered."""
    lines: list[str] = []
    complete = True
    for report in reports:
        lines.append(f"article {report.article_id} ({report.text_file})")
        quoted, skipped, total = report.body()
        lines.append(
            f"  body: {total} characters; {quoted} ({_percent(quoted, total)}) inside evidence "
            f"quotes, {skipped} ({_percent(skipped, total)}) skipped with a reason, "
            f"{total - quoted - skipped} uncovered"
        )
        clauses = report.clauses
        done = sum(c.covered for c in clauses)
        whole = sum(c.covered and c.in_evidence == c.content for c in clauses)
        only_skipped = sum(c.covered and c.in_evidence == 0 for c in clauses)
        lines.append(
            f"  clauses: {done}/{len(clauses)} accounted for ({_percent(done, len(clauses))}): "
            f"{whole} wholly inside evidence quotes, {only_skipped} skipped with a reason, "
            f"{done - whole - only_skipped} partly quoted and partly skipped"
        )
        for clause in clauses:
            lines.append(_clause_line(clause, f"{report.text_file}:{clause.line}"))
        for kind in ("number", "name", "claim"):
            covered, count = report.share(kind)
            captured = sum(1 for m in report.mentions if m.kind == kind and m.facts)
            lines.append(
                f"  {kind}s: {covered}/{count} covered ({_percent(covered, count)}): "
                f"{captured} captured by facts, {covered - captured} skipped with a reason"
            )
        for m in report.mentions:
            where = f"{report.text_file}:{m.line}:{m.column}"
            if not m.covered:
                lines.append(f"  MISSING {m.kind} {m.text!r} at {where}: {MISSING_HINTS[m.kind]}")
            elif verbose:
                how = ", ".join(m.facts) if m.facts else f"skipped: {m.skip_reason}"
                lines.append(f"  ok {m.kind} {m.text!r} at {where}: {how}")
        complete = complete and report.complete
    return "\n".join(lines), complete
