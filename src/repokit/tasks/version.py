"""``inv version``: the project's version now, or after a bump."""

from __future__ import annotations

import sys

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    help={
        "next": "print the version a bump gives instead: major, minor, patch, prerelease, "
        "calver, auto, or an explicit version such as 2.0.0",
        "pre": "with --next: a pre-release kind (rc, beta, alpha)",
        "explain": "also say where the version, branch, tag format, changelog and notes come from",
        "project": "the project's folder (default: the nearest pyproject.toml upward)",
    }
)
@guarded
def version(
    c: Context,
    next: str | None = None,
    pre: str | None = None,
    explain: bool = False,
    project: str | None = None,
) -> None:
    """Print the project's version, or with --next the version a bump would give.

    The version is read where the project keeps it: pyproject.toml, the file a build backend
    reads ([tool.hatch.version] path, setuptools attr, setup.cfg), or the last release tag
    (setuptools-scm, hatch-vcs and the like). Nothing is changed. Examples: 'inv version',
    'inv version --next minor', 'inv version --next 2.0.0', 'inv version --explain'.
    """
    from repokit.release.next_release import next_release
    from repokit.release.project import open_project
    from repokit.release.sources import read_source

    found = open_project(project)
    source = read_source(found.config, found.repo)
    if explain:
        for line in [*found.explain(), f"version: {source.raw}  ({source.where})"]:
            print(line, file=sys.stderr if next else sys.stdout)
    if next is None:
        if not explain:
            print(source.raw)
        return
    version, notes = next_release(found.config, found.repo, source.raw, next, pre)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(version)


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(version)
