"""The registry of actions with a local equivalent: what ``uses: owner/name`` does here.

One entry per action: what it does here (shown by ``--list``), the function that does it,
and whether it only prepares the job (checkout, setup-python: alone they prove nothing).
An action with no entry is skipped and makes its job ``partial``, never ``passed``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from repokit import gitrepo
from repokit.ci import python, workspace
from repokit.ci.action_names import action_name
from repokit.ci.artifacts import download, upload
from repokit.ci.expressions import Context, interpolate
from repokit.ci.merge import Merge
from repokit.ci.model import Step
from repokit.ci.package_inspection import build_and_inspect
from repokit.ci.script import run_process
from repokit.ci.values import to_text
from repokit.errors import WorkflowError

if TYPE_CHECKING:
    from repokit.ci.job_state import JobRun

#: A handler gets the job, the step and its inputs and says "success", "failure" or
#: "unmirrored" (this use of the action has no local equivalent).
Handler = Callable[["JobRun", Step, Mapping[str, str]], str]


@dataclass(frozen=True)
class Action:
    handler: Handler
    prepares: bool = False


def run_action(state: JobRun, step: Step, context: Context, env: Mapping[str, str]) -> str:
    uses = step.uses or ""
    inputs = {k: interpolate(to_text(v), context) for k, v in step.with_.items()}
    if uses.startswith("./"):
        from repokit.ci.composite import run_composite

        return _counted(state, run_composite(state, step, inputs, env), prepares=False)
    entry = REGISTRY.get(action_name(uses))
    if entry is None:
        state.say(f"{uses}: skipped (no local equivalent)")
        return "unmirrored"
    return _counted(state, entry.handler(state, step, inputs), entry.prepares)


def _counted(state: JobRun, outcome: str, prepares: bool) -> str:
    if outcome == "success" and not prepares:
        state.worked += 1
    return outcome


def _checkout(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    repository = inputs.get("repository", "")
    if repository and repository.lower() != str(state.run.info.github["repository"]).lower():
        state.say(f"{step.uses}: skipped (checks out {repository}, another repository)")
        return "unmirrored"
    path = inputs.get("path", "")
    target = state.actual(state.workspace / path) if path else state.workspace
    merge, commit, what = _checkout_ref(state, inputs.get("ref", ""))
    if what is None:
        state.say(f"{step.uses}: skipped (ref {inputs.get('ref')} is not in this repository)")
        return "unmirrored"
    if path or merge is not state.run.info.merge or commit:
        if target.exists():
            shutil.rmtree(target)
        workspace.create(state.run.root, target, merge=merge, commit=commit)
    where = f", copied into {path}" if path else " (a copy of its own)"
    state.say(f"{step.uses}: {what}{where}")
    submodules = inputs.get("submodules", "false").lower()
    if submodules in ("true", "recursive"):
        recursive = submodules == "recursive"
        missing = workspace.add_submodules(state.run.root, target, recursive=recursive)
        if missing:
            state.say(f"submodules {', '.join(missing)} are not cloned here: skipped")
            return "unmirrored"
    return "success"


def _checkout_ref(state: JobRun, ref: str) -> tuple[Merge | None, str | None, str | None]:
    """What a checkout's ``ref:`` gives: (merge, exact commit, what it is); what is None
    when the ref is not in the repository.

    No ref, ``github.sha`` or ``github.ref``: the run's default (for a pull request, its
    merge commit); the pull request's head: the working tree as you have it; any other
    commit, branch or tag: exactly that commit.
    """
    info = state.run.info
    github, merge = info.github, info.merge
    default = "the pull request's merge commit" if merge and merge.sha else "the working tree"
    if ref in ("", github["sha"], github["ref"]):
        return merge, None, default + ", with your uncommitted changes"
    head = info.event.get("pull_request", {}).get("head", {})
    if ref in (head.get("sha"), head.get("ref"), f"refs/heads/{head.get('ref')}"):
        return None, None, "the pull request's head: the working tree as you have it"
    found = gitrepo.resolve_commit(gitrepo.Repo(state.run.root), ref)
    return (None, found, f"{ref} ({found[:12]}), as committed") if found else (None, None, None)


def _setup_python(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    spec = inputs.get("python-version", "").split()
    wanted = spec[-1] if spec else ""
    if not wanted and inputs.get("python-version-file"):
        version_file = state.workspace / inputs["python-version-file"]
        if not version_file.is_file():
            state.say(f"python-version-file {inputs['python-version-file']} does not exist")
            return "failure"
        wanted = python.version_from_file(version_file)
    venv, version = _fresh_python(state, step, wanted)
    if step.id:
        outputs = {"python-version": version, "python-path": str(venv / "bin" / "python")}
        state.steps.setdefault(step.id, {"outputs": {}})["outputs"].update(outputs)
    state.say(f"{step.uses}: Python {version}, a fresh environment of its own")
    short = version.rsplit(".", 1)[0]
    newest = python.newest_release(short)
    here = tuple(int(part) for part in version.split("."))
    if newest and newest > here and wanted.count(".") < 2:
        shown = ".".join(map(str, newest))
        state.say(
            f"note: GitHub's runner would have Python {shown}, the newest {short} release; "
            f"{version} here may lack its fixes (install {shown} to match)"
        )
    return "success"


def _fresh_python(state: JobRun, step: Step, wanted: str) -> tuple[Path, str]:
    """A fresh environment of the Python ``wanted`` (or the default), first on the job's PATH."""
    interpreter = python.find(wanted) if wanted else python.default()
    if interpreter is None:
        raise python.NotHere(python.missing_reason(wanted), hint="install it (pyenv, uv python)")
    venv = python.make_venv(interpreter, state.home / f"python-{step.index}")
    state.path_entries.append(str(venv / "bin"))
    for name in ("pythonLocation", "Python_ROOT_DIR", "Python3_ROOT_DIR"):
        state.env[name] = str(venv)
    # uv passes over an interpreter that is a venv, as this one is, unless it is named: on
    # GitHub it finds setup-python's first on PATH. A pin in .python-version rules, there too.
    declared = "UV_PYTHON" in {**state.workflow.env, **state.planned.job.env}
    if not declared and not (state.workspace / ".python-version").exists():
        state.env["UV_PYTHON"] = str(venv / "bin" / "python")
    return venv, ".".join(map(str, interpreter.version))


#: The job's ``uv``: ``uv pip ... --system`` installs into the job's own Python (the
#: ``python`` first on its PATH), never into the machine's interpreter.
_UV_WRAPPER = """#!/bin/sh
first=1
for arg in "$@"; do
  if [ "$first" = 1 ]; then set --; first=0; fi
  if [ "$arg" = "--system" ]; then
    set -- "$@" --python "$(command -v python)"
  else
    set -- "$@" "$arg"
  fi
done
exec {uv} "$@"
"""


def _setup_uv(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    folder = python.tool("uv")
    own = state.home / "uv-bin"
    own.mkdir(exist_ok=True)
    wrapper = own / "uv"
    wrapper.write_text(_UV_WRAPPER.format(uv=folder / "uv"), encoding="utf-8")
    wrapper.chmod(0o755)
    if not (own / "uvx").exists():
        (own / "uvx").symlink_to(folder / "uvx")
    state.path_entries.append(str(own))
    if inputs.get("python-version"):
        _fresh_python(state, step, inputs["python-version"])
    if step.id:
        state.steps.setdefault(step.id, {"outputs": {}})["outputs"]["uv-path"] = str(wrapper)
    state.say(f"{step.uses}: uv from repokit's tool cache")
    return "success"


def _cache(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    if step.id:
        state.steps.setdefault(step.id, {"outputs": {}})["outputs"]["cache-hit"] = "false"
    state.say(f"{step.uses}: no cache here (a cache miss, as on a first run)")
    return "success"


def _lint_tool(state: JobRun, step: Step, name: str) -> Path | None:
    """The tool's ``bin`` folder, or None (said) when it cannot be installed here: the step
    is then not mirrored, so the job is partial, not failed for want of a download."""
    try:
        return python.tool(name)
    except WorkflowError as error:
        state.say(f"{step.uses}: skipped ({error.message})")
        return None


def _pre_commit(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    folder = _lint_tool(state, step, "pre-commit")
    if folder is None:
        return "unmirrored"
    args = inputs.get("extra_args") or "--all-files"
    command = [str(folder / "pre-commit"), "run", "--show-diff-on-failure", *args.split()]
    code = run_process(state, command, state.workspace, state.step_env({}))
    return "success" if code == 0 else "failure"


def _zizmor(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    """zizmor offline (the online audits ask GitHub's API). With ``advanced-security`` (the
    default) the action uploads its findings to code scanning and the job passes."""
    folder = _lint_tool(state, step, "zizmor")
    if folder is None:
        return "unmirrored"
    command = [str(folder / "zizmor"), "--offline", *(inputs.get("inputs") or ".").split()]
    for option in ("persona", "min-severity", "min-confidence"):
        if inputs.get(option):
            command += [f"--{option}", inputs[option]]
    code = run_process(state, command, state.workspace, state.step_env({}))
    if code != 0 and inputs.get("advanced-security", "true") == "true":
        state.say("zizmor found issues; with advanced-security the action reports, not fails")
        return "success"
    return "success" if code == 0 else "failure"


def _alls_green(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    try:
        needs = json.loads(inputs.get("jobs") or "{}")
    except ValueError:
        state.say("alls-green: the jobs input is not JSON (pass ${{ toJSON(needs) }})")
        return "failure"

    def names(key: str) -> set[str]:
        return {n.strip() for n in inputs.get(key, "").replace(",", " ").split() if n.strip()}

    if state.unmirrored_needs:
        names_ = ", ".join(state.unmirrored_needs)
        state.say(f"alls-green: skipped ({names_} did not run here in full: no verdict)")
        return "unmirrored"
    allowed_failures, allowed_skips = names("allowed-failures"), names("allowed-skips")
    bad = []
    for job, value in needs.items():
        result = value.get("result") if isinstance(value, dict) else None
        ok = result == "success" or (result == "failure" and job in allowed_failures)
        ok = ok or (result == "skipped" and job in allowed_skips)
        if not ok:
            bad.append(f"{job} ({result})")
    state.say("alls-green: " + ("all green" if not bad else "not green: " + ", ".join(bad)))
    return "success" if not bad else "failure"


def _upload(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    return "success" if upload(state, inputs) else "failure"


def _download(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
    return "success" if download(state, inputs) else "failure"


def _service(what: str) -> Handler:
    def handler(state: JobRun, step: Step, inputs: Mapping[str, str]) -> str:
        state.say(f"{step.uses}: skipped ({what})")
        return "unmirrored"

    return handler


#: The handler of each action in :data:`repokit.ci.action_names.MIRRORED`.
REGISTRY: dict[str, Action] = {
    "actions/checkout": Action(_checkout, prepares=True),
    "actions/setup-python": Action(_setup_python, prepares=True),
    "astral-sh/setup-uv": Action(_setup_uv, prepares=True),
    "hynek/setup-cached-uv": Action(_setup_uv, prepares=True),
    "actions/cache": Action(_cache, prepares=True),
    "actions/upload-artifact": Action(_upload),
    "actions/download-artifact": Action(_download),
    "pre-commit/action": Action(_pre_commit),
    "zizmorcore/zizmor-action": Action(_zizmor),
    "hynek/build-and-inspect-python-package": Action(build_and_inspect),
    "re-actors/alls-green": Action(_alls_green),
    "github/codeql-action": Action(_service("CodeQL runs in GitHub's code scanning service")),
    "codecov/codecov-action": Action(_service("uploads to a service")),
}
