"""Commands on the graph's structure: `viz`, `analyze`, `path` and `export-graphml`.

Plain click commands; `cli.py` attaches them to the `luohu-kg` group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .analytics import (
    EntityGraph,
    analyze,
    format_focus,
    format_path,
    format_report,
    graphml_bytes,
    shortest_path,
)
from .cli_options import command, data_inputs, data_options, drafts_option
from .outputs import write_atomic
from .pagedata import PageModel
from .pipeline import build
from .viz import focus_path, render_html, select_view

LANG = click.Choice(["zh", "en"])
FULL_VIEW = Path("out") / "graph.html"
ENTITY_NAMES = "by zh/en label, alternative label, fact id, prefixed name (lkd:…) or IRI"


def _entity_graph(data: tuple[str, ...], base: str, include_drafts: bool) -> EntityGraph:
    built = build(data_inputs(data), base, include_drafts=include_drafts)
    return EntityGraph.from_rdf(built.graph())


@command("viz")
@data_options
@click.option(
    "-o",
    "--out",
    "out_file",
    default=None,
    type=click.Path(dir_okay=False),
    help="HTML file to write. [default: out/graph.html; with --focus out/graph-<id>.html]",
)
@click.option("--focus", metavar="ENTITY", help=f"Show only around this entity ({ENTITY_NAMES}).")
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
@drafts_option
def viz_command(
    data: tuple[str, ...],
    base: str,
    out_file: str | None,
    focus: str | None,
    depth: int | None,
    max_nodes: int | None,
    lang: str,
    include_drafts: bool,
) -> None:
    """Write the interactive graph view: one self-contained HTML file that works offline.

    With --focus, the view of the entity's neighbourhood goes to its own file
    (out/graph-<id>.html), so that the full view out/graph.html is kept.
    """
    if depth is not None and focus is None:
        raise click.UsageError("--depth needs --focus")
    model = PageModel.read(build(data_inputs(data), base, include_drafts=include_drafts).store())
    view = select_view(model, focus, 1 if depth is None else depth, max_nodes, base)
    if out_file is not None:
        path = Path(out_file)
    elif view.focus is not None:
        path = focus_path(view.focus, FULL_VIEW.parent, base)
    else:
        path = FULL_VIEW
    write_atomic(path, render_html(view, lang, base).encode("utf-8"))
    around = ""
    if view.focus is not None:
        center = model.label(view.focus)[1 if lang == "en" else 0]
        links = "link" if view.depth == 1 else "links"
        around = f"; {center} and what is within {view.depth} {links} of it"
    click.echo(
        f"wrote {path} ({len(view.shown)} of {view.total} entities, {view.links} links{around})"
    )


@command("analyze")
@data_options
@click.option("--top", "top", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--focus", metavar="ENTITY", help=f"Also report on this entity ({ENTITY_NAMES}).")
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Language of labels.")
@drafts_option
def analyze_command(
    data: tuple[str, ...], base: str, top: int, focus: str | None, lang: str, include_drafts: bool
) -> None:
    """Central entities (PageRank), connected components and the degree distribution."""
    eg = _entity_graph(data, base, include_drafts)
    center = eg.resolve(focus, base) if focus is not None else None
    click.echo(format_report(eg, analyze(eg, top), lang))
    if center is not None:
        click.echo("")
        click.echo(format_focus(eg, center, lang, base))


@command("path")
@data_options
@click.argument("start")
@click.argument("end")
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Language of labels.")
@drafts_option
def path_command(
    data: tuple[str, ...], base: str, start: str, end: str, lang: str, include_drafts: bool
) -> None:
    """A shortest path between two entities, links either way.

    START and END are named as everywhere (query parameters, viz --focus): by zh/en label,
    alternative label, fact id (luohu), prefixed name (lkd:luohu) or IRI.
    """
    eg = _entity_graph(data, base, include_drafts)
    a, b = eg.resolve(start, base), eg.resolve(end, base)
    steps = shortest_path(eg, a, b)  # NoPathError: exit code 1
    click.echo(format_path(eg, a, steps, lang))
    click.echo(f"({len(steps)} links)")


@command("export-graphml")
@data_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File (default: stdout).")
@drafts_option
def export_graphml_command(
    data: tuple[str, ...], base: str, output: str | None, include_drafts: bool
) -> None:
    """The entity graph as GraphML, for Gephi (labels, classes, PageRank as attributes)."""
    content = graphml_bytes(build(data_inputs(data), base, include_drafts=include_drafts).graph())
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_atomic(Path(output), content)
        click.echo(f"wrote {output}", err=True)


COMMANDS = (viz_command, analyze_command, path_command, export_graphml_command)
