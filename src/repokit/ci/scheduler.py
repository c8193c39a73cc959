"""Run the planned jobs, each once the jobs it needs have finished, independent ones in parallel.

A job starts when every job it needs is done. Then, as on GitHub, its ``if:`` is evaluated
with ``needs`` (no ``if:`` means every needed job succeeded), a matrix computed from
``needs`` is expanded, a local reusable workflow is expanded into its jobs, and with
``fail-fast`` the first failing combination of a matrix stops its siblings.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence, Set
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from repokit.ci.artifacts import ARTIFACTS, run_folder
from repokit.ci.context import RunInfo, secrets_of
from repokit.ci.expressions import Context, calls_status_function, evaluate_condition
from repokit.ci.job import run_job
from repokit.ci.job_state import RunContext
from repokit.ci.job_values import resolve
from repokit.ci.model import Workflow, combinations
from repokit.ci.output import Output, Printer
from repokit.ci.plan import JobResult, PlannedJob, expand, machine_gap
from repokit.ci.reusable import expand_call
from repokit.ci.values import truthy
from repokit.errors import WorkflowError

KEEP_RUNS = 5


@dataclass(frozen=True)
class WorkflowRun:
    """One workflow of a run: its planned jobs and its own run of the event (its run id)."""

    workflow: Workflow
    planned: list[PlannedJob]
    info: RunInfo


def run(
    runs: Sequence[WorkflowRun],
    *,
    root: Path,
    jobs: int | None = None,
    strict: bool = False,
    every_combination: bool = False,
    verbose: bool = False,
    out: Output = print,
    status: TextIO | None = None,
) -> list[list[JobResult]]:
    """Run the workflows' planned jobs, all of them in one pool: independent workflows start
    together, as their jobs do. A list of results per workflow (computed matrices expanded).
    """
    secrets = _secrets(runs)
    printer = Printer(out, _masked(secrets), status, verbose=verbose)
    base = root / ARTIFACTS
    scratch = Path(tempfile.mkdtemp(prefix="repokit-ci-"))
    schedulers = []
    for one in runs:
        artifacts = run_folder(root, one.info.run_id)
        # several workflows: the terminal names a job with its workflow's file, as pr/tests
        prefix = f"{one.workflow.path.stem}/" if len(runs) > 1 else ""
        context = RunContext(
            root, one.info, artifacts, scratch, printer, secrets, tag_prefix=prefix
        )
        schedulers.append(_Scheduler(context, one.workflow, one.planned, strict, every_combination))
    _prune(base, keep=max(KEEP_RUNS, len(runs)))
    ticker = _Ticker(printer)
    ticker.start()
    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs or default_parallel())) as pool:
            try:
                _loop(schedulers, pool)
            except KeyboardInterrupt:  # the jobs run in sessions of their own: stop them
                for scheduler in schedulers:
                    for cancel in scheduler.cancels.values():
                        cancel.set()
                raise
    finally:
        ticker.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return [scheduler.ordered() for scheduler in schedulers]


def _secrets(runs: Sequence[WorkflowRun]) -> dict[str, str]:
    """The secrets every workflow file names (a called reusable workflow reads them too)."""
    files: set[Path] = set()
    for one in runs:
        files |= {one.workflow.path, *one.workflow.path.parent.glob("*.y*ml")}
    texts = (f.read_text(encoding="utf-8", errors="replace") for f in sorted(files))
    return secrets_of("\n".join(texts))


def _masked(secrets: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(v for v in secrets.values() if len(v) >= 4)


def _loop(schedulers: list[_Scheduler], pool: ThreadPoolExecutor) -> None:
    """Start what can start in every workflow, wait for any job, repeat until all are done."""
    while True:
        for scheduler in schedulers:
            scheduler.start_ready(pool)
        running = {f: s for s in schedulers for f in s.running}
        if not running:
            return
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            running[future].complete(future)


def default_parallel() -> int:
    """Twice the CPUs: a job waits on downloads and subprocesses much of its time, and a
    workflow's independent jobs all start at once on GitHub."""
    return 2 * (os.cpu_count() or 1)


def _prune(base: Path, keep: int = KEEP_RUNS) -> None:
    runs = sorted(
        (p for p in base.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
    )
    for old in runs[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


class _Scheduler:
    def __init__(
        self,
        run: RunContext,
        workflow: Workflow,
        planned: list[PlannedJob],
        strict: bool,
        every_combination: bool,
    ) -> None:
        self.run = run
        self.workflow = workflow
        self.pending = list(planned)
        self.strict = strict
        self.every_combination = every_combination
        self.results: dict[str, JobResult] = {}
        self.order: list[str] = []
        self.running: dict[Future[JobResult], PlannedJob] = {}
        self.cancels: dict[str, threading.Event] = {}

    def ordered(self) -> list[JobResult]:
        return [self.results[key] for key in self.order if key in self.results]

    def _open_groups(self) -> set[str]:
        return {p.group for p in self.pending} | {p.group for p in self.running.values()}

    def start_ready(self, pool: ThreadPoolExecutor) -> None:
        """Start every pending job whose needs are done; a job that can never start is
        reported as skipped, never waited for."""
        progressed = True
        while progressed:
            progressed = False
            open_groups = self._open_groups()
            for item in list(self.pending):
                needs = [_need_group(item, n) for n in item.job.needs]
                if any(_inside(g, n) for n in needs for g in open_groups - {item.group}):
                    continue
                self.pending.remove(item)
                self._start(pool, item, needs)
                progressed = True
                break
        if not self.running and self.pending:  # needs that can never finish: report
            for item in self.pending:
                self._finish(item, "skipped", "its needs did not run")
            self.pending.clear()

    def complete(self, future: Future[JobResult]) -> None:
        """Record a finished job, say so, and stop its matrix siblings on fail-fast."""
        item = self.running.pop(future)
        result = future.result()
        tag = self.run.tag_prefix + item.key
        self.run.printer.finished(tag)
        self._record(item, result)
        mark = (
            "ok  " if result.result == "passed" else "FAIL" if result.result == "failed" else "--  "
        )
        why = f", {result.reason}" if result.reason else ""
        self.run.printer.line(
            f"{mark} {self._shown(result.title)}: {result.result} ({result.duration:.1f}s{why})"
        )
        if result.result == "failed" and not result.allowed and item.several:
            self._fail_fast(item)

    def _shown(self, title: str) -> str:
        """A job's title on the terminal: with its workflow's file when several run."""
        return f"{self.run.tag_prefix}{title}"

    def _needs_context(self, needs: list[str], item: PlannedJob) -> dict[str, Any]:
        context: dict[str, Any] = {}
        for need, group in zip(item.job.needs, needs, strict=True):
            mine = [r for r in self.results.values() if _inside(r.group, group)]
            conclusions = [r.conclusion for r in mine]
            if "failure" in conclusions:
                result = "failure"
            elif conclusions and all(c == "skipped" for c in conclusions):
                result = "skipped"
            else:
                result = "success" if conclusions else "skipped"
            outputs: dict[str, str] = {}
            for r in mine:
                outputs.update({k: v for k, v in r.outputs.items() if v})
            context[need] = {"result": result, "outputs": outputs}
        return context

    def _unmirrored(self, needs: list[str]) -> list[str]:
        """The needed jobs that could not run here, in whole or in part."""
        return sorted(
            {r.group for r in self.results.values() if not r.mirrored}
            & {
                g
                for g in {r.group for r in self.results.values()}
                if any(_inside(g, n) for n in needs)
            }
        )

    def _start(self, pool: ThreadPoolExecutor, item: PlannedJob, needs: list[str]) -> None:
        needs_context = self._needs_context(needs, item)
        conclusions = [n["result"] for n in needs_context.values()]
        status = "failure" if "failure" in conclusions else "success"
        if any(c == "skipped" for c in conclusions) and status == "success":
            status = "skipped"
        info = self.run.info
        workflow = item.workflow or self.workflow
        context = Context(
            values={
                "github": info.github,
                "needs": needs_context,
                "inputs": dict(item.inputs),
                "vars": {},
                "env": dict(workflow.env),
            },
            status=status,
        )
        try:
            runs = evaluate_condition(item.job.condition, context)
        except WorkflowError as error:
            self._finish(item, "failed", f"if: {error.message}")
            return
        unmirrored = self._unmirrored(needs)
        if not runs:
            partial = {
                need
                for need, group in zip(item.job.needs, needs, strict=True)
                if any(_inside(g, group) for g in unmirrored)
            }
            reason = _not_run_reason(item, status, needs_context, partial)
            self._finish(item, "skipped", reason, not unmirrored)
            return
        if item.computed:
            self._expand_matrix(item, context)
            return
        if item.job.uses and item.job.uses.startswith("./"):
            called = expand_call(self.run.root, item, context)
            self.pending[:0] = called
            self.order.append(item.key)  # its result is its jobs'
            return
        known = {"github": info.github, "needs": needs_context, "inputs": dict(item.inputs)}
        gap = item.skip_reason or machine_gap(item.job, item.matrix, os.environ, known)
        if gap:
            verdict = "failed" if self.strict else "skipped"
            self._finish(item, verdict, gap, mirrored=False)
            return
        self.run.printer.line(f"-> {self._shown(item.title)}: started")
        self.run.printer.started(self.run.tag_prefix + item.key)
        cancel = self.cancels.setdefault(item.key, threading.Event())
        future = pool.submit(run_job, self.run, workflow, item, needs_context, cancel, unmirrored)
        self.running[future] = item
        self.order.append(item.key)

    def _expand_matrix(self, item: PlannedJob, context: Context) -> None:
        try:
            matrix = resolve(item.job.matrix, context)
            combos = combinations(matrix)
            expanded = expand(
                replace(item.job, matrix=matrix),
                combos,
                {},
                every_combination=self.every_combination,
                first=item.first,
                event=str(self.run.info.github["event_name"]),
                base={
                    "workflow": item.workflow,
                    "caller": item.caller,
                    "caller_name": item.caller_name,
                    "inputs": item.inputs,
                },
            )
        except Exception as error:  # an expression over outputs that are not there
            message = getattr(error, "message", str(error))
            self._finish(item, "failed", f"its matrix could not be computed: {message}")
            return
        shown = self._shown(item.job.display_name)
        self.run.printer.line(f"-- {shown}: matrix computed, {len(combos)} combination(s)")
        self.pending[:0] = expanded

    def _fail_fast(self, failed: PlannedJob) -> None:
        if not truthy(failed.job.fail_fast) or failed.job.fail_fast == "false":
            return
        for item in list(self.pending):
            if item.group == failed.group:
                self.pending.remove(item)
                self._finish(item, "skipped", f"cancelled: fail-fast after {failed.key} failed")
        for item in self.running.values():
            if item.group == failed.group:
                self.cancels[item.key].set()

    def _finish(self, item: PlannedJob, result: str, reason: str, mirrored: bool = True) -> None:
        done = JobResult(item.key, result, 0.0, None, reason, title=item.title, group=item.group)
        done.mirrored = mirrored
        self._record(item, done)
        self.order.append(item.key)
        self.run.printer.line(f"-- {self._shown(item.title)}: {result} ({reason})")

    def _record(self, item: PlannedJob, result: JobResult) -> None:
        self.results[item.key] = result


def _not_run_reason(
    item: PlannedJob, status: str, needs: Mapping[str, Any], partial: Set[str] = frozenset()
) -> str:
    """Why a job's ``if:`` kept it from running: the needs that failed or were skipped
    when that is why (no ``if:``, or one that calls no status function), else its ``if:``,
    on one line. A need in ``partial`` failed in a step that cannot run here: it says so,
    rather than "failed", which would send the reader looking for a fault."""
    condition = item.job.condition
    if status != "success" and not calls_status_function(condition):
        words = {"failure": "failed", "skipped": "was skipped"}
        bad = [
            (
                n,
                (
                    "was partial here"
                    if n in partial and v["result"] == "failure"
                    else words[v["result"]]
                ),
            )
            for n, v in needs.items()
            if v["result"] in words
        ]
        if len(bad) == 1:
            return f"needs {bad[0][0]}, which {bad[0][1]}"
        return "needs " + ", ".join(f"{name} ({word})" for name, word in bad)
    flat = " ".join(str(condition).split())
    return f"if: {flat if len(flat) <= 60 else flat[:57] + '...'} is false"


def _inside(group: str, need: str) -> bool:
    """Whether a job of ``group`` belongs to ``need``: itself, or a job its call expanded into."""
    return group == need or group.startswith(need + " / ")


def _need_group(item: PlannedJob, need: str) -> str:
    return f"{item.caller} / {need}" if item.caller else need


class _Ticker(threading.Thread):
    """Redraws the status line every second while the jobs run."""

    def __init__(self, printer: Printer) -> None:
        super().__init__(daemon=True)
        self.printer = printer
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(1.0):
            self.printer.tick()

    def stop(self) -> None:
        self.halt.set()
        self.join()
        self.printer.finished("")
