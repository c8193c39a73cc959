"""The ``repokit`` console script: the same collection as ``inv``, without a tasks.py."""

from __future__ import annotations

import os
import sys

from invoke.exceptions import ParseError
from invoke.program import Program

from repokit import __version__
from repokit.errors import EXIT_USAGE

#: What a shell reports for a command ended by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141


def _usage_exit(error: ParseError) -> SystemExit:
    print(f"error: {error}", file=sys.stderr)
    print("hint: run 'repokit --list', or 'repokit --help <command>'", file=sys.stderr)
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


def _quiet_broken_pipe() -> None:
    """The reader went away (``repokit --list | head -1``): end quietly, as cat does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(EXIT_BROKEN_PIPE)


def main() -> None:
    from repokit.tasks import namespace

    program = RepokitProgram(
        name="repokit", binary="repokit", version=__version__, namespace=namespace
    )
    try:
        program.run()
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()


if __name__ == "__main__":
    main()
