"""The release: every check before any change, a plan of steps, and all or nothing.

``prepare`` reads the repository and builds a :class:`ReleasePlan` (pure data plus the
steps that would carry it out); ``preflight`` refuses before anything changes; ``execute``
runs the steps and, on any failure or Ctrl-C, undoes the ones already done in reverse, so
the repository ends exactly as it was (HEAD, branch, index, working tree and tags).
A dry run stops after showing the same plan.
"""

from __future__ import annotations

import logging
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from repokit import gitrepo
from repokit.config import Config
from repokit.edits import FileEdit
from repokit.errors import Interrupted, PreflightError, RepokitError, StepError
from repokit.release import version_files
from repokit.release.changelog import last_release, project_paths, release_date
from repokit.release.next_release import next_release
from repokit.release.notes import release_notes
from repokit.release.sources import VersionSource, read_source, version_edits
from repokit.release.steps import BuildAndCheck, Commit, Push, Step, Tag, WriteFiles

if TYPE_CHECKING:
    from repokit.gitrepo import Repo

log = logging.getLogger(__name__)

BUMP_CHOICES = ("major", "minor", "patch", "prerelease", "calver", "auto")


@dataclass(frozen=True)
class Options:
    """What the user asked for on the command line."""

    bump: str
    pre: str | None = None
    push: bool = True
    sign: bool = False
    allow_empty: bool = False
    keep_dist: bool = False


@dataclass
class ReleasePlan:
    """Everything the release will do, computed before anything changes."""

    config: Config
    repo: Repo
    options: Options
    current: str
    version: str
    tag: str
    previous_tag: str | None
    commit_count: int
    edits: list[FileEdit]
    section: str
    source: VersionSource | None = None
    notes: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    @property
    def push_command(self) -> str:
        branch, remote = self.config.branch, self.config.remote
        return f"git push --atomic {remote} refs/heads/{branch} refs/tags/{self.tag}"


# --- reading and checking ------------------------------------------------------------------


def prepare(config: Config, options: Options, repo: Repo | None = None) -> ReleasePlan:
    """Read the repository and compute the release; changes nothing.

    ``config`` has its conventions resolved (see :func:`repokit.release.project.open_project`).
    """
    repo = repo or gitrepo.open_repo(config.root)
    source = read_source(config, repo)
    current = source.raw
    previous = last_release(config, repo)
    version, warned = next_release(config, repo, current, options.bump, options.pre, previous)
    tag = config.tag_for(version)
    notes = release_notes(config, repo, version, release_date(), previous, tag)
    edits = [e for e in version_edits(config, version, repo) if e.changed]
    edits += notes.edits
    plan = ReleasePlan(
        config=config,
        repo=repo,
        options=options,
        current=current,
        version=version,
        tag=tag,
        previous_tag=previous,
        commit_count=gitrepo.commits_between(repo, previous, project_paths(config, repo)),
        edits=edits,
        section=notes.section,
        source=source,
        notes=warned,
    )
    plan.steps = _steps(plan)
    return plan


def preflight(
    plan: ReleasePlan, *, run_hook: bool = True, progress: Callable[[str], None] = log.info
) -> None:
    """Every check, before anything changes; a PreflightError names the first that fails."""
    config, repo, options = plan.config, plan.repo, plan.options
    dirty = gitrepo.uncommitted(repo)
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        msg = f"working tree has uncommitted changes: {shown}"
        raise PreflightError(msg, hint="commit or stash them, then release again")
    branch = gitrepo.current_branch(repo)
    if branch != config.branch:
        where = f"on branch {branch}" if branch else "detached HEAD"
        msg = f"releases are made from {config.branch}, but this is {where}"
        hint = f"git switch {config.branch} (or set [tool.repokit] branch)"
        raise PreflightError(msg, hint=hint)
    if gitrepo.tag_exists(repo, plan.tag) and not gitrepo.contains(repo, plan.tag):
        # released from another branch, the release commit not merged back (click's 8.5.0)
        made = gitrepo.commit_line(repo, plan.tag)
        msg = f"tag {plan.tag} already exists, on a commit this branch does not contain ({made})"
        hint = (
            f"{plan.version} was released from another branch: merge it first "
            f"(git merge {plan.tag}), then release what comes after"
        )
        raise PreflightError(msg, hint=hint)
    if gitrepo.tag_exists(repo, plan.tag):
        msg = f"tag {plan.tag} already exists in this repository"
        hint = f"bump further, or delete it: git tag -d {plan.tag}"
        if gitrepo.remote_url(repo, config.remote) is not None and _on_remote(plan):
            hint = f"{plan.tag} is a published release on {config.remote}: bump further"
        raise PreflightError(msg, hint=hint)
    if plan.commit_count == 0 and not options.allow_empty:
        since = plan.previous_tag or "the start"
        msg = f"no commits since {since}: nothing to release"
        raise PreflightError(msg, hint="commit the changes first, or pass --allow-empty")
    version_files.check(config, plan.current)
    if options.push:
        _check_remote(plan)
    if config.pre_release_command and run_hook:
        _run_pre_release_command(config, progress)


def _check_remote(plan: ReleasePlan) -> None:
    config, repo = plan.config, plan.repo
    remote, branch = config.remote, config.branch
    if gitrepo.remote_url(repo, remote) is None:
        msg = f"no remote named {remote!r} to push the release to"
        hint = (
            f"git remote add {remote} <url>, or set [tool.repokit] remote to the remote's "
            "name (git remote -v lists them), or pass --no-push to release locally"
        )
        raise PreflightError(msg, hint=hint)
    try:
        exists = gitrepo.fetch_branch(repo, remote, branch)
        if gitrepo.remote_tag_exists(repo, remote, plan.tag):
            msg = f"tag {plan.tag} already exists on {remote}"
            raise PreflightError(msg, hint="someone released this version: pull, then bump again")
    except PreflightError:
        raise
    except RepokitError as error:
        raise PreflightError(error.message, hint=error.hint) from None
    if not exists:
        return  # a remote without the branch yet: the push creates it
    ahead, behind = gitrepo.ahead_behind(repo, "HEAD", f"refs/remotes/{remote}/{branch}")
    if behind and ahead:
        msg = f"{branch} and {remote}/{branch} have diverged ({ahead} and {behind} commits)"
        raise PreflightError(msg, hint=f"git pull --rebase {remote} {branch}, then release")
    if behind:
        msg = f"{branch} is {behind} commit(s) behind {remote}/{branch}"
        raise PreflightError(msg, hint=f"git pull {remote} {branch}, then release")


def _on_remote(plan: ReleasePlan) -> bool:
    try:
        return gitrepo.remote_tag_exists(plan.repo, plan.config.remote, plan.tag)
    except RepokitError:
        return True  # unknown: never suggest deleting what may be a published release


def warnings(plan: ReleasePlan) -> list[str]:
    """Things the user should know before releasing: notes, and version copies left behind."""
    found = list(plan.notes)
    if plan.source is not None and plan.source.writes_version:
        tracked = gitrepo.tracked_files(plan.repo, gitrepo.subdir(plan.repo, plan.config.root))
        found += version_files.undeclared(plan.config, tracked, plan.current, plan.source.path)
    return found


def _run_pre_release_command(config: Config, progress: Callable[[str], None]) -> None:
    command = config.pre_release_command or ""
    progress(f"running pre_release_command: {command}")
    # the project's own configured command line, run as its shell would
    process = subprocess.Popen(  # noqa: S602
        command,
        shell=True,
        cwd=config.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        progress(f"  {line.rstrip()}")
    code = process.wait()
    if code != 0:
        msg = f"pre_release_command {command!r} failed (exit {code}); nothing was changed"
        raise PreflightError(msg, hint="make it pass, then release again")


# --- the steps -----------------------------------------------------------------------------


def _steps(plan: ReleasePlan) -> list[Step]:
    config, repo, options = plan.config, plan.repo, plan.options
    steps: list[Step] = [
        WriteFiles(plan.edits, config.root),
        BuildAndCheck(
            config.root,
            repo,
            isolation=config.build_isolation,
            files=plan.edits,
            env=_pretend_version(plan),
        ),
        Commit(
            repo,
            [e.path.relative_to(gitrepo.work_tree(repo)).as_posix() for e in plan.edits],
            config.commit_message.format(version=plan.version),
            sign=options.sign or config.sign,
        ),
        Tag(repo, plan.tag, plan.section, sign=options.sign or config.sign),
    ]
    if options.push:
        steps.append(Push(repo, config.remote, config.branch, plan.tag))
    return steps


def _pretend_version(plan: ReleasePlan) -> dict[str, str]:
    """The build runs on a copy without .git: tell version-from-tags plugins the version."""
    if plan.source is None or plan.source.writes_version:
        return {}
    return {"SETUPTOOLS_SCM_PRETEND_VERSION": plan.version}


def cleanup(plan: ReleasePlan) -> None:
    """Remove the temporary build folder, after success, failure or Ctrl-C alike."""
    for step in plan.steps:
        if isinstance(step, BuildAndCheck):
            step.undo()


# --- running -------------------------------------------------------------------------------

#: (event, step) where event is "start", "done", "failed" or "undone".
Progress = Callable[[str, Step], None]


def execute(plan: ReleasePlan, progress: Progress | None = None) -> None:
    """Run the plan's steps; on failure or Ctrl-C undo what was done, then raise."""
    report = progress or (lambda event, step: log.info("%s: %s", event, step.name))
    done: list[Step] = []
    for step in plan.steps:
        report("start", step)
        try:
            step.do()
        except (Exception, KeyboardInterrupt) as error:
            report("failed", step)
            with _no_interrupts():
                _undo(done, report)
            if isinstance(error, KeyboardInterrupt):
                msg = f"interrupted during {step.name}; everything done was undone"
                raise Interrupted(msg, hint="the repository is as it was; release again") from None
            if isinstance(error, RepokitError):
                hint = error.hint or "the repository is as it was before the release"
                raise StepError(step.name, error.message, hint=hint) from None
            raise
        done.append(step)
        report("done", step)


def _undo(done: list[Step], report: Progress) -> None:
    failures: list[str] = []
    for step in reversed(done):
        try:
            step.undo()
            report("undone", step)
        except Exception as error:  # keep undoing the rest; say what could not be undone
            failures.append(f"{step.name}: {error}")
    if failures:
        msg = "could not undo every step: " + "; ".join(failures)
        raise RepokitError(msg, hint="check 'git status' and 'git tag' before trying again")


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """Hold Ctrl-C while undoing, so that the undo itself is never cut short."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals cannot be changed here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
