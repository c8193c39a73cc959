"""``inv version``: the project's version now, or after a bump."""

from __future__ import annotations

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    help={
        "next": "print the version this bump gives instead: major, minor, patch, prerelease, auto",
        "pre": "with --next: a pre-release kind (rc, beta, alpha)",
    }
)
@guarded
def version(c: Context, next: str | None = None, pre: str | None = None) -> None:
    """Print the version in pyproject.toml, or with --next the version a bump would give.

    Nothing is changed. Examples: 'inv version', 'inv version --next minor',
    'inv version --next prerelease --pre rc'.
    """
    from repokit.config import load
    from repokit.release.versioning import next_version, read_version

    config = load()
    current = read_version(config)
    if next is None:
        print(current)
        return
    bump = next
    if next == "auto":
        from repokit.gitrepo import open_repo
        from repokit.release.changelog import suggested_bump

        bump = suggested_bump(config, open_repo(config.root), current)
    print(next_version(current, bump, pre))


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(version)
