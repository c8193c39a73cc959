"""Workflow files: matrices, the check names GitHub shows, and which checks report on PRs."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.ci.checks import checks
from repokit.ci.model import combinations, load_workflow
from repokit.errors import WorkflowError


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    return path


def test_matrix_with_include_and_exclude_as_github_documents() -> None:
    matrix = {
        "fruit": ["apple", "pear"],
        "animal": ["cat", "dog"],
        "include": [
            {"color": "green"},
            {"color": "pink", "animal": "cat"},
            {"fruit": "apple", "shape": "circle"},
            {"fruit": "banana"},
            {"fruit": "banana", "animal": "cat"},
        ],
    }
    assert combinations(matrix) == [
        {"fruit": "apple", "animal": "cat", "color": "pink", "shape": "circle"},
        {"fruit": "apple", "animal": "dog", "color": "green", "shape": "circle"},
        {"fruit": "pear", "animal": "cat", "color": "pink"},
        {"fruit": "pear", "animal": "dog", "color": "green"},
        {"fruit": "banana"},
        {"fruit": "banana", "animal": "cat"},
    ]
    assert combinations({"os": ["a", "b"], "py": [1, 2], "exclude": [{"os": "b", "py": 1}]}) == [
        {"os": "a", "py": 1},
        {"os": "a", "py": 2},
        {"os": "b", "py": 2},
    ]


WORKFLOW = """\
name: CI
on:
  pull_request:
    branches: [main, 'release/**']
jobs:
  lint:
    runs-on: ubuntu-latest
    steps: [{run: "true"}]
  test:
    name: Test
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
        python: ["3.11", "3.12"]
        exclude: [{os: windows-latest, python: "3.11"}]
    steps: [{run: "true"}]
  docs:
    name: Docs on ${{ matrix.python }}
    strategy: {matrix: {python: ["3.12"]}}
    runs-on: ubuntu-latest
    steps: [{run: "true"}]
  call:
    uses: ./.github/workflows/reusable.yml
  dynamic:
    strategy: {matrix: "${{ fromJSON(needs.lint.outputs.matrix) }}"}
    runs-on: ubuntu-latest
    steps: [{run: "true"}]
"""

REUSABLE = """\
on: workflow_call
jobs:
  inner:
    name: Inner job
    runs-on: ubuntu-latest
    steps: [{run: "true"}]
"""


def test_check_names_follow_githubs_rules(tmp_path: Path) -> None:
    directory = tmp_path / ".github" / "workflows"
    write(directory, "ci.yml", WORKFLOW)
    write(directory, "reusable.yml", REUSABLE)
    found = [c for c in checks(directory) if c.workflow == "ci.yml"]
    assert [c.name for c in found] == [
        "lint",
        "Test (ubuntu-latest, 3.11)",
        "Test (ubuntu-latest, 3.12)",
        "Test (windows-latest, 3.12)",
        "Docs on 3.12",
        "call / Inner job",
        "dynamic",
    ]
    assert [c.resolved for c in found] == [True] * 6 + [False]
    assert "only known when it runs" in (found[-1].reason or "")
    assert all(c.reports_on_pull_requests for c in found)


@pytest.mark.parametrize(
    ("on", "reports", "reason"),
    [
        ("  workflow_dispatch:\n", False, "does not run on pull requests"),
        ("  # pull_request:\n  workflow_dispatch:\n", False, "does not run on pull requests"),
        ("  pull_request:\n", True, None),
        ("  pull_request:\n    branches: [develop]\n", False, "filters out pull requests"),
        ("  pull_request:\n    branches-ignore: [main]\n", False, "filters out"),
        ("  pull_request:\n    branches: ['**', '!main']\n", False, "filters out"),
        ("  pull_request:\n    paths: ['src/**']\n", False, "paths filter"),
        ("  pull_request_target:\n", True, None),
    ],
)
def test_which_workflows_report_on_pull_requests(
    tmp_path: Path, on: str, reports: bool, reason: str | None
) -> None:
    text = f"on:\n{on}jobs:\n  a:\n    runs-on: x\n    steps: [{{run: 'true'}}]\n"
    write(tmp_path, "w.yml", text)
    (check,) = checks(tmp_path, branch="main")
    assert check.reports_on_pull_requests is reports
    if reason:
        assert reason in (check.reason or "")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("jobs: [\n", "invalid YAML"),
        ("on: push\n", "no jobs"),
        ("on: push\njobs:\n  a:\n    needs: b\n    steps: []\n", "needs 'b'"),
    ],
)
def test_broken_workflows_are_named(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, "bad.yml", text)
    with pytest.raises(WorkflowError) as info:
        load_workflow(path)
    assert str(path) in info.value.message
    assert words in info.value.message


def test_a_workflow_name_is_looked_up_under_the_workflows_folder_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from repokit.ci.model import resolve_workflow

    directory = tmp_path / ".github" / "workflows"
    directory.mkdir(parents=True)
    (directory / "codspeed.yml").write_text("on: push\njobs: {a: {steps: []}}\n")
    (tmp_path / "codspeed.yml").write_text("not a workflow\n")
    monkeypatch.chdir(tmp_path)
    assert resolve_workflow(directory, "codspeed.yml") == directory / "codspeed.yml"
    assert resolve_workflow(directory, "codspeed") == directory / "codspeed.yml"
    other = tmp_path / "elsewhere.yml"
    other.write_text("on: push\njobs: {a: {steps: []}}\n")
    assert resolve_workflow(directory, str(other)) == other
