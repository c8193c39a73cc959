"""``inv ci``, ``inv checks`` and ``inv workflows.enable|disable``: the workflows, locally."""

from __future__ import annotations

import json

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    iterable=["matrix"],
    help={
        "workflow": "the workflow to run: a name in .github/workflows (pr) or a path; "
        "default: every workflow the event starts",
        "event": "the event to run as (default: pull_request): sets github.event_name, "
        "the event payload and the triggers' filters",
        "job": "run this job and the jobs it needs, only",
        "matrix": "choose a matrix value, as key=value (repeatable); 'all' runs every "
        "combination whose interpreters are installed here; 'first' only the first that "
        "runs here (default: the fewest that run here and reach every step)",
        "jobs": "how many jobs run at once (default: twice the number of CPUs)",
        "list": "show the plan (jobs, order, matrix values, actions) without running",
        "strict": "count partial and skipped jobs as failed",
        "verbose": "show every step's output as it comes (default: in the logs only, and "
        "the last 50 lines of a step that fails)",
    },
)
@guarded
def ci(
    c: Context,
    workflow: str | None = None,
    event: str = "pull_request",
    job: str | None = None,
    matrix: list[str] | None = None,
    jobs: int = 0,
    list: bool = False,
    strict: bool = False,
    verbose: bool = False,
) -> None:
    """Run GitHub Actions workflows' jobs on this machine, offline, without Docker.

    Each job runs in its own copy of the working tree with its own Python environment.
    A job is passed, failed, partial (an action had no local equivalent: named in the
    table) or skipped (with the reason). Exit 0 when no job failed, 1 when one did, 2 when
    a workflow cannot be run. The terminal shows each job's and step's start and end;
    steps' output goes to .ci-artifacts/<run>/logs/ (--verbose shows it too).
    Example: inv ci --workflow pr --job unit-tests; inv ci --matrix all
    """
    from repokit.ci.run import run_workflows
    from repokit.ci.summary import summary
    from repokit.errors import RepokitError, UsageError

    every, first, choice = False, False, {}
    for item in matrix or []:
        if item in ("all", "first"):
            every, first = every or item == "all", first or item == "first"
            continue
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(
                f"--matrix {item!r}: expected key=value, all or first",
                hint="e.g. --matrix os=ubuntu-latest",
            )
        choice[key.strip()] = value.strip()
    outcome = run_workflows(
        workflow=workflow,
        event=event,
        job=job,
        matrix_choice=choice,
        every_combination=every,
        first_combination=first,
        jobs=jobs or None,
        list_only=list,
        strict=strict,
        verbose=verbose,
    )
    if list:
        return
    for line in summary(outcome.sections, outcome.root, strict):
        print(line)
    bad = ["failed"] + (["partial", "skipped"] if strict else [])
    failed = [r.title for r in outcome.results if r.result in bad and not r.allowed]
    if failed:
        msg = f"{len(failed)} job(s) failed: {', '.join(failed)}"
        raise RepokitError(msg, hint="read the job's log (path in the table)")


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
    from repokit.config import load_repository

    config = load_repository()
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
    from repokit.config import load_repository

    config = load_repository()
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
