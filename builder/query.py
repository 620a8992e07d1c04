"""SPARQL over the built graph: the query catalog, parameters bound by substitution, results.

Queries run on pyoxigraph. Parameter values are never written into the query text: they are
passed as SEP-0007 substitutions (pyoxigraph's equivalent of rdflib's `initBindings`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from . import resources
from .prefixes import DEFAULT_BASE, PREFIXES

HEADER_LINE = re.compile(r"^#\s*(?P<key>[a-z]+):\s*(?P<value>.*)$")
PARAM = re.compile(
    r"^\?(?P<name>\w+)\s+(?P<kind>entity|text|number|iri)"
    r"(?:\s+default=(?P<default>\S+))?\s*(?:--\s*(?P<help>.*))?$"
)
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
LABEL_LOOKUP = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?kind ?wanted WHERE {
  { ?entity rdfs:label|skos:prefLabel ?label BIND("main" AS ?kind) }
  UNION { ?entity skos:altLabel ?label BIND("alternative" AS ?kind) }
  FILTER(LCASE(STR(?label)) = LCASE(?wanted))
} ORDER BY DESC(?kind) ?entity
"""


class QueryError(Exception):
    """A query or parameter that cannot be run (exit code 2)."""


@dataclass(frozen=True)
class Param:
    """A parameter a catalog query declares in its header."""

    name: str
    kind: str  # entity | text | number | iri
    default: str | None
    help: str


@dataclass(frozen=True)
class CatalogQuery:
    """A query with its header fields."""

    name: str
    text: str
    title: str
    question: str
    result: str
    params: tuple[Param, ...]


def parse_query(name: str, text: str) -> CatalogQuery:
    """Read the `# key: value` header of a query file."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = HEADER_LINE.match(line)
        if match is None:
            continue
        key, value = match["key"], match["value"].strip()
        if key == "param":
            declared = PARAM.match(value)
            if declared is None:
                raise QueryError(f"{name}: bad param line {value!r}")
            params.append(
                Param(
                    declared["name"], declared["kind"], declared["default"], declared["help"] or ""
                )
            )
        else:
            fields[key] = (fields[key] + " " + value) if key in fields else value
    return CatalogQuery(
        name,
        text,
        fields.get("title", name),
        fields.get("question", ""),
        fields.get("result", ""),
        tuple(params),
    )


def catalog() -> dict[str, CatalogQuery]:
    """The shipped queries by name."""
    return {
        name: parse_query(name, entry.read_text("utf-8"))
        for name, entry in resources.query_files().items()
    }


def find_query(spec: str) -> CatalogQuery:
    """A catalog name or a path to a `.rq` file; unknown names list the close matches."""
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"no query file {spec}")
        return parse_query(path.stem, path.read_text("utf-8"))
    queries = catalog()
    if spec in queries:
        return queries[spec]
    close = difflib.get_close_matches(spec, list(queries), n=5, cutoff=0.4)
    close += [n for n in queries if spec in n and n not in close]
    hint = f"; did you mean: {', '.join(close[:5])}" if close else "; see `luohu-kg query --list`"
    raise QueryError(f"unknown query {spec!r}{hint}")


def load_store(path: Path) -> ox.Store:
    """An in-memory store holding one RDF file."""
    fmt = RDF_EXTENSIONS.get(path.suffix)
    if fmt is None:
        raise QueryError(f"cannot tell the RDF format of {path} (use {', '.join(RDF_EXTENSIONS)})")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, OSError) as err:
        raise QueryError(f"{path}: {err}") from err
    return store


def store_from_triples(triples: Iterable[ox.Triple]) -> ox.Store:
    """An in-memory store holding the given triples in its default graph."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


def resolve_entity(store: ox.Store, value: str, base: str = DEFAULT_BASE) -> ox.NamedNode:
    """An entity named by IRI, by zh or en label, or by fact id."""
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if re.match(r"^[a-z][a-z0-9+.-]*://", value):
        return ox.NamedNode(value)
    rows = store.query(LABEL_LOOKUP, substitutions={ox.Variable("wanted"): ox.Literal(value)})
    # the kind is a string, not a boolean: Virtuoso answers a bound true as 1
    matches = [(row["entity"], row["kind"]) for row in rows]  # type: ignore[union-attr]
    main = [e for e, kind in matches if isinstance(e, ox.NamedNode) and kind.value == "main"]
    alternative = [e for e, _m in matches if isinstance(e, ox.NamedNode)]
    named = list(dict.fromkeys(main or alternative))  # a main label beats an alternative one
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise QueryError(
            f"{value!r} names {len(named)} entities: {', '.join(t.value for t in named[:5])}; "
            "pass an IRI instead"
        )
    candidate = ox.NamedNode(base + value) if re.match(r"^[a-z0-9-]+$", value) else None
    if candidate is not None and any(store.quads_for_pattern(candidate, None, None)):
        return candidate
    raise QueryError(f"no entity is labelled {value!r} (in zh or en) and no id matches it")


def bind(
    store: ox.Store, query: CatalogQuery, values: dict[str, str], base: str = DEFAULT_BASE
) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Typed substitutions for the query's parameters (declared or ad hoc)."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown and declared:
        raise QueryError(
            f"query {query.name} has no parameter {unknown[0]!r} "
            f"(it takes: {', '.join(sorted(declared))})"
        )
    bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name in sorted(set(values) | {p.name for p in query.params if p.default is not None}):
        param = declared.get(name, Param(name, "text", None, ""))
        raw = values.get(name, param.default)
        assert raw is not None
        term: ox.NamedNode | ox.Literal
        if param.kind == "entity":
            term = resolve_entity(store, raw, base)
        elif param.kind == "iri":
            term = ox.NamedNode(raw.strip("<>"))
        elif param.kind == "number":
            try:
                Decimal(raw)
            except InvalidOperation as err:
                raise QueryError(f"parameter {name!r} must be a number, not {raw!r}") from err
            term = ox.Literal(raw, datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal"))
        else:
            term = ox.Literal(raw)
        bound[ox.Variable(name)] = term
    return bound


def execute(
    store: ox.Store, text: str, substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal]
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a query; a syntax error becomes a QueryError naming line and column."""
    try:
        return store.query(
            text,
            substitutions=dict(substitutions),
            use_default_graph_as_union=True,
            prefixes={**PREFIXES, "lkd": DEFAULT_BASE},
        )
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax {err}") from err
    except RuntimeError as err:  # e.g. a substituted variable that the SELECT does not project
        raise QueryError(
            f"{err} (a parameter must be a variable of the SELECT clause, or use SELECT *)"
        ) from err


def short_name(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as shown in a terminal table: prefixed IRIs, literal values without quotes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, iri in [("lkd", DEFAULT_BASE), *PREFIXES.items()]:
            if term.value.startswith(iri):
                return f"{prefix}:{term.value[len(iri) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def display_width(text: str) -> int:
    """Terminal columns of a text: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def format_table(variables: list[str], rows: list[list[str]]) -> str:
    """An aligned text table (CJK-aware): columns separated by `|`, header ruled with `-+-`."""
    widths = [display_width(v) for v in variables]
    for row in rows:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        return " | ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def as_bytes(content: bytes | None) -> bytes:
    """pyoxigraph's serialisers return bytes when given no output file."""
    assert content is not None
    return content


def short_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """The IRI or lexical value of a term."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return "" if term is None else str(term)


def render(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, fmt: str) -> bytes:
    """Results as table, or SPARQL 1.1 JSON/CSV/TSV; graphs (CONSTRUCT) as Turtle."""
    if isinstance(result, ox.QueryTriples):
        return as_bytes(ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return b"true\n" if bool(result) else b"false\n"
        return as_bytes(result.serialize(format=RESULT_FORMATS[fmt]))
    if fmt != "table":
        return as_bytes(result.serialize(format=RESULT_FORMATS[fmt]))
    variables = [v.value for v in result.variables]
    rows = [[short_name(solution[v]) for v in variables] for solution in result]
    return format_table(variables, rows).encode("utf-8")


def select_rows(
    store: ox.Store, query: CatalogQuery, values: dict[str, str] | None = None
) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings by variable (for tests and scripts)."""
    result = execute(store, query.text, bind(store, query, values or {}))
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{query.name} is not a SELECT query")
    variables = [v.value for v in result.variables]
    return [
        {v: short_value(solution[v]) for v in variables if solution[v] is not None}
        for solution in result
    ]


def violation_queries() -> dict[str, CatalogQuery]:
    """The data-quality checks: catalog queries named `*-violation`, which must return no rows."""
    return {name: q for name, q in catalog().items() if name.endswith("-violation")}


def violations(store: ox.Store) -> dict[str, list[dict[str, str]]]:
    """Rows returned by each violation query (only the ones that found something)."""
    found = {name: select_rows(store, q) for name, q in violation_queries().items()}
    return {name: rows for name, rows in found.items() if rows}


def format_violations(found: dict[str, list[dict[str, str]]], limit: int = 20) -> str:
    """A readable report of violation rows."""
    lines = []
    for name, rows in found.items():
        lines.append(f"{name}: {len(rows)} row{'s' if len(rows) != 1 else ''}")
        for row in rows[:limit]:
            lines.append("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    return "\n".join(lines)
