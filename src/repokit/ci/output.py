"""The run's output: one line at a time from parallel jobs, secrets masked, a status line."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from repokit.redact import redact

Output = Callable[[str], None]


@dataclass
class Printer:
    """Serialises the jobs' output lines and masks secrets in each of them.

    With a ``status`` stream (a terminal), a last line shows the jobs running and for how
    long; it is redrawn in place after every output line and every second.
    """

    out: Output
    secrets: tuple[str, ...]
    status: TextIO | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    running: dict[str, float] = field(default_factory=dict)

    def mask(self, text: str) -> str:
        return redact(text, self.secrets)

    def line(self, text: str) -> None:
        with self.lock:
            self._clear()
            self.out(self.mask(text))
            self._draw()

    def started(self, key: str) -> None:
        with self.lock:
            self.running[key] = time.monotonic()
            self._draw()

    def finished(self, key: str) -> None:
        with self.lock:
            self.running.pop(key, None)
            self._clear()
            self._draw()

    def redraw(self) -> None:
        with self.lock:
            self._draw()

    def _clear(self) -> None:
        if self.status is not None:
            self.status.write("\r\x1b[K")
            self.status.flush()

    def _draw(self) -> None:
        if self.status is None or not self.running:
            return
        now = time.monotonic()
        jobs = ", ".join(f"{k} {now - t:.0f}s" for k, t in self.running.items())
        self.status.write(f"\r\x1b[Krunning: {jobs}")
        self.status.flush()


def status_stream() -> TextIO | None:
    """stdout when it is a terminal that takes a status line (NO_COLOR and CI turn it off)."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI"):
        return sys.stdout
    return None
