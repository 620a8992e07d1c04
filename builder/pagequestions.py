"""The page's questions tab: every catalog query, run when the page is made, as tables.

A cell that names an entity of the page links to it in the graph; a cell whose text is an
evidence quote, or the words of a Quote, links to that quote in the read view. Nothing is
fetched when the page is viewed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from .query import CatalogQuery, QueryError, StoreNames, bind, catalog, execute, short_value

ROWS_KEPT = 200  # rows of one answer kept in the page


def _missing_default(names: StoreNames, query: CatalogQuery, base: str) -> str | None:
    """The default of an entity parameter that names nothing in this graph (the catalog's
    defaults name the article's entities: a synthetic corpus has none of them)."""
    for param in query.params:
        if param.kind != "entity" or param.default is None:
            continue
        wanted = param.default
        if names.labelled(wanted):
            continue
        ident = wanted.removeprefix("lkd:")
        if names.is_entity(wanted) or names.is_entity(base + ident):
            continue
        return wanted
    return None


def questions(
    store: ox.Store, shown: set[str], quotes: Mapping[str, str], base: str
) -> tuple[list[dict[str, Any]], str | None]:
    """Each catalog query (but the `*-violation` checks) with its answer at its defaults;
    `quotes` maps the words of a quote (an evidence quote, a Quote's text) to its span id."""
    names = StoreNames(store)
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
        missing = _missing_default(names, query, base)
        try:
            if missing is not None:  # cheaper than the resolver's "did you mean" over every label
                raise QueryError(f"its default {missing!r} names no entity of this graph")
            answer = execute(store, query.text, bind(store, query, {}, base))
        except QueryError as err:
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
                    span = quotes.get(term.value)
                    if span is not None:
                        cell["q"] = span
                row.append(cell)
            rows.append(row)
        entry.update(columns=columns, rows=rows, total=total)
        result.append(entry)
    return result, None
