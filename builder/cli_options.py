"""Options and error handling shared by every command module of the CLI.

Kept apart from `cli.py` so that command modules (e.g. `cli_graph.py`) can use them while
`cli.py` imports those modules to attach their commands.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import LuohuKGError
from .prefixes import DEFAULT_BASE
from .resources import default_data_dir

F = TypeVar("F", bound=Callable[..., Any])

# a command stopped by a signal exits with 128 + its number, as a shell reports it:
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C (SIGTERM gives 143, SIGHUP 129)


def interrupt_exit_code(err: KeyboardInterrupt) -> int:
    """128 + the signal's number: KeyboardInterrupt is SIGINT, `outputs.Interrupted` says."""
    signum = getattr(err, "signum", signal.SIGINT)
    return 128 + int(signum)


def signal_name(err: KeyboardInterrupt) -> str:
    """SIGINT, SIGTERM or SIGHUP: the signal behind an interrupt."""
    return signal.Signals(getattr(err, "signum", signal.SIGINT)).name


def missing_data(spec: str) -> str | None:
    """The message for a --data path that does not exist (globs are left to the loader)."""
    import glob

    if glob.has_magic(spec) or Path(spec).exists():
        return None
    from .formats import from_path

    kind = "file" if from_path(Path(spec)) is not None else "folder"
    return f"no such {kind}: {spec}"


def data_inputs(data: tuple[str, ...]) -> list[str]:
    """The `--data` values, or the default data folder when none is given; a path that does
    not exist is an error naming it (exit code 2)."""
    for spec in data:
        if (problem := missing_data(spec)) is not None:
            raise LuohuKGError(problem)
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


def drafts_option(func: F) -> F:
    """`--include-drafts`: read the articles' draft files (`luohu-kg draft`) too."""
    return click.option(
        "--include-drafts",
        "include_drafts",
        is_flag=True,
        help="Also read draft files (draft.yaml, *.draft.yaml): their facts are checked like "
        "curated ones and go into each article's draft graph, marked as proposed.",
    )(func)


class HandledCommand(click.Command):
    """A command whose errors are reported in one place: a `LuohuKGError` prints its lines on
    stderr and exits with its code (2 bad input, 1 a failed check or write); Ctrl-C, SIGTERM
    and SIGHUP exit with 128 + the signal (click's own handler would say "Aborted!" and exit
    1, the code of a failed check)."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report what it raised."""
        try:
            return super().invoke(ctx)
        except LuohuKGError as err:
            for line in err.lines():
                click.echo(line, err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt as err:
            click.echo(f"interrupted ({signal_name(err)})", err=True)
            sys.exit(interrupt_exit_code(err))


def command(name: str, **settings: Any) -> Callable[[F], click.Command]:
    """`click.command` with the project's error handling (HandledCommand)."""
    return click.command(name, cls=HandledCommand, **settings)


def store_option(func: F) -> F:
    """`--store auto|memory|oxigraph`: the store behind the rdflib graph."""
    return click.option(
        "--store",
        type=click.Choice(["auto", "memory", "oxigraph"]),
        default="auto",
        show_default=True,
        help="Store of the rdflib graph: auto is memory up to 2,000,000 triples, Oxigraph above.",
    )(func)
