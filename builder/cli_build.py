"""Commands that read the fact files: build, validate, export, coverage, stats."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO

import click

from .analytics import graphml_bytes
from .checks import SHACL_AUTO_LIMIT, check_graph
from .cli_options import (
    command,
    data_inputs,
    data_options,
    drafts_option,
    interrupt_exit_code,
    signal_name,
    store_option,
)
from .coverage import corpus_coverage, format_report
from .errors import EXIT_OK, EXIT_VIOLATIONS, LuohuKGError
from .outputs import (
    FORMATS,
    OUTPUT_PLAN,
    Interrupted,
    WriteError,
    out_dir_problem,
    serialize,
    write_atomic,
)
from .pipeline import Progress, build, build_to, check
from .stats import format_stats

EXPORT_FORMATS = sorted([*FORMATS, "graphml"])
PROGRESS_FROM = 16  # articles: smaller builds take seconds and show no progress


class TerminalProgress(Progress):
    """A build's progress on one line of stderr that rewrites itself, then its summary; only
    when stderr is a terminal and the corpus has `min_articles` or more (quiet in pipes, CI)."""

    def __init__(
        self, stream: TextIO, min_articles: int = PROGRESS_FROM, interval: float = 0.1
    ) -> None:
        self.stream = stream
        isatty = getattr(stream, "isatty", None)
        self.terminal = bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
        self.min_articles = min_articles
        self.interval = interval  # seconds between two steps shown
        self.enabled = False  # decided once the number of articles is known
        self.shown = False  # a progress line is on the screen
        self._last = 0.0

    def articles(self, done: int, total: int) -> None:
        if done == 0:
            self.enabled = self.terminal and total >= self.min_articles
        self._show(f"reading articles {done:,}/{total:,}", force=done in (0, total))

    def stage(self, text: str) -> None:
        self._show(text, force=True)

    def step(self, text: str) -> None:
        self._show(text, force=False)

    def finished(self, summary: str) -> None:
        if self.enabled:
            self._write(f"\r\x1b[K{summary}\n")
            self.shown = False

    def note(self, text: str) -> None:
        """Always shown (in pipes too): it says what an output leaves out."""
        self.clear()
        self.stream.write(f"note: {text}\n")
        self.stream.flush()

    def clear(self) -> None:
        """Erase the progress line (before an error message, or when interrupted)."""
        if self.shown:
            self._write("\r\x1b[K")
            self.shown = False

    def _show(self, text: str, force: bool) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        width = max(20, shutil.get_terminal_size().columns - 1)  # a wrapped line stays
        self._write("\r\x1b[K" + f"luohu-kg build: {text}"[:width])
        self.shown = True

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Interrupted` (as Ctrl-C raises KeyboardInterrupt), so that
    the build cleans up: its workers killed, its staging folder removed, OUT as it was."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGTERM", "SIGHUP")
    signums = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _raise_interrupted) for signum in signums}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@command("build")
@data_options
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="Output folder; other files in it are left alone.",
)
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
@drafts_option
def build_command(
    data: tuple[str, ...],
    base: str,
    out_dir: str,
    html: bool,
    outputs: tuple[str, ...],
    shacl: str,
    store: str,
    include_drafts: bool,
) -> None:
    """Check the fact files and the graph (as `validate` does), then write every output (RDF
    files, graph.html) into OUT as one transaction: all files are replaced, or none.

    Nothing is written when a check fails; a failure or an interrupt (Ctrl-C: exit 130,
    SIGTERM: 143) at any step leaves OUT as it was. Leftovers of a build killed outright
    (kill -9) are cleaned up by the next one. On a terminal, large builds show progress.

    With --include-drafts, the draft files' proposed facts are checked like curated ones
    and written too, each article's in its own named graph (GRAPH.draft in the TriG)."""
    out = Path(out_dir)
    problem = out_dir_problem(out)
    if problem is not None:
        raise LuohuKGError(f"--out: {problem}")
    chosen = outputs or tuple(OUTPUT_PLAN)
    inputs = data_inputs(data)
    progress = TerminalProgress(sys.stderr)
    try:
        with signals_interrupt():
            written = build_to(inputs, out, base, html=html, store=store, outputs=chosen,
                               shacl=shacl, progress=progress,
                               include_drafts=include_drafts)  # fmt: skip
    except WriteError as err:
        progress.clear()
        click.echo(f"error: {err}; {out} left as it was", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt as err:  # Ctrl-C, or Interrupted by SIGTERM or SIGHUP
        progress.clear()
        if getattr(err, "committed", False):
            click.echo(f"interrupted ({signal_name(err)}) once {out} was written", err=True)
        else:
            click.echo(f"interrupted ({signal_name(err)}): {out} left as it was", err=True)
        sys.exit(interrupt_exit_code(err))
    finally:
        progress.clear()
    for path in written:
        click.echo(f"wrote {path}")


@command("validate")
@data_options
@click.option(
    "--shacl",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help=f"Run pySHACL (auto: up to {SHACL_AUTO_LIMIT:,} triples; above, only the "
    "violation queries run, on Oxigraph).",
)
@drafts_option
def validate_command(data: tuple[str, ...], base: str, shacl: str, include_drafts: bool) -> None:
    """Check the facts, validate with the SHACL shapes, and run the *-violation queries."""
    built = build(data_inputs(data), base, include_drafts=include_drafts)
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


@command("export")
@data_options
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="ttl")
@click.option("-o", "--output", type=click.Path(), help="File to write (default: stdout).")
@click.option("--no-ontology", is_flag=True, help="Data only, without the ontology.")
@drafts_option
def export_command(
    data: tuple[str, ...],
    base: str,
    fmt: str,
    output: str | None,
    no_ontology: bool,
    include_drafts: bool,
) -> None:
    """Serialise the graph (ontology and data) in one format; graphml is the entity graph."""
    built = build(data_inputs(data), base, include_drafts=include_drafts)
    if fmt == "graphml":
        content = graphml_bytes(built.graph())
    else:
        content = serialize(built.parts(), fmt, with_ontology=not no_ontology)
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        write_atomic(Path(output), content)
        click.echo(f"wrote {output}", err=True)


@command("coverage")
@data_options
@click.option("-v", "--verbose", is_flag=True, help="List covered mentions too.")
@drafts_option
def coverage_command(data: tuple[str, ...], base: str, verbose: bool, include_drafts: bool) -> None:
    """Every number and name of the article text, and whether a fact captures it."""
    corpus = check(data_inputs(data), include_drafts=include_drafts)
    text, complete = format_report(corpus_coverage(corpus), verbose)
    click.echo(text)
    sys.exit(EXIT_OK if complete else EXIT_VIOLATIONS)


@command("stats")
@data_options
@store_option
@drafts_option
def stats_command(data: tuple[str, ...], base: str, store: str, include_drafts: bool) -> None:
    """Counts of the data graph by class and property."""
    built = build(data_inputs(data), base, include_drafts=include_drafts)
    click.echo(format_stats(built.graph(store=store)))


COMMANDS = (build_command, validate_command, export_command, coverage_command, stats_command)
