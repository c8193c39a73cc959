"""A job's ``runs-on``, ``container`` and ``services`` with their expressions evaluated.

Workflows compute them from the matrix (``container: ${{ matrix.container }}``) or from
other contexts; they are evaluated before the job is judged runnable here. As on GitHub, an
empty value means none: ``container: ''`` (or an empty ``image``) runs on the runner
itself, and a service whose image is empty is not started.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from repokit.ci.expressions import Context, Unresolved, evaluate, interpolate, references
from repokit.ci.model import Job
from repokit.ci.values import to_text
from repokit.errors import WorkflowError


def resolve(value: Any, context: Context) -> Any:
    """``value`` with its ``${{ }}`` evaluated; a value that is one expression keeps the
    expression's type (a list, a mapping), others are interpolated as text."""
    if isinstance(value, str):
        found = references(value)
        text = value.strip()
        if len(found) == 1 and text.startswith("${{") and text.endswith("}}"):
            return evaluate(found[0], context)
        return interpolate(value, context) if found else value
    if isinstance(value, Mapping):
        return {str(k): resolve(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, context) for v in value]
    return value


def evaluated(job: Job, context: Context) -> Job:
    """The job with its runner values evaluated in ``context``.

    A value that reads what ``context`` does not hold yet (a strict context without
    ``needs``) is left out (None): the job is judged on it once it starts.
    """
    runs_on = _or_none(job.runs_on, context)
    container = _or_none(job.container, context)
    image = container.get("image") if isinstance(container, Mapping) else container
    if not to_text(image).strip():
        container = None
    services = _or_none(job.services, context)
    kept = {
        str(name): spec
        for name, spec in (services.items() if isinstance(services, Mapping) else ())
        if to_text(spec.get("image") if isinstance(spec, Mapping) else spec).strip()
    }
    return replace(job, runs_on=runs_on, container=container, services=kept)


def _or_none(value: Any, context: Context) -> Any:
    try:
        return resolve(value, context)
    except Unresolved:
        return None
    except WorkflowError:
        return value  # not an expression GitHub would take either: judged as written


def env_values(env: Mapping[str, Any], expression: str | None, context: Context) -> dict[str, str]:
    """An ``env:`` as text: the mapping a whole-mapping expression (``env: ${{ matrix.env }}``)
    computes, or each value interpolated."""
    values: dict[str, str] = {}
    if expression:
        computed = resolve(expression, context)
        if isinstance(computed, Mapping):
            values |= {str(name): to_text(value) for name, value in computed.items()}
    for name, value in env.items():
        values[name] = interpolate(to_text(value), context)
    return values
