"""Invoke's Program as the ``repokit`` console script runs it (see :mod:`repokit.cli`)."""

from __future__ import annotations

import sys

from invoke.exceptions import ParseError
from invoke.program import Program

from repokit.errors import EXIT_USAGE


def _usage_exit(error: ParseError) -> SystemExit:
    sys.stderr.write(f"error: {error}\n")
    sys.stderr.write("hint: run 'repokit --list', or 'repokit --help <command>'\n")
    return SystemExit(EXIT_USAGE)


class RepokitProgram(Program):
    """Invoke's Program over repokit's collection; bad arguments exit 2 instead of 1."""

    def parse_core(self, argv: list[str] | None) -> None:
        try:
            super().parse_core(argv)
        except ParseError as error:
            raise _usage_exit(error) from None

    def parse_tasks(self) -> None:
        try:
            super().parse_tasks()
        except ParseError as error:
            raise _usage_exit(error) from None
