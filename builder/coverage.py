"""Coverage: every number and name in the article text, and the fact (or skip) that holds it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .model import DIGITS, Article, Corpus, Fact, fact_strings

NAME_PATTERNS = [
    re.compile(r"《[^《》]{2,60}》"),
    re.compile(r"“[^“”]{2,16}”"),
    re.compile(
        r"[\u4e00-\u9fff]{1,8}?"
        r"(?:片区|社区|地区|学校|书院|教育局|商务局|口岸|火车站|商圈|步行街|研究院|日报|平台|中心|党委)"
    ),
]


@dataclass(frozen=True)
class Mention:
    """A number or name found in the article text, and what accounts for it."""

    kind: str  # "number" or "name"
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
class CoverageReport:
    """All mentions of one article."""

    article_id: str
    text_file: str
    mentions: list[Mention]

    def share(self, kind: str) -> tuple[int, int]:
        """(covered, total) for one kind."""
        chosen = [m for m in self.mentions if m.kind == kind]
        return sum(m.covered for m in chosen), len(chosen)


def _numbers_of(fact: Fact) -> set[Decimal]:
    numbers = {Decimal(n) for s in fact_strings(fact) for n in DIGITS.findall(s)}
    for value in fact.dates.values():
        numbers.update(Decimal(n) for n in DIGITS.findall(value.text.replace("-", " ")))
    if fact.observation is not None:
        period = fact.observation.period.key.replace("-", " ")
        numbers.update(Decimal(n) for n in DIGITS.findall(period))
    return numbers


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _spans(fact: Fact, article_id: str) -> list[tuple[int, int]]:
    spans = []
    if fact.article_id == article_id:
        spans.append((fact.evidence.start, fact.evidence.end))
        spans += [(r.evidence.start, r.evidence.end) for r in fact.relations if r.evidence]
    return spans


def article_coverage(corpus: Corpus, article: Article) -> CoverageReport:
    """Every number and name of one article, with the facts or skip that cover it."""
    text = article.text
    facts = [f for f in corpus.facts.values() if f.article_id == article.id]
    spans = {f.id: _spans(f, article.id) for f in facts}
    numbers = {f.id: _numbers_of(f) for f in facts}
    labels = [(f.id, s) for f in facts for s in fact_strings(f) if len(s) >= 2]
    mentions: list[Mention] = []

    def skip_for(start: int, end: int, found: str) -> str | None:
        for skip in article.skips:
            ev = skip.evidence
            if ev.start <= start and end <= ev.end and (skip.text in found or found in skip.text):
                return skip.reason
        return None

    for match in DIGITS.finditer(text):
        start, end = match.span()
        value = Decimal(match.group())
        holders = tuple(
            f.id
            for f in facts
            if value in numbers[f.id] and any(a <= start and end <= b for a, b in spans[f.id])
        )
        line, column = _position(text, start)
        reason = None if holders else skip_for(start, end, match.group())
        mentions.append(Mention("number", match.group(), start, end, line, column, holders, reason))
    seen: set[tuple[int, int]] = set()
    for pattern in NAME_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if (start, end) in seen:
                continue
            seen.add((start, end))
            name = match.group().strip("《》“”")
            holders = tuple(sorted({fid for fid, s in labels if name in s or s in name}))
            line, column = _position(text, start)
            reason = None if holders else skip_for(start, end, match.group())
            mentions.append(
                Mention("name", match.group(), start, end, line, column, holders, reason)
            )
    mentions.sort(key=lambda m: (m.start, m.kind))
    return CoverageReport(article.id, article.text_file, mentions)


def corpus_coverage(corpus: Corpus) -> list[CoverageReport]:
    """One report per article."""
    return [article_coverage(corpus, article) for article in corpus.articles]


def format_report(reports: list[CoverageReport], verbose: bool = False) -> tuple[str, bool]:
    """Readable report and whether everything is covered."""
    lines: list[str] = []
    complete = True
    for report in reports:
        lines.append(f"article {report.article_id} ({report.text_file})")
        for kind in ("number", "name"):
            covered, total = report.share(kind)
            share = 100.0 if total == 0 else 100.0 * covered / total
            captured = sum(1 for m in report.mentions if m.kind == kind and m.facts)
            lines.append(
                f"  {kind}s: {covered}/{total} covered ({share:.1f}%): "
                f"{captured} captured by facts, {covered - captured} skipped with a reason"
            )
            complete = complete and covered == total
        for m in report.mentions:
            where = f"{report.text_file}:{m.line}:{m.column}"
            if not m.covered:
                lines.append(f"  MISSING {m.kind} {m.text!r} at {where}")
            elif verbose:
                how = ", ".join(m.facts) if m.facts else f"skipped: {m.skip_reason}"
                lines.append(f"  ok {m.kind} {m.text!r} at {where}: {how}")
    return "\n".join(lines), complete
