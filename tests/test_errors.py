"""One error model: every user-facing error is a LuohuKGError, and every command reports it
through the same handler (its lines on stderr, its exit code; interrupts 128 + signal)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from builder import analytics, outputs, query, resolver, scaffold, server
from builder.cli import main
from builder.cli_options import HandledCommand
from builder.errors import (
    EXIT_INPUT,
    EXIT_VIOLATIONS,
    BaseIRIError,
    InputError,
    LuohuKGError,
    Problem,
    ViolationError,
)


def test_every_command_reports_errors_the_same_way() -> None:
    context = click.Context(main)
    names = main.list_commands(context)
    assert {"build", "query", "serve", "publish", "viz", "path", "new-article"} <= set(names)
    for name in names:
        assert isinstance(main.get_command(context, name), HandledCommand), name


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError([Problem("f.yaml", 3, "x", "bad")]), EXIT_INPUT),
        (ViolationError([Problem("f.yaml", 3, "x", "broken")]), EXIT_VIOLATIONS),
        (BaseIRIError("base"), EXIT_INPUT),
        (query.QueryError("q"), EXIT_INPUT),
        (server.ServerError("s"), EXIT_INPUT),
        (resolver.EntityLookupError("e"), EXIT_INPUT),
        (scaffold.ScaffoldError("n"), EXIT_INPUT),
        (analytics.NoPathError("no path"), EXIT_VIOLATIONS),
        (outputs.WriteError(Path("out/x"), "disk full"), EXIT_VIOLATIONS),
    ],
)
def test_each_error_has_its_exit_code_and_lines(error: LuohuKGError, code: int) -> None:
    assert isinstance(error, LuohuKGError) and error.exit_code == code
    assert error.lines() and all("\n" not in line for line in error.lines())


def test_an_error_and_an_interrupt_inside_a_command(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fails(*_args: object, **_kwargs: object) -> bytes:
        raise query.QueryError("something precise")

    monkeypatch.setattr("builder.cli._run_query", fails)
    result = runner.invoke(main, ["query", "officials"])
    assert (result.exit_code, result.stderr) == (EXIT_INPUT, "error: something precise\n")

    def interrupted(*_args: object, **_kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr("builder.cli._run_query", interrupted)
    result = runner.invoke(main, ["query", "officials"])
    assert result.exit_code == 130 and "interrupted (SIGINT)" in result.stderr
    assert "Aborted" not in result.output


def test_suggestions_only_when_something_is_close() -> None:
    from builder.errors import did_you_mean
    from builder.model import nearest_passage

    assert did_you_mean("Distric", ["District", "City"]) == "; did you mean `District`?"
    assert did_you_mean("Zebra", ["District", "City"]) == ""
    text = "标题\n\n罗湖区委书记罗育德表示,我们有信心。\n"
    assert nearest_passage(text, "罗湖区区长罗育德") == (4, "罗湖区委书记罗育德")
    assert nearest_passage(text, "完全无关的话") is None
