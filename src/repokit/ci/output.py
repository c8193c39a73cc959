"""The run's output: a line per job and step state change, secrets masked, heartbeats.

A step's own output (a script's, pip's, pytest's) goes to the job's log; the terminal gets
it only with ``--verbose``, or, for a step that fails, its last lines once it has failed.
A step that shows nothing for a while gets a heartbeat line, so a long step is never
mistaken for a hung one. Lines of parallel jobs never interleave within a line.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from repokit.ci.cells import fit
from repokit.redact import redact

Output = Callable[[str], None]

#: How long a step may show nothing before a heartbeat line says it is still running.
HEARTBEAT_SECONDS = 30.0
#: How many of a failed step's last output lines the terminal gets.
TAIL_LINES = 50


def elapsed(seconds: float) -> str:
    """``45s``, ``2m10s``, ``1h02m``: a duration as a person reads it."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


@dataclass
class RunningStep:
    """A step that runs now: since when, when a line of it was last shown, its last lines."""

    label: str
    started: float
    shown: float
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    exit_code: int | None = None


def heartbeats(
    steps: dict[str, list[RunningStep]], now: float, every: float = HEARTBEAT_SECONDS
) -> list[tuple[str, str]]:
    """``(job, line)`` for each job whose step has shown nothing for ``every`` seconds.

    A job's steps are a stack (a composite action's steps run inside its step): the
    innermost one is named.
    """
    return [
        (job, f"{stack[-1].label}: still running, {elapsed(now - stack[-1].started)}")
        for job, stack in steps.items()
        if stack and now - max(step.shown for step in stack) >= every
    ]


@dataclass
class Printer:
    """Serialises the jobs' lines, masks secrets in each, and follows each job's step.

    With a ``status`` stream (a terminal), a last line shows the jobs running and for how
    long; it is redrawn in place after every output line and every second.
    """

    out: Output
    secrets: tuple[str, ...]
    status: TextIO | None = None
    verbose: bool = False
    heartbeat: float = HEARTBEAT_SECONDS
    clock: Callable[[], float] = time.monotonic
    lock: threading.Lock = field(default_factory=threading.Lock)
    running: dict[str, float] = field(default_factory=dict)
    steps: dict[str, list[RunningStep]] = field(default_factory=dict)

    def mask(self, text: str) -> str:
        return redact(text, self.secrets)

    def line(self, text: str) -> None:
        with self.lock:
            self._emit(text)

    def job_line(self, job: str, text: str) -> None:
        """A line about ``job`` (``[job] text``): it counts as the job's step being shown."""
        with self.lock:
            self._emit(f"[{job}] {text}")
            self._shown(job)

    def step_started(self, job: str, label: str) -> None:
        with self.lock:
            now = self.clock()
            self.steps.setdefault(job, []).append(RunningStep(label, now, now))
            self._emit(f"[{job}] step {label}")

    def step_output(self, job: str, text: str) -> None:
        """A line the step's process printed: kept for the tail, shown only when verbose."""
        with self.lock:
            masked = self.mask(text)
            for step in self.steps.get(job, []):
                step.tail.append(masked)
            if self.verbose:
                self._emit(f"[{job}] {text}")
                self._shown(job)

    def step_exit(self, job: str, code: int) -> None:
        with self.lock:
            if self.steps.get(job):
                self.steps[job][-1].exit_code = code

    def step_finished(self, job: str, outcome: str) -> str:
        """The step's end: ``passed``, ``failed`` (with its last lines) or another outcome.

        Returns the line shown (without the job's tag), for the log.
        """
        with self.lock:
            stack = self.steps.get(job)
            if not stack:
                return outcome
            step = stack.pop()
            took = elapsed(self.clock() - step.started)
            if outcome != "failure":
                shown = "passed" if outcome == "success" else outcome
                return self._emit_job(job, f"{step.label}: {shown} ({took})")
            code = f"exit {step.exit_code}, " if step.exit_code else ""
            text = f"{step.label}: failed ({code}{took})"
            if self.verbose or not step.tail:
                return self._emit_job(job, text)
            self._emit_job(
                job, f"{text}; its last {len(step.tail)} line(s) (all of them in the log):"
            )
            for line in step.tail:
                self._emit(f"[{job}] {line}")
            return text

    def started(self, key: str) -> None:
        with self.lock:
            self.running[key] = self.clock()
            self._draw()

    def finished(self, key: str) -> None:
        with self.lock:
            self.running.pop(key, None)
            self.steps.pop(key, None)
            self._clear()
            self._draw()

    def tick(self) -> None:
        """Once a second: heartbeat lines for silent steps, then the status line redrawn."""
        with self.lock:
            now = self.clock()
            for job, text in heartbeats(self.steps, now, self.heartbeat):
                self._emit(f"[{job}] {text}")
                self._shown(job)
            self._draw()

    def _shown(self, job: str) -> None:
        """A line of ``job`` reached the terminal: its steps are not silent."""
        now = self.clock()
        for step in self.steps.get(job, []):
            step.shown = now

    def _emit_job(self, job: str, text: str) -> str:
        self._emit(f"[{job}] {text}")
        return text

    def _emit(self, text: str) -> None:
        self._clear()
        self.out(self.mask(text))
        self._draw()

    def _clear(self) -> None:
        if self.status is not None:
            self.status.write("\r\x1b[K")
            self.status.flush()

    def _draw(self) -> None:
        if self.status is None or not self.running:
            return
        now = self.clock()
        jobs = ", ".join(f"{k} {elapsed(now - t)}" for k, t in self.running.items())
        columns = shutil.get_terminal_size().columns - 1  # a full line would wrap
        self.status.write(f"\r\x1b[K{fit('running: ' + jobs, columns)}")
        self.status.flush()


def status_stream() -> TextIO | None:
    """stdout when it is a terminal that takes a status line (NO_COLOR and CI turn it off)."""
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not os.environ.get("CI"):
        return sys.stdout
    return None
