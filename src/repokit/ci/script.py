"""``run:`` steps: the script in GitHub's shell, its output in the log, its command files read.

The process runs in a process group of its own, so that a job's ``timeout-minutes`` (or a
fail-fast cancel) stops it and everything it started; where the system allows, it starts in
a private mount namespace showing the job's folder at the run's shared path (see
:mod:`repokit.ci.namespace`): ``unshare`` execs the shell without forking, so the group is
the same.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from repokit.ci import namespace, python
from repokit.ci.expressions import Context, interpolate
from repokit.ci.model import Step
from repokit.ci.reach import needs_sudo, unreachable_host
from repokit.ci.shell import is_login_shell, shell_command
from repokit.ci.values import to_text

if TYPE_CHECKING:
    from repokit.ci.job_state import JobRun


def run_script(
    state: JobRun, step: Step, env: dict[str, str], context: Context, cwd: Path | None = None
) -> bool:
    """Run a ``run:`` step with the job's defaults; True when it exits 0."""
    script_text = interpolate(step.run or "", context)
    label = interpolate(step.label, context)
    job, workflow = state.planned.job, state.workflow
    run_defaults = {**workflow.defaults.get("run", {}), **job.defaults.get("run", {})}
    shell = step.shell or run_defaults.get("shell")
    directory = step.working_directory or run_defaults.get("working-directory")
    where = cwd or state.workspace
    if directory:
        where = state.actual(where / interpolate(to_text(directory), context))
    if not where.is_dir():
        state.say(f"{label}: working-directory {directory} does not exist")
        return False
    suffix = ".py" if shell == "python" else ".sh"
    script = state.temp / f"step-{step.index}-{time.monotonic_ns()}{suffix}"
    script.write_text(script_text, encoding="utf-8")
    step_env = state.step_env(env)
    actual_path = os.pathsep.join(str(state.actual(p)) for p in step_env["PATH"].split(os.pathsep))
    command = shell_command(str(shell) if shell else None, state.seen(script), actual_path)
    if is_login_shell(command):  # the job's ~/.bash_profile puts it back after /etc/profile
        step_env["REPOKIT_STEP_PATH"] = step_env["PATH"]
    if step.timeout_minutes is not None:
        env_deadline = time.monotonic() + (_seconds(step.timeout_minutes))
    else:
        env_deadline = None
    code = run_process(state, command, where, step_env, env_deadline)
    read_command_files(state, step)
    if code != 0:
        state.run.printer.step_exit(state.tag, code)
    return code == 0


def run_process(
    state: JobRun,
    command: list[str],
    cwd: Path,
    env: Mapping[str, str],
    step_deadline: float | None = None,
) -> int:
    """Run a command in its own process group, its output in the log; killed at a deadline.

    ``cwd`` is a path of the job's folder; the process sees it at the run's shared path.
    """
    deadlines = [d for d in (state.deadline, step_deadline) if d is not None]
    deadline = min(deadlines) if deadlines else None
    shown = state.seen(cwd)
    isolated = state.isolation.private
    process = subprocess.Popen(
        namespace.command_in(
            state.isolation, command, state.home, state.view, str(shown), state.passwd
        ),
        cwd=cwd if isolated else shown,
        env={**env, "PWD": str(shown)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(0.2):
            late = deadline is not None and time.monotonic() > deadline
            if late or state.cancel.is_set():
                if late:
                    state.timed_out = state.timed_out or deadline == state.deadline
                    state.say("the time limit (timeout-minutes) is reached: stopping")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    assert process.stdout is not None
    for line in process.stdout:
        state.output(line.rstrip("\n"))
        state.not_here = state.not_here or python.download_gap(line)
        host = unreachable_host(line)
        if host and host not in state.unreachable:
            state.unreachable.append(host)
        state.needed_sudo = state.needed_sudo or needs_sudo(line)
    code = process.wait()
    finished.set()
    watcher.join()
    return code


def read_command_files(state: JobRun, step: Step) -> dict[str, str]:
    """Apply what the step wrote to GITHUB_ENV, GITHUB_PATH and GITHUB_OUTPUT, as GitHub does."""
    state.env.update(_key_values(state.file("GITHUB_ENV").read_text(encoding="utf-8")))
    for entry in state.file("GITHUB_PATH").read_text(encoding="utf-8").splitlines():
        if entry.strip():
            state.path_entries.append(entry.strip())
    outputs = _key_values(state.file("GITHUB_OUTPUT").read_text(encoding="utf-8"))
    if step.id:
        state.steps.setdefault(step.id, {"outputs": {}})["outputs"].update(outputs)
    for name in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT"):
        state.file(name).write_text("", encoding="utf-8")
    return outputs


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


def _seconds(minutes: object) -> float:
    try:
        return float(str(minutes)) * 60
    except ValueError:
        return 360 * 60.0  # GitHub's default limit
