"""`inv governance` on every section, as a user runs it, against the GitHub emulator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_governance import repokit  # the console script as a user runs it

from repokit.fixtures.github import ADMIN_TOKEN
from repokit.testing.github import Fault, GitHubEmulator
from repokit.testing.github.faults import SECONDARY_RATE_LIMIT_MESSAGE

EVERY_SECTION = """\
repository:
  description: Widgets for everyone
  topics: widgets, python
  has_wiki: false
  enable_vulnerability_alerts: true
  enable_automated_security_fixes: true
  security_and_analysis: {secret_scanning: {status: enabled}}
labels:
  - {name: bug, color: d73a4a, description: Something is broken}
  - {name: good first issue, color: "#7057ff"}
milestones:
  - {title: "1.0", description: First release, state: open}
collaborators:
  - {username: dora, permission: triage}
teams:
  - {name: docs, permission: push}
branches:
  - name: main
    protection:
      required_pull_request_reviews: {required_approving_review_count: 1}
      required_status_checks: {strict: true, contexts: [ci/build]}
      enforce_admins: null
      allow_force_pushes: null
      restrictions: null
environments:
  - name: production
    wait_timer: 5
    prevent_self_review: true
    reviewers: [{type: Team, id: TEAM_ID}, {type: User, id: USER_ID}]
    deployment_branch_policy: {protected_branches: true, custom_branch_policies: false}
autolinks:
  - {key_prefix: "JIRA-", url_template: "https://jira.example.com/browse/<num>"}
rulesets:
  - name: main
    enforcement: active
    conditions: {ref_name: {include: [refs/heads/main], exclude: []}}
    rules:
      - type: deletion
      - type: required_status_checks
        parameters: {strict_required_status_checks_policy: true, from_workflows: true}
"""
PR_WORKFLOW = """\
name: PR
on:
  pull_request:
    branches: [main]
jobs:
  lint: {runs-on: ubuntu-latest, steps: [{run: "true"}]}
"""


@pytest.fixture
def project(tmp_path: Path, github_emulator: GitHubEmulator) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "widget"\nversion = "1.0.0"\n')
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "pr.yml").write_text(PR_WORKFLOW)
    github_emulator.add_org("acme", members=["dora"])
    team = github_emulator.add_team("acme", "docs")
    dora = github_emulator.add_user("dora")
    text = EVERY_SECTION.replace("TEAM_ID", str(team.id)).replace("USER_ID", str(dora.id))
    (tmp_path / ".github" / "settings.yml").write_text(text)
    return tmp_path


def test_every_section_applies_then_an_in_sync_run_reads_at_most_12_times(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    first = repokit(project, github_emulator, "governance", "--yes")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "settings: .github/settings.yml" in first.stdout
    repo = github_emulator.repo("acme", "widget")
    assert {label.name: label.color for label in repo.labels} == {
        "bug": "d73a4a",
        "good first issue": "7057ff",
    }
    assert [(m.title, m.description) for m in repo.milestones] == [("1.0", "First release")]
    assert repo.collaborators["dora"] == "triage"
    assert github_emulator.teams[("acme", "docs")].repos["acme/widget"] == "push"
    assert repo.vulnerability_alerts and repo.automated_security_fixes
    assert repo.security_and_analysis == {"secret_scanning": {"status": "enabled"}}
    protection = github_emulator.branch("acme", "widget", "main").protection
    assert protection is not None and protection.required_status_checks is not None
    assert protection.required_status_checks.checks == [("ci/build", None)]
    production = repo.environments["production"]
    assert (production.wait_timer, production.prevent_self_review) == (5, True)
    assert sorted(kind for kind, _ in production.reviewers) == ["Team", "User"]
    assert production.deployment_branch_policy == {
        "protected_branches": True,
        "custom_branch_policies": False,
    }
    assert [(a.key_prefix, a.url_template) for a in repo.autolinks] == [
        ("JIRA-", "https://jira.example.com/browse/<num>")
    ]

    (ruleset,) = repo.rulesets
    assert (ruleset.name, ruleset.target, ruleset.enforcement) == ("main", "branch", "active")
    assert ruleset.rules[1]["parameters"]["required_status_checks"] == [
        {"context": "lint", "integration_id": 15368}
    ]

    github_emulator.clear_log()
    again = repokit(project, github_emulator, "governance", "--yes")
    assert again.returncode == 0, again.stderr
    assert "no changes" in again.stdout
    assert github_emulator.writes() == []
    assert len(github_emulator.requests) <= 12, [r.path for r in github_emulator.requests]
    drift = repokit(project, github_emulator, "drift")
    assert drift.returncode == 0, drift.stdout + drift.stderr


def test_items_the_file_does_not_list_are_kept_unless_pruned(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    assert repokit(project, github_emulator, "governance", "--yes").returncode == 0
    with github_emulator.lock:
        from repokit.testing.github.state import Label

        repo = github_emulator.repo("acme", "widget")
        repo.labels.append(Label(github_emulator.new_id(), "wontfix", "ffffff"))
    kept = repokit(project, github_emulator, "governance", "--yes")
    assert "unmanaged labels (kept; --prune removes them): wontfix" in kept.stdout
    assert "wontfix" in [label.name for label in repo.labels]
    pruned = repokit(project, github_emulator, "governance", "--yes", "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert "wontfix" not in [label.name for label in repo.labels]
    assert ("DELETE", "/repos/acme/widget/labels/wontfix") in [
        (r.method, r.path) for r in github_emulator.writes()
    ]


def test_a_bad_file_changes_nothing_and_names_every_problem(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    (project / ".github" / "settings.yml").write_text(
        "repository:\n"
        "  description: changed\n"
        "  squash_merge_commit_title: SOMETHING\n"
        "branches:\n"
        "  - name: main\n"
        "    protection:\n"
        "      required_pull_request_reviews:\n"
        "        dismissal_restrictions: {users: alice}\n"
    )
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "dismissal_restrictions.users: expected a list or null, got text" in result.stderr
    assert github_emulator.writes() == []
    (project / ".github" / "settings.yml").write_text(
        "repository:\n  description: changed\n  squash_merge_commit_title: SOMETHING\n"
    )
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "GitHub would refuse 1 value(s)" in result.stderr
    assert "squash_merge_commit_title: 'SOMETHING' is not one of" in result.stderr
    assert ".github/settings.yml:3: PATCH repository" in result.stderr  # the file's line
    assert github_emulator.writes() == []


def test_duplicates_are_refused(project: Path, github_emulator: GitHubEmulator) -> None:
    (project / ".github" / "settings.yml").write_text(
        "labels:\n  - {name: bug, color: ffffff}\n  - {name: Bug, color: 000000}\n"
        "branches:\n  - {name: main, protection: {enforce_admins: true}}\n"
        "  - {name: main, protection: {enforce_admins: false}}\n"
    )
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "labels[1]: Bug is listed twice (also line 2)" in result.stderr
    assert "branches[1]: main is listed twice (also line 5)" in result.stderr
    assert github_emulator.writes() == []


def test_null_protection_deletes_it(project: Path, github_emulator: GitHubEmulator) -> None:
    github_emulator.set_protection("acme", "widget", "main", enforce_admins=True)
    (project / ".github" / "settings.yml").write_text(
        "branches:\n  - name: main\n    protection: null\n"
    )
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 0, result.stderr
    assert github_emulator.branch("acme", "widget", "main").protection is None
    again = repokit(project, github_emulator, "governance", "--yes")
    assert "no changes" in again.stdout


def test_a_lockout_is_refused_unless_allowed(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    (project / ".github" / "settings.yml").write_text(
        "branches:\n  - name: main\n    protection:\n      enforce_admins: true\n"
        "      lock_branch: true\n"
    )
    refused = repokit(project, github_emulator, "governance", "--yes")
    assert refused.returncode == 1
    assert "refusing a lock-out: branch main: lock_branch with enforce_admins" in refused.stderr
    assert github_emulator.writes() == []
    allowed = repokit(project, github_emulator, "governance", "--yes", "--allow-lockout")
    assert allowed.returncode == 0, allowed.stderr
    protection = github_emulator.branch("acme", "widget", "main").protection
    assert protection is not None and protection.flags["lock_branch"] is True


@pytest.mark.parametrize("event", ["pull_request", "pull_request_target"])
def test_an_apply_from_a_fork_is_refused(
    project: Path, github_emulator: GitHubEmulator, tmp_path: Path, event: str
) -> None:
    payload = tmp_path / "event.json"
    payload.write_text(
        json.dumps(
            {
                "pull_request": {
                    "head": {"repo": {"full_name": "mallory/widget", "fork": True}},
                    "base": {"repo": {"full_name": "acme/widget", "fork": False}},
                }
            }
        )
    )
    actions = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(payload),
    }
    refused = repokit(project, github_emulator, "governance", "--yes", **actions)
    assert refused.returncode == 1
    assert f"refusing to apply settings from a {event} event of a fork" in refused.stderr
    assert github_emulator.writes() == []
    preview = repokit(project, github_emulator, "governance", "--dry-run", **actions)
    assert preview.returncode == 0, preview.stderr


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (("--config", "."), {}, "is a directory"),
        ((), {"GITHUB_API_URL": "not a url"}, "not an http(s) URL"),
        ((), {"GITHUB_API_URL": "http://[::1"}, "not a URL"),
        ((), {"GITHUB_API_URL": "ftp://ghe.example.com"}, "not an http(s) URL"),
        ((), {"GITHUB_API_URL": "https://ghe.example.com:99999"}, "not a URL"),
        ((), {"GITHUB_API_URL": "http://ghe.example.com/api/v3"}, "plain http"),
    ],
)
def test_bad_arguments_and_environments_are_one_line_errors(
    project: Path,
    github_emulator: GitHubEmulator,
    args: tuple[str, ...],
    env: dict[str, str],
    said: str,
) -> None:
    result = repokit(project, github_emulator, "governance", "--yes", *args, **env)
    assert result.returncode in (1, 2)
    assert said in result.stderr
    assert github_emulator.requests == []


def test_a_404_after_writes_says_access_was_lost_only_when_the_repository_is_gone(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.faults.add(Fault(404, "Not Found", only="POST /repos/acme/widget/labels"), 1)
    gone = Fault(404, "Not Found", only="GET /repos/acme/widget$", later=1)  # after the read
    github_emulator.faults.add(gone, 1)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "access was lost after" in result.stderr
    assert "repository acme/widget not found" not in result.stderr


def test_a_404_on_one_item_is_about_the_item_when_the_repository_is_there(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.faults.add(Fault(404, "Not Found", only="POST /repos/acme/widget/labels"), 1)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "access was lost" not in result.stderr
    assert "not found (or the token cannot see it)" not in result.stderr
    assert "create labels bug: GitHub answered 404 Not Found for this item" in result.stderr
    assert ("GET", "/repos/acme/widget") in [(r.method, r.path) for r in github_emulator.requests]


def test_a_dropped_write_that_github_did_not_apply_is_read_back_as_not_applied(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.drop_next(4, only="PATCH /repos/acme/widget")
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert "reading back shows it not applied" in result.stderr
    assert "not applied: PATCH repository" in result.stderr
    assert "applied: nothing" in result.stderr


def test_a_dropped_write_that_github_applied_is_read_back_and_the_apply_goes_on(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.drop_next(4, only="PATCH /repos/acme/widget", served=True)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 0, result.stderr
    done = [line for line in result.stdout.splitlines() if "GitHub shows it done" in line]
    assert done == [
        "-> PATCH repository: description, has_wiki, security_and_analysis: "
        "the connection dropped, but GitHub shows it done"
    ]
    assert "read back: the live settings match" in result.stdout
    github_emulator.clear_log()
    again = repokit(project, github_emulator, "governance", "--yes")
    assert again.returncode == 0, again.stderr
    assert "no changes" in again.stdout
    assert github_emulator.writes() == []


def test_a_secondary_rate_limit_without_retry_after_is_waited_out(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.faults.add(Fault(403, SECONDARY_RATE_LIMIT_MESSAGE), 2)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 0, result.stderr
    assert "secondary rate limit" in result.stderr  # the wait is logged


def test_an_exported_file_applied_right_away_changes_nothing(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    assert repokit(project, github_emulator, "governance", "--yes").returncode == 0
    github_emulator.set_protection("acme", "widget", "main", required_signatures=True)
    exported = repokit(project, github_emulator, "governance.export", "--output", "exported.yml")
    assert exported.returncode == 0, exported.stderr
    text = (project / "exported.yml").read_text()
    for expected in ("labels:", "milestones:", "collaborators:", "teams:", "environments:"):
        assert expected in text
    assert "autolinks:" in text and "rulesets:" in text and "required_signatures: true" in text
    github_emulator.clear_log()
    again = repokit(project, github_emulator, "governance", "--yes", "--config", "exported.yml")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "no changes" in again.stdout, again.stdout
    assert github_emulator.writes() == []
    refused = repokit(project, github_emulator, "governance.export", "--output", "exported.yml")
    assert refused.returncode == 1
    assert "refusing to overwrite" in refused.stderr


def test_a_long_rate_limit_wait_is_reported_with_its_date(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.exhaust_rate_limit(reset_in=3 * 3600)
    result = repokit(project, github_emulator, "governance", "--yes")
    assert result.returncode == 1
    assert re.search(
        r"rate limit is exhausted until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", result.stderr
    )
    assert github_emulator.writes() == []


def test_a_failed_read_back_says_what_was_written(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    from repokit.config import load as load_config
    from repokit.errors import GitHubError
    from repokit.github import ATTEMPTS, GitHub
    from repokit.governance.model import load
    from repokit.governance.reconcile import apply, desired_branches, plan, verify

    (project / "settings.yml").write_text("labels:\n  - {name: bug, color: d73a4a}\n")
    github = GitHub("acme/widget", api_url=github_emulator.url, auth_token=ADMIN_TOKEN)
    settings = load(project / "settings.yml")
    desired, _ = desired_branches(settings, load_config(project))
    result = plan(settings, desired, github)
    applied = apply(result, github, progress=lambda _: None)
    github_emulator.fail_next(ATTEMPTS, status=503)
    with pytest.raises(GitHubError) as caught:
        verify(result, github, applied=applied)
    assert "the writes went through (create labels bug), but reading them back failed" in (
        caught.value.message
    )
    assert [label.name for label in github_emulator.repo("acme", "widget").labels] == ["bug"]
