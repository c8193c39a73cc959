"""A local composite action (``uses: ./path`` with ``action.yml``, ``runs.using: composite``).

Its steps run in the job, with its ``inputs`` (the step's ``with:`` over the action's
defaults) and ``GITHUB_ACTION_PATH`` set to its folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from repokit.ci.model import _step
from repokit.errors import WorkflowError

if TYPE_CHECKING:
    from repokit.ci.job_state import JobRun
    from repokit.ci.model import Step


def run_composite(
    state: JobRun, step: Step, inputs: Mapping[str, str], env: Mapping[str, str]
) -> str:
    from ruamel.yaml import YAML

    folder = state.workspace / (step.uses or "").removeprefix("./")
    files = [folder / "action.yml", folder / "action.yaml"]
    found = next((f for f in files if f.is_file()), None)
    if found is None:
        raise WorkflowError(f"{step.uses}: no action.yml there", hint="check the path")
    data = YAML(typ="safe", pure=True).load(found.read_text(encoding="utf-8")) or {}
    runs = data.get("runs") or {}
    if runs.get("using") != "composite":
        state.say(f"{step.uses}: skipped (a {runs.get('using')} action is not run here)")
        return "unmirrored"
    values: dict[str, Any] = {}
    for name, spec in (data.get("inputs") or {}).items():
        values[str(name)] = spec.get("default") if isinstance(spec, Mapping) else None
    values.update(inputs)
    saved_inputs, saved_path = state.inputs, state.env.get("GITHUB_ACTION_PATH")
    saved_steps, saved_status = state.steps, state.status
    state.inputs = values
    state.env["GITHUB_ACTION_PATH"] = str(folder)
    state.steps = {}
    try:
        for index, raw in enumerate(runs.get("steps") or []):
            state.run_step(_step(found, step.uses or "", index, raw))
    finally:
        failed = state.status != "success"
        state.inputs = saved_inputs
        state.env.pop("GITHUB_ACTION_PATH", None)
        if saved_path:
            state.env["GITHUB_ACTION_PATH"] = saved_path
        state.steps, state.status = saved_steps, saved_status
    return "failure" if failed else "success"
