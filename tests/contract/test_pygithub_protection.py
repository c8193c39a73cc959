"""PyGithub over real HTTP against the emulator: branch protection and required signatures."""

from __future__ import annotations

import pytest
from github import Github, GithubException, UnknownObjectException

from repokit.fixtures.github import client
from repokit.testing.github import ACTIONS_APP_ID, GitHubEmulator, StatusChecks


def test_edit_protection_then_get_protection_reads_it_back(github_client: Github) -> None:
    branch = github_client.get_repo("acme/widget").get_branch("main")

    branch.edit_protection(
        strict=True,
        checks=[("quality", ACTIONS_APP_ID), "unit-tests"],
        enforce_admins=True,
        required_approving_review_count=1,
        require_code_owner_reviews=True,
        dismiss_stale_reviews=True,
        required_conversation_resolution=True,
        allow_force_pushes=False,
    )

    protection = github_client.get_repo("acme/widget").get_branch("main").get_protection()
    checks = protection.required_status_checks
    assert checks.strict is True
    assert checks.contexts == ["quality", "unit-tests"]
    assert protection.enforce_admins is True
    reviews = protection.required_pull_request_reviews
    assert reviews.required_approving_review_count == 1
    assert (reviews.require_code_owner_reviews, reviews.dismiss_stale_reviews) == (True, True)
    assert protection.required_conversation_resolution is True
    assert (protection.allow_force_pushes, protection.allow_deletions) == (False, False)


def test_get_protection_answers_in_the_read_shape(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_client.get_repo("acme/widget").get_branch("main").edit_protection(
        checks=[("quality", ACTIONS_APP_ID)], enforce_admins=True, required_linear_history=True
    )

    raw = github_client.requester.requestJsonAndCheck(
        "GET", "/repos/acme/widget/branches/main/protection"
    )[1]

    assert raw["enforce_admins"]["enabled"] is True
    assert raw["enforce_admins"]["url"].endswith("/protection/enforce_admins")
    assert raw["required_linear_history"] == {"enabled": True}
    assert raw["allow_deletions"] == {"enabled": False}
    assert raw["required_status_checks"]["contexts"] == ["quality"]
    assert raw["required_status_checks"]["checks"] == [
        {"context": "quality", "app_id": ACTIONS_APP_ID}
    ]
    assert "required_pull_request_reviews" not in raw


def test_put_replaces_the_whole_protection(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    branch = github_client.get_repo("acme/widget").get_branch("main")
    branch.edit_protection(
        strict=True, checks=["quality"], required_approving_review_count=2, allow_deletions=True
    )

    branch.edit_protection(enforce_admins=True)

    rules = github_emulator.branch("acme", "widget", "main").protection
    assert rules is not None
    assert rules.enforce_admins is True
    assert rules.required_status_checks is None
    assert rules.required_pull_request_reviews is None
    assert rules.flags["allow_deletions"] is False


def test_a_check_without_app_id_takes_the_app_that_last_reported_it(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_check_run("acme", "widget", "main", "quality")

    github_client.get_repo("acme/widget").get_branch("main").edit_protection(
        checks=["quality", "docs"]
    )

    rules = github_emulator.branch("acme", "widget", "main").protection
    assert rules is not None
    assert rules.required_status_checks == StatusChecks(
        strict=False, checks=[("quality", ACTIONS_APP_ID), ("docs", None)]
    )


def test_remove_protection_unprotects_the_branch(github_client: Github) -> None:
    branch = github_client.get_repo("acme/widget").get_branch("main")
    branch.edit_protection(enforce_admins=True)

    branch.remove_protection()

    assert github_client.get_repo("acme/widget").get_branch("main").protected is False
    with pytest.raises(GithubException) as unprotected:
        branch.get_protection()
    assert unprotected.value.status == 404
    assert unprotected.value.data["message"] == "Branch not protected"


def test_required_signatures_live_at_their_own_endpoint(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    branch = github_client.get_repo("acme/widget").get_branch("main")
    branch.edit_protection(enforce_admins=True)

    branch.add_required_signatures()
    assert branch.get_required_signatures() is True
    branch.edit_protection(enforce_admins=False)  # a PUT leaves required signatures alone
    assert branch.get_required_signatures() is True

    branch.remove_required_signatures()
    assert branch.get_required_signatures() is False


def test_required_signatures_on_an_unprotected_branch_is_not_found(github_client: Github) -> None:
    branch = github_client.get_repo("acme/widget").get_branch("main")

    with pytest.raises(GithubException) as unprotected:
        branch.add_required_signatures()

    assert unprotected.value.status == 404
    assert unprotected.value.data["message"] == "Branch not protected"


def test_sending_both_contexts_and_checks_is_refused(github_client: Github) -> None:
    body = {
        "required_status_checks": {"strict": True, "contexts": ["a"], "checks": [{"context": "a"}]},
        "enforce_admins": None,
        "required_pull_request_reviews": None,
        "restrictions": None,
    }

    with pytest.raises(GithubException) as refused:
        github_client.requester.requestJsonAndCheck(
            "PUT", "/repos/acme/widget/branches/main/protection", input=body
        )

    assert refused.value.status == 422


def test_protection_needs_admin_rights(github_emulator: GitHubEmulator) -> None:
    github_emulator.add_team("acme", "devs", members=["dev"], repos={"widget": "push"})
    github_emulator.add_token("dev-token", "dev")
    branch = client(github_emulator, "dev-token").get_repo("acme/widget").get_branch("main")

    with pytest.raises(GithubException) as refused:
        branch.edit_protection(enforce_admins=True)

    assert refused.value.status == 403
    assert refused.value.data["message"] == "Must have admin rights to Repository."
    assert github_emulator.branch("acme", "widget", "main").protection is None


def test_a_private_repository_on_a_free_plan_cannot_be_protected(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_repo("acme", "closed", private=True, protection_available=False)
    branch = github_client.get_repo("acme/closed").get_branch("main")

    with pytest.raises(GithubException) as refused:
        branch.edit_protection(enforce_admins=True)

    assert refused.value.status == 403
    assert refused.value.data["message"] == (
        "Upgrade to GitHub Pro or make this repository public to enable this feature."
    )


def test_an_unknown_branch_is_not_found(github_client: Github) -> None:
    with pytest.raises(UnknownObjectException):
        github_client.get_repo("acme/widget").get_branch("nope")


def test_a_branch_name_with_a_slash_round_trips(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_repo("acme", "tools", branches=["release/1.x"])
    branch = github_client.get_repo("acme/tools").get_branch("release/1.x")

    branch.edit_protection(enforce_admins=True)

    assert github_emulator.branch("acme", "tools", "release/1.x").protection is not None
    assert branch.get_protection().enforce_admins is True


def test_seeded_protection_is_what_github_answers(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.set_protection(
        "acme",
        "widget",
        "main",
        required_status_checks=StatusChecks(strict=True, checks=[("ci", ACTIONS_APP_ID)]),
        required_signatures=True,
        allow_force_pushes=True,
    )

    branch = github_client.get_repo("acme/widget").get_branch("main")
    protection = branch.get_protection()

    assert branch.protected is True
    assert protection.required_status_checks.contexts == ["ci"]
    assert protection.allow_force_pushes is True
    assert branch.get_required_signatures() is True
