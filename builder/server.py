"""The graph over HTTP: an Oxigraph server, Graph Store uploads and SPARQL Protocol queries.

Three pieces, all with the standard library's `urllib`:

- `serve`: the `oxigraph` executable (PyPI package `oxigraph`) loads the graph into a store
  directory (`oxigraph load`) and serves it (`oxigraph serve-read-only`, or `oxigraph serve`).
  Each triple is loaded once: into its named graph (the ontology, one per article) when the
  graph has named graphs, else into the default graph; the server runs with
  `--union-default-graph`, so catalog queries, which read the default graph, see all data.
- `publish`: the SPARQL 1.1 Graph Store HTTP Protocol (PUT or POST of Turtle or N-Triples).
- `remote_query`: the SPARQL 1.1 Protocol, as a form-encoded POST (`query=`), the one form
  every server accepts (Virtuoso never answers a POST of `application/sparql-query`).

Parameters cannot be passed to an endpoint as bindings, so `remote_query` sends them in a
`VALUES` block. Each term is written by pyoxigraph's own N-Triples serialisation (`str()` of a
`NamedNode` or `Literal`: `<iri>`, `"escaped"@lang`, `"1"^^<datatype>`), never by pasting the
user's text into the query. The block goes first in the query's outermost group, not after
the query: a trailing `VALUES` is joined only after the `WHERE` clause (with its FILTERs) and
the grouping have been evaluated, so a parameter used in a FILTER (`keyword-search`) would
match nothing. A parameter used only inside a sub-SELECT is not seen there (a sub-SELECT is
evaluated on its own); no catalog query does that.
"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.client import HTTPException, RemoteDisconnected
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox

from . import formats
from .errors import LuohuKGError
from .prefixes import DEFAULT_BASE, PREFIXES
from .query import (
    CatalogQuery,
    QueryError,
    as_bytes,
    bind,
    execute,
    render,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
READY_TIMEOUT = 20.0  # seconds for the server to answer after it was started
STOP_TIMEOUT = 10.0  # seconds for the server to stop after SIGTERM, before SIGKILL
HTTP_TIMEOUT = 120.0
QUERY_PREFIXES = {**PREFIXES, "lkd": DEFAULT_BASE}  # the prefixes local queries get for free
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
UPLOAD_FORMATS = {formats.key(f): (f, formats.content_type(f)) for f in formats.UPLOADABLE}
EXCERPT = 300  # characters of an error body shown to the user

Term = ox.NamedNode | ox.Literal


class ServerError(LuohuKGError):
    """The server cannot be started or reached, or refused a request (exit code 2)."""


# --- the oxigraph executable -------------------------------------------------------------


def oxigraph_binary() -> str:
    """The `oxigraph` executable: next to the running Python (same venv), else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServerError(
            "the oxigraph server is not installed: pip install oxigraph "
            "(or the project's dev extras: pip install -e '.[dev]')"
        )
    return found


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    """The host to connect to for a bind address (wildcards become loopback), URL-ready."""
    bare = host.strip("[]")
    if bare in ("", "0.0.0.0"):
        bare = "127.0.0.1"
    elif bare == "::":
        bare = "::1"
    return f"[{bare}]" if ":" in bare else bare


def bind_address(host: str, port: int) -> str:
    """`host:port` as oxigraph's `--bind` wants it (IPv6 in brackets)."""
    bare = host.strip("[]")
    return f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"


def base_url(host: str, port: int) -> str:
    """The server's root URL for clients."""
    return f"http://{_url_host(host)}:{port}"


def free_loopback_port() -> int:
    """A port of 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(host: str, port: int) -> bool:
    """Whether a listening socket could be bound to host:port now."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True


# --- the graph to load or upload ---------------------------------------------------------


@dataclass(frozen=True)
class GraphData:
    """Quads to serve or publish, and where they came from."""

    origin: str
    quads: list[ox.Quad]

    def triples(self) -> list[ox.Triple]:
        """Every triple once, whatever its graph (file order kept)."""
        return list(dict.fromkeys(q.triple for q in self.quads))

    def named(self) -> list[ox.Quad]:
        """The quads of named graphs."""
        return [q for q in self.quads if not isinstance(q.graph_name, ox.DefaultGraph)]

    def graph_names(self) -> set[str]:
        """IRIs of the named graphs."""
        return {str(q.graph_name) for q in self.named()}


def graph_from_file(path: Path) -> GraphData:
    """The quads of an RDF file, its format told by its extension."""
    fmt = formats.from_path(path)
    if fmt is None:
        raise ServerError(formats.unknown_format(path))
    try:
        quads = list(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, OSError) as err:
        raise ServerError(f"{path}: {err}") from err
    return GraphData(str(path), quads)


def graph_from_build(inputs: list[str], base: str = DEFAULT_BASE) -> GraphData:
    """The graph built in memory from fact files (raises InputError on bad input)."""
    from .pipeline import build  # rdflib and the checks: only when building

    return GraphData(f"built from {', '.join(inputs)}", build(inputs, base).parts().quads())


def upload_body(graph: GraphData, fmt: str) -> bytes:
    """Every triple of the graph in one serialisation (`ttl` or `nt`), UTF-8."""
    rdf_format, _content_type = UPLOAD_FORMATS[fmt]
    return as_bytes(ox.serialize(graph.triples(), format=rdf_format, prefixes=PREFIXES))


# --- oxigraph load / serve ---------------------------------------------------------------


def load_files(graph: GraphData, folder: Path) -> list[Path]:
    """The file for `oxigraph load`: the named graphs, or the default graph when there are none
    (each triple once: the server's union default graph shows them all)."""
    named = graph.named()
    if named:
        path = folder / "named-graphs.nq"
        path.write_bytes(as_bytes(ox.serialize(named, format=ox.RdfFormat.N_QUADS)))
    else:
        path = folder / "default-graph.nt"
        path.write_bytes(as_bytes(ox.serialize(graph.triples(), format=ox.RdfFormat.N_TRIPLES)))
    return [path]


def check_location(location: Path) -> None:
    """A store directory must be new or empty: loading never mixes with an older graph."""
    if location.exists() and (not location.is_dir() or any(location.iterdir())):
        raise ServerError(
            f"{location} is not an empty directory; choose a new --location, or serve that "
            f"store directly: oxigraph serve-read-only --location {location}"
        )


def load_store(location: Path, graph: GraphData) -> None:
    """Load the graph into an Oxigraph store directory with `oxigraph load`."""
    with tempfile.TemporaryDirectory(prefix="luohu-kg-load-") as folder:
        files = load_files(graph, Path(folder))
        command = [oxigraph_binary(), "load", "--location", str(location), "--file"]
        done = subprocess.run(
            [*command, *map(str, files)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise ServerError(f"oxigraph load failed ({done.returncode}): {done.stderr.strip()}")


def serve_command_line(location: Path, host: str, port: int, writable: bool) -> list[str]:
    """The `oxigraph serve-read-only` (or `serve`) command line."""
    mode = "serve" if writable else "serve-read-only"
    address = bind_address(host, port)
    return [oxigraph_binary(), mode, "--location", str(location), "--bind", address,
            "--union-default-graph"]  # fmt: skip


@dataclass(frozen=True)
class RunningServer:
    """An `oxigraph serve-read-only` (or `serve`) child process that answers at `url`."""

    process: subprocess.Popen[bytes]
    url: str
    log: IO[bytes]

    def log_tail(self) -> str:
        """The end of what the server printed."""
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace").strip()[-2000:]


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        url + "/query?query=ASK%7B%7D", headers={"Accept": RESULT_TYPES["json"]}
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # our own server
    try:
        with direct.open(request, timeout=2) as response:
            return int(response.status) == 200
    except (OSError, urllib.error.URLError):
        return False


def wait_until_ready(server: RunningServer, timeout: float = READY_TIMEOUT) -> None:
    """Poll the server until it answers a query; fail if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            code = server.process.returncode
            raise ServerError(f"oxigraph exited with code {code}: {server.log_tail()}")
        if _answers(server.url):
            return
        if time.monotonic() > deadline:
            raise ServerError(f"oxigraph did not answer at {server.url} within {timeout:g} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> int:
    """Stop the server: SIGTERM, then SIGKILL if it has not exited after `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends it SIGTERM when its parent dies, however the
    parent dies (even SIGKILL), so no Oxigraph server outlives `serve`."""
    import ctypes  # only in the forked child, only on Linux

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@contextlib.contextmanager
def running_server(
    location: Path, host: str, port: int, writable: bool = False, timeout: float = READY_TIMEOUT
) -> Iterator[RunningServer]:
    """An Oxigraph server on a loaded store, answering once entered, stopped on exit."""
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            serve_command_line(location, host, port, writable),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        try:
            server = RunningServer(process, base_url(host, port), log)
            wait_until_ready(server, timeout)
            yield server
        finally:
            stop(process)


# --- HTTP --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """A user and password for an endpoint that asks for HTTP authentication."""

    user: str
    password: str = field(repr=False)


def _opener(url: str, credentials: Credentials | None = None) -> urllib.request.OpenerDirector:
    """urllib's opener; loopback URLs bypass any proxy set in the environment. With
    credentials it answers a Basic or a Digest challenge (Virtuoso's /sparql-graph-crud-auth
    asks for Digest)."""
    handlers: list[urllib.request.BaseHandler] = []
    host = urllib.parse.urlsplit(url).hostname or ""
    if is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    if credentials is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, credentials.user, credentials.password)
        handlers += [
            urllib.request.HTTPBasicAuthHandler(passwords),
            urllib.request.HTTPDigestAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


def check_endpoint(url: str) -> str:
    """An absolute http(s) URL, or a ServerError."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServerError(f"endpoint must be an http:// or https:// URL, not {url!r}")
    try:
        port = parts.port
    except ValueError as err:  # e.g. :99999, which some clients would wrap around
        raise ServerError(f"endpoint {url!r}: {err}") from err
    if port == 0:
        raise ServerError(f"endpoint {url!r}: port 0 is not a server's port")
    if any(char.isspace() or ord(char) < 32 for char in url):
        raise ServerError(f"endpoint {url!r}: a URL holds no spaces or control characters")
    return url


def _excerpt(body: bytes) -> str:
    text = " ".join(body.decode("utf-8", "replace").split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


class HTTPStatusError(ServerError):
    """The server answered with an HTTP error status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, media type (without parameters) and body."""

    status: int
    media_type: str
    body: bytes


def _network_failure(url: str, reason: object, timeout: float) -> str:
    """What went wrong on the way to the server, in words."""
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot reach {url}: connection refused (is the server running on that port?)"
    if isinstance(reason, TimeoutError):  # socket.timeout is TimeoutError
        return f"{url} did not answer within {timeout:g} s (--timeout to wait longer)"
    if isinstance(reason, RemoteDisconnected):
        return f"{url} closed the connection without answering"
    if isinstance(reason, ConnectionResetError | BrokenPipeError):
        return f"{url} closed the connection before answering (reset by the server)"
    if isinstance(reason, socket.gaierror):
        return f"cannot reach {url}: unknown host ({reason.strerror or reason})"
    return f"cannot reach {url}: {reason}"


def _authorize_first(
    request: urllib.request.Request, credentials: Credentials, timeout: float
) -> None:
    """Give a request that carries a body its Authorization header before it is sent.

    Otherwise the body goes out twice, the first time to meet the 401 challenge, and a server
    that answers 401 before reading it (Virtuoso) may reset the connection while the upload
    is under way. A GET without credentials fetches the challenge (it changes nothing); a
    Digest or Basic answer to it is added to the request, and urllib's handlers still answer
    any later challenge.
    """
    probe = urllib.request.Request(request.full_url, method="GET")
    try:
        with _opener(request.full_url).open(probe, timeout=timeout):
            return  # no authentication asked for
    except urllib.error.HTTPError as err:
        challenge = err.headers.get("WWW-Authenticate", "") if err.code == 401 else ""
        err.close()
    scheme, _space, rest = challenge.partition(" ")
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, request.full_url, credentials.user, credentials.password)
    if scheme.lower() == "digest":
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
        if answer:
            request.add_unredirected_header("Authorization", f"Digest {answer}")
    elif scheme.lower() == "basic":
        pair = f"{credentials.user}:{credentials.password}".encode()
        request.add_unredirected_header("Authorization", f"Basic {base64.b64encode(pair).decode()}")


def http(
    url: str,
    method: str,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = HTTP_TIMEOUT,
    credentials: Credentials | None = None,
) -> Response:
    """One request; HTTP errors and unreachable hosts become a ServerError with the reason."""
    request = urllib.request.Request(
        check_endpoint(url), data=body, headers=dict(headers or {}), method=method
    )
    try:
        if credentials is not None and body:
            _authorize_first(request, credentials, timeout)
        with _opener(url, credentials).open(request, timeout=timeout) as answer:
            media_type = answer.headers.get_content_type()
            return Response(int(answer.status), media_type, answer.read())
    except urllib.error.HTTPError as err:
        message = f"{url} answered HTTP {err.code} {err.reason}: {_excerpt(err.read())}"
        raise HTTPStatusError(err.code, message) from err
    except urllib.error.URLError as err:
        raise ServerError(_network_failure(url, err.reason, timeout)) from err
    except (TimeoutError, OSError, HTTPException) as err:
        raise ServerError(_network_failure(url, err, timeout)) from err
    except UnicodeEncodeError as err:  # urllib's Basic and Digest handlers encode ASCII only
        raise ServerError(
            f"{url} asks for HTTP authentication, which urllib can only do with an ASCII user "
            "name and password"
        ) from err


# --- Graph Store HTTP Protocol -----------------------------------------------------------


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """`ENDPOINT?graph=IRI` (IRI percent-encoded), or `ENDPOINT?default`."""
    check_endpoint(endpoint)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as err:
            raise ServerError(f"--graph must be an absolute IRI, not {graph!r}: {err}") from err
    query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def publish(
    endpoint: str,
    graph: GraphData,
    named_graph: str | None = None,
    replace: bool = False,
    fmt: str = "ttl",
    timeout: float = HTTP_TIMEOUT,
    credentials: Credentials | None = None,
) -> Response:
    """PUT (replace) or POST (add) every triple of the graph into one graph of a store."""
    url = graph_store_url(endpoint, named_graph)
    _rdf_format, content_type = UPLOAD_FORMATS[fmt]
    try:
        return http(
            url,
            "PUT" if replace else "POST",
            upload_body(graph, fmt),
            {"Content-Type": content_type},
            timeout,
            credentials,
        )
    except HTTPStatusError as err:
        if err.status == 401:
            hint = "give --user (password from $LUOHU_KG_PASSWORD or a prompt)"
            if credentials is not None:
                hint = f"the server refused user {credentials.user!r}"
            raise HTTPStatusError(err.status, f"{err}; {hint}") from err
        if named_graph is None and err.status >= 500:
            raise HTTPStatusError(
                err.status,
                f"{err}; the server may have no default graph in its Graph Store "
                "(Virtuoso has none): publish into a named graph with --graph IRI",
            ) from err
        raise


# --- SPARQL 1.1 Protocol -----------------------------------------------------------------

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'",
    re.DOTALL,
)
_WORD_BEFORE = r"(?<![\w?$:.\-])"
_FORM = re.compile(_WORD_BEFORE + r"(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:\-])", re.IGNORECASE)
_WHERE = re.compile(_WORD_BEFORE + r"WHERE(?![\w:\-])", re.IGNORECASE)
_PREFIX_DECL = re.compile(_WORD_BEFORE + r"PREFIX\s+([^\s:]*):", re.IGNORECASE)


def masked(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), for scanning."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        match = None
        if char in "\"'":
            match = _STRING.match(text, i)
        elif char == "<":
            match = _IRIREF.match(text, i)
        elif char == "#":
            end = text.find("\n", i)
            match_end = len(text) if end < 0 else end
            out.append(" " * (match_end - i))
            i = match_end
            continue
        if match is not None:
            out.append(char + " " * (match.end() - i - 2) + text[match.end() - 1])
            i = match.end()
        else:
            out.append(char)
            i += 1
    return "".join(out)


def outer_group(text: str) -> int | None:
    """Index of the `{` that opens the query's outermost WHERE group (None if it has none)."""
    scan = masked(text)
    form = _FORM.search(scan)
    if form is None:
        return None
    need_where = form[1].upper() == "CONSTRUCT"  # its first group is the template
    braces = parens = 0
    i = form.end()
    while i < len(scan):
        char = scan[i]
        if need_where and braces == parens == 0 and (where := _WHERE.match(scan, i)):
            need_where = False
            i = where.end()
            continue
        if char == "(":
            parens += 1
        elif char == ")":
            parens -= 1
        elif char == "}":
            braces -= 1
        elif char == "{":
            if braces == parens == 0 and not need_where:
                return i
            braces += 1
        i += 1
    return None


def values_block(bindings: Mapping[ox.Variable, Term]) -> str:
    """`VALUES (?a ?b) { (term term) }`, each term in pyoxigraph's N-Triples syntax."""
    names = sorted(bindings, key=lambda v: v.value)
    terms = []
    for name in names:
        term = bindings[name]
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise QueryError(f"parameter ?{name.value} must be an IRI or a literal")
        terms.append(str(term))  # N-Triples: <iri>, "escaped"@lang, "1"^^<datatype>
    variables = " ".join(str(v) for v in names)
    return f"VALUES ({variables}) {{ ({' '.join(terms)}) }}"


def protocol_text(query_text: str, bindings: Mapping[ox.Variable, Term]) -> str:
    """The query as sent to an endpoint: default prefixes declared, parameters in VALUES.

    The result is parsed locally before it is sent, so a query the rewriting would break is
    reported here rather than by the endpoint.
    """
    declared = {m[1] for m in _PREFIX_DECL.finditer(masked(query_text))}
    prologue = "".join(
        f"PREFIX {name}: <{iri}>\n" for name, iri in QUERY_PREFIXES.items() if name not in declared
    )
    text = query_text
    if bindings:
        brace = outer_group(query_text)
        if brace is None:
            raise QueryError("parameters need a query with a WHERE group")
        text = f"{text[: brace + 1]} {values_block(bindings)}\n{text[brace + 1 :]}"
    sent = prologue + text
    try:
        ox.Store().query(sent)
    except SyntaxError as err:
        raise QueryError(f"cannot send this query with its parameters: {err}") from err
    return sent


def query_form(query_text: str) -> type:
    """QuerySolutions, QueryBoolean or QueryTriples: what the query returns (checks syntax)."""
    result = execute(ox.Store(), query_text, {})
    return type(result)


def _post_query(endpoint: str, text: str, accept: str, timeout: float) -> Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    body = urllib.parse.urlencode({"query": text}).encode("ascii")
    return http(endpoint, "POST", body, headers, timeout)


def _parse_results(answer: Response) -> ox.QuerySolutions | ox.QueryBoolean:
    fmt = ox.QueryResultsFormat.from_media_type(answer.media_type)
    if fmt is None or fmt == ox.QueryResultsFormat.CSV:  # CSV loses term types: not parsed
        raise QueryError(f"the endpoint answered {answer.media_type}, not SPARQL results")
    try:
        return ox.parse_query_results(answer.body, format=fmt)
    except SyntaxError as err:
        raise QueryError(
            f"the endpoint's results are not valid {answer.media_type}: {err}"
        ) from err


def _graph_result(endpoint: str, text: str, timeout: float) -> bytes:
    """CONSTRUCT or DESCRIBE: N-Triples asked for, Turtle with the project's prefixes given."""
    answer = _post_query(endpoint, text, "application/n-triples, text/turtle;q=0.5", timeout)
    rdf_format = ox.RdfFormat.from_media_type(answer.media_type)
    if rdf_format is None:
        raise QueryError(f"the endpoint answered {answer.media_type}, not RDF")
    try:
        triples = [q.triple for q in ox.parse(answer.body, format=rdf_format)]
    except SyntaxError as err:
        raise QueryError(f"the endpoint's graph is not valid {answer.media_type}: {err}") from err
    return as_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))


def _results(endpoint: str, text: str, fmt: str, timeout: float) -> bytes:
    """SELECT or ASK: the endpoint's csv/tsv/json when it has it, else rendered from JSON."""
    if fmt in ("csv", "tsv"):
        try:
            answer = _post_query(endpoint, text, RESULT_TYPES[fmt], timeout)
        except HTTPStatusError as err:
            if err.status != 406:  # 406 Not Acceptable: ask for JSON and convert below
                raise
        else:
            if answer.media_type == RESULT_TYPES[fmt]:
                return answer.body
            return render(_parse_results(answer), fmt)
    answer = _post_query(endpoint, text, RESULT_TYPES["json"], timeout)
    if fmt == "json" and answer.media_type == RESULT_TYPES["json"]:
        return answer.body
    return render(_parse_results(answer), fmt)


def remote_select(
    endpoint: str,
    query_text: str,
    bindings: Mapping[ox.Variable, Term] | None = None,
    timeout: float = HTTP_TIMEOUT,
) -> ox.QuerySolutions | ox.QueryBoolean:
    """Solutions (or the boolean) of a SELECT or ASK run by an endpoint."""
    text = protocol_text(query_text, bindings or {})
    try:
        return _parse_results(_post_query(endpoint, text, RESULT_TYPES["json"], timeout))
    except ServerError as err:
        raise QueryError(str(err)) from err


def remote_query(
    endpoint: str,
    query_text: str,
    bindings: Mapping[ox.Variable, Term],
    fmt: str,
    timeout: float = HTTP_TIMEOUT,
) -> bytes:
    """Run a query on a SPARQL endpoint; the bytes `builder.query.render` would give locally.

    `fmt` is table, csv, tsv or json. csv, tsv and json are the endpoint's own serialisation
    (asked for with `Accept`); table is rendered here from JSON results, with prefixed names;
    CONSTRUCT and DESCRIBE results are read as N-Triples and written as Turtle with the
    project's prefixes. Every failure (syntax, HTTP status, unreachable endpoint) raises
    QueryError (exit code 2).
    """
    form = query_form(query_text)
    text = protocol_text(query_text, bindings)
    try:
        if form is ox.QueryTriples:
            return _graph_result(endpoint, text, timeout)
        return _results(endpoint, text, fmt, timeout)
    except ServerError as err:
        raise QueryError(str(err)) from err


class EndpointStore:
    """The part of `pyoxigraph.Store` that `builder.query.bind` uses, answered by an endpoint.

    `bind` resolves entity parameters with `resolve_entity`, which runs LABEL_LOOKUP through
    `query` (the label as a substitution, sent here as a VALUES-bound literal) and checks a
    fact id with `quads_for_pattern`. Passing this object to `bind` keeps the remote lookup
    the same as the local one.
    """

    def __init__(self, endpoint: str, timeout: float = HTTP_TIMEOUT) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def query(
        self,
        query: str,
        *,
        substitutions: Mapping[ox.Variable, Term] | None = None,
        **_options: object,
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        """Run a SELECT or ASK on the endpoint (prefixes and the union option are ignored)."""
        return remote_select(self.endpoint, query, substitutions, self.timeout)

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        object_: Term | None,
        graph_name: None = None,
    ) -> list[ox.Quad]:
        """The endpoint's default-graph triples matching the pattern (None: any)."""
        names = ("s", "p", "o")
        given = {
            ox.Variable(n): t
            for n, t in zip(names, (subject, predicate, object_), strict=True)
            if t is not None
        }
        text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        solutions = remote_select(self.endpoint, text, given, self.timeout)
        assert isinstance(solutions, ox.QuerySolutions)
        return [ox.Quad(row["s"], row["p"], row["o"]) for row in solutions]


def remote_bind(
    endpoint: str,
    query: CatalogQuery,
    values: dict[str, str],
    base: str = DEFAULT_BASE,
    timeout: float = HTTP_TIMEOUT,
) -> dict[ox.Variable, Term]:
    """`builder.query.bind` with entity parameters resolved against the endpoint.

    The very same `bind` runs, on an EndpointStore; parameters that are not entities (text,
    number, iri, unknown names) are checked before any request is made.
    """
    if not any(p.kind == "entity" for p in query.params):
        return bind(ox.Store(), query, values, base)
    return bind(cast(ox.Store, EndpointStore(endpoint, timeout)), query, values, base)
