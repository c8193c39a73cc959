"""The plan of a local run: which jobs, in what order, with which matrix values, and why not.

Each matrix is reduced to this machine. A job whose service the user did not provide is
skipped with the reason.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.ci.actions import describe_action
from repokit.ci.expressions import Unresolved, to_text
from repokit.ci.model import Job, Workflow, combinations
from repokit.errors import WorkflowError

_LOCAL_ADDRESS = re.compile(r"localhost|127\.0\.0\.1|\[::1\]")


@dataclass(frozen=True)
class PlannedJob:
    """A job as it will run here: its matrix values, and why it is skipped if it is."""

    job: Job
    matrix: Mapping[str, Any]
    skip_reason: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.job.id

    @property
    def title(self) -> str:
        if not self.matrix:
            return self.job.id
        return f"{self.job.id} ({', '.join(to_text(v) for v in self.matrix.values())})"


@dataclass
class JobResult:
    key: str
    result: str  # passed, failed or skipped
    duration: float
    log: Path | None
    reason: str | None = None
    started: float = 0.0


def plan(
    workflow: Workflow,
    *,
    only: str | None = None,
    matrix_choice: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[PlannedJob]:
    """The jobs to run, needs first; with ``only``, that job and what it needs."""
    order = _order(workflow)
    if only is not None:
        if only not in workflow.jobs:
            msg = f"{workflow.file}: no job {only!r}"
            raise WorkflowError(msg, hint=f"jobs here: {', '.join(workflow.jobs)}")
        wanted = _with_needs(workflow, only)
        order = [job_id for job_id in order if job_id in wanted]
    env = os.environ if environ is None else environ
    planned = []
    for job_id in order:
        job = workflow.jobs[job_id]
        matrix = reduce_matrix(job, matrix_choice or {})
        planned.append(
            PlannedJob(
                job=job, matrix=matrix, skip_reason=_service_gap(job, env), notes=_notes(job)
            )
        )
    return planned


def _order(workflow: Workflow) -> list[str]:
    """Job ids with every job after the jobs it needs; a cycle is an error."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(job_id: str, path: tuple[str, ...]) -> None:
        if state.get(job_id) == "done":
            return
        if state.get(job_id) == "visiting":
            cycle = " -> ".join((*path, job_id))
            raise WorkflowError(
                f"{workflow.file}: the jobs' needs form a cycle: {cycle}",
                hint="remove one of these needs",
            )
        state[job_id] = "visiting"
        for need in workflow.jobs[job_id].needs:
            visit(need, (*path, job_id))
        state[job_id] = "done"
        order.append(job_id)

    for job_id in workflow.jobs:
        visit(job_id, ())
    return order


def _with_needs(workflow: Workflow, job_id: str) -> set[str]:
    wanted = {job_id}
    for need in workflow.jobs[job_id].needs:
        wanted |= _with_needs(workflow, need)
    return wanted


def machine_os() -> str:
    return {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform, "linux")


def _matches_machine(key: str, value: Any) -> bool | None:
    text = to_text(value).lower()
    if key.lower() in ("os", "runs-on", "platform", "runner"):
        system = machine_os()
        aliases = {"linux": ("ubuntu", "linux"), "macos": ("macos", "mac"), "windows": ("windows",)}
        return any(alias in text for alias in aliases[system])
    if key.lower() in ("python-version", "python", "python_version", "py"):
        return text == f"{sys.version_info.major}.{sys.version_info.minor}"
    return None


def reduce_matrix(job: Job, choice: Mapping[str, str]) -> dict[str, Any]:
    """One combination of the job's matrix: the one ``choice`` names, else this machine's."""
    try:
        combos = combinations(job.matrix)
    except Unresolved:
        msg = f"job {job.id}: its matrix is computed when the workflow runs"
        raise WorkflowError(msg, hint="choose the values with --matrix key=value") from None
    chosen = [
        combo
        for combo in combos
        if all(to_text(combo[k]) == v for k, v in choice.items() if k in combo)
    ]
    if not chosen:
        wanted = ", ".join(f"{k}={v}" for k, v in choice.items())
        msg = f"job {job.id}: no matrix combination has {wanted}"
        raise WorkflowError(msg, hint="check the values with 'inv ci --list'")

    scores = [sum(1 for k, v in combo.items() if _matches_machine(k, v)) for combo in chosen]
    return dict(chosen[scores.index(max(scores))])


def _service_gap(job: Job, environ: Mapping[str, str]) -> str | None:
    """Why the job cannot run here for want of a service, or None."""
    for service in job.services:
        pointers = [
            name
            for name, value in _all_env(job).items()
            if _LOCAL_ADDRESS.search(to_text(value)) or service.lower() in to_text(value).lower()
        ]
        if not pointers:
            return f"service {service} is not started locally and no env var points at it"
        missing = [name for name in pointers if not environ.get(name)]
        if missing:
            names = ", ".join(missing)
            return f"service {service} is not started locally; set {names} to use your own"
    return None


def _all_env(job: Job) -> dict[str, Any]:
    env = dict(job.env)
    for step in job.steps:
        env.update(step.env)
    return env


def _notes(job: Job) -> tuple[str, ...]:
    return tuple(f"{step.label}: {describe_action(step.uses)}" for step in job.steps if step.uses)
