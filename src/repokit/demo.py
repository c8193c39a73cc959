"""``make demo``: a release on a throwaway project, offline and without credentials.

Creates a project with a short history of conventional commits and a bare remote in a
new temporary directory, runs ``repokit release --bump minor --yes`` there as a user
would, and shows what it did. Run it with ``python -m repokit.demo``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from repokit.testing.sandbox import Sandbox, create_sandbox

REPOKIT = Path(sys.executable).parent / "repokit"


@contextmanager
def stage(title: str) -> Iterator[None]:
    print(f"\n=== {title}", flush=True)
    started = time.monotonic()
    yield
    print(f"--- {title}: {time.monotonic() - started:.1f}s", flush=True)


def show(sandbox: Sandbox, *command: str) -> str:
    print(f"$ {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=sandbox.work, capture_output=True, text=True, check=False)
    output = (result.stdout + result.stderr).rstrip()
    if output:
        print(output, flush=True)
    if result.returncode != 0:
        raise SystemExit(result.returncode)
    return result.stdout


def main() -> int:
    started = time.monotonic()
    top = Path(tempfile.mkdtemp(prefix="repokit-demo-"))
    with stage("a throwaway project with a bare remote"):
        sandbox = create_sandbox(top / "demo-greeter")
        print(f"project: {sandbox.work}\nremote:  {sandbox.remote}")
        show(sandbox, "git", "log", "--oneline", "v0.1.0..HEAD")
    with stage("the plan: repokit release --bump minor --dry-run"):
        show(sandbox, str(REPOKIT), "release", "--bump", "minor", "--dry-run")
    with stage("the release: repokit release --bump minor --yes"):
        show(sandbox, str(REPOKIT), "release", "--bump", "minor", "--yes")
    with stage("the result"):
        changelog = (sandbox.work / "CHANGELOG.md").read_text(encoding="utf-8")
        section = changelog[changelog.index("## [0.2.0]") :]
        print("new section of CHANGELOG.md:\n\n" + section.strip() + "\n")
        show(sandbox, "git", "log", "--oneline", "-3")
        show(sandbox, "git", "ls-remote", "--tags", str(sandbox.remote))
    print(f"\ndemo done in {time.monotonic() - started:.1f}s; the sandbox is {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
