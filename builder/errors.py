"""The project's errors, with the location of the bad input, and the CLI's exit codes.

Every error a user can meet derives from `LuohuKGError`, which knows its exit code and the
lines to print; the command line has one handler for them (`cli_options.HandledCommand`).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

EXIT_OK = 0
EXIT_VIOLATIONS = 1  # also: no path found, coverage incomplete, an output not written
EXIT_INPUT = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input: where it is and what is wrong."""

    file: str
    line: int
    fact_id: str
    message: str

    def __str__(self) -> str:
        # what comes from the input is shown escaped and clipped: a message is one safe line
        fact_id, message = shown(str(self.fact_id)), shown(self.message, SHOWN_MESSAGE)
        return f"{escaped(self.file)}:{self.line}: {fact_id}: {message}"


SHOWN_VALUE = 80  # characters of a value (an id) kept in a message
SHOWN_MESSAGE = 400  # characters of a message kept
# characters a terminal would act on or not show: controls, invisible format characters,
# line and paragraph separators, surrogates, private-use and unassigned code points
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"})


def escaped(text: str) -> str:
    """`text` with every control or invisible character written as an escape (\\x1b, \\u200b)."""
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in HIDDEN_CATEGORIES
        else ch
        for ch in text
    )


def shown(text: str, limit: int = SHOWN_VALUE) -> str:
    """`text` as a message shows it: escaped, and cut to `limit` characters and "…"."""
    if len(text) <= limit:
        return escaped(text)
    return escaped(text[:limit]) + "…"


def did_you_mean(word: str, choices: Iterable[str], quote: str = "`") -> str:
    """ "; did you mean `X`?" for the closest of the choices, or "" when none is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"{quote}{c}{quote}" for c in close) + "?"


class LuohuKGError(Exception):
    """An error the user must hear about: printed as `lines()`, then exit with `exit_code`."""

    exit_code: ClassVar[int] = EXIT_INPUT

    def lines(self) -> list[str]:
        """What the command line prints, one line each (on stderr)."""
        return [f"error: {line}" for line in str(self).splitlines() or [type(self).__name__]]


class BaseIRIError(LuohuKGError, ValueError):
    """A base IRI the graph cannot be minted under (exit code 2)."""


class InputError(LuohuKGError):
    """The input cannot be built; carries every problem found (exit code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One `FILE:LINE: FACT-ID: message` line per problem."""
        return [str(p) for p in self.problems]

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # lets the error cross from a worker process (parallel loading) intact
        return (InputError, (self.problems,))


class ViolationError(LuohuKGError):
    """The graph breaks a SHACL shape or a *-violation check (exit code 1); nothing is written."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One line per violation, then how many and that nothing was written."""
        found = [str(p) for p in self.problems]
        return [*found, f"{len(found)} violation(s): nothing written"]
