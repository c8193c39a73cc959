"""The error boundary as a decorator for Invoke task bodies."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from repokit.errors import run_guarded

P = ParamSpec("P")
R = TypeVar("R")


def guarded(function: Callable[P, R]) -> Callable[P, R]:
    """Wrap a task body so that errors print one line and a hint and exit with their code."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return run_guarded(function, *args, **kwargs)

    return wrapper
