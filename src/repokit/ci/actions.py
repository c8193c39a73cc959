"""The registry of actions that have a local equivalent: what ``uses: owner/name`` does here.

checkout uses the current tree; setup-python this interpreter; upload/download-artifact
copy through ``.ci-artifacts/``; any other action is reported as skipped, never silently.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from repokit.ci.artifacts import ARTIFACTS, download, upload
from repokit.ci.expressions import Context, interpolate, to_text
from repokit.ci.model import Step

if TYPE_CHECKING:
    from repokit.ci.job import JobRun


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


def run_action(state: JobRun, step: Step, context: Context) -> bool:
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
        return upload(state, inputs)
    if action == "actions/download-artifact":
        return download(state, inputs)
    if action == "codecov/codecov-action":
        state.say(f"{uses}: skipped (uploads coverage to a service)")
        return True
    state.say(f"{uses}: skipped (no local equivalent)")
    return True
