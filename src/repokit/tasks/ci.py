"""``inv ci``, ``inv checks`` and ``inv workflows.enable|disable``: the workflows, locally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded

if TYPE_CHECKING:
    from repokit.ci.plan import JobResult, PlannedJob


@task(
    iterable=["matrix"],
    help={
        "workflow": "the workflow to run: a name in .github/workflows (default: pr) or a path",
        "job": "run this job and the jobs it needs, only",
        "matrix": "choose a matrix value, as key=value (repeatable)",
        "jobs": "how many jobs run at once (default: the number of CPUs)",
        "list": "show the plan (jobs, order, matrix values, actions) without running",
        "strict": "fail a job whose service is not available instead of skipping it",
    },
)
@guarded
def ci(
    c: Context,
    workflow: str = "pr",
    job: str | None = None,
    matrix: list[str] | None = None,
    jobs: int = 0,
    list: bool = False,
    strict: bool = False,
) -> None:
    """Run a GitHub Actions workflow's jobs on this machine, offline, without Docker.

    The workflow file is the single source of truth: its run: steps run here with its env,
    shell, working-directory and if:. Each job's output goes to .ci-artifacts/<job>.log.
    Exits 1 when a job failed. Example: inv ci --workflow pr --job unit-tests
    """
    from repokit.ci.model import load_workflow, resolve_workflow
    from repokit.ci.output import status_stream
    from repokit.ci.plan import plan
    from repokit.ci.scheduler import run
    from repokit.config import load
    from repokit.errors import RepokitError, UsageError

    choice: dict[str, str] = {}
    for item in matrix or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(
                f"--matrix {item!r}: expected key=value", hint="e.g. --matrix os=ubuntu-latest"
            )
        choice[key.strip()] = value.strip()
    config = load()
    path = resolve_workflow(config.root / config.workflows_dir, workflow)
    parsed = load_workflow(path)
    planned = plan(parsed, only=job, matrix_choice=choice)
    _show_plan(parsed.name, path, planned)
    if list:
        return
    print()
    results = run(
        parsed, planned, root=config.root, jobs=jobs or None, strict=strict, status=status_stream()
    )
    _summary(results, config.root)
    failed = [r.key for r in results if r.result == "failed"]
    if failed:
        msg = f"{path.name}: {len(failed)} job(s) failed: {', '.join(failed)}"
        raise RepokitError(msg, hint="read the job's log in .ci-artifacts/ (path in the table)")


def _show_plan(name: str, path: Path, planned: list[PlannedJob]) -> None:
    print(f"{name} ({path.name}): {len(planned)} job(s)")
    for item in planned:
        needs = f" after {', '.join(item.job.needs)}" if item.job.needs else ""
        print(f"  {item.title}{needs}")
        if item.skip_reason:
            print(f"    skipped: {item.skip_reason}")
        for note in item.notes:
            print(f"    {note}")


def _summary(results: list[JobResult], root: Path) -> None:
    rows = [("job", "result", "duration", "log")]
    for r in results:
        log = str(r.log.relative_to(root)) if r.log else (r.reason or "")
        rows.append((r.key, r.result, f"{r.duration:.1f}s", log))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print()
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )
    counts = {
        kind: sum(r.result == kind for r in results) for kind in ("passed", "failed", "skipped")
    }
    print(
        f"\njobs: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
    )


@task(
    name="checks",
    help={
        "json": "print the checks as a JSON list",
        "branch": "the protected branch pull requests go into (default: main)",
    },
)
@guarded
def checks_(c: Context, json_: bool = False, branch: str = "main") -> None:
    """List the status checks the workflows report, with their workflow, job and triggers.

    These are the names branch protection must require. A check whose workflow does not
    run on pull requests into the branch would never report, and would block every PR.
    """
    from repokit.ci.checks import checks
    from repokit.config import load

    config = load()
    found = checks(config.root / config.workflows_dir, branch=branch)
    if json_:
        print(json.dumps([check.as_dict() for check in found], indent=2))
        return
    rows = [("check", "workflow", "job", "on pull requests", "triggers")]
    for check in found:
        reports = "yes" if check.reports_on_pull_requests else "no"
        rows.append((check.name, check.workflow, check.job, reports, ", ".join(check.triggers)))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    for reason in dict.fromkeys(c.reason for c in found if c.reason):
        print(f"note: {reason}")


def _switch(on: bool, workflow: str | None) -> None:
    from repokit.ci.model import resolve_workflow
    from repokit.ci.switch import disable, enable
    from repokit.config import load

    config = load()
    directory = config.root / config.workflows_dir
    if workflow:
        paths = [resolve_workflow(directory, workflow)]
    else:
        paths = sorted(p for p in directory.glob("*.y*ml"))
    changed = 0
    for path in paths:
        edit = (enable if on else disable)(path)
        if edit.changed:
            edit.apply()
            changed += 1
            print(edit.diff(config.root), end="")
    state = "on" if on else "off"
    print(
        f"automatic triggers {state} in {changed} workflow(s)" + ("" if changed else " (no change)")
    )


@task(help={"workflow": "only this workflow (e.g. pr); default: all of them"})
@guarded
def enable(c: Context, workflow: str | None = None) -> None:
    """Turn on the workflows' automatic triggers (pull_request, push, schedule), now commented."""
    _switch(True, workflow)


@task(help={"workflow": "only this workflow (e.g. pr); default: all of them"})
@guarded
def disable(c: Context, workflow: str | None = None) -> None:
    """Comment the workflows' automatic triggers out again: manual runs only."""
    _switch(False, workflow)


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(ci)
    namespace.add_task(checks_, name="checks")
    namespace.add_collection(Collection("workflows", enable, disable))
