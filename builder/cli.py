"""The `luohu-kg` command line: each command parses its arguments and calls plain functions.

Commands live in `cli_build.py` (fact files → graph), `cli_graph.py` (HTML view, analytics)
and here (`query`); modules are imported only when their command runs, so that
`luohu-kg query` starts without loading rdflib.

Exit codes: 0 success; 1 violations found (validate), coverage incomplete (coverage) or no
path (path); 2 usage error or bad input (the message names file, line and fact).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import EXIT_INPUT

if TYPE_CHECKING:
    import pyoxigraph as ox

LAZY_COMMANDS = {
    "build": "cli_build",
    "validate": "cli_build",
    "export": "cli_build",
    "coverage": "cli_build",
    "stats": "cli_build",
    "viz": "cli_graph",
    "analyze": "cli_graph",
    "path": "cli_graph",
    "export-graphml": "cli_graph",
    "serve": "cli_server",
    "publish": "cli_server",
    "synth": "cli_synth",
    "new-article": "cli_new",
}
RESULT_FORMATS = ("table", "csv", "tsv", "json")
BUILT_GRAPH = Path("out") / "luohu-kg.ttl"


class LazyGroup(click.Group):
    """A group whose commands are imported from their module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module = importlib.import_module(f"{__package__}.{LAZY_COMMANDS[cmd_name]}")
            for command in module.COMMANDS:
                if command.name == cmd_name:
                    return command  # type: ignore[no-any-return]
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="luohu-kg")
def main() -> None:
    """Build, check and use the Luohu knowledge graph."""


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--param needs KEY=VALUE, not {pair!r}")
        values[key.strip().lstrip("?")] = value
    return values


@main.command("query")
@click.argument("name", required=False)
@click.option("--sparql", metavar="TEXT", help="Run this query text instead of a named one.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind ?KEY.")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table")
@click.option("--infer", type=click.Choice(["none", "rdfs", "owlrl"]), default="none")
@click.option(
    "--data",
    metavar="PATH",
    help="RDF file, or a data folder to build in memory. Default: out/luohu-kg.ttl if built.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="SPARQL query URL (e.g. http://127.0.0.1:7878/query) to run on instead of a local graph.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write results here.")
@click.option("--list", "list_queries", is_flag=True, help="List the catalog and exit.")
def query_command(
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str,
    infer: str,
    data: str | None,
    endpoint: str | None,
    output: str | None,
    list_queries: bool,
) -> None:
    """Run a catalog query NAME, a FILE.rq, or --sparql TEXT against the graph."""
    from .query import CatalogQuery, QueryError, bind, catalog, execute, find_query, render

    if list_queries:
        entries = catalog()
        width = max(len(n) for n in entries)
        for entry in entries.values():
            click.echo(f"{entry.name:<{width}}  {entry.title}")
        return
    if (name is None) == (sparql is None):
        raise click.UsageError("give a query NAME (or FILE.rq) or --sparql TEXT")
    try:
        query = (
            CatalogQuery("sparql", sparql, "ad hoc query", "", "", ())
            if sparql is not None
            else find_query(str(name))
        )
        if endpoint is not None:
            if data is not None or infer != "none":
                raise click.UsageError("--endpoint cannot be combined with --data or --infer")
            from .server import remote_bind, remote_query

            bindings = remote_bind(endpoint, query, _parse_params(params))
            content = remote_query(endpoint, query.text, bindings, fmt)
        else:
            store = _open_store(data, infer)
            result = execute(store, query.text, bind(store, query, _parse_params(params)))
            content = render(result, fmt)
    except QueryError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        from .outputs import write_atomic

        write_atomic(Path(output), content)


def _open_store(data: str | None, infer: str) -> ox.Store:
    """The store to query: a built RDF file, or a data folder built in memory."""
    from .query import load_store, store_from_triples

    path = Path(data) if data is not None else BUILT_GRAPH
    if path.is_file():
        store = load_store(path)
    else:
        from .cli_options import data_inputs
        from .errors import InputError
        from .pipeline import build

        inputs = [data] if data is not None else data_inputs(())
        try:
            store = store_from_triples(build(inputs).parts().everything())
        except InputError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            sys.exit(EXIT_INPUT)
    if infer != "none":
        from .inference import with_inference

        store = with_inference(store, infer)
    return store
