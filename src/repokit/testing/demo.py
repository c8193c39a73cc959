"""``make demo``: the whole story on a throwaway project, offline and without credentials.

A project with a history of conventional commits and a bare remote, a real local package
index (pypiserver) and the GitHub emulator, both on loopback. Then, as a user would:
``repokit release --bump minor --publish --yes`` and ``repokit governance --yes``. It shows
the tag on the remote, the new changelog section, ``pip install`` of the new version from
the index, the GitHub release and the governance plan; a second ``repokit governance``
shows no changes. Run it with ``python -m repokit.testing.demo``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from repokit.testing.sandbox import Sandbox, create_sandbox

REPOKIT = Path(sys.executable).parent / "repokit"
OWNER, REPO = "demo", "greeter"
TOKEN = "demo-token-for-the-emulator"  # noqa: S105 - the emulator's, not a credential

GOVERNANCE = """\
repository:
  description: A throwaway package released by repokit's demo
  topics: [demo, greeter]
  has_wiki: false
  allow_merge_commit: false
  delete_branch_on_merge: true
branches:
  - name: main
    protection:
      required_pull_request_reviews:
        required_approving_review_count: 1
        require_code_owner_reviews: true
      required_status_checks:
        strict: true
        checks: [{context: tests}]
      required_conversation_resolution: true
      allow_force_pushes: false
      allow_deletions: false
      required_signatures: true
"""


@contextmanager
def stage(title: str, times: dict[str, float]) -> Iterator[None]:
    print(f"\n=== {title}", flush=True)
    started = time.monotonic()
    yield
    times[title] = time.monotonic() - started
    print(f"--- {times[title]:.1f}s", flush=True)


def show(cwd: Path, *command: str, env: Mapping[str, str] | None = None) -> str:
    print(f"$ {' '.join(command)}", flush=True)
    result = subprocess.run(
        command, cwd=cwd, env=dict(env or os.environ), capture_output=True, text=True, check=False
    )
    output = (result.stdout + result.stderr).rstrip()
    if output:
        print(output, flush=True)
    if result.returncode != 0:
        raise SystemExit(result.returncode)
    return result.stdout


def main(*, keep: bool = False) -> int:
    """Tell the story in a throwaway folder, removed at the end (kept with ``keep``)."""
    top = Path(tempfile.mkdtemp(prefix="repokit-demo-"))
    try:
        _story(top)
    finally:
        if not keep:
            shutil.rmtree(top, ignore_errors=True)
    where = f"the sandbox is {top}" if keep else "the sandbox is removed (--keep keeps it)"
    print(f"servers stopped; {where}")
    return 0


def _story(top: Path) -> None:
    from repokit.testing.github import GitHubEmulator
    from repokit.testing.package_index import PackageIndex

    started = time.monotonic()
    times: dict[str, float] = {}
    with PackageIndex() as index, GitHubEmulator() as github:
        with stage("a throwaway project, a package index and GitHub, all on this machine", times):
            github.add_org(OWNER, owners=["maintainer"])
            github.add_repo(OWNER, REPO, description="A greeter")
            github.add_token(TOKEN, "maintainer")
            github.add_check_run(OWNER, REPO, "main", "tests")
            extra = f'package_index_url = "{index.url}"\n'
            sandbox = create_sandbox(top / "demo-greeter", pyproject_extra=extra)
            sandbox.commit(
                "chore: govern the repository as code", {"governance/settings.yml": GOVERNANCE}
            )
            sandbox.push()
            print(f"project:       {sandbox.work}\nremote:        {sandbox.remote}")
            print(f"package index: {index.url}\nGitHub API:    {github.url} (the emulator)")
            env = {
                **os.environ,
                "GITHUB_API_URL": github.url,
                "GITHUB_TOKEN": TOKEN,
                "GITHUB_REPOSITORY": f"{OWNER}/{REPO}",
                "TWINE_USERNAME": "demo",
                "TWINE_PASSWORD": "demo",
            }
            show(sandbox.work, "git", "log", "--oneline", "v0.1.0..HEAD")
        with stage(
            "release, publish and announce: repokit release --bump minor --publish --yes", times
        ):
            show(
                sandbox.work,
                str(REPOKIT),
                "release",
                "--bump",
                "minor",
                "--publish",
                "--yes",
                env=env,
            )
        with stage("the result: changelog, history, tag on the remote", times):
            _result(sandbox)
        with stage("a user installs it from the index", times):
            _install(top, index.simple)
        with stage("the GitHub release", times):
            (release,) = github.repo(OWNER, REPO).releases
            print(f"release {release.tag_name}: {', '.join(a.name for a in release.assets)}")
            print((release.body or "").strip().splitlines()[0])
        with stage("governance: repository settings and branch protection", times):
            show(sandbox.work, str(REPOKIT), "governance", "--yes", env=env)
        with stage("governance again: nothing to change", times):
            show(sandbox.work, str(REPOKIT), "governance", "--yes", env=env)
    print("\nstage times: " + ", ".join(f"{t:.1f}s" for t in times.values()))
    print(f"demo done in {time.monotonic() - started:.1f}s")


def _result(sandbox: Sandbox) -> None:
    changelog = (sandbox.work / "CHANGELOG.md").read_text(encoding="utf-8")
    section = changelog[changelog.index("## [0.2.0]") :]
    print("new section of CHANGELOG.md:\n\n" + section.strip() + "\n")
    show(sandbox.work, "git", "log", "--oneline", "-3")
    show(sandbox.work, "git", "ls-remote", "--tags", str(sandbox.remote))


def _install(top: Path, simple: str) -> None:
    from repokit.testing.package_index import install

    print(f"$ pip install --index-url {simple} demo-greeter==0.2.0", flush=True)
    python = install("demo-greeter==0.2.0", simple, top / "user-venv")
    show(
        top,
        str(python),
        "-c",
        "import demo_greeter; print('demo-greeter', demo_greeter.__version__)",
    )


if __name__ == "__main__":
    sys.exit(main(keep="--keep" in sys.argv[1:]))
