"""A job that calls a local reusable workflow (``uses: ./.github/workflows/x.yml``).

The called workflow's jobs run in the caller's place, with the caller's ``with:`` as their
``inputs`` (the called workflow's defaults for the rest) and the run's secrets
(``secrets: inherit`` or named ones alike: here they are read from the environment). They
are reported as ``caller / called``, as GitHub names their checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from repokit.ci.expressions import Context, interpolate
from repokit.ci.model import load_workflow
from repokit.ci.plan import PlannedJob, plan
from repokit.ci.values import to_text
from repokit.errors import WorkflowError

MAX_DEPTH = 4  # GitHub allows four levels of nested reusable workflows


def expand_call(root: Path, caller: PlannedJob, context: Context) -> list[PlannedJob]:
    """The called workflow's jobs, planned, each under the caller's name."""
    uses = caller.job.uses or ""
    path = root / uses.split("@", 1)[0].removeprefix("./")
    if not path.is_file():
        msg = f"job {caller.job.id} calls {uses}, which does not exist"
        raise WorkflowError(msg, hint="check the path under .github/workflows/")
    if caller.caller.count(" / ") >= MAX_DEPTH - 1:
        raise WorkflowError(f"job {caller.job.id}: reusable workflows nest too deep", hint=uses)
    called = load_workflow(path)
    inputs = _defaults(called.triggers.get("workflow_call"))
    for name, value in caller.job.with_.items():
        inputs[name] = interpolate(to_text(value), context) if isinstance(value, str) else value
    prefix = caller.group
    name = caller.title
    return [
        replace(item, workflow=called, caller=prefix, caller_name=name, inputs=inputs)
        for item in plan(called)
    ]


def _defaults(settings: Any) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    if isinstance(settings, Mapping):
        for name, spec in (settings.get("inputs") or {}).items():
            inputs[str(name)] = spec.get("default") if isinstance(spec, Mapping) else None
    return inputs
