"""The page's questions tab: every catalog query, run when the page is made, as tables.

A cell that names an entity of the page links to it in the graph; a cell whose text is (part
of) an evidence quote links to that quote in the read view. Nothing is fetched when the page
is viewed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from .pagedata import Span
from .query import QueryError, bind, catalog, execute, short_value

ROWS_KEPT = 200  # rows of one answer kept in the page
QUOTE_MIN = 6  # characters a text needs before it is looked up among the quotes


def _quote_index(spans: Iterable[Span]) -> tuple[dict[str, str], list[Span]]:
    exact: dict[str, str] = {}
    ordered = sorted(spans, key=lambda s: (len(s.exact), s.id))
    for span in ordered:
        exact.setdefault(span.exact, span.id)
    return exact, ordered


def _quote_of(text: str, exact: dict[str, str], ordered: list[Span]) -> str | None:
    """The span whose quote is this text, or the shortest one holding it."""
    if text in exact:
        return exact[text]
    if len(text) < QUOTE_MIN:
        return None
    return next((s.id for s in ordered if text in s.exact), None)


def questions(
    store: ox.Store, shown: set[str], spans: Iterable[Span], base: str
) -> tuple[list[dict[str, Any]], str | None]:
    """Each catalog query (but the `*-violation` checks) with its answer at its defaults."""
    exact, ordered = _quote_index(spans)
    result = []
    for name, query in catalog().items():
        if name.endswith("-violation"):
            continue
        entry: dict[str, Any] = {
            "name": name,
            "title": query.title,
            "question": query.question,
            "params": [
                {"name": p.name, "default": p.default or ""}
                for p in query.params
                if p.default is not None
            ],
        }
        try:
            answer = execute(store, query.text, bind(store, query, {}, base))
        except QueryError as err:  # a default naming an entity this graph does not hold
            entry.update(columns=[], rows=[], total=0, error=str(err))
            result.append(entry)
            continue
        if not isinstance(answer, ox.QuerySolutions):
            continue
        columns = [v.value for v in answer.variables]
        rows = []
        total = 0
        for solution in answer:
            total += 1
            if total > ROWS_KEPT:
                continue
            row = []
            for column in columns:
                term = solution[column]
                cell: dict[str, Any] = {"v": short_value(term)}
                if isinstance(term, ox.NamedNode) and term.value in shown:
                    cell["n"] = term.value
                elif isinstance(term, ox.Literal):
                    if term.language:
                        cell["lang"] = term.language
                    span = _quote_of(term.value, exact, ordered)
                    if span is not None:
                        cell["q"] = span
                row.append(cell)
            rows.append(row)
        entry.update(columns=columns, rows=rows, total=total)
        result.append(entry)
    return result, None
