"""Commands that put the graph behind HTTP: serve (an Oxigraph server), publish (Graph Store)."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

from .cli_options import command, data_inputs, data_options
from .front import running_front
from .server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    HTTP_TIMEOUT,
    UPLOAD_FORMATS,
    Credentials,
    GraphData,
    ServerError,
    base_url,
    check_endpoint,
    check_location,
    free_loopback_port,
    graph_from_build,
    graph_from_file,
    is_loopback,
    load_store,
    port_is_free,
    publish,
    running_server,
)

F = TypeVar("F", bound=Callable[..., Any])
BUILT_TRIG = Path("out") / "luohu-kg.trig"


def graph_to_use(data: tuple[str, ...], base: str) -> GraphData:
    """One RDF file given as --data; else out/luohu-kg.trig when built and no --data is given;
    else the graph built in memory from the fact files."""
    if len(data) == 1 and Path(data[0]).is_file():
        return graph_from_file(Path(data[0]))
    if not data and BUILT_TRIG.is_file():
        return graph_from_file(BUILT_TRIG)
    return graph_from_build(data_inputs(data), base)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt (like Ctrl-C), so the server child is stopped too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def store_directory(location: str | None) -> Iterator[Path]:
    """The given store directory (new or empty, kept), or a temporary one removed on exit."""
    if location is not None:
        path = Path(location)
        check_location(path)
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="luohu-kg-store-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@command("serve")
@data_options
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on.",
)
@click.option(
    "--bind",
    "host",
    default=DEFAULT_HOST,
    show_default=True,
    metavar="ADDRESS",
    help="Address to listen on. A non-loopback address exposes the endpoint, which has no "
    "authentication, to the network.",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Accept SPARQL updates and Graph Store writes (oxigraph serve); read-only otherwise.",
)
@click.option(
    "--location",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Keep the Oxigraph store in DIR (new or empty). Default: a temporary directory, "
    "removed on exit.",
)
@click.option(
    "--empty",
    is_flag=True,
    help="Start with an empty store (with --writable): a server to `publish` into. Publishing "
    "into a served graph would hold every triple twice.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run federated queries (SERVICE), which make the server send requests to other "
    "hosts. Refused by default.",
)
def serve_command(
    data: tuple[str, ...],
    base: str,
    port: int,
    host: str,
    writable: bool,
    location: str | None,
    allow_service: bool,
    empty: bool,
) -> None:
    """Serve the graph as a SPARQL endpoint (Oxigraph) until Ctrl-C.

    Loads out/luohu-kg.trig when built (or an RDF file given as --data, or the graph built
    from the fact files) into an Oxigraph store and runs the `oxigraph` server on it, behind
    a front that refuses SERVICE unless --allow-service. The default graph holds every
    triple; the ontology and each article are also named graphs. Exit code 2 if the engine
    stops by itself; it stops with this command, however this command ends.
    """
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not loopback: anyone who can reach this machine "
            "can query the graph" + (" and change it" if writable else ""),
            err=True,
        )
    if location is not None:
        check_location(Path(location))
    if not port_is_free(host, port):
        raise ServerError(f"cannot listen on {host} port {port}: in use or not a local address")
    if empty and not writable:
        raise click.UsageError("--empty needs --writable: an empty read-only store answers nothing")
    if empty and data:
        raise click.UsageError("--empty loads nothing: leave out --data")
    graph = None if empty else graph_to_use(data, base)
    try:
        with sigterm_interrupts(), store_directory(location) as store:
            if graph is not None:
                click.echo(
                    f"loading {len(graph.quads)} quads ({graph.origin}) into {store}", err=True
                )
                load_store(store, graph)
            engine = ("127.0.0.1", free_loopback_port())
            with (
                running_server(store, *engine, writable) as server,
                running_front(host, port, engine, allow_service),
            ):
                _announce(base_url(host, port), store, location is not None, writable)
                code = server.process.wait()
                how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
                raise ServerError(f"the Oxigraph engine {how}: {server.log_tail() or 'no output'}")
    except KeyboardInterrupt:
        pass
    click.echo("server stopped", err=True)


def _announce(url: str, store: Path, kept: bool, writable: bool) -> None:
    click.echo(f"SPARQL query endpoint: {url}/query")
    if writable:
        click.echo(f"SPARQL update endpoint: {url}/update")
    click.echo(f"graph store: {url}/store")
    click.echo(f"store location: {store} ({'kept' if kept else 'temporary, removed on exit'})")
    click.echo(f"serving {'writable' if writable else 'read-only'}; press Ctrl-C to stop")


PASSWORD_VARIABLE = "LUOHU_KG_PASSWORD"  # the password for `publish --user`


@command("publish")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), "
    "http://localhost:3030/DATASET/data (Fuseki), "
    "http://localhost:7200/repositories/REPO/rdf-graphs/service (GraphDB).",
)
@click.option("--graph", metavar="IRI", help="Named graph to write. Default: the default graph.")
@data_options
@click.option(
    "--replace", is_flag=True, help="Replace the graph's content (PUT); default: add to it (POST)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(UPLOAD_FORMATS)),
    default="ttl",
    show_default=True,
    help="Upload as Turtle or N-Triples.",
)
@click.option(
    "--user",
    metavar="NAME",
    help=f"User for HTTP Basic or Digest authentication; the password is read from "
    f"${PASSWORD_VARIABLE}, or asked for on a terminal (never given on the command line).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=HTTP_TIMEOUT,
    show_default=True,
    help="Seconds to wait for the server to answer.",
)
def publish_command(
    endpoint: str,
    graph: str | None,
    data: tuple[str, ...],
    base: str,
    replace: bool,
    fmt: str,
    user: str | None,
    timeout: float,
) -> None:
    """Upload the graph (ontology and data) with the SPARQL 1.1 Graph Store HTTP Protocol.

    Uses out/luohu-kg.trig when built (or an RDF file given as --data, or the graph built
    from the fact files); every triple goes into one graph. Exit code 2 on an HTTP error or
    an unreachable endpoint.
    """
    check_endpoint(endpoint)  # before any build or prompt
    credentials = _credentials(user)
    source = graph_to_use(data, base)
    answer = publish(endpoint, source, graph, replace, fmt, timeout, credentials)
    where = f"graph <{graph}>" if graph is not None else "the default graph"
    verb = "replaced" if replace else "added to"
    click.echo(
        f"{verb} {where} at {endpoint}: {len(source.triples())} triples "
        f"({source.origin}; HTTP {answer.status})"
    )


def _credentials(user: str | None) -> Credentials | None:
    """The user's credentials: the password from the environment, or a prompt on a terminal."""
    if user is None:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        if not sys.stdin.isatty():
            raise ServerError(f"--user {user} needs a password: set ${PASSWORD_VARIABLE}")
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    return Credentials(user, password)


COMMANDS = (serve_command, publish_command)
