"""The `luohu-kg` command line: each command parses its arguments and calls plain functions.

Exit codes: 0 success; 1 the graph has violations (validate) or coverage is incomplete
(coverage); 2 usage error or bad input (the message names file, line and fact).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .coverage import corpus_coverage, format_report
from .errors import EXIT_INPUT, EXIT_OK, EXIT_VIOLATIONS, InputError
from .graph import BaseIRIError
from .outputs import FORMATS, serialize, write_atomic
from .pipeline import build, build_to, check
from .resources import default_data_dir
from .shacl import check_shapes
from .stats import format_stats
from .vocab import DEFAULT_BASE

F = TypeVar("F", bound=Callable[..., Any])


def _inputs(data: tuple[str, ...]) -> list[str]:
    return list(data) if data else [str(default_data_dir())]


def data_options(func: F) -> F:
    """`--data` (repeatable: folder or glob) and `--base` for every command reading facts."""
    func = click.option(
        "--data",
        "data",
        multiple=True,
        metavar="PATH",
        help="Data folder, article folder or glob (repeatable). Default: ./data.",
    )(func)
    func = click.option(
        "--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of the minted data IRIs."
    )(func)
    return func


def reports_input_errors(func: F) -> F:
    """Turn bad input into its located messages on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            sys.exit(EXIT_INPUT)
        except BaseIRIError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="luohu-kg")
def main() -> None:
    """Build, check and use the Luohu knowledge graph."""


@main.command("build")
@data_options
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path())
@reports_input_errors
def build_command(data: tuple[str, ...], base: str, out_dir: str) -> None:
    """Check the fact files and write every output into OUT."""
    written = build_to(_inputs(data), Path(out_dir), base)
    for path in written:
        click.echo(f"wrote {path}")


@main.command("validate")
@data_options
@reports_input_errors
def validate_command(data: tuple[str, ...], base: str) -> None:
    """Check the facts, then validate the graph with the SHACL shapes."""
    built = build(_inputs(data), base)
    graph = built.graph(with_ontology=True)
    result = check_shapes(graph)
    if not result.conforms:
        click.echo(result.report)
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"conforms: {len(built.corpus.facts)} facts, {len(graph)} triples checked")
    sys.exit(EXIT_OK)


@main.command("export")
@data_options
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="ttl")
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@click.option("--no-ontology", is_flag=True, help="Data only, without the ontology.")
@reports_input_errors
def export_command(
    data: tuple[str, ...], base: str, fmt: str, output: str | None, no_ontology: bool
) -> None:
    """Serialise the graph (ontology and data) in one RDF format."""
    content = serialize(build(_inputs(data), base).parts(), fmt, with_ontology=not no_ontology)
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_atomic(Path(output), content)
        click.echo(f"wrote {output}", err=True)


@main.command("coverage")
@data_options
@click.option("-v", "--verbose", is_flag=True, help="List covered mentions too.")
@reports_input_errors
def coverage_command(data: tuple[str, ...], base: str, verbose: bool) -> None:
    """Every number and name of the article text, and whether a fact captures it."""
    text, complete = format_report(corpus_coverage(check(_inputs(data))), verbose)
    click.echo(text)
    sys.exit(EXIT_OK if complete else EXIT_VIOLATIONS)


@main.command("stats")
@data_options
@reports_input_errors
def stats_command(data: tuple[str, ...], base: str) -> None:
    """Counts of the data graph by class and property."""
    click.echo(format_stats(build(_inputs(data), base).graph()))
