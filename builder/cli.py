"""The `luohu-kg` command line: each command parses its arguments and calls plain functions.

Commands live in `cli_build.py` (fact files → graph), `cli_graph.py` (HTML view, analytics),
`cli_server.py`, `cli_synth.py`, `cli_new.py`, `cli_draft.py` (proposed facts) and here
(`query`); modules are imported only when their command runs, so that `luohu-kg query`
starts without loading rdflib. Every command is a `cli_options.HandledCommand`: the one
place where errors become messages.

Exit codes: 0 success; 1 violations found (validate, build), coverage incomplete (coverage),
no path (path) or an output not written (build); 2 usage error or bad input (the message
names file, line and fact); 128 + the signal when interrupted (130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .cli_options import HandledCommand
from .errors import LuohuKGError

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
    "draft": "cli_draft",
}
RESULT_FORMATS = ("table", "records", "csv", "tsv", "json")
BUILT_GRAPH = Path("out") / "luohu-kg.ttl"
# files under the data folder and the ontology that a build reads
SOURCE_SUFFIXES = frozenset({".yaml", ".yml", ".txt", ".ttl"})


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


def terminal_columns() -> int | None:
    """The terminal's width when standard output is one (COLUMNS wins), else None."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


QUERY_HELP = """Run a catalog query NAME, a FILE.rq, or --sparql TEXT against the graph.

\b
Where it reads: out/luohu-kg.ttl, the graph of the last `luohu-kg build`,
when it exists (with a warning on stderr when a file under data/ or
ontology/ is newer than it: run `luohu-kg build`, or pass --data data);
otherwise, or with --data FOLDER, the facts are built in memory, as
validate, viz and path do.

\b
Entity parameters take a zh or en label, an alternative label, a fact id
(luohu), a prefixed name (lkd:luohu) or an IRI: the same names as
viz --focus and path.

\b
For people (table, records): line breaks in cells show as ⏎, on a terminal
the table is cut to its width (--width N to choose, --wide for none), and
parameter columns empty in every row are left out. csv, tsv and json are
the SPARQL 1.1 result formats, unchanged.
"""


@main.command("query", cls=HandledCommand, help=QUERY_HELP)
@click.argument("name", required=False)
@click.option("--sparql", metavar="TEXT", help="Run this query text instead of a named one.")
@click.option(
    "--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind ?KEY (repeatable)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default="table",
    show_default=True,
    help="records: one field a line, for wide rows.",
)
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
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="With --endpoint: seconds to wait for each answer.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write results here.")
@click.option(
    "--list", "list_queries", is_flag=True, help="List the catalog with parameters and exit."
)
@click.option(
    "--width",
    type=click.IntRange(min=20),
    metavar="N",
    help="Fit tables to N columns. [default: the terminal's width on a terminal]",
)
@click.option("--wide", is_flag=True, help="Never cut table cells, even on a terminal.")
@click.option("--bom", is_flag=True, help="Start csv/tsv with a UTF-8 byte order mark (Excel).")
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
    width: int | None,
    wide: bool,
    bom: bool,
    timeout: float,
) -> None:
    from .query import catalog, catalog_listing

    if width is not None and wide:
        raise click.UsageError("give --width N or --wide, not both")
    if bom and fmt not in ("csv", "tsv"):
        raise click.UsageError("--bom is for --format csv or tsv")
    fit = width  # the width tables are fitted to: none in a file, the terminal's on one
    if fit is None and not wide and output is None:
        fit = terminal_columns()
    if list_queries:
        if fmt not in ("table", "records", "json"):
            raise click.UsageError("--list prints --format table, records or json")
        _write(catalog_listing(catalog().values(), fmt, fit), output)
        return
    if (name is None) == (sparql is None):
        raise click.UsageError("give a query NAME (or FILE.rq) or --sparql TEXT")
    values = _parse_params(params)
    content = _run_query(name, sparql, values, fmt, infer, data, endpoint, fit, timeout)
    if bom:
        from .query import BOM

        content = content if content.startswith(BOM) else BOM + content
    _write(content, output)


def _run_query(
    name: str | None,
    sparql: str | None,
    values: dict[str, str],
    fmt: str,
    infer: str,
    data: str | None,
    endpoint: str | None,
    fit: int | None,
    timeout: float = 120.0,
) -> bytes:
    """The rendered results of the `query` command (QueryError for bad input)."""
    import pyoxigraph as ox

    from .query import AD_HOC, PEOPLE_FORMATS, CatalogQuery, bind, execute, find_query, render

    query = (
        CatalogQuery(AD_HOC, sparql, "ad hoc query", "", "", ())
        if sparql is not None
        else find_query(str(name))
    )
    declared = [p.name for p in query.params]
    if endpoint is None:
        store = _open_store(data, infer)
        result = execute(store, query.text, bind(store, query, values))
        return render(result, fmt, width=fit, hide_empty=declared)
    if data is not None or infer != "none":
        raise click.UsageError("--endpoint cannot be combined with --data or --infer")
    from .server import query_form, remote_bind, remote_query

    bindings = remote_bind(endpoint, query, values, timeout=timeout)
    if fmt not in PEOPLE_FORMATS:
        return remote_query(endpoint, query.text, bindings, fmt, timeout)
    content = remote_query(endpoint, query.text, bindings, "json", timeout)
    if query_form(query.text) is ox.QueryTriples:
        return content  # Turtle, whatever the format
    parsed = ox.parse_query_results(content, format=ox.QueryResultsFormat.JSON)
    return render(parsed, fmt, width=fit, hide_empty=declared)


def _write(content: bytes, output: str | None) -> None:
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    from .outputs import write_atomic

    try:
        write_atomic(Path(output), content)
    except OSError as err:
        raise LuohuKGError(f"cannot write {output}: {err.strerror or err}") from err


def stale_build(built: Path, data_dir: Path) -> tuple[Path, float] | None:
    """The newest source file (under `data_dir` or the ontology) changed after `built` was
    written, with its time; None when the built graph is up to date."""
    from .resources import shipped

    built_at = built.stat().st_mtime
    roots = [data_dir]
    ontology = shipped("ontology")
    if isinstance(ontology, Path):
        roots.append(ontology)
    newest: tuple[Path, float] | None = None
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
            for file in files:
                path = Path(folder) / file
                if file.startswith(".") or path.suffix not in SOURCE_SUFFIXES:
                    continue
                try:
                    changed = path.stat().st_mtime
                except OSError:
                    continue
                if changed > built_at and (newest is None or changed > newest[1]):
                    newest = (path, changed)
    return newest


def _warn_if_stale(built: Path) -> None:
    from .cli_options import data_inputs

    data_dir = Path(data_inputs(())[0])
    found = stale_build(built, data_dir)
    if found is None:
        return
    import time

    path, changed = found
    with contextlib.suppress(ValueError):  # shown relative to the working folder if inside
        path = path.resolve().relative_to(Path.cwd().resolve())
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(built.stat().st_mtime))
    click.echo(
        f"warning: {built} (built {when}) is older than {path} "
        f"(changed {time.strftime('%Y-%m-%d %H:%M', time.localtime(changed))}): answering "
        f"from the last build; run `luohu-kg build` to refresh it, or pass --data {data_dir}",
        err=True,
    )


def _open_store(data: str | None, infer: str) -> ox.Store:
    """The store to query: a built RDF file, or a data folder built in memory."""
    from .cli_options import missing_data
    from .query import load_store, store_from_triples

    if data is not None and (missing := missing_data(data)) is not None:
        raise LuohuKGError(missing)
    path = Path(data) if data is not None else BUILT_GRAPH
    if path.is_file():
        if data is None:
            _warn_if_stale(path)
        store = load_store(path)
    else:
        from .cli_options import data_inputs
        from .pipeline import build

        inputs = [data] if data is not None else data_inputs(())
        store = store_from_triples(build(inputs).parts().everything())
    if infer != "none":
        from .inference import with_inference

        store = with_inference(store, infer)
    return store
