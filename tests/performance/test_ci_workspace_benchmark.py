"""How fast a job gets its own copy of a 5,000-file working tree (target: under 0.5 s).

The copy is a ``git clone --shared`` checked out at HEAD, plus the user's uncommitted and
untracked changes; every job of ``inv ci`` starts with one.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from repokit.ci.workspace import create


@pytest.fixture(scope="module")
def big_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big")
    for i in range(5000):
        folder = root / f"pkg{i % 50}"
        folder.mkdir(exist_ok=True)
        (folder / f"module{i}.py").write_text(f"value = {i}\n" * 20)
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", *identity, "commit", "-qm", "big"], cwd=root, check=True)
    for i in range(20):  # uncommitted work: changed and new files
        (root / "pkg0" / f"module{i * 50}.py").write_text("changed = True\n")
        (root / f"new{i}.py").write_text("new = True\n")
    return root


@pytest.mark.benchmark(group="ci")
def test_job_workspace_of_5000_files(
    benchmark: BenchmarkFixture, big_repository: Path, tmp_path: Path
) -> None:
    counter = itertools.count()

    def copy() -> Path:
        target = tmp_path / f"ws{next(counter)}"
        create(big_repository, target)
        return target

    def clean(path: Path) -> None:
        shutil.rmtree(path)

    target = benchmark.pedantic(copy, rounds=5, warmup_rounds=1)
    assert (target / "pkg0" / "module0.py").read_text() == "changed = True\n"
    assert (target / "new19.py").exists()
    assert len(list(target.glob("pkg*/*.py"))) == 5000
    clean(target)
