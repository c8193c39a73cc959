"""Run one job's steps, in order, as a runner does: env, shell, working-directory, if:, outputs.

Each job runs on a fresh "runner" of its own: its own copy of the working tree (see
:mod:`repokit.ci.workspace`), its own ``HOME`` and ``TMPDIR``, its own Python environment
first on PATH, GitHub's default variables, and none of the caller's activations
(``VIRTUAL_ENV``, a venv's bin on PATH). Its folder is seen at the same path by every job
of the run (see :mod:`repokit.ci.namespace`).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from repokit.ci import namespace, python, workspace
from repokit.ci.actions import run_action
from repokit.ci.context import secret_names, write_event
from repokit.ci.expressions import Context, evaluate_condition, interpolate
from repokit.ci.job_state import COMMAND_FILES, JobRun, RunContext, clean_environ
from repokit.ci.job_values import env_values
from repokit.ci.model import Step, Workflow
from repokit.ci.plan import JobResult, PlannedJob, machine_arch, machine_os
from repokit.ci.script import run_script
from repokit.ci.shell import LOGIN_PROFILE
from repokit.ci.toolbox import toolbox
from repokit.ci.values import to_text
from repokit.errors import WorkflowError


def run_job(
    run: RunContext,
    workflow: Workflow,
    planned: PlannedJob,
    needs: dict[str, Any],
    cancel: threading.Event | None = None,
    unmirrored_needs: list[str] | None = None,
) -> JobResult:
    started = time.monotonic()
    log_path = run.artifacts / "logs" / f"{_slug(planned.key)}.log"  # a folder per workflow
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # the workflows of one run share the scratch folder: a job `test` in two of them must not
    # share its folder
    home = run.scratch / "jobs" / _slug(run.tag_prefix + planned.key)
    with log_path.open("w", encoding="utf-8") as log:
        state = JobRun(run, workflow, planned, needs, log, home, step_runner=run_step)
        if cancel is not None:
            state.cancel = cancel
        state.unmirrored_needs = list(unmirrored_needs or [])
        minutes = _minutes(planned.job.timeout_minutes)
        state.deadline = started + minutes if minutes else None
        try:
            _prepare(state)
            for step in planned.job.steps:
                run_step(state, step)
        except WorkflowError as error:
            state.say(f"error: {error.message}")
            state.status = "failure"
        except Exception as error:  # a bug here must not end the other jobs' run
            log.write(traceback.format_exc())
            state.say(f"repokit error (a bug, traceback in the log): {error!r}")
            state.status = "failure"
            state.failed_step = state.failed_step or "repokit itself"
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return _result(state, log_path, started)


def _result(state: JobRun, log_path: Path, started: float) -> JobResult:
    planned = state.planned
    outputs: dict[str, str] = {}
    context = state.context()
    for name, value in planned.job.outputs.items():
        try:
            outputs[name] = interpolate(to_text(value), context)
        except WorkflowError:
            outputs[name] = ""
    reason = None
    not_mirrored = "not mirrored: " + "; ".join(state.unmirrored)
    failed_here = False
    if state.not_here:
        verdict, reason = "skipped", state.not_here
    elif (
        state.status != "success"
        and state.unmirrored_before_failure
        and not (state.timed_out or state.cancel.is_set())
    ):
        # the failure may come from what the action would have done: no verdict here
        verdict, failed_here = "partial", True
        before = "; ".join(state.unmirrored_before_failure)
        reason = f"step failed: {state.failed_step}, after an action not mirrored: {before}"
    elif (
        state.status != "success"
        and state.failure_unjudged
        and not (state.timed_out or state.cancel.is_set())
    ):
        # GitHub's runner has what the step lacked here: the failure says nothing of the project
        verdict, failed_here = "partial", True
        reason = f"step failed: {state.failed_step}, {state.failure_unjudged}"
        if state.unmirrored:
            reason = f"{reason}; {not_mirrored}"
    elif state.status != "success":
        verdict = "failed"
        reason = "timed out" if state.timed_out else None
        if state.cancel.is_set() and not state.timed_out:
            reason = "cancelled (fail-fast): a sibling combination failed"
        elif state.failed_step and not state.timed_out:
            reason = f"step failed: {state.failed_step}"
        if state.unmirrored:
            reason = f"{reason}; {not_mirrored}" if reason else not_mirrored
    elif state.unmirrored and not state.worked:
        verdict, reason = "skipped", "nothing ran here: " + "; ".join(state.unmirrored)
    elif state.unmirrored:
        verdict, reason = "partial", not_mirrored
    else:
        verdict = "passed"
    allowed = verdict == "failed" and _truthy(planned.job.continue_on_error, context)
    mirrored = not (state.not_here or state.unmirrored)
    duration = time.monotonic() - started
    return JobResult(
        planned.key,
        verdict,
        duration,
        log_path,
        reason,
        started=started,
        title=planned.title,
        group=planned.group,
        outputs=outputs,
        allowed=allowed,
        mirrored=mirrored,
        failed_here=failed_here,
    )


def _slug(name: str) -> str:
    """``name`` as one file name: anything but letters, digits, ``-``, ``_`` and ``.`` is ``_``."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)


def _truthy(value: Any, context: Context) -> bool:
    if isinstance(value, str):
        value = interpolate(value, context).strip().lower()
        return value not in ("", "false", "0")
    return bool(value)


def _prepare(state: JobRun) -> None:
    """The fresh runner: a workspace, a Python environment, GitHub's default variables."""
    run = state.run
    _enter_view(state)
    state.file("GITHUB_ENV").parent.mkdir(parents=True)
    (state.home / "tmp").mkdir()
    (state.home / ".bash_profile").write_text(LOGIN_PROFILE, encoding="utf-8")
    if state.isolation.private:
        passwd = state.home.with_name(state.home.name + ".passwd")
        state.passwd = namespace.passwd_with_home(state.view, passwd)
    for name in COMMAND_FILES:
        state.file(name).touch()
    workspace.create(run.root, state.workspace, merge=run.info.merge)
    venv = python.make_venv(python.default(), state.home / "python")
    base = clean_environ(os.environ)
    pipx = state.home / "pipx"  # what the job installs with pipx stays in the job
    tools = [str(python.versions_dir()), str(pipx / "bin"), str(toolbox(base["PATH"]))]
    tools.append(str(state.view / ".local" / "bin"))  # as on GitHub: uv tool, pip --user
    base["PATH"] = os.pathsep.join([str(venv / "bin"), *tools, base["PATH"]])
    base |= {"PIPX_HOME": str(pipx), "PIPX_BIN_DIR": str(pipx / "bin")}
    base |= {"HOME": str(state.view), "TMPDIR": str(state.view / "tmp")}
    # download caches are shared: a job's own HOME must not make every job download again
    base.setdefault("PIP_CACHE_DIR", str(python.tool_cache() / "pip-cache"))
    base.setdefault("UV_CACHE_DIR", str(python.tool_cache() / "uv-cache"))
    event_path = write_event(run.info, state.temp / "event.json")
    github = run.info.github
    state.env = base | {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(state.seen(state.workspace)),
        "GITHUB_EVENT_NAME": str(github["event_name"]),
        "GITHUB_EVENT_PATH": str(state.seen(event_path)),
        "GITHUB_REF": str(github["ref"]),
        "GITHUB_REF_NAME": str(github["ref_name"]),
        "GITHUB_REF_TYPE": "branch",
        "GITHUB_BASE_REF": str(github["base_ref"]),
        "GITHUB_HEAD_REF": str(github["head_ref"]),
        "GITHUB_SHA": str(github["sha"]),
        "GITHUB_REPOSITORY": str(github["repository"]),
        "GITHUB_REPOSITORY_OWNER": str(github["repository_owner"]),
        "GITHUB_RUN_ID": run.info.run_id,
        "GITHUB_RUN_NUMBER": "1",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_ACTOR": str(github["actor"]),
        "GITHUB_WORKFLOW": state.workflow.name,
        "GITHUB_JOB": state.planned.job.id,
        "GITHUB_SERVER_URL": str(github["server_url"]),
        "GITHUB_API_URL": str(github["api_url"]),
        "GITHUB_GRAPHQL_URL": str(github["graphql_url"]),
        "RUNNER_OS": machine_os().capitalize(),
        "RUNNER_ARCH": machine_arch(),
        "RUNNER_NAME": "repokit",
        "RUNNER_ENVIRONMENT": "self-hosted",
        "RUNNER_TEMP": str(state.seen(state.temp)),
        "RUNNER_TOOL_CACHE": str(python.tool_cache()),
        "ImageOS": "ubuntu24",
    }
    state.env["pythonLocation"] = str(venv)
    for name, value in state.workflow.env.items():
        state.env[name] = interpolate(to_text(value), state.context())
    job = state.planned.job
    state.env |= env_values(job.env, job.env_expression, state.context())


def _enter_view(state: JobRun) -> None:
    """Make the run's view show this job's folder: a mount point each of the job's processes
    mounts the folder on, or, with no mount namespace here (jobs then run one at a time), a
    symbolic link to the folder."""
    view = state.view
    if state.isolation.private:
        view.mkdir(parents=True, exist_ok=True)
        return
    if view.is_symlink():
        view.unlink()
    view.parent.mkdir(parents=True, exist_ok=True)
    view.symlink_to(state.home, target_is_directory=True)


def run_step(state: JobRun, step: Step) -> None:
    context = state.context()
    label = interpolate(step.label, context) if "${{" in step.label else step.label
    if state.not_here:  # the rest of the job cannot run here either
        _record(state, step, "skipped")
        return
    late = state.deadline is not None and time.monotonic() > state.deadline
    if late or state.cancel.is_set():
        state.status = "failure"
        state.timed_out = state.timed_out or late
    if (late or state.cancel.is_set()) and "always()" not in str(step.condition):
        state.say(f"skip {label} (the job was stopped)")
        _record(state, step, "skipped")
        return
    if not evaluate_condition(step.condition, context):
        shown = step.condition if step.condition is not None else "success()"
        state.say(f"skip {label} (if: {shown})")
        _record(state, step, "skipped")
        return
    state.begin_step(label)
    shown = "failure"
    try:
        shown = _run_started_step(state, step, label, context)
    finally:
        state.end_step(shown)


def _run_started_step(state: JobRun, step: Step, label: str, context: Context) -> str:
    """Run a step whose condition held; how its end is shown (success, failure, ...)."""
    env = dict(state.env) | env_values(step.env, step.env_expression, context)
    try:
        if step.uses:
            outcome = run_action(state, step, context.with_env(env), env)
        else:
            outcome = "success" if run_script(state, step, env, context) else "failure"
            state.worked += 1
    except python.NotHere as error:
        state.say(f"skipped: {error.message}")
        state.not_here = state.not_here or error.message
        return "skipped"
    except WorkflowError as error:
        state.say(f"error: {error.message}")
        outcome = "failure"
    if outcome == "unmirrored":
        state.unmirrored.append(label if label.startswith("uses ") else f"{label} ({step.uses})")
        _record(state, step, "success")
        return "not mirrored"
    continue_on_error = _truthy(step.continue_on_error, context)
    _record(state, step, outcome, "success" if continue_on_error else outcome)
    if outcome == "failure" and not continue_on_error:
        state.status = "failure"
        if state.failed_step is None:
            state.failed_step = label
            state.unmirrored_before_failure = list(state.unmirrored)
            state.failure_unjudged = _unjudged(state, step)
    return outcome


def _unjudged(state: JobRun, step: Step) -> str | None:
    """Why a failed step says nothing of the project here, as GitHub's runner has what it
    lacked: a host it could not reach, sudo, or a secret it reads that is not set here (a runner
    always has ``GITHUB_TOKEN``; the repository's own pull requests have its secrets)."""
    if state.unreachable:
        return f"which could not reach {', '.join(state.unreachable)} from here"
    if state.needed_sudo:
        return "which needs sudo, not given to a job here (it would change this machine)"
    parts = [step.run or "", step.env_expression or "", *map(to_text, step.env.values())]
    parts += map(to_text, step.with_.values())
    unset = [name for name in secret_names("\n".join(parts)) if not state.run.secrets.get(name)]
    if unset:
        return f"which reads {', '.join(f'secrets.{name}' for name in unset)}, not set here"
    return None


def _record(state: JobRun, step: Step, outcome: str, conclusion: str | None = None) -> None:
    if step.id:
        entry = state.steps.setdefault(step.id, {"outputs": {}})
        entry["outcome"] = outcome
        entry["conclusion"] = conclusion or outcome


def _minutes(value: Any) -> float | None:
    try:
        return float(value) * 60 if value is not None else None
    except (TypeError, ValueError):
        return None
