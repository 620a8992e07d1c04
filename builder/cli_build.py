"""Commands that read the fact files: build, validate, export, coverage, stats."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .analytics import graphml_bytes
from .checks import SHACL_AUTO_LIMIT, check_graph
from .cli_options import data_inputs, data_options, reports_input_errors, store_option
from .coverage import corpus_coverage, format_report
from .errors import EXIT_OK, EXIT_VIOLATIONS
from .outputs import FORMATS, OUTPUT_PLAN, serialize, write_atomic
from .pipeline import build, build_to, check
from .stats import format_stats

EXPORT_FORMATS = sorted([*FORMATS, "graphml"])


@click.command("build")
@data_options
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path())
@click.option("--html/--no-html", default=True, show_default=True, help="Write graph.html.")
@click.option(
    "--output",
    "outputs",
    multiple=True,
    type=click.Choice(list(OUTPUT_PLAN)),
    help="Write only these RDF files (repeatable). Default: all.",
)
@click.option(
    "--shacl",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help=f"Run pySHACL before writing (auto: up to {SHACL_AUTO_LIMIT:,} triples); the "
    "violation queries always run.",
)
@store_option
@reports_input_errors
def build_command(
    data: tuple[str, ...],
    base: str,
    out_dir: str,
    html: bool,
    outputs: tuple[str, ...],
    shacl: str,
    store: str,
) -> None:
    """Check the fact files and the graph (as `validate` does), then write every output (RDF
    files, graph.html) into OUT; nothing is written when a check fails."""
    chosen = outputs or tuple(OUTPUT_PLAN)
    inputs = data_inputs(data)
    written = build_to(inputs, Path(out_dir), base, html=html, store=store, outputs=chosen,
                       shacl=shacl)  # fmt: skip
    for path in written:
        click.echo(f"wrote {path}")


@click.command("validate")
@data_options
@click.option(
    "--shacl",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help=f"Run pySHACL (auto: up to {SHACL_AUTO_LIMIT:,} triples; above, only the "
    "violation queries run, on Oxigraph).",
)
@reports_input_errors
def validate_command(data: tuple[str, ...], base: str, shacl: str) -> None:
    """Check the facts, validate with the SHACL shapes, and run the *-violation queries."""
    built = build(data_inputs(data), base)
    report = check_graph(built, shacl)
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} violation(s)")
        sys.exit(EXIT_VIOLATIONS)
    checks = (
        "SHACL and violation queries" if report.shacl_run else "violation queries; SHACL skipped"
    )
    click.echo(f"conforms: {len(built.corpus.facts)} facts, {report.triples} triples ({checks})")
    sys.exit(EXIT_OK)


@click.command("export")
@data_options
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl")
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@click.option("--no-ontology", is_flag=True, help="Data only, without the ontology.")
@reports_input_errors
def export_command(
    data: tuple[str, ...], base: str, fmt: str, output: str | None, no_ontology: bool
) -> None:
    """Serialise the graph (ontology and data) in one format; graphml is the entity graph."""
    built = build(data_inputs(data), base)
    if fmt == "graphml":
        content = graphml_bytes(built.graph())
    else:
        content = serialize(built.parts(), fmt, with_ontology=not no_ontology)
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_atomic(Path(output), content)
        click.echo(f"wrote {output}", err=True)


@click.command("coverage")
@data_options
@click.option("-v", "--verbose", is_flag=True, help="List covered mentions too.")
@reports_input_errors
def coverage_command(data: tuple[str, ...], base: str, verbose: bool) -> None:
    """Every number and name of the article text, and whether a fact captures it."""
    text, complete = format_report(corpus_coverage(check(data_inputs(data))), verbose)
    click.echo(text)
    sys.exit(EXIT_OK if complete else EXIT_VIOLATIONS)


@click.command("stats")
@data_options
@store_option
@reports_input_errors
def stats_command(data: tuple[str, ...], base: str, store: str) -> None:
    """Counts of the data graph by class and property."""
    click.echo(format_stats(build(data_inputs(data), base).graph(store=store)))


COMMANDS = (build_command, validate_command, export_command, coverage_command, stats_command)
