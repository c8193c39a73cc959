"""The changelog over a 100,000-commit history, next to the bare ``git log`` it is built on.

Target: reading the commits and rendering the section costs at most 1.5 times a plain
``git log --format=%H%x00%s`` of the same range, i.e. parsing adds little to git's own work.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from repokit.gitrepo import open_repo
from repokit.release.changelog import read_commits, render_section

COMMITS = 100_000
#: (subject, body) patterns cycled through the synthetic history; {n} is the commit's number.
MESSAGES = (
    ("feat(api): add endpoint number {n}", ""),
    ("fix: handle empty input in case {n}", "The parser read past the end.\n\nFixes #{n}"),
    ("docs(readme): explain option {n}", ""),
    ("chore(deps): bump dependency {n}", ""),
    ("perf: cache lookup {n}", ""),
    ("refactor(core): split module {n}", "No behaviour changes."),
    ("Tidy up after change {n}", ""),
    ("feat(cli)!: rename flag {n}", "BREAKING CHANGE: --old-{n} is now --new-{n}"),
    ("test: cover branch {n}", ""),
    ("fix(io): close file {n}", "Refs: #{n}\nBREAKING-CHANGE: files are closed eagerly"),
)
RELEASE_EVERY = 1000
COMMITTER = "Bench <bench@example.com>"

pytestmark = pytest.mark.slow


def _fast_import_stream() -> bytes:
    """A ``git fast-import`` stream of COMMITS linear commits on main (a release every 1000)."""
    chunks: list[bytes] = []
    for n in range(1, COMMITS + 1):
        if n % RELEASE_EVERY == 0:
            message = f"chore: bump version to 0.{n // RELEASE_EVERY}.0\n"
        else:
            subject, body = MESSAGES[n % len(MESSAGES)]
            message = subject.format(n=n) + "\n"
            if body:
                message += "\n" + body.format(n=n) + "\n"
        data = message.encode()
        when = 1_600_000_000 + n
        header = f"commit refs/heads/main\ncommitter {COMMITTER} {when} +0000\ndata {len(data)}\n"
        chunks.append(header.encode() + data + b"\n")
    return b"".join(chunks)


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose main branch holds COMMITS conventional and other commits."""
    root = tmp_path_factory.mktemp("history")
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=root, input=_fast_import_stream(), check=True
    )
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=root, check=True)
    # The new pack goes to disk now, not during whichever benchmark happens to run first.
    os.sync()
    return root


@pytest.mark.benchmark(group="changelog-100k-commits")
def test_read_and_render_the_whole_history(benchmark: BenchmarkFixture, history: Path) -> None:
    repo = open_repo(history)

    def changelog() -> str:
        commits = read_commits(repo, None)
        return render_section(
            "1.0.0",
            "2025-01-01",
            commits,
            repo_url="https://github.com/example/project",
            previous_tag=None,
            tag="v1.0.0",
        )

    text = benchmark.pedantic(changelog, rounds=5, warmup_rounds=1)
    releases = COMMITS // RELEASE_EVERY
    breaking = 2 * COMMITS // len(MESSAGES)
    entries = [line for line in text.splitlines() if line.startswith("- ")]
    left_out = 3 * COMMITS // len(MESSAGES)  # chore, refactor and test: not shown by default
    assert len(entries) == COMMITS - releases - left_out + breaking
    assert "- **cli:** --old-7 is now --new-7 ([" in text
    assert "bump version" not in text


@pytest.mark.benchmark(group="changelog-100k-commits")
def test_bare_git_log_of_the_same_range(benchmark: BenchmarkFixture, history: Path) -> None:
    def bare_log() -> bytes:
        return subprocess.run(
            ["git", "log", "--format=%H%x00%s", "HEAD"],
            cwd=history,
            capture_output=True,
            check=True,
        ).stdout

    out = benchmark.pedantic(bare_log, rounds=5, warmup_rounds=1)
    assert out.count(b"\n") == COMMITS


REPOKIT = str(Path(sys.executable).parent / "repokit")


@pytest.fixture(scope="session")
def project(history: Path) -> Path:
    """The history as a project: an (untracked) pyproject.toml whose version has no tag."""
    (history / "pyproject.toml").write_text('[project]\nname = "bench"\nversion = "1.0.0"\n')
    return history


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of repokit as installed: its modules' bytecode cached once, then read.

    pip compiles a package's modules when it installs them, and Python caches the bytecode
    of the others at their first import. A host that sets PYTHONDONTWRITEBYTECODE (with an
    installer that compiles nothing, as uv by default) makes every run compile Invoke's and
    repokit's sources again: a cost of that host, not of the command. The cache goes to a
    folder of this session (PYTHONPYCACHEPREFIX), filled by the warm-up round.
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path_factory.mktemp("pycache"))
    return env


@pytest.mark.benchmark(group="changelog-command-100k-commits")
def test_changelog_command_as_a_whole(
    benchmark: BenchmarkFixture, project: Path, installed: dict[str, str], tmp_path: Path
) -> None:
    """``repokit changelog`` from process start to exit, its output to a file."""
    out = tmp_path / "changelog.md"

    def command() -> None:
        with out.open("wb") as sink:
            subprocess.run(
                [REPOKIT, "changelog"], cwd=project, env=installed, stdout=sink, check=True
            )

    benchmark.pedantic(command, rounds=5, warmup_rounds=1)
    assert out.read_text().startswith("## [1.0.0] - ")


@pytest.mark.benchmark(group="changelog-command-100k-commits")
def test_bare_git_log_command_of_the_same_range(
    benchmark: BenchmarkFixture, project: Path, tmp_path: Path
) -> None:
    """``git log`` of the whole history, from process start to exit, its output to a file."""
    out = tmp_path / "log.txt"

    def command() -> None:
        with out.open("wb") as sink:
            subprocess.run(
                ["git", "log", "--format=%H%x00%s", "HEAD"], cwd=project, stdout=sink, check=True
            )

    benchmark.pedantic(command, rounds=5, warmup_rounds=1)
    assert out.read_bytes().count(b"\n") == COMMITS
