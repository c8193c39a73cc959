"""``repokit serve-github OWNER/REPO``: the GitHub emulator, to try a settings file by hand."""

from __future__ import annotations

import time

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    name="serve-github",
    positional=["repository"],
    help={
        "repository": "the repository to create, as OWNER/REPO",
        "port": "the port on 127.0.0.1 (default: any free one)",
    },
)
@guarded
def serve_github(c: Context, repository: str, port: int = 0) -> None:
    """Serve the GitHub emulator with OWNER/REPO as GitHub creates it, until Ctrl-C.

    Prints the lines to paste into a shell (GITHUB_API_URL, GITHUB_TOKEN,
    GITHUB_REPOSITORY); then 'repokit governance' applies a settings file to the emulator,
    with no token and nothing sent to GitHub. Loopback only; all is lost when it stops.
    Needs the extra: pip install 'repokit[testing]'.
    """
    from repokit.errors import ConfigError, UsageError
    from repokit.fixtures.extra import TESTING_MODULES, missing

    absent = missing(TESTING_MODULES)
    if absent:
        raise ConfigError(
            f"repokit serve-github needs the extra 'testing' ({', '.join(absent)} not installed)",
            hint="pip install 'repokit[testing]'",
        )
    from repokit.testing.github import GitHubEmulator
    from repokit.testing.github.serve import SLUG, paste_lines, seed_new_repository

    if not SLUG.fullmatch(repository):
        raise UsageError(
            f"serve-github: {repository!r} is not OWNER/REPO",
            hint="for example: repokit serve-github acme/widget",
        )
    if not 0 <= port <= 65535:
        raise UsageError(f"serve-github: --port {port} is not a port", hint="give 1-65535, or 0")
    emulator = GitHubEmulator()
    token = seed_new_repository(emulator, repository)
    try:
        emulator.start(port)
    except OSError as error:
        raise UsageError(
            f"serve-github: cannot listen on 127.0.0.1:{port}: {error.strerror}",
            hint="pass another --port, or leave it out for any free one",
        ) from None
    try:
        print(f"GitHub emulator at {emulator.url}: {repository} as GitHub creates it")
        print("paste these lines into the shell that runs repokit:")
        for line in paste_lines(emulator.url, token, repository):
            print(f"  {line}")
        print("serving until Ctrl-C", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (the guard raises it): the way to stop
        pass
    finally:
        emulator.stop()
    print("stopped", flush=True)


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(serve_github)
