"""Run a workflow's jobs on this machine: ``make ci`` without Docker and without a network.

The workflow file says what CI runs; this module runs the same ``run:`` steps here, in
order, with the workflow's, job's and step's ``env``, ``shell``, ``working-directory`` and
``if:``. Each matrix is reduced to this machine. Independent jobs run in parallel. Actions
that have a local equivalent are mapped to it (checkout: the current tree; setup-python:
this interpreter; upload/download-artifact: ``.ci-artifacts/``); any other ``uses:`` is
reported as skipped, never silently. Services are not started: a job whose service the user
did not provide is skipped with the reason (or fails with ``strict``).
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from repokit.errors import WorkflowError
from repokit.expressions import Context, Unresolved, evaluate_condition, interpolate, to_text
from repokit.redact import redact
from repokit.workflows import Job, Step, Workflow, combinations

ARTIFACTS = ".ci-artifacts"
_SECRET_REF = re.compile(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)")
_LOCAL_ADDRESS = re.compile(r"localhost|127\.0\.0\.1|\[::1\]")

Output = Callable[[str], None]


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


# --- the plan ------------------------------------------------------------------------------


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


def describe_action(uses: str) -> str:
    action = _action_name(uses)
    return {
        "actions/checkout": "uses the current tree",
        "actions/setup-python": "uses this interpreter",
        "actions/upload-artifact": f"copies into {ARTIFACTS}/",
        "actions/download-artifact": f"copies from {ARTIFACTS}/",
        "codecov/codecov-action": "skipped (uploads to a service)",
    }.get(action, "skipped: no local equivalent")


def _action_name(uses: str) -> str:
    name = uses.split("@", 1)[0]
    return "/".join(name.split("/")[:2]).lower()


# --- running -------------------------------------------------------------------------------


@dataclass
class _Printer:
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
    printer = _Printer(out, secrets, status)
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
                        running[pool.submit(_run_job, workflow, job, root, printer)] = key
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

    def __init__(self, printer: _Printer) -> None:
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


class _Secrets(Mapping[str, str]):
    """``secrets.X`` reads the environment variable X; unset secrets are empty, as on forks."""

    def __getitem__(self, key: str) -> str:
        return os.environ.get(key, "")

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def items(self) -> Any:
        return [(key, value) for key, value in os.environ.items()]


def _github_context(root: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    branch = git("symbolic-ref", "--quiet", "--short", "HEAD") or "HEAD"
    remote = git("remote", "get-url", "origin")
    match = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?$", remote)
    return {
        "ref": f"refs/heads/{branch}",
        "ref_name": branch,
        "ref_type": "branch",
        "sha": git("rev-parse", "HEAD"),
        "repository": match.group(1) if match else root.name,
        "repository_owner": (match.group(1).split("/")[0] if match else ""),
        "workspace": str(root),
        "event_name": "workflow_dispatch",
        "run_id": str(int(time.time())),
        "run_number": "1",
        "run_attempt": "1",
        "actor": getpass.getuser(),
        "server_url": "https://github.com",
        "api_url": "https://api.github.com",
        "event": {},
    }


@dataclass
class _JobRun:
    """The state of one job while it runs: its environment, contexts, files and status."""

    workflow: Workflow
    planned: PlannedJob
    root: Path
    printer: _Printer
    log: Any
    env: dict[str, str] = field(default_factory=dict)
    path_entries: list[str] = field(default_factory=list)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: str = "success"
    files: dict[str, Path] = field(default_factory=dict)

    def say(self, text: str) -> None:
        masked = self.printer.mask(text)
        self.log.write(masked + "\n")
        self.log.flush()
        self.printer.line(f"[{self.planned.key}] {text}")

    def context(self) -> Context:
        workflow_inputs = self.workflow.triggers.get("workflow_dispatch") or {}
        inputs = {}
        if isinstance(workflow_inputs, Mapping):
            for name, spec in (workflow_inputs.get("inputs") or {}).items():
                inputs[str(name)] = spec.get("default") if isinstance(spec, Mapping) else None
        return Context(
            values={
                "github": _github_context(self.root) | {"job": self.planned.key},
                "env": dict(self.env),
                "matrix": dict(self.planned.matrix),
                "inputs": inputs,
                "secrets": _Secrets(),
                "steps": self.steps,
                "runner": {"os": machine_os().capitalize(), "temp": str(self.files["temp"])},
                "job": {"status": self.status},
                "vars": {},
                "needs": {},
                "strategy": {},
            },
            status=self.status,
        )


def _run_job(workflow: Workflow, planned: PlannedJob, root: Path, printer: _Printer) -> JobResult:
    started = time.monotonic()
    log_path = root / ARTIFACTS / f"{planned.key}.log"
    with (
        tempfile.TemporaryDirectory(prefix=f"repokit-ci-{planned.key}-") as temp,
        log_path.open("w", encoding="utf-8") as log,
    ):
        state = _JobRun(workflow, planned, root, printer, log)
        state.files = {"temp": Path(temp)}
        for name in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
            state.files[name] = Path(temp) / name.lower()
            state.files[name].touch()
        try:
            _prepare_env(state)
            for step in planned.job.steps:
                _run_step(state, step)
        except WorkflowError as error:
            state.say(f"error: {error.message}")
            state.status = "failure"
        summary = state.files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        if summary.strip():
            (root / ARTIFACTS / f"{planned.key}.summary.md").write_text(summary, encoding="utf-8")
    result = "passed" if state.status == "success" else "failed"
    return JobResult(planned.key, result, time.monotonic() - started, log_path, started=started)


def _prepare_env(state: _JobRun) -> None:
    github = _github_context(state.root)
    state.env = {
        "CI": "true",
        "GITHUB_WORKSPACE": str(state.root),
        "GITHUB_REF": github["ref"],
        "GITHUB_REF_NAME": github["ref_name"],
        "GITHUB_SHA": github["sha"],
        "GITHUB_REPOSITORY": github["repository"],
        "GITHUB_EVENT_NAME": github["event_name"],
        "GITHUB_RUN_ID": github["run_id"],
        "GITHUB_JOB": state.planned.key,
        "GITHUB_SERVER_URL": github["server_url"],
        "RUNNER_OS": machine_os().capitalize(),
        "RUNNER_TEMP": str(state.files["temp"]),
    }
    for source in (state.workflow.env, state.planned.job.env):
        for name, value in source.items():
            state.env[name] = interpolate(to_text(value), state.context())


def _run_step(state: _JobRun, step: Step) -> None:
    context = state.context()
    label = step.label
    if not evaluate_condition(step.condition, context):
        state.say(
            f"skip {label} (if: {step.condition if step.condition is not None else 'success()'})"
        )
        _record(state, step, "skipped")
        return
    state.say(f"step {label}")
    env = dict(state.env)
    for name, value in step.env.items():
        env[name] = interpolate(to_text(value), context)
    try:
        if step.uses:
            ok = _run_action(state, step, context)
        else:
            ok = _run_script(state, step, env, context)
    except WorkflowError as error:
        state.say(f"error: {error.message}")
        ok = False
    outcome = "success" if ok else "failure"
    continue_on_error = bool(step.continue_on_error) and step.continue_on_error != "false"
    _record(state, step, outcome, "success" if continue_on_error else outcome)
    if not ok and not continue_on_error:
        state.status = "failure"


def _record(state: _JobRun, step: Step, outcome: str, conclusion: str | None = None) -> None:
    if step.id:
        entry = state.steps.setdefault(step.id, {"outputs": {}})
        entry["outcome"] = outcome
        entry["conclusion"] = conclusion or outcome


def _shell_command(shell: str, script: Path) -> list[str]:
    named = {
        "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        "sh": ["sh", "-e", str(script)],
        "python": [sys.executable, str(script)],
    }
    if shell in named:
        return named[shell]
    if "{0}" in shell:
        return [part.replace("{0}", str(script)) for part in shlex.split(shell)]
    msg = f"shell {shell!r} is not available here"
    raise WorkflowError(msg, hint="use bash, sh, python or a command with {0}")


def _run_script(state: _JobRun, step: Step, env: dict[str, str], context: Context) -> bool:
    script_text = interpolate(step.run or "", context)
    job, workflow = state.planned.job, state.workflow
    run_defaults = {**workflow.defaults.get("run", {}), **job.defaults.get("run", {})}
    shell = step.shell or run_defaults.get("shell") or "bash"
    directory = step.working_directory or run_defaults.get("working-directory")
    cwd = state.root / interpolate(to_text(directory), context) if directory else state.root
    suffix = ".py" if shell == "python" else ".sh"
    script = state.files["temp"] / f"step-{step.index}{suffix}"
    script.write_text(script_text, encoding="utf-8")
    env = {**os.environ, **env}
    for name in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        env[name] = str(state.files[name])
    if state.path_entries:
        env["PATH"] = os.pathsep.join([*reversed(state.path_entries), env.get("PATH", "")])
    timeout = _minutes(step.timeout_minutes)
    process = subprocess.Popen(
        _shell_command(str(shell), script),
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
    )
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer:
        timer.start()
    assert process.stdout is not None
    for line in process.stdout:
        state.say(line.rstrip("\n"))
    code = process.wait()
    if timer:
        timer.cancel()
    _read_command_files(state, step)
    if code != 0:
        state.say(f"{step.label}: exit {code}")
    return code == 0


def _minutes(value: Any) -> float | None:
    try:
        return float(value) * 60 if value is not None else None
    except (TypeError, ValueError):
        return None


def _read_command_files(state: _JobRun, step: Step) -> None:
    """Apply what the step wrote to GITHUB_ENV, GITHUB_PATH and GITHUB_OUTPUT, as GitHub does."""
    files = state.files
    state.env.update(_key_values(files["GITHUB_ENV"].read_text(encoding="utf-8")))
    for entry in files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines():
        if entry.strip():
            state.path_entries.append(entry.strip())
    outputs = _key_values(files["GITHUB_OUTPUT"].read_text(encoding="utf-8"))
    if step.id:
        state.steps.setdefault(step.id, {"outputs": {}})["outputs"].update(outputs)
    for name in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"):
        files[name].write_text("", encoding="utf-8")


def _key_values(text: str) -> dict[str, str]:
    """``NAME=value`` lines and ``NAME<<DELIMITER`` blocks, the runner's file format."""
    values: dict[str, str] = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block: list[str] = []
            i += 1
            while i < len(lines) and lines[i] != delimiter:
                block.append(lines[i])
                i += 1
            values[name.strip()] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value
        i += 1
    return values


def _run_action(state: _JobRun, step: Step, context: Context) -> bool:
    uses = step.uses or ""
    action = _action_name(uses)
    inputs = {k: interpolate(to_text(v), context) for k, v in step.with_.items()}
    if action == "actions/checkout":
        state.say(f"{uses}: using the current tree at {state.root}")
        return True
    if action == "actions/setup-python":
        wanted = inputs.get("python-version", "")
        here = f"{sys.version_info.major}.{sys.version_info.minor}"
        note = "" if not wanted or wanted == here else f" (the workflow asks for {wanted})"
        state.say(f"{uses}: using this interpreter, Python {here}{note}")
        return True
    if action == "actions/upload-artifact":
        return _upload(state, inputs)
    if action == "actions/download-artifact":
        return _download(state, inputs)
    if action == "codecov/codecov-action":
        state.say(f"{uses}: skipped (uploads coverage to a service)")
        return True
    state.say(f"{uses}: skipped (no local equivalent)")
    return True


def _upload(state: _JobRun, inputs: Mapping[str, str]) -> bool:
    name = inputs.get("name") or "artifact"
    target = state.root / ARTIFACTS / state.planned.key / name
    copied = 0
    for pattern in (p.strip() for p in inputs.get("path", "").splitlines()):
        if not pattern or pattern.startswith("!"):
            continue
        matches = state.root.glob(pattern) if "*" in pattern else [state.root / pattern]
        for source in (m for m in matches if m.exists()):
            inside = source.is_relative_to(state.root)
            relative = source.relative_to(state.root) if inside else Path(source.name)
            destination = target / relative
            if source.is_dir():
                shutil.copytree(source, destination, dirs_exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)
            copied += 1
    if not copied:
        missing = inputs.get("if-no-files-found", "warn")
        state.say(f"upload-artifact {name}: no files found ({missing})")
        return missing != "error"
    state.say(f"upload-artifact {name}: copied into {target.relative_to(state.root)}")
    return True


def _download(state: _JobRun, inputs: Mapping[str, str]) -> bool:
    name = inputs.get("name") or "artifact"
    sources = sorted((state.root / ARTIFACTS).glob(f"*/{name}"))
    if not sources:
        state.say(f"download-artifact {name}: no such artifact in {ARTIFACTS}/")
        return False
    target = state.root / (inputs.get("path") or ".")
    for source in sources:
        shutil.copytree(source, target, dirs_exist_ok=True)
    state.say(f"download-artifact {name}: copied into {target}")
    return True
