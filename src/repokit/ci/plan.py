"""The plan of a local run: which jobs, in what order, with which matrix values, and why not.

Each matrix is reduced to the combination that runs here: this machine's OS and CPU, and a
Python that is installed, found from what the job's runs-on and setup-python steps receive
(so whatever the matrix key is called). A matrix computed from another job's outputs waits
for that job. A job that cannot run here (another OS, a container, a service nobody
provided, a missing Python) is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repokit.ci import python
from repokit.ci.action_names import action_name, describe_action
from repokit.ci.expressions import Context, Unresolved, interpolate, references
from repokit.ci.job_values import evaluated
from repokit.ci.matrix_choice import fewest_covering, reached_steps, step_names
from repokit.ci.model import Job, Workflow, combinations
from repokit.ci.values import to_text
from repokit.errors import WorkflowError

_LOCAL_ADDRESS = re.compile(r"localhost|127\.0\.0\.1|\[::1\]")
COMPUTED = "computed at run time"


@dataclass(frozen=True)
class PlannedJob:
    """A job as it will run here: its matrix values, and why it is skipped if it is."""

    job: Job
    matrix: Mapping[str, Any]
    skip_reason: str | None = None
    notes: tuple[str, ...] = ()
    computed: bool = False  # the matrix waits for the jobs this one needs
    why: str = ""  # why this matrix combination
    several: bool = False  # one of several combinations of this job
    workflow: Workflow | None = None  # set for the jobs of a called reusable workflow
    caller: str = ""  # the calling job's id: this job's group is ``caller / id``
    caller_name: str = ""  # the calling job's name, for the title ``caller / called``
    inputs: Mapping[str, Any] = field(default_factory=dict)
    first: bool = False  # --matrix first: the first combination that runs here, only

    @property
    def group(self) -> str:
        """The id other jobs name in ``needs``."""
        return f"{self.caller} / {self.job.id}" if self.caller else self.job.id

    @property
    def key(self) -> str:
        if self.several:
            values = ", ".join(to_text(v) for v in self.matrix.values())
            return f"{self.group} ({values})"
        return self.group

    @property
    def title(self) -> str:
        """The job's name as GitHub shows it: ``name:`` interpolated, ``(values)`` added."""
        name = self.job.display_name
        if self.computed:
            name = f"{re.sub(r'[$][{][{].*?[}][}]', '*', name)} ({COMPUTED})"
        elif references(name):
            with contextlib.suppress(WorkflowError):
                name = interpolate(name, Context(values={"matrix": dict(self.matrix)}))
        elif self.matrix:
            name = f"{name} ({', '.join(_short(v) for v in self.matrix.values())})"
        return f"{self.caller_name or self.caller} / {name}" if self.caller else name


def _short(value: Any) -> str:
    return to_text(value).replace("\n", "").replace("  ", "")


@dataclass
class JobResult:
    key: str
    result: str  # passed, failed, partial or skipped
    duration: float
    log: Path | None
    reason: str | None = None
    started: float = 0.0
    title: str = ""
    group: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    allowed: bool = False  # failed, but the job has continue-on-error
    mirrored: bool = True  # False when the job, or part of it, could not run here
    #: partial, but a step failed here (after an action that was not mirrored)
    failed_here: bool = False

    def __post_init__(self) -> None:
        if self.result == "partial":
            self.mirrored = False

    @property
    def conclusion(self) -> str:
        """``needs.<job>.result`` as GitHub gives it (a step that failed here counts)."""
        if self.result == "failed" or self.failed_here:
            return "success" if self.allowed else "failure"
        return {"passed": "success", "partial": "success"}.get(self.result, "skipped")


def plan(
    workflow: Workflow,
    *,
    only: str | None = None,
    matrix_choice: Mapping[str, str] | None = None,
    every_combination: bool = False,
    first: bool = False,
    event: str = "pull_request",
    environ: Mapping[str, str] | None = None,
) -> list[PlannedJob]:
    """The jobs to run, needs first; with ``only``, that job and what it needs.

    Per matrix: the fewest combinations that run here and reach every step, every one
    (``every_combination``), or the first that runs here (``first``).
    """
    order = _order(workflow)
    if only is not None:
        if only not in workflow.jobs:
            msg = f"{workflow.file}: no job {only!r}"
            raise WorkflowError(msg, hint=f"jobs here: {', '.join(workflow.jobs)}")
        wanted = _with_needs(workflow, only)
        order = [job_id for job_id in order if job_id in wanted]
    planned: list[PlannedJob] = []
    for job_id in order:
        job = workflow.jobs[job_id]
        try:
            combos = combinations(job.matrix)
        except Unresolved:
            note = f"matrix: {COMPUTED}, when {', '.join(job.needs) or 'the run'} has finished"
            computed = PlannedJob(job=job, matrix={}, computed=True, notes=(note,), first=first)
            planned.append(computed)
            continue
        planned += expand(
            job,
            combos,
            matrix_choice or {},
            every_combination=every_combination,
            first=first,
            event=event,
            environ=environ,
        )
    return planned


def expand(
    job: Job,
    combos: Sequence[Mapping[str, Any]],
    choice: Mapping[str, str],
    *,
    every_combination: bool = False,
    first: bool = False,
    event: str = "pull_request",
    environ: Mapping[str, str] | None = None,
    base: Mapping[str, Any] | None = None,
) -> list[PlannedJob]:
    """The planned runs of ``job`` for its matrix: the fewest of this machine's
    combinations that reach every step, the first of them, or all combinations."""
    env = os.environ if environ is None else environ
    chosen = [
        combo
        for combo in combos
        if all(to_text(combo[k]) == v for k, v in choice.items() if k in combo)
    ]
    if not chosen:
        wanted = ", ".join(f"{k}={v}" for k, v in choice.items())
        msg = f"job {job.id}: no matrix combination has {wanted}"
        raise WorkflowError(msg, hint="check the values with 'inv ci --list'")
    blockers = [machine_gap(job, combo, env) for combo in chosen]
    extra = dict(base or {})
    if every_combination and len(chosen) > 1:
        return [
            PlannedJob(job, combo, gap, _notes(job), several=True, **extra)
            for combo, gap in zip(chosen, blockers, strict=True)
        ]
    extra["first"] = first
    runnable = [i for i, gap in enumerate(blockers) if gap is None]
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    preferred = [i for i in runnable if here in _pythons_asked(job, chosen[i])]
    index = (preferred or runnable or [0])[0]
    python_note = f" (Python {here}, the one repokit runs on)" if preferred else ""
    if len(chosen) == 1:
        why = ""
    elif not runnable:
        why = f"none of the {len(chosen)} combinations runs here"
    elif first:
        why = f"combination {index + 1} of {len(chosen)}: the first that runs here{python_note}"
    else:
        known = {"github": {"event_name": event}, "inputs": {}, "vars": {}}
        known["runner"] = {"os": machine_os().capitalize(), "arch": machine_arch()}
        reach = {i: reached_steps(job, chosen[i], known) for i in runnable}
        order = preferred + [i for i in runnable if i not in preferred]
        picked = fewest_covering(reach, order)
        note = python_note if picked[0] in preferred else ""
        why = _why_these(job, chosen, picked, reach, known, note)
        several = len(picked) > 1
        return [
            PlannedJob(job, chosen[i], None, _notes(job), why=why, several=several, **extra)
            for i in picked
        ]
    return [PlannedJob(job, chosen[index], blockers[index], _notes(job), why=why, **extra)]


def _why_these(
    job: Job,
    chosen: Sequence[Mapping[str, Any]],
    picked: list[int],
    reach: Mapping[int, frozenset[int]],
    known: Mapping[str, Any],
    python_note: str,
) -> str:
    """Which combinations run and why; the steps only combinations not run here reach."""
    numbers = ", ".join(str(i + 1) for i in picked)
    if len(picked) == 1:
        why = f"combination {numbers} of {len(chosen)}: it runs here and reaches every step"
        why += python_note
    else:
        why = f"combinations {numbers} of {len(chosen)}: the fewest that run here and "
        why += "together reach every step"
    here = frozenset().union(*reach.values())
    elsewhere = frozenset().union(*(reached_steps(job, c, known) for c in chosen)) - here
    if elsewhere:
        names = ", ".join(_one_line(n) for n in step_names(job, elsewhere))
        why += f"; not reached here: {names} (only in combinations that cannot run here)"
    return why


def _one_line(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


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


def machine_arch() -> str:
    """RUNNER_ARCH's value for this machine: X64, ARM64, X86 or ARM."""
    machine = platform.machine().lower()
    if machine in ("aarch64", "arm64"):
        return "ARM64"
    if machine.startswith("arm"):
        return "ARM"
    return "X86" if machine in ("i386", "i686", "x86") else "X64"


_OS_WORDS = {"linux": ("ubuntu", "linux"), "macos": ("macos", "mac-"), "windows": ("windows",)}


def machine_gap(
    job: Job,
    matrix: Mapping[str, Any],
    environ: Mapping[str, str],
    known: Mapping[str, Any] | None = None,
) -> str | None:
    """Why this job, with these matrix values, cannot run on this machine; None when it can.

    Its runs-on, container and services are evaluated first, with the matrix and the
    contexts ``known`` (github, needs... once the job starts); a value that reads a context
    not known yet is judged when the job starts.
    """
    values = {"matrix": dict(matrix), "inputs": {}, "vars": {}, **(known or {})}
    job = evaluated(job, Context(values=values, strict=True))
    context = Context(values=values)
    runs_on = _resolved_text(job.runs_on, context).lower()
    for system, words in _OS_WORDS.items():
        if system != machine_os() and any(word in runs_on for word in words):
            return f"runs on {runs_on}, not on this machine ({machine_os()})"
    arm_runner = "arm" in runs_on or "aarch64" in runs_on
    if arm_runner != (machine_arch() in ("ARM64", "ARM")):
        return f"runs on {runs_on} ({'ARM' if arm_runner else 'x64'}), not this machine's CPU"
    if job.uses and not job.uses.startswith("./"):
        return f"calls the reusable workflow {job.uses} of another repository"
    if job.container:
        image = job.container.get("image") if isinstance(job.container, Mapping) else job.container
        return f"runs in the container {to_text(image)}, which is not started here"
    for key, value in _leaves(matrix):
        text = value.lower()
        for system, words in _OS_WORDS.items():
            if system != machine_os() and any(text.startswith(word) for word in words):
                return f"matrix {key}: {value} is another OS than this machine's ({machine_os()})"
        asks_python = _PYTHON_KEY.search(key.lower()) and _PYTHON_VALUE.fullmatch(text)
        if asks_python and not _python_specs(job, matrix) and python.find(text) is None:
            return python.missing_reason(text)
    for spec in _python_specs(job, matrix):
        if python.find(spec) is None:
            return python.missing_reason(spec)
    for step in job.steps:
        arch = _resolved_text(step.with_.get("architecture"), context).lower()
        setup_python = step.uses and action_name(step.uses) == "actions/setup-python"
        wanted = {"x64": "X64", "x86": "X86", "arm64": "ARM64"}.get(arch, arch.upper())
        if setup_python and arch and wanted != machine_arch():
            return f"setup-python asks for a {arch} Python; this machine is {machine_arch()}"
    return _service_gap(job, environ)


_PYTHON_KEY = re.compile(r"py|interpreter")
_PYTHON_VALUE = re.compile(r"(pypy-?|graalpy-?)?[23]\.\d+(\.\d+)?t?")


def _leaves(value: Any, key: str = "") -> list[tuple[str, str]]:
    """Every (key, text) at the bottom of a matrix combination, however deep."""
    if isinstance(value, Mapping):
        return [leaf for k, v in value.items() for leaf in _leaves(v, str(k))]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v, key)]
    return [(key, to_text(value))]


def _resolved_text(value: Any, context: Context) -> str:
    if isinstance(value, list):
        return " ".join(_resolved_text(v, context) for v in value)
    if isinstance(value, Mapping):
        return " ".join(_resolved_text(v, context) for v in value.values())
    try:
        return interpolate(to_text(value), context)
    except WorkflowError:
        return to_text(value)


def _pythons_asked(job: Job, matrix: Mapping[str, Any]) -> list[str]:
    """The Python versions this combination asks for: setup-python's, or the matrix's."""
    asked = _python_specs(job, matrix)
    leaves = [v for k, v in _leaves(matrix) if _PYTHON_KEY.search(k.lower())]
    return asked or [v for v in leaves if _PYTHON_VALUE.fullmatch(v)]


def _python_specs(job: Job, matrix: Mapping[str, Any]) -> list[str]:
    """The Python versions the job's setup-python steps ask for, with these matrix values."""
    context = Context(values={"matrix": dict(matrix), "inputs": {}, "vars": {}, "env": {}})
    specs: list[str] = []
    for step in job.steps:
        if step.uses and action_name(step.uses) in ("actions/setup-python",):
            wanted = _resolved_text(step.with_.get("python-version"), context)
            specs += [line.strip() for line in wanted.split() if line.strip()][-1:]
    return specs


def _service_gap(job: Job, environ: Mapping[str, str]) -> str | None:
    """Why the job cannot run here for want of a service, or None.

    The variables that point at a service are the job's own env values naming it: its
    name as a host, or this machine with one of the ports the service publishes.
    """
    for service, spec in job.services.items():
        ports = _ports(spec)
        pointers = []
        for name, value in _all_env(job).items():
            text = to_text(value).lower()
            local = _LOCAL_ADDRESS.search(text) and (not ports or any(p in text for p in ports))
            if local or re.search(rf"(^|[/@:]){re.escape(service.lower())}([:/]|$)", text):
                pointers.append(name)
        if not pointers:
            return f"service {service} is not started here and the job reads no variable for it"
        missing = [name for name in pointers if not environ.get(name)]
        if missing:
            names = ", ".join(missing)
            return f"service {service} is not started here; set {names} to use your own"
    return None


def _ports(spec: Any) -> list[str]:
    """The host ports a service publishes (``5432:5432`` gives 5432)."""
    ports = spec.get("ports") if isinstance(spec, Mapping) else None
    return [str(p).split(":")[0] for p in ports or [] if str(p).split(":")[0].isdigit()]


def _all_env(job: Job) -> dict[str, Any]:
    env = dict(job.env)
    for step in job.steps:
        env.update(step.env)
    return env


def _notes(job: Job) -> tuple[str, ...]:
    return tuple(f"{step.label}: {describe_action(step.uses)}" for step in job.steps if step.uses)
