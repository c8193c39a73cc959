"""Throwaway git projects with a bare remote, for tests and for ``make demo``.

A :class:`Sandbox` is a real repository (``work``) whose ``origin`` is a real bare
repository (``remote``) on the same disk, holding a small installable Python
package and a history of conventional commits.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Sandbox Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.com",
    "GIT_COMMITTER_NAME": "Sandbox Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.com",
}

#: (message, path, content) for each commit of the default history.
DEFAULT_HISTORY: tuple[tuple[str, str, str], ...] = (
    (
        "feat: greet people by name",
        "src/{pkg}/greet.py",
        "def greet(name):\n    return f'Hello, {{name}}!'\n",
    ),
    (
        "fix(greet): trim spaces around the name",
        "src/{pkg}/greet.py",
        "def greet(name):\n    return f'Hello, {{name.strip()}}!'\n",
    ),
    (
        "docs: explain how to install",
        "README.md",
        "# {name}\n\nSays hello.\n\n## Install\n\n    pip install {name}\n",
    ),
    (
        "feat(cli): add a command line entry point",
        "src/{pkg}/cli.py",
        "from {pkg}.greet import greet\n\n\ndef main():\n    print(greet('world'))\n",
    ),
)

#: Each backend a sandbox can use: its ``[build-system]``, and its own table after
#: ``[project]``. flit_core is the default: it builds the sandbox in a tenth of setuptools'
#: time, and most tests are about what repokit does around the build, not about one backend.
BUILD_SYSTEMS: dict[str, tuple[str, str]] = {
    "flit": (
        '[build-system]\nrequires = ["flit_core>=3.4"]\nbuild-backend = "flit_core.buildapi"\n',
        "",
    ),
    "setuptools": (
        '[build-system]\nrequires = ["setuptools>=61"]\n'
        'build-backend = "setuptools.build_meta"\n',
        '[tool.setuptools.packages.find]\nwhere = ["src"]\n\n',
    ),
}

PYPROJECT_TEMPLATE = """\
{build_system}
[project]
name = "{name}"
version = "{version}"
description = "A throwaway package made by repokit's sandbox"
readme = "README.md"
requires-python = ">=3.9"

{backend_tables}[tool.repokit]
branch = "main"
version_files = ["src/{pkg}/__init__.py"]
build_isolation = false
{extra}"""


@dataclass(frozen=True)
class Sandbox:
    """A work tree with a bare ``origin`` beside it, both under ``top``."""

    top: Path
    work: Path
    remote: Path
    package: str

    def git(self, *args: str, cwd: Path | None = None, check: bool = True) -> str:
        """Run git in the work tree (or ``cwd``) and return its stripped stdout."""
        return git(*args, cwd=cwd or self.work, check=check)

    def write(self, files: Mapping[str, str | bytes]) -> None:
        for name, content in files.items():
            path = self.work / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def commit(self, message: str, files: Mapping[str, str | bytes] | None = None) -> str:
        """Write ``files`` (or touch a counter file), commit everything and return the hash."""
        if files is None:
            counter = self.work / "changes.txt"
            previous = counter.read_text() if counter.exists() else ""
            files = {"changes.txt": previous + message.splitlines()[0] + "\n"}
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", message)
        return self.git("rev-parse", "HEAD")

    def push(self) -> None:
        self.git("push", "-q", "origin", "HEAD:main")

    def remote_refs(self) -> dict[str, str]:
        """``{ref: sha}`` as ``git ls-remote`` sees the remote."""
        out = self.git("ls-remote", str(self.remote))
        refs: dict[str, str] = {}
        for line in out.splitlines():
            sha, ref = line.split("\t")
            refs[ref] = sha
        return refs

    def state(self) -> dict[str, object]:
        """Everything a failed command must leave as it was: refs, HEAD, index and files."""
        return repository_state(self.work)


def git(*args: str, cwd: Path, check: bool = True) -> str:
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        msg = f"git {' '.join(args)} failed in {cwd}: {result.stderr.strip()}"
        raise RuntimeError(msg)
    return result.stdout.strip()


def repository_state(work: Path) -> dict[str, object]:
    """A comparable picture of a repository: HEAD, every ref, the index and every file's bytes."""
    files: dict[str, str] = {}
    for path in sorted(work.rglob("*")):
        if ".git" in path.relative_to(work).parts or not path.is_file():
            continue
        files[path.relative_to(work).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {
        "head": git("symbolic-ref", "-q", "HEAD", cwd=work, check=False),
        "head_sha": git("rev-parse", "HEAD", cwd=work, check=False),
        "refs": git("for-each-ref", "--format=%(refname) %(objectname)", cwd=work),
        "index": git("ls-files", "--stage", cwd=work),
        "status": git("status", "--porcelain", "--untracked-files=all", cwd=work),
        "files": files,
    }


def create_sandbox(
    top: Path,
    *,
    name: str = "demo-greeter",
    version: str = "0.1.0",
    history: Sequence[tuple[str, str, str]] = DEFAULT_HISTORY,
    pyproject_extra: str = "",
    tag_initial: bool = True,
    backend: str = "flit",
) -> Sandbox:
    """A new project under ``top``: an initial release commit, ``history`` after it, all pushed.

    With ``tag_initial`` the initial commit carries the tag ``v<version>``, so the
    history forms the unreleased changes; without it the project has never been released.
    ``backend`` names its build backend, one of :data:`BUILD_SYSTEMS`.
    """
    package = name.replace("-", "_")
    top.mkdir(parents=True, exist_ok=True)
    work, remote = top / "work", top / "remote.git"
    git("init", "-q", "--bare", "-b", "main", str(remote), cwd=top)
    git("init", "-q", "-b", "main", str(work), cwd=top)
    sandbox = Sandbox(top=top, work=work, remote=remote, package=package)
    sandbox.git("remote", "add", "origin", str(remote))
    sandbox.git("config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    sandbox.git("config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    sandbox.git("config", "commit.gpgsign", "false")
    sandbox.git("config", "tag.gpgsign", "false")
    fields = {"name": name, "pkg": package, "version": version, "extra": pyproject_extra}
    build_system, backend_tables = BUILD_SYSTEMS[backend]
    pyproject = PYPROJECT_TEMPLATE.format(
        build_system=build_system, backend_tables=backend_tables, **fields
    )
    sandbox.write(
        {
            "pyproject.toml": pyproject,
            f"src/{package}/__init__.py": f'"""{name}."""\n\n__version__ = "{version}"\n',
            "README.md": f"# {name}\n\nSays hello.\n",
            ".gitignore": "dist/\nbuild/\n*.egg-info/\n__pycache__/\n",
        }
    )
    sandbox.commit(f"chore: start {name}")
    if tag_initial:
        sandbox.git("tag", "-a", f"v{version}", "-m", f"{name} {version}")
    for message, path, content in history:
        sandbox.commit(message, {path.format(**fields): content.format(**fields)})
    sandbox.git("push", "-q", "--follow-tags", "-u", "origin", "main")
    return sandbox


def run_repokit(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The ``repokit`` console script beside this Python, run as a user would in ``cwd``,
    with ``env`` added to the environment; never raises for its exit code."""
    import sys

    return subprocess.run(
        [str(Path(sys.executable).parent / "repokit"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        env={**os.environ, **env},
    )


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """``result`` is a refusal: exit 1, no traceback, a hint, and each of ``words``."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "\nhint: " in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
