"""PyGithub over real HTTP against the emulator: releases, assets, contents, commits, checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from github import Github, GithubException, UnknownObjectException
from github.ContentFile import ContentFile
from github.Repository import Repository

from repokit.fixtures.github import client
from repokit.testing.github import ACTIONS_APP_ID, GitHubEmulator


def test_create_then_get_a_release_by_tag_and_by_id(github_client: Github) -> None:
    repo = github_client.get_repo("acme/widget")

    created = repo.create_git_release("v1.2.0", "widget 1.2.0", "## Features\n- gears\n")

    by_tag = repo.get_release("v1.2.0")
    assert (by_tag.id, by_tag.name, by_tag.body) == (created.id, "widget 1.2.0", created.body)
    assert (by_tag.draft, by_tag.prerelease, by_tag.target_commitish) == (False, False, "main")
    assert repo.get_release(created.id).tag_name == "v1.2.0"
    assert [release.tag_name for release in repo.get_releases()] == ["v1.2.0"]


def test_a_second_release_of_the_same_tag_is_refused(github_client: Github) -> None:
    repo = github_client.get_repo("acme/widget")
    repo.create_git_release("v1.0.0", "1.0.0", "")

    with pytest.raises(GithubException) as refused:
        repo.create_git_release("v1.0.0", "again", "")

    assert refused.value.status == 422
    assert refused.value.data["errors"][0]["code"] == "already_exists"


def test_update_release_publishes_a_draft(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    repo = github_client.get_repo("acme/widget")
    draft = repo.create_git_release("v2.0.0", "2.0.0", "draft notes", draft=True)
    with pytest.raises(UnknownObjectException):
        repo.get_release("v2.0.0")  # a draft is not reachable by its tag

    published = draft.update_release("widget 2.0.0", "final notes", draft=False)

    assert (published.name, published.body, published.draft) == (
        "widget 2.0.0",
        "final notes",
        False,
    )
    assert published.published_at is not None
    assert repo.get_release("v2.0.0").id == draft.id


def test_upload_asset_goes_to_the_upload_url(
    github_client: Github, github_emulator: GitHubEmulator, tmp_path: Path
) -> None:
    wheel = tmp_path / "widget-1.0.0-py3-none-any.whl"
    wheel.write_bytes(b"PK\x03\x04 not really a wheel")
    release = github_client.get_repo("acme/widget").create_git_release("v1.0.0", "1.0.0", "")

    asset = release.upload_asset(str(wheel), label="wheel")

    assert (asset.name, asset.label, asset.size) == (wheel.name, "wheel", wheel.stat().st_size)
    assert [each.name for each in release.get_assets()] == [wheel.name]
    stored = github_emulator.repo("acme", "widget").releases[0].assets[0]
    assert stored.data == wheel.read_bytes()
    upload = github_emulator.writes()[-1]
    assert upload.path == f"/uploads/repos/acme/widget/releases/{release.id}/assets"
    assert upload.query["name"] == [wheel.name]


def test_releases_need_push_access(github_emulator: GitHubEmulator) -> None:
    github_emulator.add_token("reader-token", "reader")

    with pytest.raises(GithubException) as refused:
        client(github_emulator, "reader-token").get_repo("acme/widget").create_git_release(
            "v9.9.9", "no", ""
        )

    assert refused.value.status == 403
    assert github_emulator.repo("acme", "widget").releases == []


def test_contents_read_and_create(github_client: Github, github_emulator: GitHubEmulator) -> None:
    repo = github_client.get_repo("acme/widget")

    assert _file(repo, "README.md").decoded_content == b"# widget\n"
    repo.create_file(".github/CODEOWNERS", "chore: add code owners", "* @octo-admin\n")

    assert github_emulator.branch("acme", "widget", "main").files[".github/CODEOWNERS"] == (
        b"* @octo-admin\n"
    )
    assert [commit.commit.message for commit in repo.get_commits()] == [
        "chore: add code owners",
        "Initial commit",
    ]


def test_updating_a_file_needs_its_current_sha(github_client: Github) -> None:
    repo = github_client.get_repo("acme/widget")
    current = _file(repo, "README.md")

    repo.update_file("README.md", "docs: retitle", "# Widget\n", current.sha)

    assert _file(repo, "README.md").decoded_content == b"# Widget\n"
    with pytest.raises(GithubException) as conflict:
        repo.update_file("README.md", "docs: stale", "# stale\n", current.sha)
    assert conflict.value.status == 409


def test_check_runs_of_a_commit(github_client: Github, github_emulator: GitHubEmulator) -> None:
    github_emulator.add_check_run("acme", "widget", "main", "quality")
    github_emulator.add_check_run("acme", "widget", "main", "unit-tests", conclusion="failure")
    head = github_emulator.branch("acme", "widget", "main").head.sha

    runs = github_client.get_repo("acme/widget").get_commit(head).get_check_runs()

    assert sorted((run.name, run.conclusion, run.app.id) for run in runs) == [
        ("quality", "success", ACTIONS_APP_ID),
        ("unit-tests", "failure", ACTIONS_APP_ID),
    ]


def test_codeowners_errors_name_unknown_owners_with_their_line(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.add_team("acme", "docs", repos={"widget": "push"})
    github_emulator.add_repo(
        "acme",
        "owned",
        files={".github/CODEOWNERS": "* @octo-admin\n/docs/ @acme/docs @ghost\n"},
    )
    github_emulator.add_team("acme", "docs", repos={"owned": "push"})

    _, body = github_client.requester.requestJsonAndCheck(
        "GET", "/repos/acme/owned/codeowners/errors"
    )

    assert [(e["line"], e["column"], e["kind"]) for e in body["errors"]] == [
        (2, 19, "Unknown owner")
    ]
    assert body["errors"][0]["path"] == ".github/CODEOWNERS"


def _file(repo: Repository, path: str) -> ContentFile:
    found = repo.get_contents(path)
    assert isinstance(found, ContentFile)
    return found
