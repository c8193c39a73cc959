"""Events and triggers, local reusable workflows and composite actions, hashFiles."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ci_project import ci, git, project, summary_row

PR_ONLY_DOCS = """\
on:
  pull_request:
    branches: [main]
    paths: ['docs/**']
jobs:
  docs:
    steps: [{run: echo DOCS}]
"""

PUSH_ONLY = """\
on:
  # pull_request:
  push:
    branches: [main]
jobs:
  p:
    steps: [{run: echo P}]
"""


def test_without_workflow_the_event_chooses_with_its_filters(tmp_path: Path) -> None:
    root = project(tmp_path, PR_ONLY_DOCS, name="docs.yml", header="\n")
    (root / ".github/workflows/push.yml").write_text(PUSH_ONLY)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "push workflow")
    git(root, "checkout", "-qb", "feature")
    (root / "code.py").write_text("x = 1\n")
    result = ci(root, workflow=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs.yml: not run (pull_request: no changed file matches paths" in result.stdout
    assert "push.yml: not run (not triggered by pull_request" in result.stdout  # commented
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# docs\n")  # an uncommitted change counts
    again = ci(root, workflow=None)
    assert "[docs] DOCS" in again.stdout
    pushed = ci(root, "--event", "push", workflow=None)
    assert "push.yml: not run (push: branch feature is not in branches" in pushed.stdout


def test_a_local_reusable_workflow_runs_its_jobs_as_caller_slash_called(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  call:\n    name: Tests\n    uses: ./.github/workflows/reusable.yml\n"
        "    with: {target: world}\n    secrets: inherit\n"
        "  after:\n    needs: call\n    steps:\n      - run: echo AFTER ${{ needs.call.result }}\n"
        "  remote:\n    uses: octo/repo/.github/workflows/x.yml@v1\n",
    )
    (root / ".github/workflows/reusable.yml").write_text(
        "on:\n  workflow_call:\n    inputs:\n      target: {type: string}\n"
        "      greeting: {type: string, default: hello}\n"
        "jobs:\n  unit:\n    steps:\n"
        "      - run: echo ${{ inputs.greeting }} ${{ inputs.target }}\n"
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[call / unit] hello world" in result.stdout
    assert summary_row(result.stdout, "Tests / unit")[1] == "passed"
    assert "[after] AFTER success" in result.stdout
    remote = " ".join(summary_row(result.stdout, "remote"))
    assert "skipped" in remote and "of another repository" in remote


def test_a_local_composite_action_runs_its_steps_with_its_inputs(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  use:\n    steps:\n      - uses: ./.github/actions/greet\n"
        "        with: {who: you}\n",
    )
    action = root / ".github/actions/greet"
    action.mkdir(parents=True)
    (action / "action.yml").write_text(
        "name: greet\ninputs:\n  who: {default: nobody}\n  how: {default: hi}\n"
        "runs:\n  using: composite\n  steps:\n"
        "    - shell: bash\n      run: echo ${{ inputs.how }} ${{ inputs.who }}"
        " from $(basename $GITHUB_ACTION_PATH)\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "action")
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[use] hi you from greet" in result.stdout
    assert summary_row(result.stdout, "use")[1] == "passed"


def test_hash_files_and_step_names_are_githubs(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  h:\n    steps:\n      - name: Hash ${{ github.event_name }}\n"
        "        run: echo HASH ${{ hashFiles('**/requirements*.txt') }}\n",
    )
    (root / "requirements.txt").write_text("a\n")
    (root / "sub").mkdir()
    (root / "sub" / "requirements-dev.txt").write_text("b\n")
    expected = hashlib.sha256()
    for name in ("requirements.txt", "sub/requirements-dev.txt"):
        expected.update(hashlib.sha256((root / name).read_bytes()).digest())
    result = ci(root)
    assert f"[h] HASH {expected.hexdigest()}" in result.stdout
    assert "[h] step Hash pull_request" in result.stdout


def test_checkout_submodules_come_from_the_local_clone(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "lib.txt").write_text("from the submodule\n")
    git(library, "init", "-q", "-b", "main")
    git(library, "add", "-A")
    git(library, "commit", "-qm", "lib")
    root = project(
        tmp_path / "app",
        "jobs:\n  s:\n    steps:\n      - uses: actions/checkout@v4\n"
        "        with: {submodules: true}\n      - run: cat vendor/lib/lib.txt\n",
    )
    git(
        root,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(library),
        "vendor/lib",
    )
    git(root, "commit", "-qm", "add the submodule")
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[s] from the submodule" in result.stdout
