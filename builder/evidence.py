"""Evidence quotes: where a quote sits in its article, and the rule that it occurs there
exactly once. Used by the fact checks (`model`) and by the drafter, which must propose only
quotes the checks accept; kept apart from `model` so that the drafter loads without rdflib."""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 20  # characters of prefix/suffix kept with a quote


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


def quote_occurrences(text: str, quote: str, limit: int = 2) -> int:
    """How many times `quote` occurs in `text` (overlapping ones too), counted up to `limit`:
    an evidence quote must occur exactly once."""
    count, at = 0, text.find(quote)
    while at >= 0 and count < limit:
        count += 1
        at = text.find(quote, at + 1)
    return count


def evidence_at(article_id: str, text: str, quote: str, start: int) -> Evidence:
    """The Evidence of a quote found at `start` of the article text."""
    end = start + len(quote)
    return Evidence(
        article_id,
        quote,
        start,
        end,
        text.count("\n", 0, start) + 1,
        text[max(0, start - CONTEXT) : start],
        text[end : end + CONTEXT],
    )
