"""Tasks of the changelog family."""

from __future__ import annotations

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    help={
        "since": "start after this tag, branch or commit (default: the last release tag)",
        "write": "add the section on top of the changelog file instead of printing it",
    }
)
@guarded
def changelog(c: Context, since: str | None = None, write: bool = False) -> None:
    """Show the changes not released yet as a Keep a Changelog section, or --write it.

    The section is built from the Conventional Commits since the last release tag, merges and
    release commits left out. Its heading is the version in pyproject.toml when that version
    has no tag yet (a first release, or a version set by hand), dated today; once that version
    is tagged the heading is [Unreleased]. --write leaves the file as it is when it already has
    a section with that heading.
    """
    from repokit.config import load
    from repokit.gitrepo import open_repo
    from repokit.release import changelog as changelog_lib

    config = load()
    repo = open_repo(config.root)
    if not write:
        print(changelog_lib.unreleased(config, repo, since=since), end="")
        return
    heading, edit = changelog_lib.write_unreleased(config, repo, since=since)
    name = edit.path.relative_to(config.root).as_posix()
    if edit.changed:
        print(f"{name}: added the section [{heading}]")
    else:
        print(f"{name}: already has a section [{heading}]; nothing written")


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(changelog)
