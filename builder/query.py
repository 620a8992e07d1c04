"""SPARQL over the built graph: the query catalog, parameters bound by substitution, results.

Queries run on pyoxigraph. Parameter values are never written into the query text: they are
passed as SEP-0007 substitutions (pyoxigraph's equivalent of rdflib's `initBindings`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from . import formats, resources
from .errors import LuohuKGError
from .prefixes import DEFAULT_BASE, PREFIXES
from .resolver import EntityLookupError, is_entity, resolve
from .tables import (
    MIN_CELL,
    cell_text,
    clip,
    display_width,
    fit_widths,
    format_records,
    format_table,
    pad,
)

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
# entities (of any class: filtered in Python by resolver.is_entity) with a label equal to
# ?wanted ignoring case; the kind is a string, not a boolean: Virtuoso answers a bound true as 1
LABEL_LOOKUP = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?kind ?class ?wanted WHERE {
  { ?entity rdfs:label|skos:prefLabel ?label BIND("main" AS ?kind) }
  UNION { ?entity skos:altLabel ?label BIND("alternative" AS ?kind) }
  FILTER(LCASE(STR(?label)) = LCASE(?wanted))
  ?entity a ?class
}
"""
CLASS_LOOKUP = "SELECT DISTINCT ?entity ?class WHERE { ?entity a ?class }"
EVERY_LABEL = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entity ?label ?kind ?class WHERE {
  { ?entity rdfs:label|skos:prefLabel ?label BIND("main" AS ?kind) }
  UNION { ?entity skos:altLabel ?label BIND("alternative" AS ?kind) }
  ?entity a ?class
}
"""
UPDATE_START = re.compile(
    r"^(?:\s*(?:BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>))*\s*"
    r"(?P<keyword>INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
QUERY_START = re.compile(
    r"^(?:\s*(?:BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>))*\s*(?P<word>\S{0,20})",
    re.IGNORECASE,
)
SYNTAX_POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+)")
COMMENT_LINE = re.compile(r"^\s*#.*$", re.MULTILINE)
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


AD_HOC = "sparql"  # the name of the CatalogQuery made of --sparql TEXT


class QueryError(LuohuKGError):
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
    fmt = formats.from_path(path)
    if fmt is None:
        raise QueryError(formats.unknown_format(path))
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


class StoreNames:
    """`resolver.EntityNames` answered by SPARQL on a store (or an `EndpointStore`)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def _select(
        self,
        text: str,
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple],
    ) -> ox.QuerySolutions:
        result = self.store.query(
            text, substitutions=substitutions, use_default_graph_as_union=True
        )
        assert isinstance(result, ox.QuerySolutions)
        return result

    def is_entity(self, iri: str) -> bool:
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # e.g. a bad host: no entity has it, as in the entity graph
            return False
        rows = self._select(CLASS_LOOKUP, {ox.Variable("entity"): node})
        return is_entity(iri, [_value(row["class"]) for row in rows])

    def labelled(self, name: str) -> list[tuple[str, bool]]:
        rows = self._select(LABEL_LOOKUP, {ox.Variable("wanted"): ox.Literal(name)})
        found: dict[tuple[str, bool], list[str]] = {}
        for row in rows:
            entity = row["entity"]
            if isinstance(entity, ox.NamedNode):
                key = (entity.value, _value(row["kind"]) == "main")
                found.setdefault(key, []).append(_value(row["class"]))
        return [key for key, classes in found.items() if is_entity(key[0], classes)]

    def every_label(self) -> list[tuple[str, str, bool]]:
        classes: dict[str, set[str]] = {}
        labels: set[tuple[str, str, bool]] = set()
        for row in self._select(EVERY_LABEL, {}):
            entity = row["entity"]
            if isinstance(entity, ox.NamedNode):
                classes.setdefault(entity.value, set()).add(_value(row["class"]))
                labels.add((entity.value, _value(row["label"]), _value(row["kind"]) == "main"))
        return sorted(label for label in labels if is_entity(label[0], classes[label[0]]))


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else ""


def resolve_entity(store: ox.Store, value: str, base: str = DEFAULT_BASE) -> ox.NamedNode:
    """The entity named by IRI, prefixed name, zh/en label, fact id or alternative label.

    The rule is `resolver.resolve`, the one `viz --focus` and `path` use: a main label or id
    beats an alternative label; several entities on one level, or none, raise QueryError.
    """
    try:
        return ox.NamedNode(resolve(value, StoreNames(store), base))
    except EntityLookupError as err:
        raise QueryError(str(err)) from err


def describe_params(query: CatalogQuery) -> str:
    """`place (entity, default 深圳市), period (text, default 2021-H1)`, or `none`."""
    parts = [
        f"{p.name} ({p.kind}, default {p.default})"
        if p.default is not None
        else f"{p.name} ({p.kind}, optional)"
        for p in query.params
    ]
    return ", ".join(parts) or "none"


def selected_variables(text: str) -> list[str] | None:
    """The variables a SELECT projects (run on an empty store); None for other forms."""
    try:
        result = ox.Store().query(text, prefixes={**PREFIXES, "lkd": DEFAULT_BASE})
    except (SyntaxError, RuntimeError, ValueError):
        return None
    if isinstance(result, ox.QuerySolutions):
        return [v.value for v in result.variables]
    return None


def _check_ad_hoc(query: CatalogQuery, names: list[str]) -> None:
    """Ad hoc parameters (of a query that declares none) must be variables it can bind."""
    for name in names:
        if not VARIABLE_NAME.match(name):
            raise QueryError(
                f"--param {name}=…: {name!r} is not a parameter name "
                "(letters, digits and _, not starting with a digit)"
            )
    probe: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(n): ox.Literal("") for n in names
    }
    try:
        ox.Store().query(
            query.text, substitutions=probe, prefixes={**PREFIXES, "lkd": DEFAULT_BASE}
        )
    except RuntimeError:
        selected = selected_variables(query.text) or []
        missing = next((n for n in names if n not in selected), names[0])
        which = "the --sparql query" if query.name == AD_HOC else f"query {query.name}"
        declares = "" if query.name == AD_HOC else " declares no parameters and"
        variables = (
            f"its variables: {', '.join('?' + v for v in selected)}"
            if selected
            else f"?{missing} does not occur in it"
        )
        raise QueryError(
            f"cannot bind --param {missing}: {which}{declares} does not select ?{missing} "
            f"({variables})"
        ) from None
    except (SyntaxError, ValueError):
        pass  # reported when the query runs


def bind(
    store: ox.Store, query: CatalogQuery, values: dict[str, str], base: str = DEFAULT_BASE
) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Typed substitutions for the query's parameters (declared or ad hoc)."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown and declared:
        raise QueryError(
            f"query {query.name} has no parameter {unknown[0]!r}; "
            f"it takes: {describe_params(query)}"
        )
    if unknown:
        _check_ad_hoc(query, unknown)
    bound: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for name in sorted(set(values) | {p.name for p in query.params if p.default is not None}):
        param = declared.get(name, Param(name, "text", None, ""))
        raw = values.get(name, param.default)
        assert raw is not None
        term: ox.NamedNode | ox.Literal
        if param.kind == "entity":
            try:
                term = resolve_entity(store, raw, base)
            except QueryError as err:
                raise QueryError(f"parameter {name!r}: {err}") from err
        elif param.kind == "iri":
            try:
                term = ox.NamedNode(raw.strip().removeprefix("<").removesuffix(">"))
            except ValueError as err:
                raise QueryError(f"parameter {name!r}: {raw!r} is not an IRI ({err})") from err
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


def syntax_message(text: str, error: str) -> str:
    """One line for a SPARQL syntax error: updates, unknown prefixes, the place it fails."""
    bare = COMMENT_LINE.sub("", text)
    update = UPDATE_START.match(bare)
    if update is not None:
        return (
            f"this is a SPARQL update ({update['keyword'].upper()} …): `luohu-kg query` runs "
            "only SELECT, ASK, CONSTRUCT and DESCRIBE and never changes the graph "
            "(change the fact files and `luohu-kg build`)"
        )
    position = SYNTAX_POSITION.search(error)
    if position is None:
        return f"SPARQL syntax {error.splitlines()[0] if error else 'error'}"
    line_no, column = int(position["line"]), int(position["column"])
    lines = text.splitlines() or [""]
    line = lines[min(line_no, len(lines)) - 1]
    where = f"SPARQL syntax error at {line_no}:{column}"
    if "expected CONSTRUCT" in error:
        word = QUERY_START.match(bare)
        found = word["word"] if word is not None and word["word"] else "nothing"
        return (
            f"{where}: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE "
            f"(after any PREFIX and BASE lines), not {found!r}"
        )
    if "Prefix not found" in error:
        before = line[: max(column - 1, 0)].split()
        token = before[-1].lstrip("({[/|^!=<>*+,;") if before else ""
        prefix = token.split(":", 1)[0] if ":" in token else ""
        prefix = prefix if re.fullmatch(r"[A-Za-z][\w.-]*", prefix) else "?"
        known = ", ".join(sorted({*PREFIXES, "lkd"}))
        return (
            f"{where}: unknown prefix {prefix + ':'!r} (declare it with PREFIX {prefix}: <…>; "
            f"known without a declaration: {known})"
        )
    near = line[max(column - 26, 0) : column + 4].strip()
    expected = error[position.end() :].lstrip(": ").strip()
    if "\n" in expected or len(expected) > 90:
        expected = "unexpected text here"
    return f"{where} near {near!r}: {expected}" if near else f"{where}: {expected}"


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
        raise QueryError(syntax_message(text, str(err))) from err
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


def as_bytes(content: bytes | None) -> bytes:
    """pyoxigraph's serialisers return bytes when given no output file."""
    assert content is not None
    return content


def short_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """The IRI or lexical value of a term."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return "" if term is None else str(term)


PEOPLE_FORMATS = ("table", "records")  # rendered here for a terminal; the others are SPARQL's
BOM = b"\xef\xbb\xbf"


def render(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    fmt: str,
    *,
    width: int | None = None,
    hide_empty: Iterable[str] = (),
    bom: bool = False,
) -> bytes:
    """Results as a table or records (for people), or SPARQL 1.1 JSON/CSV/TSV; graphs
    (CONSTRUCT, DESCRIBE) as Turtle.

    For people: `width` fits the table to that many terminal columns (records are wrapped),
    and the columns named in `hide_empty` (the query's parameters) are left out when empty
    in every row. `bom` starts CSV or TSV with a UTF-8 byte order mark (for Excel).
    """
    if isinstance(result, ox.QueryTriples):
        return as_bytes(ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
    if isinstance(result, ox.QueryBoolean):
        if fmt in PEOPLE_FORMATS:
            return b"true\n" if bool(result) else b"false\n"
        return as_bytes(result.serialize(format=RESULT_FORMATS[fmt]))
    if fmt not in PEOPLE_FORMATS:
        content = as_bytes(result.serialize(format=RESULT_FORMATS[fmt]))
        return BOM + content if bom and fmt in ("csv", "tsv") else content
    variables = [v.value for v in result.variables]
    rows = [[short_name(solution[v]) for v in variables] for solution in result]
    hidden = set(hide_empty)
    keep = [i for i, v in enumerate(variables) if v not in hidden or any(row[i] for row in rows)]
    if len(keep) < len(variables):
        variables = [variables[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    if fmt == "records":
        return format_records(variables, rows, width).encode("utf-8")
    return format_table(variables, rows, width).encode("utf-8")


def catalog_listing(entries: Iterable[CatalogQuery], fmt: str, width: int | None = None) -> bytes:
    """`query --list`: one line per query (name, title, parameters with defaults), or each
    query in full as records, or JSON."""
    queries = list(entries)
    if fmt == "json":
        listed = [
            {
                "name": q.name,
                "title": q.title,
                "question": q.question,
                "result": q.result,
                "params": [
                    {"name": p.name, "kind": p.kind, "default": p.default, "help": p.help}
                    for p in q.params
                ],
            }
            for q in queries
        ]
        return (json.dumps(listed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "records":
        fields = ["name", "title", "question", "result", "params"]
        rows = [[q.name, q.title, q.question, q.result, _param_lines(q)] for q in queries]
        return format_records(fields, rows, width).encode("utf-8")
    rows = [[q.name, cell_text(q.title), _param_summary(q)] for q in queries]
    natural = [max((display_width(r[i]) for r in rows), default=0) for i in range(3)]
    widths = natural
    if width is not None:  # the names are never cut: they are what one types
        widths = fit_widths(natural, width, 2, [natural[0], MIN_CELL, MIN_CELL])
    lines = [
        "  ".join(pad(clip(c, w), w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _param_summary(query: CatalogQuery) -> str:
    """`?place entity=深圳市  ?period text=2021-H1` (no `=`: optional, all rows when not given)."""
    return "  ".join(
        f"?{p.name} {p.kind}" + (f"={p.default}" if p.default is not None else "")
        for p in query.params
    )


def _param_lines(query: CatalogQuery) -> str:
    return "\n".join(
        f"?{p.name} ({p.kind}, "
        + (f"default {p.default}" if p.default is not None else "optional")
        + f"): {p.help}"
        for p in query.params
    )


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
