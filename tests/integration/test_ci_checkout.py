"""actions/checkout as on GitHub: a pull request's merge commit, ``ref:``, ``path:``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ci_project import ci, git, project, summary_row

MERGE_JOBS = """\
jobs:
  merged:
    steps:
      - uses: actions/checkout@v4
      - run: |
          echo SHA $GITHUB_SHA HEAD $(git rev-parse HEAD) REF $GITHUB_REF
          echo PARENTS $(git log -1 --format=%P)
          echo FILES $(ls *.txt)
          git checkout -q HEAD^2 && echo HEAD2 $(ls *.txt)
  head:
    steps:
      - uses: actions/checkout@v4
        with: {ref: '${{ github.event.pull_request.head.sha }}'}
      - run: echo ONHEAD $(ls *.txt) $(git rev-parse HEAD)
"""


def _pull_request(tmp_path: Path, *, conflict: bool = False) -> tuple[Path, str, str]:
    """main and a feature branch that both moved on since they parted; on feature."""
    root = project(tmp_path, MERGE_JOBS)
    git(root, "checkout", "-qb", "feature")
    (root / "feature.txt").write_text("feature\n")
    if conflict:
        (root / "notes.md").write_text("feature's\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "feature")
    git(root, "checkout", "-q", "main")
    (root / "main.txt").write_text("main\n")
    if conflict:
        (root / "notes.md").write_text("main's\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "main moved on")
    base = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "feature")
    return root, base, git(root, "rev-parse", "HEAD").strip()


def _line(output: str, prefix: str) -> list[str]:
    return next(x for x in output.splitlines() if x.startswith(prefix)).split()[2:]


def test_a_pull_request_runs_on_its_merge_commit_as_on_github(tmp_path: Path) -> None:
    root, base, head = _pull_request(tmp_path)
    (root / "draft.txt").write_text("uncommitted\n")
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    sha, _, checked_out, _, ref = _line(result.stdout, "[merged] SHA")
    assert sha == checked_out and sha not in (base, head)
    assert ref.startswith("refs/pull/") and ref.endswith("/merge")
    assert _line(result.stdout, "[merged] PARENTS") == [base, head]  # base first, as GitHub
    assert _line(result.stdout, "[merged] FILES") == ["draft.txt", "feature.txt", "main.txt"]
    assert _line(result.stdout, "[merged] HEAD2") == ["draft.txt", "feature.txt"]
    assert _line(result.stdout, "[head] ONHEAD") == ["draft.txt", "feature.txt", head]
    assert summary_row(result.stdout, "merged")[1] == "passed"
    again = ci(root)
    assert _line(again.stdout, "[merged] SHA")[0] == sha  # the same commit on every run
    missing = subprocess.run(["git", "cat-file", "-e", sha], cwd=root, capture_output=True)
    assert missing.returncode != 0  # made in the jobs' clones, not in the user's repository


def test_a_clone_without_a_local_base_branch_merges_into_origins(tmp_path: Path) -> None:
    upstream, base, head = _pull_request(tmp_path / "upstream")
    root = tmp_path / "clone"
    git(tmp_path, "clone", "--quiet", str(upstream), str(root))
    assert git(root, "branch", "--list").split() == ["*", "feature"]  # origin/main only
    git(root, "remote", "set-head", "origin", "main")  # as a clone of GitHub's has it
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _line(result.stdout, "[merged] PARENTS") == [base, head]


def test_a_conflicting_pull_request_says_github_would_not_run_it(tmp_path: Path) -> None:
    root, _, head = _pull_request(tmp_path, conflict=True)
    result = ci(root)
    assert "conflicts with the base branch: GitHub runs no pull_request workflow" in result.stdout
    assert _line(result.stdout, "[merged] SHA")[:3] == [head, "HEAD", head]


def test_on_the_default_branch_there_is_nothing_to_merge(tmp_path: Path) -> None:
    root = project(tmp_path, MERGE_JOBS)
    head = git(root, "rev-parse", "HEAD").strip()
    result = ci(root)
    assert _line(result.stdout, "[merged] SHA")[:3] == [head, "HEAD", head]
    assert "merge commit" not in result.stdout


def test_checkout_with_path_copies_the_tree_there_and_keeps_the_workspace(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        "jobs:\n  p:\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with: {path: sub/dir}\n"
        '      - run: echo WS $([ "$GITHUB_WORKSPACE" = "$PWD" ] && echo same) $(ls sub)\n'
        "      - run: echo IN $(ls) $(git rev-parse --show-toplevel | xargs basename)"
        " $(git status --porcelain | wc -l)\n"
        "        working-directory: sub/dir\n",
    )
    (root / "draft.txt").write_text("uncommitted\n")
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    said = "actions/checkout@v4: the working tree, with your uncommitted changes, copied into"
    assert f"{said} sub/dir" in result.stdout
    assert "[p] WS same dir" in result.stdout
    assert "[p] IN draft.txt pyproject.toml dir 1" in result.stdout  # its own repository
    assert summary_row(result.stdout, "p")[1] == "passed"


def test_a_git_without_merge_tree_write_tree_runs_the_head_and_says_why(tmp_path: Path) -> None:
    """git before 2.38 has no ``merge-tree --write-tree``: it answers 129, "unknown option"."""
    root, _, head = _pull_request(tmp_path)
    real_git = shutil.which("git")
    assert real_git is not None
    old_git = tmp_path / "old-git"
    old_git.mkdir()
    (old_git / "git").write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do [ "$arg" = --write-tree ] && '
        '{ echo "error: unknown option \\`write-tree\'" >&2; exit 129; }; done\n'
        f'exec {real_git} "$@"\n'
    )
    (old_git / "git").chmod(0o755)
    result = ci(root, env={"PATH": f"{old_git}{os.pathsep}{os.environ['PATH']}"})
    assert "cannot be built with this git" in result.stdout
    assert "conflicts" not in result.stdout
    assert _line(result.stdout, "[merged] SHA")[:3] == [head, "HEAD", head]
