"""The article text cut into paragraphs, sentences and clauses, with offsets; evidence quotes
that occur exactly once, found and checked by the builder's own evidence code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..evidence import Evidence, evidence_at, quote_occurrences

SENTENCE_END = "。!?！？…"
CLAUSE_END = ",，;；:：、"
CLOSERS = '”’"）)》'
_SENTENCE = re.compile(rf"[^\n{SENTENCE_END}]+(?:[{SENTENCE_END}]+[{CLOSERS}]*)?")
_CLAUSE = re.compile(rf"[^\n{SENTENCE_END}{CLAUSE_END}]+[{SENTENCE_END}{CLAUSE_END}]?")
_CLAUSE_NO_ENUMERATION = re.compile(
    rf"[^\n{SENTENCE_END}{CLAUSE_END.replace('、', '')}]+[{SENTENCE_END}{CLAUSE_END}]?"
)
MAX_QUOTE = 400  # code points: a longer span is not a usable quote


@dataclass(frozen=True)
class Span:
    """A piece of the article: where it starts and ends (code points, end exclusive)."""

    start: int
    end: int
    text: str


class ArticleText:
    """The article's text with its sentences, clauses and paragraphs."""

    def __init__(self, article_id: str, text: str) -> None:
        self.article_id = article_id
        self.text = text
        self.paragraphs = [Span(m.start(), m.end(), m.group()) for m in re.finditer(r".+", text)]
        self.sentences = [
            Span(p.start + m.start(), p.start + m.end(), m.group())
            for p in self.paragraphs
            for m in _SENTENCE.finditer(p.text)
            if m.group().strip()
        ]

    def clauses(self, sentence: Span, enumeration: bool = True) -> list[Span]:
        """The clauses of a sentence, cut at commas, semicolons and colons (and at the
        enumeration comma 、 unless `enumeration` is false)."""
        pattern = _CLAUSE if enumeration else _CLAUSE_NO_ENUMERATION
        return [
            Span(sentence.start + m.start(), sentence.start + m.end(), m.group())
            for m in pattern.finditer(sentence.text)
            if m.group().strip()
        ]

    def sentence_at(self, at: int) -> Span:
        """The sentence holding the offset `at` (the last one before it, between sentences)."""
        found = self.sentences[0]
        for sentence in self.sentences:
            if sentence.start > at:
                break
            found = sentence
        return found

    def paragraph_at(self, at: int) -> Span:
        """The line (paragraph) holding the offset `at`."""
        found = self.paragraphs[0]
        for paragraph in self.paragraphs:
            if paragraph.start > at:
                break
            found = paragraph
        return found

    def is_unique(self, quote: str) -> bool:
        """Whether `quote` occurs exactly once in the text: the builder's rule for evidence."""
        return quote_occurrences(self.text, quote) == 1

    def unique_quote(self, start: int, end: int, floor: int | None = None) -> Span | None:
        """The shortest quote holding text[start:end] that occurs exactly once: grown a
        character at a time, first to the left (not past `floor`, default the start of the
        line), then to the right to the end of the line; None when even that is not unique."""
        line = self.paragraph_at(start)
        low = line.start + len(line.text) - len(line.text.lstrip())  # not the indent
        low = min(low if floor is None else max(low, floor), start)
        high = max(line.end, end)
        a, b = start, end
        while True:
            quote = self.text[a:b]
            if quote.strip() and self.is_unique(quote) and quote == quote.strip():
                return Span(a, b, quote)
            if b - a > MAX_QUOTE:
                return None
            if a > low:
                a -= 1
            elif b < high:
                b += 1
            else:
                return None

    def evidence(self, quote: str) -> Evidence:
        """The Evidence the builder records for a quote (which must be unique)."""
        if not self.is_unique(quote):
            raise ValueError(f"not a unique quote: {quote!r}")
        return evidence_at(self.article_id, self.text, quote, self.text.find(quote))
