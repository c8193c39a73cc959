"""pre-commit/action and zizmorcore/zizmor-action, run here on the job's copy of the tree."""

from __future__ import annotations

import shutil
from pathlib import Path

from ci_project import TOOL_CACHE, ci, git, project, summary_row

PRE_COMMIT_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: no-todo
        name: no TODO in Python files
        language: pygrep
        entry: TODO
        files: \\.py$
"""


def test_pre_commit_action_runs_the_hooks_on_all_files(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  lint:\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - uses: pre-commit/action@v3.0.1\n",
    )
    (root / ".pre-commit-config.yaml").write_text(PRE_COMMIT_CONFIG)
    (root / "code.py").write_text("x = 1\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "hooks")
    clean = ci(root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no TODO in Python files" in clean.stdout and "Passed" in clean.stdout
    assert summary_row(clean.stdout, "lint")[1] == "passed"
    (root / "code.py").write_text("x = 1  # TODO\n")  # an uncommitted change is checked too
    dirty = ci(root)
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "[lint] code.py:1:x = 1  # TODO" in dirty.stdout
    assert "step failed" in " ".join(summary_row(dirty.stdout, "lint"))


ZIZMOR_JOB = """\
jobs:
  zizmor:
    steps:
      - uses: actions/checkout@v4
      - uses: zizmorcore/zizmor-action@v0.2.0
        with:
          inputs: .github/workflows/audited.yml
          advanced-security: {advanced}
"""

AUDITED = """\
on: pull_request
permissions: {{}}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "{text}"
"""


def test_zizmor_action_audits_offline_and_fails_on_findings(tmp_path: Path) -> None:
    root = project(tmp_path, ZIZMOR_JOB.format(advanced="false"))
    audited = root / ".github" / "workflows" / "audited.yml"
    audited.write_text(AUDITED.format(text="hello"))
    clean = ci(root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No findings to report" in clean.stdout
    assert summary_row(clean.stdout, "zizmor")[1] == "passed"
    audited.write_text(AUDITED.format(text="${{ github.event.pull_request.title }}"))
    found = ci(root)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "template-injection" in found.stdout
    assert summary_row(found.stdout, "zizmor")[1] == "failed"
    workflow = root / ".github" / "workflows" / "w.yml"
    workflow.write_text(workflow.read_text().replace("security: false", "security: true"))
    reported = ci(root)  # findings go to code scanning: the action does not fail the job
    assert reported.returncode == 0, reported.stdout + reported.stderr
    assert "template-injection" in reported.stdout
    assert "with advanced-security the action reports, not fails" in reported.stdout


def test_a_lint_tool_that_cannot_be_installed_makes_the_job_partial(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  zizmor:\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo BEFORE\n"
        "      - uses: zizmorcore/zizmor-action@v0.2.0\n",
    )
    assert ci(root).returncode == 0  # the shared tool cache has pip's wheel after this
    empty = tmp_path / "no-packages"
    empty.mkdir()
    fresh = tmp_path / "fresh-cache"
    shutil.copytree(Path(TOOL_CACHE) / "wheels", fresh / "wheels")  # pip, but no zizmor
    offline = {  # and a package index that has nothing
        "REPOKIT_TOOL_CACHE": str(fresh),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(empty),
    }
    result = ci(root, env=offline)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "zizmorcore/zizmor-action@v0.2.0: skipped (cannot install zizmor" in result.stdout
    row = " ".join(summary_row(result.stdout, "zizmor"))
    assert "partial" in row and "not mirrored" in row
