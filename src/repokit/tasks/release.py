"""``inv release``: bump, changelog, build and check, commit, tag and push: all or nothing."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded

if TYPE_CHECKING:
    from collections.abc import Sequence

    from repokit.release.plan import ReleasePlan
    from repokit.release.steps import Step

BUMPS = "major, minor, patch, prerelease, calver, auto, or a version such as 2.0.0"


@task(
    help={
        "bump": f"which part to bump: {BUMPS} (auto: from the conventional commits)",
        "pre": "make a pre-release: rc, beta or alpha (with --bump prerelease or another bump)",
        "dry-run": "show the plan (versions, tag, diffs, changelog, push) and change nothing",
        "push": "push the branch and tag (default); --no-push stops after the local tag",
        "sign": "sign the release commit and tag with your git signing key",
        "yes": "do not ask before releasing (needed without a terminal)",
        "allow-empty": "release even when there are no commits since the last release",
        "publish": "after the push, upload the package and create the GitHub release",
        "keep-dist": "keep the built sdist and wheel in the project's dist/",
        "fetch-history": "in a shallow clone, fetch the whole history and tags first",
        "project": "the project's folder (default: the nearest pyproject.toml upward)",
        "changelog-source": "where the notes come from: fragments, curated, commits or none "
        "(default: inferred)",
    }
)
@guarded
def release(
    c: Context,
    bump: str | None = None,
    pre: str | None = None,
    dry_run: bool = False,
    push: bool = True,
    sign: bool = False,
    yes: bool = False,
    allow_empty: bool = False,
    publish: bool = False,
    keep_dist: bool = False,
    fetch_history: bool = False,
    project: str | None = None,
    changelog_source: str | None = None,
) -> None:
    """Release the project: every check first, then all the steps, or none of them.

    Bumps the version where the project keeps it (pyproject.toml, the backend's version file,
    or nothing when the tags are the version) and in [tool.repokit] version_files, adds the
    changelog section, builds and checks the package, commits, tags (the tag carries the
    changelog) and pushes branch and tag in one atomic push. If any step fails, or you press
    Ctrl-C, the steps already done are undone and the repository is left as it was.
    With --publish it then uploads the package and creates the GitHub release.
    The branch and tag format are read from the repository (the remote's default branch,
    the existing version tags); [tool.repokit] overrides them. Temporary build folders are
    removed whatever happens.
    Example: inv release --bump minor --dry-run
    """
    from repokit.errors import PreflightError, UsageError
    from repokit.release.plan import BUMP_CHOICES, Options, cleanup, execute, preflight, prepare
    from repokit.release.project import open_project
    from repokit.release.versioning import is_explicit

    if publish and not push:
        raise UsageError("--publish needs the push", hint="drop --no-push or --publish")
    if bump is None or (bump not in BUMP_CHOICES and not is_explicit(bump)):
        msg = "--bump is required" if bump is None else f"--bump: {bump!r} is not a bump"
        raise UsageError(msg, hint=f"choose one of: {BUMPS}")
    options = Options(
        bump=bump,
        pre=pre,
        push=push,
        sign=sign,
        allow_empty=allow_empty,
        keep_dist=keep_dist,
    )
    found = open_project(
        project, fetch_history=fetch_history, progress=print, changelog_source=changelog_source
    )
    plan = prepare(found.config, options, found.repo)
    preflight(plan, run_hook=not dry_run, progress=print)
    show_plan(plan, dry_run=dry_run, conventions=found.explain())
    if dry_run:
        print("\ndry run: nothing was changed")
        return
    if not yes:
        if not sys.stdin.isatty():
            msg = "no terminal to confirm the release on"
            raise PreflightError(msg, hint="pass --yes to release without the question")
        if input(f"\nRelease {plan.version}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("nothing was changed")
            return
    print()
    try:
        execute(plan, progress=_Progress(len(plan.steps)))
        where = f"pushed to {plan.config.remote}" if push else "local only (--no-push)"
        print(f"\nreleased {plan.version}: tag {plan.tag}, {where}")
        if publish:
            from repokit.release.postrelease import publish_and_announce
            from repokit.release.sources import project_name

            for line in publish_and_announce(
                plan,
                project_name(plan.config),
                progress=lambda text: print(f"-> {text}", flush=True),
            ):
                print(f"done: {line}")
        elif keep_dist:
            from repokit.release.postrelease import keep_artifacts

            kept = keep_artifacts(plan)
            print(f"kept in dist/: {', '.join(p.name for p in kept)}")
    finally:
        cleanup(plan)


def show_plan(plan: ReleasePlan, *, dry_run: bool, conventions: Sequence[str] = ()) -> None:
    """The release as it will happen: versions, diffs, the tag's message and the steps."""
    from repokit.release.plan import warnings

    since = plan.previous_tag or "the first commit"
    print(f"release {plan.current} -> {plan.version}, tag {plan.tag}")
    print(f"{plan.commit_count} commit(s) since {since}")
    for line in conventions:
        print(f"  {line}")
    if plan.source is not None:
        written = "" if plan.source.writes_version else "; the tag is the version, no file changes"
        print(f"  version: {plan.current}  ({plan.source.where}{written})")
    for warning in warnings(plan):
        print(f"warning: {warning}")
    print()
    root = plan.config.root
    for edit in plan.edits:
        print(edit.diff(root), end="")
    print("\ntag message:")
    for line in plan.section.rstrip("\n").splitlines():
        print(f"  {line}".rstrip())
    print("\nsteps:")
    if plan.config.pre_release_command:
        note = " (not run in a dry run)" if dry_run else " (passed)"
        print(f"  0. pre_release_command: {plan.config.pre_release_command}{note}")
    for number, step in enumerate(plan.steps, 1):
        print(f"  {number}. {step.describe()}")
    if plan.options.push:
        print(f"     {plan.push_command}")


class _Progress:
    """Prints a line as each step starts and ends, and each undo."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.number = 0
        self.started = 0.0

    def __call__(self, event: str, step: Step) -> None:
        if event == "start":
            self.number += 1
            self.started = time.monotonic()
            print(f"[{self.number}/{self.total}] {step.describe()} ...", flush=True)
        elif event == "done":
            print(f"      done ({time.monotonic() - self.started:.1f}s)", flush=True)
        elif event == "failed":
            print(f"      FAILED: {step.name}; undoing what was done", flush=True)
        elif event == "undone":
            print(f"      undone: {step.name}", flush=True)


def register(namespace: Collection) -> None:
    """Add ``release`` to ``namespace`` (``status`` is publish's: one listing, one name)."""
    family = Collection("release")
    family.add_task(release, default=True)
    namespace.add_collection(family)
