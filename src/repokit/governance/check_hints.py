"""What to do about a required check that would never report on a pull request.

A workflow that runs on pull requests but filters some out can be widened. A workflow with
no pull_request trigger is another matter: it may deploy or release, and running it on
every pull request would be wrong, so the hint is to leave it out of ``from_workflows``.
Only a workflow whose pull_request trigger repokit commented out (manual until
``workflows.enable``) is pointed to that switch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from repokit.ci.switch import DISABLED

#: A pull_request trigger commented out by ``inv workflows.disable`` (or written so by init).
_COMMENTED_PULL_REQUEST = re.compile(r"^\s*#\s*pull_request(?:_target)?\s*:", re.MULTILINE)


def unreported_hint(
    workflow: str, text: str, triggers: Sequence[str], reporting: Sequence[str]
) -> str:
    """The hint for required checks of ``workflow`` that never report on pull requests.

    ``text`` is the workflow's YAML, ``triggers`` its events, ``reporting`` the workflows
    that do report on pull requests (file names).
    """
    stem = Path(workflow).stem
    if DISABLED in text and _COMMENTED_PULL_REQUEST.search(text):
        return (
            f"its pull_request trigger is switched off: 'inv workflows.enable --workflow "
            f"{stem}', or pass --allow-unreported-checks"
        )
    if any(event in ("pull_request", "pull_request_target") for event in triggers):
        return (
            f"widen {workflow}'s pull_request filter (branches, paths) to every pull request, "
            "or pass --allow-unreported-checks"
        )
    listed = ", ".join(reporting)
    instead = f"from_workflows: [{listed}]" if reporting else "checks: by hand"
    return (
        f"leave {workflow} out of the required checks: list the pull-request workflows "
        f"({instead}), or pass --allow-unreported-checks"
    )
