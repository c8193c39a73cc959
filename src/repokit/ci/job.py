"""Run one job's steps, in order, as a runner does: env, shell, working-directory, if:, outputs."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repokit.ci.actions import run_action
from repokit.ci.artifacts import ARTIFACTS
from repokit.ci.context import Secrets, github_context
from repokit.ci.expressions import Context, evaluate_condition, interpolate, to_text
from repokit.ci.model import Step, Workflow
from repokit.ci.output import Printer
from repokit.ci.plan import JobResult, PlannedJob, machine_os
from repokit.errors import WorkflowError


@dataclass
class JobRun:
    """The state of one job while it runs: its environment, contexts, files and status."""

    workflow: Workflow
    planned: PlannedJob
    root: Path
    printer: Printer
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
                "github": github_context(self.root) | {"job": self.planned.key},
                "env": dict(self.env),
                "matrix": dict(self.planned.matrix),
                "inputs": inputs,
                "secrets": Secrets(),
                "steps": self.steps,
                "runner": {"os": machine_os().capitalize(), "temp": str(self.files["temp"])},
                "job": {"status": self.status},
                "vars": {},
                "needs": {},
                "strategy": {},
            },
            status=self.status,
        )


def run_job(workflow: Workflow, planned: PlannedJob, root: Path, printer: Printer) -> JobResult:
    started = time.monotonic()
    log_path = root / ARTIFACTS / f"{planned.key}.log"
    with (
        tempfile.TemporaryDirectory(prefix=f"repokit-ci-{planned.key}-") as temp,
        log_path.open("w", encoding="utf-8") as log,
    ):
        state = JobRun(workflow, planned, root, printer, log)
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


def _prepare_env(state: JobRun) -> None:
    github = github_context(state.root)
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


def _run_step(state: JobRun, step: Step) -> None:
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
            ok = run_action(state, step, context)
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


def _record(state: JobRun, step: Step, outcome: str, conclusion: str | None = None) -> None:
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


def _run_script(state: JobRun, step: Step, env: dict[str, str], context: Context) -> bool:
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


def _read_command_files(state: JobRun, step: Step) -> None:
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
