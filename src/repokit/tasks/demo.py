"""``repokit demo``: the whole story on a throwaway project (needs the ``testing`` extra)."""

from __future__ import annotations

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(help={"keep": "keep the throwaway project, remote and venv to look at afterwards"})
@guarded
def demo(c: Context, keep: bool = False) -> None:
    """Release and govern a throwaway project, offline: pip install 'repokit[testing]' first.

    A local package index and the GitHub emulator run on loopback; nothing leaves this
    machine and no credential is needed. The same story as 'make demo' in repokit's
    own repository.
    """
    from repokit.errors import ConfigError
    from repokit.fixtures.extra import TESTING_MODULES, missing

    absent = missing(TESTING_MODULES)
    if absent:
        raise ConfigError(
            f"repokit demo needs the extra 'testing' ({', '.join(absent)} not installed)",
            hint="pip install 'repokit[testing]'",
        )
    from repokit.testing.demo import main

    code = main(keep=keep)
    if code:
        raise SystemExit(code)


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(demo)
