"""The pytest fixtures other tests build on: what they seed, point at, and check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from github import Auth, Github

from repokit.fixtures.github import ADMIN_LOGIN, ADMIN_TOKEN, load_contract
from repokit.testing.github import GitHubEmulator


def test_github_env_points_code_under_test_at_the_emulator(github_env: GitHubEmulator) -> None:
    assert os.environ["GITHUB_API_URL"] == github_env.url
    assert os.environ["GITHUB_REPOSITORY"] == "acme/widget"
    github = Github(
        auth=Auth.Token(os.environ["GITHUB_TOKEN"]),
        base_url=os.environ["GITHUB_API_URL"],
        seconds_between_requests=None,
        seconds_between_writes=None,
    )

    repo = github.get_repo(os.environ["GITHUB_REPOSITORY"])

    assert repo.permissions.admin is True
    assert github_env.requests[-1].login == ADMIN_LOGIN


def test_the_description_defaults_to_the_committed_file(
    github_openapi_path: Path, github_emulator: GitHubEmulator
) -> None:
    assert github_openapi_path == Path(__file__).parent / "github-openapi.json"
    assert github_emulator.contract is not None
    assert github_emulator.contract.version == load_contract(github_openapi_path).version  # type: ignore[union-attr]


def test_a_missing_description_turns_validation_off_and_says_so(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="NOT checked against GitHub's OpenAPI description"):
        assert load_contract(tmp_path / "absent.json") is None


def test_the_seeded_token_is_registered_as_a_secret(github_emulator: GitHubEmulator) -> None:
    from repokit.redact import redact

    assert redact(f"Authorization: token {ADMIN_TOKEN}") == "Authorization: token ***"
