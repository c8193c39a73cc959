"""Which matrix combinations a local run takes: the fewest that reach every step.

A step gated on a matrix value (``if: matrix.python == '3.12'``) is reached only by the
combinations with that value. Of the combinations this machine can run, the run takes the
fewest that together reach every step any of them reaches (a greedy cover, preferring
repokit's own Python, then the matrix's order), so a lint or docs step that runs in one
combination only is not left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from repokit.ci.expressions import Context, evaluate_condition
from repokit.ci.model import Job
from repokit.errors import WorkflowError


def reached_steps(job: Job, combo: Mapping[str, Any], known: Mapping[str, Any]) -> frozenset[int]:
    """The indexes of the steps whose ``if:`` holds with these matrix values.

    Contexts not in ``known`` read as null (a step gated on a step's output counts for no
    combination, so it does not decide); an ``if:`` that cannot be read counts as reached.
    """
    context = Context(values={**known, "matrix": dict(combo)})
    reached = set()
    for step in job.steps:
        try:
            holds = evaluate_condition(step.condition, context)
        except WorkflowError:
            holds = True
        if holds:
            reached.add(step.index)
    return frozenset(reached)


def fewest_covering(reach: Mapping[int, frozenset[int]], preference: Sequence[int]) -> list[int]:
    """Combinations (by index) that together reach every step any of ``reach`` reaches:
    each time the one reaching most steps not reached yet, the earliest in ``preference``
    on a tie. At least one is taken, the first preferred, when no step is reached at all."""
    wanted = frozenset().union(*reach.values()) if reach else frozenset()
    picked: list[int] = []
    covered: frozenset[int] = frozenset()
    while wanted - covered or not picked:
        best = max(preference, key=lambda i: (len(reach[i] - covered), -preference.index(i)))
        if picked and not reach[best] - covered:
            break
        picked.append(best)
        covered |= reach[best]
        if not wanted:
            break
    return sorted(picked)


def step_names(job: Job, indexes: frozenset[int]) -> list[str]:
    return [step.label for step in job.steps if step.index in indexes]
