"""`inv governance` on an environment's deployment branch and tag patterns, against the
GitHub emulator: apply, converge, keep or prune what the file does not list, export."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_governance import repokit  # the console script as a user runs it

from repokit.testing.github import GitHubEmulator
from repokit.testing.github.state import BranchPolicy, Environment

SETTINGS = """\
environments:
  - name: production
    wait_timer: 5
    deployment_branch_policy:
      protected_branches: false
      custom_branch_policies:
        - main
        - {name: "release/*", type: branch}
        - {names: ["v*", "hotfix-*"], type: tag}
  - name: development
    deployment_branch_policy:
      custom_branches:
        - dev/*
        - {name: "v*", type: tag}
"""
POLICIES = "/repos/acme/widget/environments/production/deployment-branch-policies"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "widget"\nversion = "1.0.0"\n')
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "settings.yml").write_text(SETTINGS)
    return tmp_path


def patterns(emulator: GitHubEmulator, environment: str = "production") -> set[tuple[str, str]]:
    item = emulator.repo("acme", "widget").environments[environment]
    return {(p.name, p.type) for p in item.branch_policies}


def writes(emulator: GitHubEmulator) -> list[tuple[str, str]]:
    return [(r.method, r.path.split("?")[0]) for r in emulator.writes()]


def test_patterns_are_created_each_shown_in_the_plan_then_a_second_run_writes_nothing(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    first = repokit(project, github_emulator, "governance", "--yes")

    assert first.returncode == 0, first.stdout + first.stderr
    plan = [
        line.split()
        for line in first.stdout.splitlines()
        if " pattern " in line and not line.startswith("->")  # the plan, not the progress
    ]
    assert plan == [
        ["environments:", "production", "branch", "pattern", "main", "absent", "present"],
        ["environments:", "production", "branch", "pattern", "release/*", "absent", "present"],
        ["environments:", "production", "tag", "pattern", "v*", "absent", "present"],
        ["environments:", "production", "tag", "pattern", "hotfix-*", "absent", "present"],
        ["environments:", "development", "branch", "pattern", "dev/*", "absent", "present"],
        ["environments:", "development", "tag", "pattern", "v*", "absent", "present"],
        ["add", "branch", "pattern", "main", "to", "environment", "production"],
        ["add", "branch", "pattern", "release/*", "to", "environment", "production"],
        ["add", "tag", "pattern", "v*", "to", "environment", "production"],
        ["add", "tag", "pattern", "hotfix-*", "to", "environment", "production"],
        ["add", "branch", "pattern", "dev/*", "to", "environment", "development"],
        ["add", "tag", "pattern", "v*", "to", "environment", "development"],
    ]
    assert "read back: the live settings match" in first.stdout
    environments = github_emulator.repo("acme", "widget").environments
    for name in ("production", "development"):
        assert environments[name].deployment_branch_policy == {
            "protected_branches": False,
            "custom_branch_policies": True,
        }
    assert patterns(github_emulator) == {
        ("main", "branch"),
        ("release/*", "branch"),
        ("v*", "tag"),
        ("hotfix-*", "tag"),
    }
    assert patterns(github_emulator, "development") == {("dev/*", "branch"), ("v*", "tag")}
    # the environments are written first: GitHub refuses a pattern while custom policies are off
    assert writes(github_emulator) == [
        ("PUT", "/repos/acme/widget/environments/production"),
        ("PUT", "/repos/acme/widget/environments/development"),
        *[("POST", POLICIES)] * 4,
        *[("POST", POLICIES.replace("production", "development"))] * 2,
    ]

    github_emulator.clear_log()
    again = repokit(project, github_emulator, "governance", "--yes")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "no changes" in again.stdout
    assert github_emulator.writes() == []
    read = [r.path.split("?")[0] for r in github_emulator.requests]
    assert read.count(POLICIES) == read.count(POLICIES.replace("production", "development")) == 1
    drift = repokit(project, github_emulator, "drift")
    assert drift.returncode == 0, drift.stdout + drift.stderr


@pytest.mark.parametrize("prune_by", ["--prune", "prune: true in the section"])
def test_a_pattern_the_file_no_longer_lists_is_kept_unless_pruned(
    project: Path, github_emulator: GitHubEmulator, prune_by: str
) -> None:
    assert repokit(project, github_emulator, "governance", "--yes").returncode == 0
    settings = project / ".github" / "settings.yml"
    settings.write_text(SETTINGS.replace("        - main\n", ""))
    github_emulator.clear_log()

    kept = repokit(project, github_emulator, "governance", "--yes")

    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert (
        "unmanaged deployment patterns (kept; --prune removes them): production: main (branch)"
        in kept.stdout
    )
    assert "no changes" in kept.stdout
    assert github_emulator.writes() == []
    assert ("main", "branch") in patterns(github_emulator)

    main_id = next(
        p.id
        for p in github_emulator.repo("acme", "widget").environments["production"].branch_policies
        if p.name == "main"
    )
    if prune_by == "--prune":
        pruned = repokit(project, github_emulator, "governance", "--yes", "--prune")
    else:
        text = settings.read_text().replace("environments:\n", "environments:\n  prune: true\n")
        settings.write_text(text.replace("  - name: production", "  items:\n  - name: production"))
        pruned = repokit(project, github_emulator, "governance", "--yes")

    assert pruned.returncode == 0, pruned.stdout + pruned.stderr
    assert "production branch pattern main  present  absent (pruned)" in pruned.stdout
    assert "remove branch pattern main from environment production" in pruned.stdout
    assert writes(github_emulator) == [("DELETE", f"{POLICIES}/{main_id}")]
    assert patterns(github_emulator) == {
        ("release/*", "branch"),
        ("v*", "tag"),
        ("hotfix-*", "tag"),
    }


def test_protected_branches_in_place_of_the_patterns_drops_them(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    assert repokit(project, github_emulator, "governance", "--yes").returncode == 0
    (project / ".github" / "settings.yml").write_text(
        "environments:\n  - name: production\n    wait_timer: 5\n"
        "    deployment_branch_policy: {protected_branches: true, custom_branch_policies: false}\n"
    )
    github_emulator.clear_log()

    result = repokit(project, github_emulator, "governance", "--yes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert writes(github_emulator) == [("PUT", "/repos/acme/widget/environments/production")]
    assert patterns(github_emulator) == set()
    again = repokit(project, github_emulator, "governance", "--yes")
    assert "no changes" in again.stdout

    (project / ".github" / "settings.yml").write_text(SETTINGS)
    github_emulator.clear_log()
    back = repokit(project, github_emulator, "governance", "--yes")
    assert back.returncode == 0, back.stdout + back.stderr
    assert writes(github_emulator) == [
        ("PUT", "/repos/acme/widget/environments/production"),
        *[("POST", POLICIES)] * 4,
    ]
    assert len(patterns(github_emulator)) == 4


def test_a_pattern_whose_answer_was_lost_is_read_back_as_created(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    github_emulator.drop_next(4, only=f"POST {POLICIES}", served=True)

    result = repokit(project, github_emulator, "governance", "--yes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "-> add branch pattern main to environment production: the connection dropped, "
        "but GitHub shows it done"
    ) in result.stdout
    assert "read back: the live settings match" in result.stdout
    assert len(patterns(github_emulator)) == 4


def test_bad_patterns_name_the_file_and_line_and_nothing_is_sent(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    (project / ".github" / "settings.yml").write_text(
        "environments:\n"
        "  - name: production\n"
        "    deployment_branch_policy:\n"
        "      protected_branches: false\n"
        "      custom_branch_policies:\n"
        "        - {name: 'v*', type: tags}\n"  # line 6
        "        - release/*\n"
        "        - {names: [release/*]}\n"  # line 8: the same branch pattern
        "        - 42\n"  # line 9
        "  - name: staging\n"
        "    deployment_branch_policy: {protected_branches: true, custom_branch_policies: [main]}\n"
    )

    result = repokit(project, github_emulator, "governance", "--yes")

    assert result.returncode == 1
    prefix = ".github/settings.yml"
    field = "environments[0].deployment_branch_policy.custom_branch_policies"
    assert f"{prefix}:6: {field}[0].type: expected branch or tag, got 'tags'" in result.stderr
    assert f"{prefix}:8: {field}[2]: branch release/* is listed twice (also line 7)" in (
        result.stderr
    )
    assert f"{prefix}:9: {field}[3]: expected a pattern, {{name: <pattern>" in result.stderr
    assert (
        f"{prefix}:11: environments[1].deployment_branch_policy: exactly one of "
        "protected_branches and custom_branch_policies is true (listed patterns count as true)"
    ) in result.stderr
    assert "hint: fix them; nothing was changed" in result.stderr
    assert github_emulator.requests == []


def test_the_export_lists_the_patterns_and_applying_it_changes_nothing(
    project: Path, github_emulator: GitHubEmulator
) -> None:
    with github_emulator.lock:
        repo = github_emulator.repo("acme", "widget")
        custom = Environment(github_emulator.new_id(), "production")
        custom.deployment_branch_policy = {
            "protected_branches": False,
            "custom_branch_policies": True,
        }
        custom.branch_policies = [
            BranchPolicy(github_emulator.new_id(), "release/*", "branch"),
            BranchPolicy(github_emulator.new_id(), "v*", "tag"),
        ]
        unpatterned = Environment(github_emulator.new_id(), "staging")
        unpatterned.deployment_branch_policy = {
            "protected_branches": False,
            "custom_branch_policies": True,
        }
        repo.environments = {"production": custom, "staging": unpatterned}

    exported = repokit(project, github_emulator, "governance.export", "--output", "exported.yml")

    assert exported.returncode == 0, exported.stdout + exported.stderr
    text = (project / "exported.yml").read_text()
    section = text[text.index("environments:") :]
    assert (
        "  deployment_branch_policy:\n"
        "    protected_branches: false\n"
        "    custom_branch_policies: true\n"
        "    custom_branches:\n"
        "    - name: release/*\n"
        "      type: branch\n"
        "    - name: v*\n"
        "      type: tag\n"
    ) in section
    assert (
        "- name: staging\n"  # no wait, no reviewers: GitHub's defaults, left out
        "  deployment_branch_policy:\n"
        "    protected_branches: false\n"
        "    custom_branch_policies: true\n"
    ) in section
    github_emulator.clear_log()
    again = repokit(project, github_emulator, "governance", "--yes", "--config", "exported.yml")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "no changes" in again.stdout, again.stdout
    assert "unmanaged" not in again.stdout
    assert github_emulator.writes() == []
