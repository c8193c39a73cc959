"""Failures a test can ask the emulator to answer with, instead of serving the next requests."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field, replace

SECONDARY_RATE_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)


@dataclass(frozen=True)
class Fault:
    """One failure: an answer (``status``, ``message``, ``headers``) or, with ``drop``, a
        connection closed without any answer (after carrying the request out, with ``served``).
        ``only`` limits it to requests whose ``"METHOD /path"`` contains that text (or is that
    text, when it ends with ``$``)."""

    status: int = 502
    message: str = "Server Error"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    only: str | None = None
    #: With ``drop``: the request is carried out first, as when a connection breaks after
    #: GitHub applied a write but before its answer arrived.
    served: bool = False
    #: How many of the requests it applies to are served as usual before it strikes.
    later: int = 0

    def applies_to(self, method: str, path: str) -> bool:
        """``only`` is a part of ``"METHOD /path"``, or all of it when it ends with ``$``."""
        if self.only is None:
            return True
        if self.only.endswith("$"):
            return self.only[:-1] == f"{method} {path}"
        return self.only in f"{method} {path}"


class FaultQueue:
    """Faults waiting for requests, oldest first; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: deque[Fault] = deque()

    def add(self, fault: Fault, count: int) -> None:
        if count < 1:
            msg = f"a fault must apply to at least one request, not {count}"
            raise ValueError(msg)
        with self._lock:
            self._pending.extend([fault] * count)

    def take(self, method: str, path: str) -> Fault | None:
        """The first waiting fault that applies to this request, removed from the queue."""
        with self._lock:
            for index, fault in enumerate(self._pending):
                if fault.applies_to(method, path) and fault.later:
                    self._pending[index] = replace(fault, later=fault.later - 1)
                    return None
                if fault.applies_to(method, path):
                    del self._pending[index]
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)
