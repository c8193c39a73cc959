"""``inv ci`` as a library call: choose the workflows, plan them, show the plan, run them.

A workflow that cannot be run (bad YAML, an unknown job, a cycle) is an error with exit
code 2, raised before any job starts; a job that fails is a result, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from repokit.ci.context import RunInfo, run_info
from repokit.ci.namespace import Isolation, detect
from repokit.ci.output import Output, status_stream
from repokit.ci.plan import COMPUTED, JobResult, PlannedJob
from repokit.ci.summary import Section
from repokit.errors import EXIT_USAGE, ConfigError, RepokitError, WorkflowError


@dataclass
class Outcome:
    root: Path
    results: list[JobResult] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)  # the results, per workflow


def find_root(start: Path | None = None) -> tuple[Path, Path]:
    """The repository's root and its workflows folder; no pyproject.toml is needed."""
    from repokit.config import load_repository, repository_root

    here = (start or Path.cwd()).resolve()
    try:
        repository_root(here)
    except ConfigError:
        msg = f"{here}: not a git repository"
        hint = "inv ci runs the workflows of a git repository: git init"
        raise WorkflowError(msg, hint=hint) from None
    config = load_repository(here)
    return config.root, config.root / config.workflows_dir


def run_workflows(
    *,
    workflow: str | None,
    event: str = "pull_request",
    job: str | None = None,
    matrix_choice: Mapping[str, str] | None = None,
    every_combination: bool = False,
    first_combination: bool = False,
    jobs: int | None = None,
    list_only: bool = False,
    strict: bool = False,
    verbose: bool = False,
    out: Output = print,
    start: Path | None = None,
) -> Outcome:
    from repokit.ci.events import select
    from repokit.ci.model import load_workflow
    from repokit.ci.plan import plan
    from repokit.ci.scheduler import WorkflowRun, run

    try:
        root, directory = find_root(start)
        chosen = select(root, directory, event, workflow)
        loaded = []
        for path, runs, why in chosen:
            if not runs:
                out(f"{path.name}: not run ({why})")
                continue
            parsed = load_workflow(path)
            if job is not None and job not in parsed.jobs and workflow is None:
                continue
            planned = plan(
                parsed,
                only=job,
                matrix_choice=matrix_choice,
                every_combination=every_combination,
                first=first_combination,
                event=event,
            )
            loaded.append((parsed, planned, why))
    except RepokitError as error:
        if isinstance(error, WorkflowError):
            error.exit_code = EXIT_USAGE
        raise
    if not loaded and not list_only:
        out(f"no workflow runs on {event} here")
    outcome = Outcome(root)
    for parsed, planned, why in loaded:
        show_plan(parsed.name, parsed.path, planned, why, out)
    isolation = detect()
    if loaded:
        out(isolation_note(isolation, root.name, sum(len(p) for _, p, _ in loaded)))
    if not isolation.private:
        jobs = 1  # they would share the workspace path
    if list_only or not loaded:
        return outcome
    out("")
    info = run_info(root, event)
    if info.merge is not None:
        merge = info.merge
        out(
            merge.note
            or f"checks out the pull request's merge commit {merge.sha} "
            f"(the head {merge.head[:12]} merged into the base {merge.base[:12]})"
        )
    workflow_runs = [
        WorkflowRun(parsed, planned, own_run(info, number))
        for number, (parsed, planned, _why) in enumerate(loaded)
    ]
    per_workflow = run(
        workflow_runs,
        root=root,
        jobs=jobs,
        strict=strict,
        every_combination=every_combination,
        verbose=verbose,
        out=out,
        status=status_stream(),
    )
    for one, results in zip(workflow_runs, per_workflow, strict=True):
        outcome.results += results
        name, file = one.workflow.name, one.workflow.path.name
        heading = name if name == file else f"{name} ({file})"
        outcome.sections.append(Section(heading, results))
    return outcome


def own_run(info: RunInfo, number: int) -> RunInfo:
    """The run of the ``number``-th workflow: the same event, a run id of its own (as each
    workflow a push starts is a run of its own on GitHub)."""
    if number == 0:
        return info
    run_id = str(int(info.run_id) + number)
    return replace(info, github={**info.github, "run_id": run_id})


def isolation_note(isolation: Isolation, repo: str, jobs: int) -> str:
    """How the plan says the jobs share one workspace path: apart, or one after another."""
    where = f"every job sees its workspace at $HOME/work/{repo}/{repo}, one path for all"
    if isolation.private:
        return f"{where}, each job in a private mount namespace (run in parallel)"
    reason = f"no private mount namespace here, {isolation.reason}"
    return f"{where}; {reason}: the {jobs} job(s) run one after another"


def show_plan(name: str, path: Path, planned: list[PlannedJob], why: str, out: Output) -> None:
    out(f"{name} ({path.name}, {why}): {len(planned)} job(s)")
    for item in planned:
        needs = f" after {', '.join(item.job.needs)}" if item.job.needs else ""
        out(f"  {item.title}{needs}")
        if item.computed:
            out(f"    matrix: {COMPUTED}")
        if item.why:
            out(f"    matrix: {item.why}")
        if item.job.uses:
            out(f"    calls {item.job.uses}")
        if item.skip_reason:
            out(f"    skipped: {item.skip_reason}")
        for note in item.notes:
            if not note.startswith("matrix:"):
                out(f"    {note}")
