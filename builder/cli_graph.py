"""Commands on the graph's structure: `viz`, `analyze`, `path` and `export-graphml`.

Plain click commands; `cli.py` attaches them to the `luohu-kg` group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .analytics import (
    EntityGraph,
    EntityLookupError,
    NoPathError,
    analyze,
    format_path,
    format_report,
    graphml_bytes,
    shortest_path,
)
from .cli_options import data_inputs, data_options, reports_input_errors
from .errors import EXIT_INPUT, EXIT_VIOLATIONS
from .outputs import write_atomic
from .pipeline import build
from .viz import write_graph_html

LANG = click.Choice(["zh", "en"])


def _entity_graph(data: tuple[str, ...], base: str) -> EntityGraph:
    return EntityGraph.from_rdf(build(data_inputs(data), base).graph())


def _lookup_failed(err: EntityLookupError) -> None:
    click.echo(f"error: {err}", err=True)
    sys.exit(EXIT_INPUT)


@click.command("viz")
@data_options
@click.option(
    "--out",
    "out_file",
    default="out/graph.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="HTML file to write.",
)
@click.option("--focus", metavar="ENTITY", help="Show only around this entity (label, id or IRI).")
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=None,
    help="Links away from --focus to include. [default: 1]",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=None,
    help="Keep only the N most central entities (PageRank).",
)
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Language of labels.")
@reports_input_errors
def viz_command(
    data: tuple[str, ...],
    base: str,
    out_file: str,
    focus: str | None,
    depth: int | None,
    max_nodes: int | None,
    lang: str,
) -> None:
    """Write the interactive graph view: one self-contained HTML file that works offline."""
    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus")
    graph = build(data_inputs(data), base).graph()
    try:
        view = write_graph_html(
            graph,
            Path(out_file),
            lang=lang,
            focus=focus,
            depth=1 if depth is None else depth,
            max_nodes=max_nodes,
        )
    except EntityLookupError as err:
        _lookup_failed(err)
        return
    click.echo(f"wrote {out_file} ({len(view.shown)} of {view.total} entities, {view.links} links)")


@click.command("analyze")
@data_options
@click.option("--top", "top", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Language of labels.")
@reports_input_errors
def analyze_command(data: tuple[str, ...], base: str, top: int, lang: str) -> None:
    """Central entities (PageRank), connected components and the degree distribution."""
    eg = _entity_graph(data, base)
    click.echo(format_report(eg, analyze(eg, top), lang))


@click.command("path")
@data_options
@click.argument("start")
@click.argument("end")
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Language of labels.")
@reports_input_errors
def path_command(data: tuple[str, ...], base: str, start: str, end: str, lang: str) -> None:
    """A shortest path between two entities (by zh/en label, id or IRI), links either way."""
    eg = _entity_graph(data, base)
    try:
        a, b = eg.resolve(start), eg.resolve(end)
    except EntityLookupError as err:
        _lookup_failed(err)
        return
    try:
        steps = shortest_path(eg, a, b)
    except NoPathError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_VIOLATIONS)
    click.echo(format_path(eg, a, steps, lang))
    click.echo(f"({len(steps)} links)")


@click.command("export-graphml")
@data_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File (default: stdout).")
@reports_input_errors
def export_graphml_command(data: tuple[str, ...], base: str, output: str | None) -> None:
    """The entity graph as GraphML, for Gephi (labels, classes, PageRank as attributes)."""
    content = graphml_bytes(build(data_inputs(data), base).graph())
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_atomic(Path(output), content)
        click.echo(f"wrote {output}", err=True)


COMMANDS = (viz_command, analyze_command, path_command, export_graphml_command)
