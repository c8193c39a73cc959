"""The user-facing failures of repokit and the one boundary that turns them into exit codes.

Every error a user can cause is a :class:`RepokitError` subclass carrying a one-line
message (what happened, naming the file, field or step) and a hint (what to do next).
The boundary prints ``error: <message>`` and ``hint: <hint>`` on stderr and exits:

==========================  ====
RepokitError                1
UsageError (bad arguments)  2
a bug (any other exception) 3, with its traceback
KeyboardInterrupt           130
the reader of stdout left   141, quietly
==========================  ====

A closed pipe (``repokit checks | head -1``) ends the command quietly with 141, what a
shell reports for a command ended by SIGPIPE, as git and the coreutils end: the reader
has what it wanted, and a script with ``set -o pipefail`` still sees that the writer was
cut short.

SIGTERM (what ``timeout``, a CI runner cancelling a job, or ``kill`` send) counts as Ctrl-C
while a command runs: the same clean-up runs (a release rolls back, ``inv ci`` stops its
jobs and removes its scratch folder) instead of the process vanishing half-way.

Secrets are redacted from everything the boundary prints.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import NoReturn, ParamSpec, TypeVar

from repokit.redact import redact

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
#: What a shell reports for a command ended by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141

P = ParamSpec("P")
R = TypeVar("R")


class RepokitError(Exception):
    """A failure the user can fix: a one-line message and a hint."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(RepokitError):
    """The command's arguments are wrong."""

    exit_code = EXIT_USAGE


class ConfigError(RepokitError):
    """A configuration file is missing, unreadable or invalid."""


class VersionError(RepokitError):
    """The project's version cannot be read, bumped or written."""


class GitError(RepokitError):
    """A git operation failed or the repository is not in the state required."""


class PreflightError(RepokitError):
    """A check made before any change refused the command."""


class StepError(RepokitError):
    """A step of a plan failed; what was done before it has been undone."""

    def __init__(self, step: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{step}: {message}", hint=hint)
        self.step = step


class WorkflowError(RepokitError):
    """A GitHub Actions workflow file cannot be read or understood."""


class GitHubError(RepokitError):
    """The GitHub API refused or failed a request."""


class Interrupted(RepokitError):
    """The user pressed Ctrl-C; whatever was done has been undone."""

    exit_code = EXIT_INTERRUPTED


def format_error(error: RepokitError) -> str:
    """The text the boundary prints for an error: the message line and, if any, a hint line."""
    text = f"error: {error.message}"
    if error.hint:
        text += f"\nhint: {error.hint}"
    return redact(text)


def report(error: BaseException) -> int:
    """Print an error the way the boundary does and return its exit code."""
    if isinstance(error, RepokitError):
        print(format_error(error), file=sys.stderr)
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    text = "".join(traceback.format_exception(error))
    print(redact(text), file=sys.stderr, end="")
    print(
        "error: this is a bug in repokit; please report it with the traceback above",
        file=sys.stderr,
    )
    return EXIT_BUG


def run_guarded(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``function``; on failure print the error and raise SystemExit with its exit code."""
    try:
        with _terminate_as_interrupt():
            return function(*args, **kwargs)
    except SystemExit:
        raise
    except BrokenPipeError as error:
        if stdout_gone():
            quiet_broken_pipe()
        raise SystemExit(report(error)) from None
    except (Exception, KeyboardInterrupt) as error:
        raise SystemExit(report(error)) from None


def stdout_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (not some other pipe we wrote to)."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no fd (captured), or no poll here
        return True


def quiet_broken_pipe() -> NoReturn:
    """The reader went away (``repokit checks | head -1``): end quietly, as git does.

    stdout is pointed at /dev/null first, so that the flush at exit does not fail again
    with "Exception ignored ... BrokenPipeError".
    """
    _stdout_to_devnull()
    raise SystemExit(EXIT_BROKEN_PIPE)


def _stdout_to_devnull() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())


def end_quietly_when_the_reader_goes(program: str) -> None:
    """Under Invoke's own program (``inv --list | head -1``), end quietly on a closed pipe.

    repokit's commands end quietly themselves (:func:`run_guarded`), but the listing of
    ``inv --list`` is Invoke's: its BrokenPipeError would end in a traceback, or, when the
    listing was still buffered, in "Exception ignored ... BrokenPipeError" at exit. Both
    paths end here with exit 141 and nothing said, as git and the coreutils end. Only the
    ``inv``/``invoke`` programs get this: a library import changes no other program.
    """
    if Path(program).name not in ("inv", "invoke"):
        return
    previous = sys.excepthook

    def gone(kind: type[BaseException], value: BaseException, trace: object) -> None:
        if issubclass(kind, BrokenPipeError) and stdout_gone():
            _exit_broken_pipe()
        previous(kind, value, trace)  # type: ignore[arg-type]

    def flush_at_exit() -> None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _exit_broken_pipe()

    sys.excepthook = gone
    atexit.register(flush_at_exit)


def _exit_broken_pipe() -> NoReturn:
    """Exit 141 at once: stdout points at /dev/null first, and nothing is flushed again."""
    _stdout_to_devnull()
    os._exit(EXIT_BROKEN_PIPE)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises KeyboardInterrupt (only the main thread has handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
