"""Which workflows an event starts, as GitHub decides it: triggers and their filters.

A workflow runs for ``pull_request`` when its (uncommented) ``on:`` names the event, the
default branch (the pull request's base) passes ``branches``/``branches-ignore``, and the
files changed since the merge base with the default branch (and the uncommitted ones)
pass ``paths``/``paths-ignore``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from repokit.ci.checks import filter_selects
from repokit.ci.context import default_branch
from repokit.ci.model import Workflow


def changed_files(root: Path) -> list[str]:
    """Files changed since the merge base with the default branch, committed or not."""

    def lines(*args: str) -> list[str]:
        out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return [line for line in out.stdout.splitlines() if line.strip()]

    base = default_branch(root)
    merge_base = lines("merge-base", "HEAD", base)
    changed = lines("diff", "--name-only", merge_base[0], "HEAD") if merge_base else []
    changed += lines("diff", "--name-only", "HEAD")
    changed += lines("ls-files", "--others", "--exclude-standard")
    return sorted(set(changed))


def _patterns(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(value)] if isinstance(value, str) else [str(v) for v in value]


def triggered(
    workflow: Workflow, event: str, branch: str, files: Sequence[str]
) -> tuple[bool, str]:
    """Whether ``event`` on ``branch`` with ``files`` changed starts ``workflow``, and why."""
    if event not in workflow.triggers:
        on = ", ".join(workflow.triggers) or "nothing"
        return False, f"not triggered by {event} (on: {on})"
    settings = workflow.triggers[event]
    settings = settings if isinstance(settings, Mapping) else {}
    branches, ignored = _patterns(settings.get("branches")), _patterns(
        settings.get("branches-ignore")
    )
    if branches and not filter_selects(branches, branch):
        return False, f"{event}: branch {branch} is not in branches {branches}"
    if ignored and filter_selects(ignored, branch):
        return False, f"{event}: branch {branch} is in branches-ignore"
    paths, paths_ignored = _patterns(settings.get("paths")), _patterns(settings.get("paths-ignore"))
    if paths and not any(filter_selects(paths, f) for f in files):
        return False, f"{event}: no changed file matches paths {paths}"
    if paths_ignored and files and all(filter_selects(paths_ignored, f) for f in files):
        return False, f"{event}: every changed file matches paths-ignore"
    return True, f"{event}" + (
        f" ({len(files)} changed file(s) pass its paths filter)" if paths else ""
    )


def select(
    root: Path, directory: Path, event: str, workflow: str | None
) -> list[tuple[Path, bool, str]]:
    """The workflow files to consider, each with whether it runs and why.

    With ``workflow`` (a name such as ``pr`` or a path), that one runs whatever its
    triggers; without it, each workflow the event starts.
    """
    from repokit.ci.model import load_workflow, resolve_workflow
    from repokit.errors import WorkflowError

    if workflow:
        return [(resolve_workflow(directory, workflow), True, "named with --workflow")]
    if not directory.is_dir():
        msg = f"{directory}: no workflows folder"
        raise WorkflowError(msg, hint="workflows live in .github/workflows")
    branch = default_branch(root) if event.startswith("pull_request") else _current(root)
    files = changed_files(root)
    chosen: list[tuple[Path, bool, str]] = []
    for path in sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml")):
        runs, why = triggered(load_workflow(path), event, branch, files)
        chosen.append((path, runs, why))
    return chosen


def _current(root: Path) -> str:
    out = subprocess.run(
        ["git", "branch", "--show-current"], cwd=root, capture_output=True, text=True
    )
    return out.stdout.strip() or "HEAD"
