"""``repokit init`` (also ``inv init``): adopt repokit in an existing repository."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded

if TYPE_CHECKING:
    from repokit.config import Config


def _export(config: Config) -> str | None:
    """The live settings as a file when a token can read the repository, else None."""
    from repokit.errors import RepokitError
    from repokit.github import GitHub, repository_slug, token_or_none

    if token_or_none() is None:
        return None
    try:
        slug = repository_slug(config.root, None, config.remote)
    except RepokitError:
        return None
    from repokit.governance.codeowners import existing_rules
    from repokit.governance.export import export

    print(f"reading the settings of {slug} ...", flush=True)
    rules, source = existing_rules(config.root)
    return export(GitHub(slug), rules, source)


@task(
    help={
        "yes": "write without asking",
        "dry-run": "show the plan (the diffs) and change nothing",
        "workflows": "also write .github/workflows/pr.yml and release.yml (manual only)",
        "project": "a monorepo's project folder: its tasks.py, Makefile and pyproject.toml",
    }
)
@guarded
def init(
    c: Context,
    yes: bool = False,
    dry_run: bool = False,
    workflows: bool = False,
    project: str | None = None,
) -> None:
    """Adopt repokit here: tasks.py, Makefile targets, [tool.repokit], governance settings.

    Shows every file it would create or change as a diff, asks once, then writes only
    what is missing: no line you wrote is changed or removed, and a second run changes
    nothing. [tool.repokit] gets only what repokit cannot infer (the branch and the tag
    format are read from the repository): the files holding copies of the version.
    governance/settings.yml is exported from GitHub when a token (GITHUB_TOKEN, GH_TOKEN
    or gh) can read the repository, else written as a starter that imports CODEOWNERS.
    With --workflows, a PR and a release workflow for the project (actions pinned, least
    privilege, trusted publishing), manual only until 'repokit workflows.enable'.
    Works from any folder of a git repository; in a monorepo, --project names the
    project's folder. Nothing is committed: the last line says how.
    Example: repokit init --dry-run
    """
    from repokit.errors import PreflightError
    from repokit.init.plan import next_steps, plan

    found = plan(project=project, export=_export, workflows=workflows)
    for note in found.notes:
        print(f"note: {note}")
    changes = found.changes
    if not changes:
        print("repokit is already set up here: nothing to change")
        return
    print()
    for edit in changes:
        print(edit.diff(found.root), end="")
    names = ", ".join(edit.path.relative_to(found.root).as_posix() for edit in changes)
    if dry_run:
        print(f"\ndry run: would write {names}; nothing was changed")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise PreflightError(
                "no terminal to confirm on", hint="pass --yes to write, or --dry-run to look"
            )
        if input(f"\nWrite {names}? [y/N] ").strip().lower() not in ("y", "yes"):
            print("nothing was changed")
            return
    for edit in changes:
        edit.apply()
    print(f"\nwrote {names} (nothing is committed)")
    for line in next_steps(found, Path.cwd()):
        print(line)


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(init)
