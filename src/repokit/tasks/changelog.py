"""Tasks of the changelog family."""

from __future__ import annotations

import os
from pathlib import Path

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    help={
        "since": "start after this tag, branch or commit (default: the last release tag)",
        "write": "add the section on top of the changelog file instead of printing it",
        "project": "the project's folder (default: the nearest pyproject.toml upward)",
        "fetch-history": "in a shallow clone, fetch the whole history and tags first",
        "changelog-source": "where the notes come from: fragments, curated, commits or none "
        "(default: inferred)",
    }
)
@guarded
def changelog(
    c: Context,
    since: str | None = None,
    write: bool = False,
    project: str | None = None,
    fetch_history: bool = False,
    changelog_source: str | None = None,
) -> None:
    """Show the changes not released yet as a changelog section, or --write it.

    The section is built from the Conventional Commits since the last release tag (its
    format is read from the existing tags): features, fixes, performance, reverts, docs and
    breaking changes; chores, CI, builds, tests, style and refactors only when
    [tool.repokit] changelog_types lists them; merges and release commits never. Its heading
    is the project's version when that version has no tag yet and is not a development
    version (8.5.0.dev), dated today; else [Unreleased]. --write heads it as the file heads
    its newest release. The file is the one the project keeps (CHANGELOG, CHANGES, HISTORY,
    NEWS; .md, .rst or .txt; at the root or under docs/, doc/, sites/). In a monorepo, only
    the commits touching the project's folder count. With news fragments it shows
    towncrier's draft; with curated notes the unreleased section as written; the section is
    printed in the file's format (reStructuredText for an .rst changelog).
    """
    from repokit.errors import UsageError
    from repokit.release import changelog as changelog_lib
    from repokit.release.project import open_project

    found = open_project(
        project, fetch_history=fetch_history, progress=print, changelog_source=changelog_source
    )
    config, repo = found.config, found.repo
    if write and config.changelog_source == "fragments":
        msg = "--write: the notes are news fragments; the release has towncrier write them"
        raise UsageError(msg, hint="run 'repokit release --dry-run' to see the section it writes")
    if write and config.changelog_source == "curated":  # the notes are the file's already
        print(f"{config.changelog_file}: already has a section [Unreleased]; nothing written")
        return
    if not write:
        print(changelog_lib.unreleased(config, repo, since=since), end="")
        return
    heading, edit = changelog_lib.write_unreleased(config, repo, since=since)
    name = Path(os.path.relpath(edit.path, config.root)).as_posix()
    if edit.changed:
        print(f"{name}: added the section [{heading}]")
    else:
        print(f"{name}: already has a section [{heading}]; nothing written")


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(changelog)
