"""How fast ``inv --list`` and ``inv version`` start (target: under 0.3 s each).

Only Invoke and the task modules load at start; PyGithub, build and twine are imported by
the tasks that use them. tests/integration/test_startup.py proves
the heavy modules stay out.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

INV = str(Path(sys.executable).parent / "inv")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project as users have them: in a git repository (the version reads its tags)."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.3"\n')
    (tmp_path / "tasks.py").write_text("from repokit.tasks import namespace\n")
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", *identity, "commit", "-qm", "start"], cwd=tmp_path, check=True)
    return tmp_path


@pytest.mark.benchmark(group="startup")
@pytest.mark.parametrize("command", [["--list"], ["version"]], ids=["list", "version"])
def test_startup(benchmark: BenchmarkFixture, project: Path, command: list[str]) -> None:
    def start() -> str:
        return subprocess.run(
            [INV, *command], cwd=project, capture_output=True, text=True, check=True
        ).stdout

    out = benchmark.pedantic(start, rounds=10, warmup_rounds=1)
    assert ("release" in out) if command == ["--list"] else (out == "1.2.3\n")
