"""Governance against the GitHub emulator, through the real PyGithub adapter over HTTP.

Each test runs the ``repokit`` console script as a user would, with GITHUB_API_URL pointing
at the emulator. The emulator validates every request and response against GitHub's
OpenAPI description (the fixture fails the test on any violation).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from repokit.fixtures.github import ADMIN_TOKEN
from repokit.github import ATTEMPTS
from repokit.testing.github import GitHubEmulator

REPOKIT = str(Path(sys.executable).parent / "repokit")

SETTINGS = """\
repository:
  description: Widgets for everyone
  homepage: https://example.com/widget
  topics: [widgets, python]
  has_wiki: false
  allow_merge_commit: false
  delete_branch_on_merge: true
branches:
  - name: main
    protection:
      required_pull_request_reviews:
        required_approving_review_count: 1
        dismiss_stale_reviews: true
        require_code_owner_reviews: true
      required_status_checks:
        strict: true
        from_workflows: true
      enforce_admins: false
      required_conversation_resolution: true
      required_signatures: true
      allow_force_pushes: false
      allow_deletions: false
      restrictions: null
"""

PR_WORKFLOW = """\
name: PR
on:
  pull_request:
    branches: [main]
jobs:
  lint: {runs-on: ubuntu-latest, steps: [{run: "true"}]}
  test:
    runs-on: ubuntu-latest
    strategy: {matrix: {python: ["3.11", "3.12"]}}
    steps: [{run: "true"}]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "widget"\nversion = "1.0.0"\n')
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "settings.yml").write_text(SETTINGS)
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "pr.yml").write_text(PR_WORKFLOW)
    return tmp_path


def repokit(
    project: Path,
    emulator: GitHubEmulator,
    *args: str,
    token: str | None = ADMIN_TOKEN,
    **env_extra: str,
) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it, outside any GitHub Actions run (unless given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update({"GITHUB_API_URL": emulator.url, "REPOKIT_GITHUB_BACKOFF": "0"})
    if token is not None:
        env["GITHUB_TOKEN"] = token
    env.update(env_extra)
    result = subprocess.run(
        [REPOKIT, *args, "--repo", "acme/widget"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if token:
        assert token not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def test_apply_from_scratch_then_nothing_to_do(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "read back: the live settings match" in result.stdout
    assert "lint, test (3.11), test (3.12) have not reported on the latest commit" in result.stdout

    repo = github_emulator.repo("acme", "widget")
    assert repo.settings["description"] == "Widgets for everyone"
    assert repo.settings["has_wiki"] is False
    assert sorted(repo.topics) == ["python", "widgets"]
    protection = github_emulator.branch("acme", "widget", "main").protection
    assert protection is not None
    assert protection.required_status_checks is not None
    assert protection.required_status_checks.strict is True
    assert sorted(protection.required_status_checks.checks) == [
        ("lint", 15368),
        ("test (3.11)", 15368),
        ("test (3.12)", 15368),
    ]
    reviews = protection.required_pull_request_reviews
    assert reviews is not None and reviews.required_approving_review_count == 1
    assert reviews.require_code_owner_reviews and reviews.dismiss_stale_reviews
    assert protection.flags["required_conversation_resolution"] is True
    assert protection.required_signatures is True
    writes = [(r.method, r.path) for r in github_emulator.writes()]
    assert writes == [
        ("PATCH", "/repos/acme/widget"),
        ("PUT", "/repos/acme/widget/topics"),
        ("PUT", "/repos/acme/widget/branches/main/protection"),
        ("POST", "/repos/acme/widget/branches/main/protection/required_signatures"),
    ]

    head = github_emulator.branch("acme", "widget", "main").commits[-1].sha
    for check in ("lint", "test (3.11)", "test (3.12)"):
        github_emulator.add_check_run("acme", "widget", head, check)
    before = len(github_emulator.requests)
    again = repokit(project, github_emulator, "governance", "--yes")
    assert again.returncode == 0, again.stderr
    assert "no changes" in again.stdout
    assert "warning" not in again.stdout
    in_sync = github_emulator.requests[before:]
    assert [r for r in in_sync if r.method != "GET"] == []
    assert len(in_sync) <= 5, [(r.method, r.path) for r in in_sync]


def test_fields_the_file_does_not_mention_keep_their_live_values(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.set_protection("acme", "widget", "main", required_linear_history=True)
    assert repokit(project, github_emulator, "protect-main", "--yes").returncode == 0
    protection = github_emulator.branch("acme", "widget", "main").protection
    assert protection is not None and protection.flags["required_linear_history"] is True


def test_dry_run_shows_the_plan_and_writes_nothing(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    result = repokit(project, github_emulator, "governance", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "repository: description" in result.stdout
    assert "branch main: required_status_checks.checks" in result.stdout
    assert "dry run: nothing was changed" in result.stdout
    assert github_emulator.writes() == []


def test_drift_exits_1_until_the_file_is_applied(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    drifted = repokit(project, github_emulator, "drift")
    assert drifted.returncode == 1
    assert "drifted from settings.yml" in drifted.stderr
    assert repokit(project, github_emulator, "governance", "--yes").returncode == 0
    clean = repokit(project, github_emulator, "drift")
    assert clean.returncode == 0 and "no drift" in clean.stdout
    github_emulator.set_protection("acme", "widget", "main", allow_force_pushes=True)
    assert repokit(project, github_emulator, "drift").returncode == 1


def test_unreported_checks_are_refused_before_any_request(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    pr = project / ".github" / "workflows" / "pr.yml"
    pr.write_text(
        PR_WORKFLOW.replace("  pull_request:\n    branches: [main]", "  workflow_dispatch:")
    )
    result = repokit(project, github_emulator, "protect-main", "--yes")
    assert result.returncode == 1
    assert "would never report on pull requests into main" in result.stderr
    # a workflow with no pull_request trigger may deploy: never pointed at pull requests
    assert "hint: leave pr.yml out of the required checks" in result.stderr
    assert github_emulator.requests == []


@pytest.mark.parametrize(
    ("setup", "token", "words"),
    [
        ("none", None, "GITHUB_TOKEN and GH_TOKEN are unset"),
        ("none", "not-a-real-token", "GitHub rejected the token (401"),
        ("reader", "reader-token-123", "may not do this on acme/widget (403"),
        ("private", ADMIN_TOKEN, "private and its plan has no branch protection"),
    ],
)
def test_each_error_is_one_clear_line(
    project: Path, github_emulator: GitHubEmulator, setup: str, token: str | None, words: str
) -> None:
    if setup == "reader":
        github_emulator.add_user("reader")
        github_emulator.add_token("reader-token-123", "reader")
        github_emulator.repo("acme", "widget").collaborators["reader"] = "pull"
    if setup == "private":
        repo = github_emulator.repo("acme", "widget")
        repo.private = True
        repo.protection_available = False
    result = repokit(project, github_emulator, "protect-main", "--yes", token=token)
    assert result.returncode == 1, result.stdout
    assert words in result.stderr
    assert "hint: " in result.stderr and "Traceback" not in result.stderr
    assert github_emulator.writes() == []


def test_unknown_repository(project: Path, github_emulator: GitHubEmulator) -> None:
    env = {**os.environ, "GITHUB_API_URL": github_emulator.url, "GITHUB_TOKEN": ADMIN_TOKEN}
    result = subprocess.run(
        [REPOKIT, "settings", "--yes", "--repo", "acme/nothing"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "repository acme/nothing not found" in result.stderr


def test_server_errors_are_retried(project: Path, github_emulator: GitHubEmulator) -> None:
    github_emulator.fail_next(2, status=502)
    github_emulator.secondary_rate_limit(1, retry_after=1)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 0, result.stderr


def test_a_failure_midway_says_what_was_applied_and_a_rerun_converges(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    # as many failures as the adapter makes attempts: this write fails for good
    github_emulator.fail_next(
        ATTEMPTS, status=503, only="PUT /repos/acme/widget/branches/main/protection"
    )
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "applied: PATCH repository" in result.stderr
    assert "not applied: PUT protection of main" in result.stderr
    assert github_emulator.repo("acme", "widget").settings["description"] == "Widgets for everyone"
    rerun = repokit(project, github_emulator, "governance", "--yes")
    assert rerun.returncode == 0, rerun.stderr
    assert "PATCH repository" not in rerun.stdout  # only what was missing
    assert github_emulator.branch("acme", "widget", "main").protection is not None


def test_an_exhausted_rate_limit_far_from_its_reset_is_an_error_with_the_time(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.exhaust_rate_limit(reset_in=3600)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "GitHub's rate limit is exhausted until " in result.stderr
    assert "UTC" in result.stderr
    assert github_emulator.writes() == []


def test_the_token_of_a_logged_in_gh_is_used(
    project: Path, github_emulator: GitHubEmulator, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(f"#!/bin/sh\n[ \"$1 $2\" = 'auth token' ] && echo {ADMIN_TOKEN}\n")
    gh.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env.update({"GITHUB_API_URL": github_emulator.url, "PATH": f"{bin_dir}:{env['PATH']}"})
    result = subprocess.run(
        [REPOKIT, "settings", "--dry-run", "--repo", "acme/widget"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "repository: description" in result.stdout  # compared with the live state
    assert ADMIN_TOKEN not in result.stdout + result.stderr
