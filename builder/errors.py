"""Errors with the location of the bad input, and the CLI's exit codes."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the input: where it is and what is wrong."""

    file: str
    line: int
    fact_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.fact_id}: {self.message}"


class BaseIRIError(ValueError):
    """A base IRI the graph cannot be minted under (exit code 2)."""


class InputError(Exception):
    """The input cannot be built; carries every problem found (exit code 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # lets the error cross from a worker process (parallel loading) intact
        return (InputError, (self.problems,))


class ViolationError(Exception):
    """The graph breaks a SHACL shape or a *-violation check (exit code 1); nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
