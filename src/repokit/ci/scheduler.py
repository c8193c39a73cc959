"""Run the planned jobs, each once the jobs it needs have finished, independent ones in parallel."""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import TextIO

from repokit.ci.artifacts import ARTIFACTS
from repokit.ci.job import run_job
from repokit.ci.model import Workflow
from repokit.ci.output import Output, Printer
from repokit.ci.plan import JobResult, PlannedJob

_SECRET_REF = re.compile(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)")


def run(
    workflow: Workflow,
    planned: list[PlannedJob],
    *,
    root: Path,
    jobs: int | None = None,
    strict: bool = False,
    out: Output = print,
    status: TextIO | None = None,
) -> list[JobResult]:
    """Run the planned jobs, independent ones in parallel; a result per job."""
    secrets = _secret_values(workflow)
    printer = Printer(out, secrets, status)
    ticker = _Ticker(printer)
    ticker.start()
    artifacts = root / ARTIFACTS
    artifacts.mkdir(exist_ok=True)
    results: dict[str, JobResult] = {}
    pending = {p.key: p for p in planned}
    running: dict[Future[JobResult], str] = {}
    workers = max(1, jobs or os.cpu_count() or 1)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            while pending or running:
                for key, job in list(pending.items()):
                    needs = [
                        n
                        for n in job.job.needs
                        if n in pending or n in results or n in running.values()
                    ]
                    if any(n not in results for n in needs):
                        continue  # waits for the jobs it needs
                    del pending[key]
                    failed = [n for n in needs if results[n].result != "passed"]
                    if failed:
                        reason = f"needs {', '.join(failed)}, which did not pass"
                        results[key] = JobResult(key, "skipped", 0.0, None, reason)
                        printer.line(f"-- {job.title}: skipped ({reason})")
                    elif job.skip_reason:
                        verdict = "failed" if strict else "skipped"
                        results[key] = JobResult(key, verdict, 0.0, None, job.skip_reason)
                        printer.line(f"-- {job.title}: {verdict} ({job.skip_reason})")
                    else:
                        printer.line(f"-> {job.title}: started")
                        printer.started(key)
                        running[pool.submit(run_job, workflow, job, root, printer)] = key
                if not running:
                    continue
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    finished = future.result()
                    results[running.pop(future)] = finished
                    printer.finished(finished.key)
                    mark = "ok  " if finished.result == "passed" else "FAIL"
                    printer.line(
                        f"{mark} {finished.key}: {finished.result} ({finished.duration:.1f}s)"
                    )
    finally:
        ticker.stop()
    return [results[p.key] for p in planned]


class _Ticker(threading.Thread):
    """Redraws the status line every second while the jobs run."""

    def __init__(self, printer: Printer) -> None:
        super().__init__(daemon=True)
        self.printer = printer
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(1.0):
            self.printer.redraw()

    def stop(self) -> None:
        self.halt.set()
        self.join()
        self.printer.finished("")


def _secret_values(workflow: Workflow) -> tuple[str, ...]:
    text = workflow.path.read_text(encoding="utf-8", errors="replace")
    names = set(_SECRET_REF.findall(text))
    return tuple(v for name in names if len(v := os.environ.get(name, "")) >= 4)
