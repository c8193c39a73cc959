"""Every command ends quietly when the reader of its output goes away (``| head -1``).

Exit 141 is what a shell reports for a writer ended by SIGPIPE, as git and the coreutils
end: no traceback, no "Exception ignored" line, and never the bug exit (3).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from repokit.errors import EXIT_BROKEN_PIPE
from repokit.testing.sandbox import Sandbox

BIN = Path(sys.executable).parent
WORKFLOW = "name: {name}\non: [pull_request]\njobs:\n  {job}:\n    runs-on: ubuntu-latest\n"
WORKFLOW += "    steps: [{{run: 'true'}}]\n"
SETTINGS = "labels:\n" + "".join(f"  - {{name: l{i}, color: ededed}}\n" for i in range(50))
#: Each command as a user runs it; the output of each is more than one line.
COMMANDS = [
    ("repokit", "checks"),
    ("repokit", "governance", "--dry-run"),
    ("repokit", "ci", "--list"),
    ("repokit", "--list"),
    ("repokit", "changelog"),
    ("repokit", "init", "--dry-run"),
    ("inv", "checks"),  # under Invoke's own program
    ("inv", "--list"),  # Invoke's own listing, of the adopter's tasks.py
]


@pytest.fixture
def project(sandbox: Sandbox) -> Path:
    files = {
        "governance/settings.yml": SETTINGS,
        "tasks.py": "from repokit.tasks import namespace\n",
    }
    for i in range(3):
        files[f".github/workflows/w{i}.yml"] = WORKFLOW.format(name=f"W{i}", job=f"job{i}")
    sandbox.commit("ci: workflows and settings", files)
    return sandbox.work


def environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["GH_CONFIG_DIR"] = str(root / ".no-gh")  # never a real gh login
    return env


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_reader_gone_before_the_first_line_ends_the_command_quietly(
    project: Path, command: tuple[str, ...]
) -> None:
    """The hardest case of ``| head -1``: even the first write finds the pipe closed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(BIN / command[0]), *command[1:]],
            cwd=project,
            env=environment(project),
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE, done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("command", "first_line"),
    [
        ("repokit checks", "check  workflow  job  on pull requests  triggers"),
        ("repokit governance --dry-run", "settings: governance/settings.yml"),
        ("repokit ci --list", "W0 (w0.yml, pull_request): 1 job(s)"),
    ],
)
def test_piped_to_head_the_first_line_arrives_and_nothing_else_is_said(
    project: Path, command: str, first_line: str
) -> None:
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command} | head -1"],
        cwd=project,
        env=environment(project),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, EXIT_BROKEN_PIPE), done.stderr
    assert done.stderr == ""
    assert done.stdout.split() == first_line.split() and done.stdout.count("\n") == 1
