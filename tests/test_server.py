"""serve, publish and SPARQL Protocol queries, against real Oxigraph servers on loopback ports.

Every server is started on 127.0.0.1 (port from a socket bound to port 0) with a temporary
store and is stopped by its fixture or test, whatever happens; every wait is bounded.
Without the `oxigraph` executable these tests are skipped, except in CI, where they must run
(the dev extras install it).
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from builder.cli_server import graph_to_use, publish_command, serve_command
from builder.front import sparql_texts, uses_service
from builder.outputs import serialize
from builder.pipeline import Built
from builder.prefixes import DEFAULT_BASE
from builder.query import (
    CatalogQuery,
    QueryError,
    bind,
    catalog,
    execute,
    render,
    store_from_triples,
)
from builder.server import (
    RunningServer,
    ServerError,
    graph_store_url,
    is_loopback,
    outer_group,
    oxigraph_binary,
    protocol_text,
    remote_bind,
    remote_query,
    remote_select,
    running_server,
    values_block,
)
from builder.server import (
    free_loopback_port as free_port,
)

from . import virtuoso
from .conftest import DATA

WAIT = 20.0  # seconds: the bound of every wait for a server


def _has_oxigraph() -> bool:
    try:
        oxigraph_binary()
    except ServerError:
        return False
    return True


needs_oxigraph = pytest.mark.skipif(
    not _has_oxigraph() and not os.environ.get("CI"),
    reason="the oxigraph executable is not installed (pip install oxigraph); required in CI",
)

needs_virtuoso = pytest.mark.skipif(
    virtuoso.executable() is None and not os.environ.get("CI"),
    reason="Virtuoso is not installed (apt-get install virtuoso-opensource); required in CI",
)

Row = tuple[tuple[str, str], ...]


_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?SEPARATOR\s*=\s*\"([^\"]*)\"\s*\)\s+AS\s+\?(\w+)",
    re.IGNORECASE,
)
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def concat_columns(query_text: str) -> dict[str, str]:
    """The variables a query fills with GROUP_CONCAT, each with its separator."""
    return {m[2]: m[1] for m in _CONCAT.finditer(query_text)}


def _cell(term: object, separator: str | None = None) -> str:
    """A term as text, the same for terms that only a server's choices set apart.

    A GROUP_CONCAT value becomes the set of its parts: SPARQL leaves their order undefined,
    and a group with nothing to join is "" on Virtuoso but unbound on Oxigraph. A boolean is
    written canonically (Virtuoso answers "true"^^xsd:boolean as "1"^^xsd:boolean, the same
    value). Everything else, language tags and datatypes included, is compared as it is.
    """
    if separator is not None:
        text = term.value if isinstance(term, ox.Literal) else ""
        return "{" + " | ".join(sorted(p for p in text.split(separator) if p)) + "}"
    if isinstance(term, ox.Literal) and term.datatype == XSD_BOOLEAN:
        return "true" if term.value in ("true", "1") else "false"
    return "" if term is None else str(term)


def _single(result: ox.QuerySolutions | ox.QueryBoolean) -> int:
    """The one integer a COUNT query returns."""
    assert isinstance(result, ox.QuerySolutions)
    (solution,) = list(result)
    term = solution[0]
    assert isinstance(term, ox.Literal)
    return int(term.value)


def rows(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, query_text: str = ""
) -> Counter[Row]:
    """The solutions as a multiset of rows of (variable, term) pairs."""
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    concat = concat_columns(query_text)
    return Counter(tuple((n, _cell(s[n], concat.get(n))) for n in names) for s in result)


# --- no server needed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("select * { ?s ?p ?o }", "{ ?s ?p ?o }"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o != 1) }", "{ ?s ?p ?o FILTER"),
        ('# a { comment\nPREFIX x: <http://x/#>\nASK { ?s ?p "}{" }', '{ ?s ?p "}{" }'),
        ("SELECT ?where (COUNT(*) AS ?n) WHERE { ?where ?p ?o } GROUP BY ?where", "{ ?where ?p"),
        ("DESCRIBE ?s WHERE { ?s a <http://x/C> }", "{ ?s a"),
    ],
)
def test_outer_group_finds_the_where_brace(text: str, expected: str) -> None:
    brace = outer_group(text)
    assert brace is not None and text[brace:].startswith(expected)


def test_parameters_go_first_in_the_where_group_as_ntriples_terms() -> None:
    hostile = 'x" } ; DROP ALL ; # \\ \n'
    bindings: dict[ox.Variable, ox.NamedNode | ox.Literal] = {
        ox.Variable("keyword"): ox.Literal(hostile),
        ox.Variable("entity"): ox.NamedNode("https://w3id.org/luohu-kg/id/luohu"),
    }
    block = values_block(bindings)
    assert block == (
        "VALUES (?entity ?keyword) { (<https://w3id.org/luohu-kg/id/luohu> "
        f"{ox.Literal(hostile)}) }}"
    )
    assert r'"x\" } ; DROP ALL ; # \\ \n"' in block  # escaped by pyoxigraph, not by us
    text = protocol_text("SELECT ?keyword ?entity WHERE { ?entity rdfs:label ?keyword }", bindings)
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in text
    assert "WHERE { VALUES (?entity ?keyword)" in text
    solutions = ox.Store().query(text)  # the hostile value stayed one literal
    assert isinstance(solutions, ox.QuerySolutions) and list(solutions) == []


def test_declared_prefixes_are_not_declared_twice() -> None:
    text = protocol_text("PREFIX lk: <http://example.org/> SELECT * WHERE { ?s a lk:X }", {})
    assert text.count("PREFIX lk:") == 1 and "PREFIX lkd:" in text


def test_query_errors_are_reported_before_sending() -> None:
    with pytest.raises(QueryError, match="syntax"):
        remote_query("http://127.0.0.1:1/query", "SELECT WHERE {", {}, "table")
    with pytest.raises(QueryError, match="WHERE group"):
        protocol_text("DESCRIBE <http://x/>", {ox.Variable("a"): ox.Literal("b")})


def test_graph_store_urls() -> None:
    assert graph_store_url("http://h:1/store", None) == "http://h:1/store?default"
    assert (
        graph_store_url("http://h:1/store", "https://w3id.org/luohu-kg/g#1")
        == "http://h:1/store?graph=https%3A%2F%2Fw3id.org%2Fluohu-kg%2Fg%231"
    )
    assert graph_store_url("http://h/ds/data?x=1", None) == "http://h/ds/data?x=1&default"
    with pytest.raises(ServerError, match="absolute IRI"):
        graph_store_url("http://h:1/store", "not an iri")
    with pytest.raises(ServerError, match="http"):
        graph_store_url("ftp://h/store", None)


def test_loopback_addresses() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org"]))


def test_publish_to_nothing_listening_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    small = tmp_path / "small.nt"
    small.write_text('<http://example.org/a> <http://example.org/b> "c" .\n', "utf-8")
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    result = runner.invoke(publish_command, ["--endpoint", endpoint, "--data", str(small)])
    assert result.exit_code == 2
    assert "cannot reach" in result.output and endpoint in result.output


def test_serve_refuses_a_busy_port_and_a_used_location(runner: CliRunner, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = runner.invoke(serve_command, ["--data", str(DATA), "--port", port])
    assert result.exit_code == 2 and "in use" in result.output
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "file").write_text("x")
    result = runner.invoke(serve_command, ["--location", str(tmp_path / "old")])
    assert result.exit_code == 2 and "not an empty directory" in result.output


def test_a_non_loopback_bind_is_warned_about(runner: CliRunner) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:  # so nothing is exposed
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = runner.invoke(serve_command, ["--bind", "0.0.0.0", "--port", port])
    assert result.exit_code == 2
    assert "warning: listening on 0.0.0.0, not loopback" in result.output


def test_graph_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, article_built: Built
) -> None:
    everything = article_built.parts().everything()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "luohu-kg.trig").write_bytes(serialize(article_built.parts(), "trig"))
    monkeypatch.chdir(tmp_path)
    built = graph_to_use((), DEFAULT_BASE)  # out/luohu-kg.trig when it exists
    assert built.origin == str(Path("out") / "luohu-kg.trig")
    assert set(built.triples()) == set(everything) and len(built.graph_names()) == 2
    (tmp_path / "graph.nt").write_bytes(serialize(article_built.parts(), "nt"))
    flat = graph_to_use(("graph.nt",), DEFAULT_BASE)  # an RDF file given as --data
    assert set(flat.triples()) == set(everything) and flat.named() == []
    assert graph_to_use((str(DATA),), DEFAULT_BASE).origin == f"built from {DATA}"
    (tmp_path / "graph.txt").write_text("x")
    with pytest.raises(ServerError, match="cannot tell the RDF format"):
        graph_to_use(("graph.txt",), DEFAULT_BASE)


# --- a writable Oxigraph server holding the published graph ---------------------------------


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """`oxigraph serve` on a free loopback port and a temporary store; stopped at teardown."""
    location = tmp_path_factory.mktemp("oxigraph-store")
    with running_server(location, "127.0.0.1", free_port(), writable=True, timeout=WAIT) as up:
        yield up


@pytest.fixture(scope="module")
def endpoint(oxigraph: RunningServer, article_built: Built) -> str:
    """The query URL of the server, once `publish` has uploaded the graph built from data/."""
    result = CliRunner().invoke(
        publish_command, ["--endpoint", f"{oxigraph.url}/store", "--data", str(DATA)]
    )
    assert result.exit_code == 0, result.output
    assert f"{len(article_built.parts().everything())} triples" in result.output
    return f"{oxigraph.url}/query"


@pytest.fixture(scope="module")
def local(article_built: Built) -> ox.Store:
    """The same graph in an in-memory store."""
    return store_from_triples(article_built.parts().everything())


COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
CATALOG = catalog()


# --- a throwaway Virtuoso holding the same graph in a named graph --------------------------

VIRTUOSO_GRAPH = "https://w3id.org/luohu-kg/graph/published"


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    """Debian's Virtuoso 7.2 on free loopback ports and a new database; stopped at teardown."""
    binary = virtuoso.executable()
    if binary is None:
        pytest.fail("Virtuoso is not installed: apt-get install virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso.running_virtuoso(binary, folder, free_port(), free_port()) as server:
        yield server


def _publish_to_virtuoso(server: virtuoso.Virtuoso, *options: str) -> Result:
    runner = CliRunner(env={"LUOHU_KG_PASSWORD": virtuoso.PASSWORD})
    arguments = ["--endpoint", server.graph_store, "--data", str(DATA), *options]
    return runner.invoke(publish_command, arguments)


@pytest.fixture(scope="module")
def virtuoso_endpoint(virtuoso_server: virtuoso.Virtuoso, article_built: Built) -> str:
    """Its SPARQL endpoint, reading the graph `publish` uploaded (Digest authentication)."""
    result = _publish_to_virtuoso(
        virtuoso_server, "--graph", VIRTUOSO_GRAPH, "--user", virtuoso.USER, "--replace"
    )
    assert result.exit_code == 0, f"{result.output}\n{virtuoso_server.log_tail()}"
    assert f"{len(article_built.parts().everything())} triples" in result.output
    graph = urllib.parse.urlencode({"default-graph-uri": VIRTUOSO_GRAPH})
    return f"{virtuoso_server.sparql}?{graph}"


SERVERS = [
    pytest.param("endpoint", id="oxigraph", marks=needs_oxigraph),
    pytest.param("virtuoso_endpoint", id="virtuoso", marks=needs_virtuoso),
]


@pytest.fixture(scope="module", params=SERVERS)
def any_endpoint(request: pytest.FixtureRequest) -> str:
    """The query URL of each server in turn, both holding the graph built from data/."""
    return str(request.getfixturevalue(request.param))


def test_published_graph_is_complete(
    any_endpoint: str, local: ox.Store, article_built: Built
) -> None:
    remote = remote_select(any_endpoint, COUNT)
    assert rows(remote) == rows(execute(local, COUNT, {}))
    assert _single(remote_select(any_endpoint, COUNT)) == len(article_built.parts().everything())


def _compare(endpoint: str, local: ox.Store, query: CatalogQuery, values: dict[str, str]) -> int:
    remote_bindings = remote_bind(endpoint, query, values)
    assert remote_bindings == bind(local, query, values)  # labels resolved the same way
    expected = rows(execute(local, query.text, remote_bindings), query.text)
    assert rows(remote_select(endpoint, query.text, remote_bindings), query.text) == expected
    return sum(expected.values())


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_catalog_query_over_the_protocol_matches_local(
    any_endpoint: str, local: ox.Store, name: str
) -> None:
    found = _compare(any_endpoint, local, CATALOG[name], {})
    if name.endswith("-violation"):
        assert found == 0
    elif not CATALOG[name].params or all(p.default for p in CATALOG[name].params):
        assert found > 0, f"{name} returns nothing, so the comparison proves little"


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("keyword-search", {"keyword": "school"}),  # the parameter is used in a FILTER
        ("keyword-search", {"keyword": "罗湖"}),  # Chinese text as a parameter
        ("facts-from-passage", {"text": "亿元"}),
        ("quotes-by-person", {"speaker": "罗育德"}),  # entity by zh label
        ("indicator-figures", {"indicator": "Total investment"}),  # entity by en label
        ("agents-and-work", {"agent": "https://w3id.org/luohu-kg/id/luohu-government"}),
        ("within-place", {"place": "罗湖区"}),  # a main label beats an alternative one
        ("policies-and-plans", {"document": "意见"}),  # by alternative label
    ],
)
def test_parameters_over_the_protocol_match_local(
    any_endpoint: str, local: ox.Store, name: str, values: dict[str, str]
) -> None:
    assert _compare(any_endpoint, local, CATALOG[name], values) > 0


@needs_virtuoso
def test_virtuoso_without_a_graph_or_with_a_wrong_password(
    virtuoso_server: virtuoso.Virtuoso, virtuoso_endpoint: str
) -> None:
    result = _publish_to_virtuoso(virtuoso_server, "--user", virtuoso.USER)
    assert result.exit_code == 2
    assert "no default graph" in result.output and "--graph IRI" in result.output
    wrong = CliRunner(env={"LUOHU_KG_PASSWORD": "not-the-password"}).invoke(
        publish_command,
        ["--endpoint", virtuoso_server.graph_store, "--data", str(DATA)]
        + ["--graph", VIRTUOSO_GRAPH, "--user", virtuoso.USER],
    )
    assert wrong.exit_code == 2 and "HTTP 401" in wrong.output
    assert "refused user 'dba'" in wrong.output
    unauthenticated = _publish_to_virtuoso(virtuoso_server, "--graph", VIRTUOSO_GRAPH)
    assert unauthenticated.exit_code == 2 and "give --user" in unauthenticated.output


@needs_oxigraph
def test_an_unknown_label_is_an_error(endpoint: str) -> None:
    with pytest.raises(QueryError, match="no entity is labelled"):
        remote_bind(endpoint, CATALOG["quotes-by-person"], {"speaker": "无此人"})


@needs_oxigraph
def test_hostile_parameter_is_data(endpoint: str, local: ox.Store) -> None:
    query = CATALOG["keyword-search"]
    hostile = '"} } ; DELETE WHERE { ?s ?p ?o } #'
    bindings = remote_bind(endpoint, query, {"keyword": hostile})
    assert remote_query(endpoint, query.text, bindings, "table").endswith(b"(0 rows)\n")
    assert rows(remote_select(endpoint, COUNT)) == rows(execute(local, COUNT, {}))


@needs_oxigraph
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_formats_match_local(endpoint: str, local: ox.Store, fmt: str) -> None:
    query = CATALOG["officials"]
    bindings = remote_bind(endpoint, query, {})
    got = remote_query(endpoint, query.text, bindings, fmt)
    want = render(execute(local, query.text, bindings), fmt)
    if fmt == "json":
        assert json.loads(got)["results"]["bindings"] == json.loads(want)["results"]["bindings"]
    elif fmt == "table":
        assert got == want  # rendered here, from JSON, with prefixed names
    else:
        assert sorted(got.splitlines()) == sorted(want.splitlines())


@needs_oxigraph
def test_ask_and_construct(endpoint: str, local: ox.Store) -> None:
    ask = "ASK { lkd:luohu a lk:District }"
    assert remote_query(endpoint, ask, {}, "table") == b"true\n"
    construct = "CONSTRUCT { ?d rdfs:label ?l } WHERE { ?d a lk:District ; rdfs:label ?l }"
    got = ox.parse(remote_query(endpoint, construct, {}, "table"), format=ox.RdfFormat.TURTLE)
    want = ox.parse(render(execute(local, construct, {}), "table"), format=ox.RdfFormat.TURTLE)
    expected = set(want)
    assert set(got) == expected and len(expected) > 0


@needs_oxigraph
def test_unreachable_endpoint_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="cannot reach"):
        remote_query(f"http://127.0.0.1:{free_port()}/query", COUNT, {}, "table")


@needs_oxigraph
def test_publish_named_graph_add_then_replace(
    oxigraph: RunningServer, runner: CliRunner, tmp_path: Path
) -> None:
    graph = "https://example.org/test/publish"
    first, second = tmp_path / "first.nt", tmp_path / "second.ttl"
    first.write_text('<http://example.org/a> <http://example.org/b> "一" .\n', "utf-8")
    second.write_text('<http://example.org/a> <http://example.org/b> "二" .\n', "utf-8")
    store = f"{oxigraph.url}/store"
    in_graph = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"

    def values() -> set[str]:
        found = remote_select(f"{oxigraph.url}/query", in_graph)
        assert isinstance(found, ox.QuerySolutions)
        return {row["o"].value for row in found if row["o"] is not None}

    args = ["--endpoint", store, "--graph", graph]
    assert runner.invoke(publish_command, [*args, "--data", str(first)]).exit_code == 0
    result = runner.invoke(publish_command, [*args, "--data", str(second), "--format", "nt"])
    assert result.exit_code == 0, result.output
    assert values() == {"一", "二"}  # POST adds
    result = runner.invoke(publish_command, [*args, "--data", str(second), "--replace"])
    assert result.exit_code == 0 and "replaced graph" in result.output
    assert values() == {"二"}  # PUT replaces


@needs_oxigraph
def test_publish_http_error_exits_2(oxigraph: RunningServer, runner: CliRunner) -> None:
    result = runner.invoke(publish_command, ["--endpoint", f"{oxigraph.url}/nowhere"])
    assert result.exit_code == 2
    assert re.search(r"HTTP 404", result.output), result.output


# --- `luohu-kg serve` as a subprocess ------------------------------------------------------

LAUNCH = "from builder.cli_server import serve_command; serve_command(prog_name='luohu-kg serve')"
URL_LINE = re.compile(r"SPARQL query endpoint: (\S+)")
LOCATION_LINE = re.compile(r"store location: (.+) \(")


class Serve:
    """`luohu-kg serve` in a child process, its output read line by line by a thread."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            start_new_session=True,  # no terminal signal reaches it but ours; killpg at the end
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: re.Pattern[str]) -> re.Match[str]:
        """The first output line matching, within WAIT seconds."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.seen)
                continue
            self.seen.append(line)
            if match := pattern.search(line):
                return match
        raise AssertionError(f"no {pattern.pattern!r} within {WAIT} s: {''.join(self.seen)}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Signal the child, wait (bounded) for it to exit; SIGKILL as a last resort."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(WAIT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the oxigraph child too
                self.process.wait()
        return self.process.returncode


@pytest.fixture()
def start_serve(tmp_path: Path) -> Iterator[Callable[..., Serve]]:
    """Start `luohu-kg serve` children; every one is stopped at teardown."""
    started: list[Serve] = []

    def start(*args: str) -> Serve:
        serve = Serve(list(args), tmp_path)
        started.append(serve)
        return serve

    yield start
    for serve in started:
        serve.stop()


def _get(url: str, data: bytes | None = None, content_type: str = "") -> int:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": content_type})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as err:
        return err.code


def _refused(url: str) -> bool:
    try:
        _get(url)
    except urllib.error.URLError:
        return True
    return False


@needs_oxigraph
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_read_only_then_stop(
    start_serve: Callable[..., Serve],
    local: ox.Store,
    sig: int,
    runner: CliRunner,
    article_built: Built,
) -> None:
    port = free_port()
    serve = start_serve("--data", str(DATA), "--port", str(port))
    url = serve.wait_for(URL_LINE)[1]
    assert url == f"http://127.0.0.1:{port}/query"
    location = Path(serve.wait_for(LOCATION_LINE)[1])
    assert location.is_dir()

    assert rows(remote_select(url, COUNT)) == rows(execute(local, COUNT, {}))  # default graph
    named = "SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _single(remote_select(url, named)) == 2  # the ontology and the article
    # each triple is stored once, in its named graph; the union default graph shows them all
    stored = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert _single(remote_select(url, stored)) == len(article_built.parts().quads())
    query = CATALOG["officials"]
    bindings = remote_bind(url, query, {})
    assert remote_query(url, query.text, bindings, "table") == render(
        execute(local, query.text, bindings), "table"
    )

    update = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    base = url.removesuffix("/query")
    assert _get(f"{base}/update", update, "application/sparql-update") == 403
    result = runner.invoke(publish_command, ["--endpoint", f"{base}/store", "--data", str(DATA)])
    assert result.exit_code == 2 and "HTTP 403" in result.output

    assert serve.stop(sig) == 0
    assert _refused(url), "the oxigraph child still answers"
    assert not location.exists(), "the temporary store was not removed"


@needs_oxigraph
def test_serve_writable_keeps_its_location(
    start_serve: Callable[..., Serve], tmp_path: Path
) -> None:
    port = free_port()
    location = tmp_path / "store"
    serve = start_serve(
        "--data", str(DATA), "--port", str(port), "--writable", "--location", str(location)
    )
    url = serve.wait_for(URL_LINE)[1]
    base = url.removesuffix("/query")
    update = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert _get(f"{base}/update", update, "application/sparql-update") == 204
    assert serve.stop() == 0
    assert _refused(url)
    assert location.is_dir() and any(location.iterdir())


def test_query_command_over_the_endpoint_matches_local(
    endpoint: str, runner: CliRunner, article_built: Built, tmp_path: Path
) -> None:
    from builder.cli import main
    from builder.outputs import serialize

    local_file = tmp_path / "g.ttl"
    local_file.write_bytes(serialize(article_built.parts(), "ttl"))
    args = ["query", "officials", "--format", "csv"]
    remote = runner.invoke(main, [*args, "--endpoint", endpoint])
    local = runner.invoke(main, [*args, "--data", str(local_file)])
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())
    assert "罗育德" in remote.output
    mixed = runner.invoke(main, [*args, "--endpoint", endpoint, "--data", str(local_file)])
    assert mixed.exit_code == 2


# --- the front of `serve`: no federated queries, no orphaned engine -------------------------


@pytest.mark.parametrize(
    ("text", "uses"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", True),
        ("select * { service silent <http://x/> { ?s ?p ?o } }", True),
        ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", True),  # code-point escape
        ('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }', False),  # a string
        ("SELECT * WHERE { ?s ?p <http://x/SERVICE> } # SERVICE", False),  # an IRI, a comment
        ("PREFIX ex: <http://x/> SELECT ?service WHERE { ?service a ex:SERVICE }", False),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ],
)
def test_service_is_seen_where_it_is_a_keyword(text: str, uses: bool) -> None:
    assert uses_service(text) is uses


def test_every_sparql_text_of_a_request_is_read() -> None:
    assert sparql_texts("/query?query=ASK%7B%7D", "", b"") == ["ASK{}"]
    form = urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": "x"}).encode()
    assert sparql_texts("/query", "application/x-www-form-urlencoded", form) == ["ASK {}"]
    assert sparql_texts("/update", "application/sparql-update; charset=utf-8", b"CLEAR ALL") == [
        "CLEAR ALL"
    ]


class _Listener:
    """A loopback TCP listener that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.2)
        self.port = int(self.socket.getsockname()[1])
        self.connections = 0
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.socket.close()


def _post_query(url: str, text: str) -> tuple[int, str]:
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=15) as answer:
            return int(answer.status), answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@needs_oxigraph
@pytest.mark.parametrize("allow", [False, True], ids=["default", "allow-service"])
def test_serve_does_not_run_service_unless_allowed(
    start_serve: Callable[..., Serve], allow: bool
) -> None:
    listener = _Listener()
    try:
        args = ["--data", str(DATA), "--port", str(free_port())]
        serve = start_serve(*args, *(["--allow-service"] if allow else []))
        url = serve.wait_for(URL_LINE)[1]
        federated = (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
        )
        status, text = _post_query(url, federated)
        time.sleep(0.5)
        if allow:
            assert listener.connections >= 1  # the engine did try the other host
        else:
            assert status == 400 and "--allow-service" in text
            assert listener.connections == 0
        assert _post_query(url, COUNT)[0] == 200  # ordinary queries pass through
    finally:
        listener.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "State:\tZ" in status


@needs_oxigraph
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_engine_and_serve_stand_or_fall_together(start_serve: Callable[..., Serve]) -> None:
    serve = start_serve("--data", str(DATA), "--port", str(free_port()))
    serve.wait_for(URL_LINE)
    [engine] = _children(serve.process.pid)
    os.kill(engine, signal.SIGKILL)  # the engine dies: serve says so and exits 2
    assert serve.process.wait(WAIT) == 2
    time.sleep(0.5)  # the reader thread drains the rest of the output
    while not serve.lines.empty():
        serve.seen.append(serve.lines.get())
    assert "the Oxigraph engine was killed by signal 9" in "".join(serve.seen)
    second = start_serve("--data", str(DATA), "--port", str(free_port()))
    url = second.wait_for(URL_LINE)[1]
    [engine] = _children(second.process.pid)
    second.process.kill()  # serve dies (SIGKILL, no clean-up of its own): the engine follows
    second.process.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while not _gone(engine) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(engine), "the Oxigraph engine outlived serve"
    assert _refused(url)


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("http://127.0.0.1:99999/store", "Port out of range"),
        ("http://127.0.0.1:0/store", "port 0"),
        ("http://127.0.0.1:7878/st ore", "no spaces"),
        ("ftp://127.0.0.1/store", "http:// or https://"),
    ],
)
def test_publish_checks_the_endpoint_first(runner: CliRunner, endpoint: str, message: str) -> None:
    result = runner.invoke(publish_command, ["--endpoint", endpoint, "--data", str(DATA)])
    assert result.exit_code == 2 and message in result.output, result.output


def test_publish_says_refused_timed_out_or_reset(runner: CliRunner, tmp_path: Path) -> None:
    small = tmp_path / "small.nt"
    small.write_text('<http://example.org/a> <http://example.org/b> "c" .\n', "utf-8")
    refused = runner.invoke(
        publish_command, ["--endpoint", f"http://127.0.0.1:{free_port()}/s", "--data", str(small)]
    )
    assert refused.exit_code == 2 and "connection refused" in refused.output
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/s"
        slow = runner.invoke(
            publish_command, ["--endpoint", url, "--data", str(small), "--timeout", "0.5"]
        )
    assert slow.exit_code == 2 and "did not answer within 0.5 s" in slow.output, slow.output


@needs_oxigraph
def test_serve_empty_then_publish_holds_each_triple_once(
    start_serve: Callable[..., Serve], runner: CliRunner, local: ox.Store, article_built: Built
) -> None:
    serve = start_serve("--writable", "--empty", "--port", str(free_port()))
    url = serve.wait_for(URL_LINE)[1]
    assert _single(remote_select(url, COUNT)) == 0
    store = url.removesuffix("/query") + "/store"
    result = runner.invoke(publish_command, ["--endpoint", store, "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert _single(remote_select(url, COUNT)) == len(article_built.parts().everything())
    query = CATALOG["firsts"]
    assert rows(remote_select(url, query.text, remote_bind(url, query, {})), query.text) == rows(
        execute(local, query.text, bind(local, query, {})), query.text
    )


def test_serve_empty_needs_writable(runner: CliRunner) -> None:
    result = runner.invoke(serve_command, ["--empty", "--port", str(free_port())])
    assert result.exit_code == 2 and "--empty needs --writable" in result.output
