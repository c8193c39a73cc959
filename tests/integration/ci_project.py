"""Temporary git repositories with a workflow, and ``repokit ci`` run in them as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPOKIT = str(Path(sys.executable).parent / "repokit")
#: One tool cache for every test: uv and pip are installed into it once, then reused.
TOOL_CACHE = str(Path(tempfile.gettempdir()) / "repokit-tests-tool-cache")


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    done = subprocess.run(["git", *identity, *args], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def project(tmp_path: Path, workflow: str, *, name: str = "w.yml", header: str = "") -> Path:
    """A git repository (one commit on main) whose only workflow is ``workflow``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n')
    directory = tmp_path / ".github" / "workflows"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text((header or "on: workflow_dispatch\n") + workflow)
    git(tmp_path, "init", "--quiet", "--initial-branch", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "--quiet", "-m", "start")
    return tmp_path


def ci(
    root: Path,
    *args: str,
    env: dict[str, str] | None = None,
    workflow: str | None = "w",
    verbose: bool = True,
) -> subprocess.CompletedProcess[str]:
    """``repokit ci`` in ``root``; ``--verbose`` unless told not, so steps' output shows."""
    chosen = ["--workflow", workflow] if workflow else []
    loud = ["--verbose"] if verbose else []
    return subprocess.run(
        [REPOKIT, "ci", *chosen, *loud, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "REPOKIT_TOOL_CACHE": TOOL_CACHE, **(env or {})},
        check=False,
    )


def summary_row(output: str, job: str) -> list[str]:
    """The summary table's cells for ``job``: [job, result, duration, log / reason...]; the
    words of the row's wrapped lines (they start with spaces) are added to its last cell."""
    lines = output.split("\njob ", 1)[1].splitlines()
    for number, line in enumerate(lines):
        if line.startswith(job + "  "):
            words = line[len(job) :].split()
            for more in lines[number + 1 :]:
                if not more.startswith(" "):
                    break
                words += more.split()
            return [line[: len(job)], *words]
    raise AssertionError(f"no row for {job} in:\n{output}")
