"""The state of a running job, below the step kinds that use it (scripts, actions, artifacts).

What a job has while it runs: its environment, contexts, folders, log and status, and what
every job of the run shares (:class:`RunContext`). :mod:`repokit.ci.job` runs the steps.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from repokit.ci import namespace, python
from repokit.ci.context import RunInfo
from repokit.ci.expressions import Context
from repokit.ci.model import Step, Workflow
from repokit.ci.output import Printer
from repokit.ci.plan import PlannedJob, machine_arch, machine_os

# the caller's activations, and a setting a runner does not have: without bytecode caches
# every Python process of a job compiles every module it imports, each time
_ACTIVATIONS = (
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "CONDA_DEFAULT_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONDONTWRITEBYTECODE",
    # an interpreter chosen for uv by the caller (or by an outer run's setup-python): a fresh
    # runner has none, and uv pip would install into it instead of the job's .venv
    "UV_PYTHON",
    # the user's own folders: a job writes into its own HOME instead
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
)
COMMAND_FILES = ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY")


@dataclass
class RunContext:
    """What every job of one run shares: the repository, the event, the output, the secrets."""

    root: Path
    info: RunInfo
    artifacts: Path  # .ci-artifacts/<run id>
    scratch: Path  # where the jobs' workspaces live
    printer: Printer
    secrets: Mapping[str, str]
    vars: Mapping[str, str] = field(default_factory=dict)
    tag_prefix: str = ""  # before a job's key in the terminal: the workflow's, when several run

    @property
    def view(self) -> Path:
        """Where every job of the run sees its own folder (its ``HOME``)."""
        return self.scratch / "runner"


def clean_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """The caller's environment without its activations: a fresh runner's starting point."""
    env = {k: v for k, v in environ.items() if k not in _ACTIVATIONS}
    entries = []
    for entry in environ.get("PATH", "").split(os.pathsep):
        folder = Path(entry)
        if entry and not (folder.parent / "pyvenv.cfg").exists() and "conda" not in entry:
            entries.append(entry)
    env["PATH"] = os.pathsep.join(entries)
    return env


@dataclass
class JobRun:
    """The state of one job while it runs: its environment, contexts, files and status."""

    run: RunContext
    workflow: Workflow
    planned: PlannedJob
    needs: dict[str, Any]
    log: IO[str]
    home: Path  # the job's own folder, seen by its processes at ``run.view``
    env: dict[str, str] = field(default_factory=dict)
    path_entries: list[str] = field(default_factory=list)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: str = "success"
    unmirrored: list[str] = field(default_factory=list)
    worked: int = 0  # steps that did the job's work here (not only set it up)
    deadline: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    timed_out: bool = False
    inputs: dict[str, Any] | None = None  # a local composite action's inputs while it runs
    failed_step: str | None = None
    unmirrored_before_failure: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # hosts the running step could not reach
    needed_sudo: bool = False  # the running step called sudo, which a job is not given here
    #: why the failed step says nothing of the project here (a host, a secret it lacked)
    failure_unjudged: str | None = None
    not_here: str | None = None  # what this machine lacks (a Python version): skipped
    unmirrored_needs: list[str] = field(default_factory=list)  # needed jobs not run here
    isolation: namespace.Isolation = field(default_factory=namespace.detect)
    passwd: Path | None = None  # mounted on /etc/passwd: the user's home is the job's
    #: Runs one step in this job: set by :func:`repokit.ci.job.run_job`, called by the step
    #: kinds that hold steps of their own (a local composite action).
    step_runner: Callable[[JobRun, Step], None] | None = None

    def run_step(self, step: Step) -> None:
        if self.step_runner is None:
            raise RuntimeError("the job's step runner is not set")
        self.step_runner(self, step)

    @property
    def workspace(self) -> Path:
        """The job's checkout, as GitHub lays it out: ``$HOME/work/<repo>/<repo>``."""
        name = self.run.root.name or "repo"
        return self.home / "work" / name / name

    @property
    def temp(self) -> Path:
        return self.home / "work" / "_temp"

    @property
    def view(self) -> Path:
        return self.run.view

    def seen(self, path: Path) -> Path:
        """The path the job's processes see for ``path``, a path of the job's folder."""
        return namespace.seen(path, self.home, self.view)

    def actual(self, path: str | Path) -> Path:
        """The path behind ``path`` as the job's processes name it."""
        return namespace.actual(path, self.home, self.view)

    def file(self, name: str) -> Path:
        return self.temp / "_runner_file_commands" / name.lower()

    @property
    def tag(self) -> str:
        """How the terminal names this job: ``[tag] ...``."""
        return self.run.tag_prefix + self.planned.key

    def _log(self, text: str) -> None:
        self.log.write(self.run.printer.mask(text) + "\n")
        self.log.flush()

    def say(self, text: str) -> None:
        """repokit's own line about the job or its step: in the log and on the terminal."""
        self._log(text)
        self.run.printer.job_line(self.tag, text)

    def output(self, text: str) -> None:
        """A line a step's process printed: in the log; the terminal decides (verbose, tail)."""
        self._log(text)
        self.run.printer.step_output(self.tag, text)

    def begin_step(self, label: str) -> None:
        self.unreachable = []
        self.needed_sudo = False
        self._log(f"step {label}")
        self.run.printer.step_started(self.tag, label)

    def end_step(self, outcome: str) -> None:
        self._log(self.run.printer.step_finished(self.tag, outcome))

    def context(self, env: Mapping[str, str] | None = None) -> Context:
        github = dict(self.run.info.github)
        github |= {"job": self.planned.job.id, "workspace": str(self.seen(self.workspace))}
        github["action_path"] = self.env.get("GITHUB_ACTION_PATH", "")
        return Context(
            values={
                "github": github,
                "env": dict(env if env is not None else self.env),
                "matrix": dict(self.planned.matrix),
                "inputs": (
                    self.inputs
                    if self.inputs is not None
                    else dict(self.planned.inputs) or dispatch_inputs(self.workflow)
                ),
                "secrets": dict(self.run.secrets),
                "steps": self.steps,
                "runner": {
                    "os": machine_os().capitalize(),
                    "arch": machine_arch(),
                    "temp": str(self.seen(self.temp)),
                    "tool_cache": str(python.tool_cache()),
                    "name": "repokit",
                    "environment": "self-hosted",
                },
                "job": {"status": self.status, "services": {}, "container": {}},
                "vars": dict(self.run.vars),
                "needs": self.needs,
                "strategy": {"fail-fast": self.planned.job.fail_fast, "job-index": 0},
            },
            status=self.status,
            root=self.workspace,
        )

    def step_env(self, extra: Mapping[str, str]) -> dict[str, str]:
        """The environment a step's process gets."""
        env = {**self.env, **extra}
        for name in COMMAND_FILES:
            env[name] = str(self.seen(self.file(name)))
        env["PATH"] = os.pathsep.join([*reversed(self.path_entries), self.env["PATH"]])
        return env


def dispatch_inputs(workflow: Workflow) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for event in ("workflow_dispatch", "workflow_call"):
        settings = workflow.triggers.get(event)
        if isinstance(settings, Mapping):
            for name, spec in (settings.get("inputs") or {}).items():
                inputs[str(name)] = spec.get("default") if isinstance(spec, Mapping) else None
    return inputs
