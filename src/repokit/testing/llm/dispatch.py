"""Open a test's cassette at its first LLM call, not around every test.

Entering a vcrpy cassette patches the HTTP clients and looks for every library it knows
(several milliseconds in a large test run), so wrapping each test would slow down every
test of a project that has a handful of LLM tests. Instead the httpx transports (the LLM
SDKs' clients) are wrapped once per run: a request that is not an LLM call goes straight
through; the first LLM call of a test opens that test's cassette and is handed to it.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from repokit.testing.llm.cassettes import UsageSink, cassette
from repokit.testing.llm.hosts import is_llm_request

#: The modules whose transports the LLM SDKs use (httpx2 is httpx's successor).
HTTPX_MODULES = ("httpx", "httpx2")


class LazyCassette:
    """One test's cassette, entered on its first LLM call and left when the test ends."""

    def __init__(self, path: Path, *, mode: str, record: bool, on_usage: UsageSink) -> None:
        self.path = path
        self.mode = mode
        self.record = record
        self.on_usage = on_usage
        self._stack: ExitStack | None = None

    def open(self) -> None:
        if self._stack is None:
            stack = ExitStack()
            stack.enter_context(
                cassette(self.path, mode=self.mode, record=self.record, on_usage=self.on_usage)
            )
            self._stack = stack

    def close(self) -> None:
        """Leave the cassette: count the usage, and write it when recording."""
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()


Current = Callable[[], LazyCassette | None]


def install(current: Current) -> Callable[[], None]:
    """Wrap the httpx transports for this run; returns what undoes it."""
    import vcr.patch  # noqa: F401 - vcrpy keeps the unpatched methods at its import

    undo: list[Callable[[], None]] = []
    for name in HTTPX_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for cls, method in (
            (module.HTTPTransport, "handle_request"),
            (module.AsyncHTTPTransport, "handle_async_request"),
        ):
            original = cls.__dict__[method]
            wrap = _sync if method == "handle_request" else _async
            setattr(cls, method, wrap(cls, original, current))
            undo.append(functools.partial(setattr, cls, method, original))

    def uninstall() -> None:
        for step in reversed(undo):
            step()

    return uninstall


def _sync(cls: type, original: Any, current: Current) -> Any:
    def handle_request(self: Any, request: Any) -> Any:
        tape = current()
        if tape is None or not is_llm_request(str(request.url)):
            return original(self, request)
        tape.open()
        patched = cls.__dict__["handle_request"]
        return (original if patched is handle_request else patched)(self, request)

    return handle_request


def _async(cls: type, original: Any, current: Current) -> Any:
    async def handle_async_request(self: Any, request: Any) -> Any:
        tape = current()
        if tape is None or not is_llm_request(str(request.url)):
            return await original(self, request)
        tape.open()
        patched = cls.__dict__["handle_async_request"]
        return await (original if patched is handle_async_request else patched)(self, request)

    return handle_async_request
