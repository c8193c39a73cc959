"""Authentication, rate limits and injected faults, as PyGithub experiences them."""

from __future__ import annotations

import time

import pytest
import requests
from github import (
    BadCredentialsException,
    Github,
    GithubException,
    GithubRetry,
    RateLimitExceededException,
)

from repokit.fixtures.github import ADMIN_TOKEN, client
from repokit.testing.github import GitHubEmulator


def test_an_unknown_token_is_bad_credentials(github_emulator: GitHubEmulator) -> None:
    with pytest.raises(BadCredentialsException) as refused:
        client(github_emulator, "not-a-known-token").get_repo("acme/widget")

    assert refused.value.status == 401
    assert refused.value.data["message"] == "Bad credentials"


def test_no_token_is_bad_credentials(github_emulator: GitHubEmulator) -> None:
    answer = requests.get(f"{github_emulator.url}/repos/acme/widget", timeout=10)

    assert answer.status_code == 401
    assert answer.json()["message"] == "Bad credentials"


def test_bearer_and_token_schemes_both_authenticate(github_emulator: GitHubEmulator) -> None:
    for scheme in ("token", "Bearer"):
        answer = requests.get(
            f"{github_emulator.url}/user",
            headers={"Authorization": f"{scheme} {ADMIN_TOKEN}"},
            timeout=10,
        )
        assert (answer.status_code, answer.json()["login"]) == (200, "octo-admin")


def test_an_unknown_repository_is_not_found(github_client: Github) -> None:
    with pytest.raises(GithubException) as missing:
        github_client.get_repo("acme/nothing")

    assert (missing.value.status, missing.value.data["message"]) == (404, "Not Found")


def test_every_answer_carries_rate_limit_headers_counting_down(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_client.get_repo("acme/widget")
    first = github_client.rate_limiting
    github_client.get_user("octo-admin")

    assert github_client.rate_limiting == (first[0] - 1, 5000)
    assert github_client.get_rate_limit().resources.core.remaining == first[0] - 1


def test_fail_next_answers_server_errors_then_serves_again(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.fail_next(1, status=502)

    with pytest.raises(GithubException) as failed:
        github_client.get_repo("acme/widget")
    assert failed.value.status == 502
    assert github_client.get_repo("acme/widget").name == "widget"


def test_pygithub_retries_a_server_error(github_emulator: GitHubEmulator) -> None:
    github_emulator.fail_next(2, status=503)
    retrying = client(github_emulator, retry=GithubRetry(total=3))

    assert retrying.get_repo("acme/widget").name == "widget"
    assert [entry.status for entry in github_emulator.requests] == [503, 503, 200]


def test_a_fault_can_target_one_request(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.fail_next(status=500, only="PUT /repos/acme/widget/topics")
    repo = github_client.get_repo("acme/widget")

    with pytest.raises(GithubException) as failed:
        repo.replace_topics(["python"])

    assert failed.value.status == 500
    assert github_emulator.repo("acme", "widget").topics == []


@pytest.mark.parametrize("status", [403, 429])
def test_secondary_rate_limit_says_when_to_retry(
    github_client: Github, github_emulator: GitHubEmulator, status: int
) -> None:
    github_emulator.secondary_rate_limit(retry_after=42, status=status)

    with pytest.raises(GithubException) as limited:
        github_client.get_repo("acme/widget")

    assert limited.value.status == status
    assert limited.value.headers is not None
    assert limited.value.headers["retry-after"] == "42"
    assert limited.value.data["message"].startswith("You have exceeded a secondary rate limit")
    if status == 403:
        assert isinstance(limited.value, RateLimitExceededException)


def test_reject_credentials_answers_401_once(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.reject_credentials()

    with pytest.raises(BadCredentialsException):
        github_client.get_repo("acme/widget")
    assert github_client.get_repo("acme/widget").name == "widget"


def test_a_dropped_connection_gets_no_answer(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.drop_next()

    with pytest.raises(requests.exceptions.ConnectionError):
        github_client.get_repo("acme/widget")
    assert github_emulator.requests[-1].status is None
    assert github_client.get_repo("acme/widget").name == "widget"


def test_an_exhausted_primary_rate_limit_refuses_until_reset(
    github_client: Github, github_emulator: GitHubEmulator
) -> None:
    github_emulator.exhaust_rate_limit(reset_in=120)

    with pytest.raises(RateLimitExceededException) as limited:
        github_client.get_repo("acme/widget")

    assert limited.value.status == 403
    assert limited.value.headers is not None
    assert limited.value.headers["x-ratelimit-remaining"] == "0"
    reset = int(limited.value.headers["x-ratelimit-reset"])
    assert int(time.time()) < reset <= int(time.time()) + 120
    assert github_emulator.writes() == []
