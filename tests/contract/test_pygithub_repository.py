"""PyGithub over real HTTP against the emulator: repository settings, topics, people, teams."""

from __future__ import annotations

import pytest
from github import Github, GithubException

from repokit.fixtures.github import ADMIN_LOGIN, client
from repokit.testing.github import GitHubEmulator


def test_get_repo_reads_the_seeded_repository(github_client: Github) -> None:
    repo = github_client.get_repo("acme/widget")

    assert (repo.full_name, repo.default_branch, repo.private) == ("acme/widget", "main", False)
    assert repo.description == "A widget"
    assert repo.owner.login == "acme"
    assert repo.permissions.admin is True


def test_edit_changes_only_the_fields_sent(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    repo = github_client.get_repo("acme/widget")

    repo.edit(has_wiki=False, allow_merge_commit=False, delete_branch_on_merge=True)

    settings = github_emulator.repo("acme", "widget").settings
    assert (settings["has_wiki"], settings["allow_merge_commit"]) == (False, False)
    assert settings["delete_branch_on_merge"] is True
    assert settings["description"] == "A widget"  # not sent, so unchanged
    assert github_emulator.writes()[-1].body == {
        "name": "widget",
        "has_wiki": False,
        "allow_merge_commit": False,
        "delete_branch_on_merge": True,
    }
    again = github_client.get_repo("acme/widget")
    assert (again.has_wiki, again.allow_merge_commit, again.delete_branch_on_merge) == (
        False,
        False,
        True,
    )


def test_edit_to_an_unknown_default_branch_is_refused(github_client: Github) -> None:
    repo = github_client.get_repo("acme/widget")

    with pytest.raises(GithubException) as refused:
        repo.edit(default_branch="trunk")

    assert refused.value.status == 422
    assert refused.value.data["errors"][0]["field"] == "default_branch"


def test_replace_topics_replaces_every_topic(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    repo = github_client.get_repo("acme/widget")
    repo.replace_topics(["python", "release"])

    repo.replace_topics(["governance"])

    assert repo.get_topics() == ["governance"]
    assert github_emulator.repo("acme", "widget").topics == ["governance"]


def test_a_malformed_topic_is_refused(github_client: Github) -> None:
    repo = github_client.get_repo("acme/widget")

    with pytest.raises(GithubException) as refused:
        repo.replace_topics(["not a topic!"])

    assert refused.value.status == 422
    assert "Topics must start with a lowercase letter" in refused.value.data["errors"][0]


def test_collaborator_permission_follows_teams_and_collaborators(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_team("acme", "maintainers", members=["mara"], repos={"widget": "maintain"})
    github_emulator.add_user("reader")
    repo = github_client.get_repo("acme/widget")

    assert repo.get_collaborator_permission(ADMIN_LOGIN) == "admin"
    assert repo.get_collaborator_permission("mara") == "write"
    assert repo.get_collaborator_permission("reader") == "read"  # a public repository


def test_team_and_its_repository_permission(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_team("acme", "docs", members=["dora", "dan"], repos={"widget": "push"})
    github_emulator.add_repo("acme", "gadget")

    team = github_client.get_organization("acme").get_team_by_slug("docs")

    assert (team.slug, team.members_count, team.repos_count) == ("docs", 2, 1)
    permissions = team.get_repo_permission("acme/widget")
    assert permissions is not None
    assert (permissions.push, permissions.maintain, permissions.admin) == (True, False, False)
    assert team.get_repo_permission("acme/gadget") is None
    assert team.has_in_repos("acme/widget") is True


def test_users_and_the_authenticated_user(github_client: Github) -> None:
    assert github_client.get_user().login == ADMIN_LOGIN
    assert github_client.get_user(ADMIN_LOGIN).type == "User"
    assert github_client.get_organization("acme").login == "acme"


def test_a_private_repository_is_invisible_to_outsiders(github_emulator: GitHubEmulator) -> None:
    github_emulator.add_repo("acme", "secret", private=True)
    github_emulator.add_token("outsider-token", "outsider")

    with pytest.raises(GithubException) as hidden:
        client(github_emulator, "outsider-token").get_repo("acme/secret")

    assert hidden.value.status == 404
