"""Options and error handling shared by every command module of the CLI.

Kept apart from `cli.py` so that command modules (e.g. `cli_graph.py`) can use them while
`cli.py` imports those modules to attach their commands.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from .errors import EXIT_INPUT, EXIT_VIOLATIONS, BaseIRIError, InputError, ViolationError
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


def data_inputs(data: tuple[str, ...]) -> list[str]:
    """The `--data` values, or the default data folder when none is given."""
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
    """Turn bad input into its located messages on stderr and exit code 2, a graph that
    fails its checks into located messages and exit code 1, and Ctrl-C into exit code 130
    (click's own handler would say "Aborted!" and exit 1, the code of a failed check)."""

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
        except ViolationError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(err.problems)} violation(s): nothing written", err=True)
            sys.exit(EXIT_VIOLATIONS)
        except KeyboardInterrupt as err:
            click.echo(f"interrupted ({signal_name(err)})", err=True)
            sys.exit(interrupt_exit_code(err))

    return wrapper  # type: ignore[return-value]


def store_option(func: F) -> F:
    """`--store auto|memory|oxigraph`: the store behind the rdflib graph."""
    return click.option(
        "--store",
        type=click.Choice(["auto", "memory", "oxigraph"]),
        default="auto",
        show_default=True,
        help="Store of the rdflib graph: auto is memory up to 2,000,000 triples, Oxigraph above.",
    )(func)
