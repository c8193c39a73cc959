"""Rate limits and odd headers as GitHub sends them, through the real client over HTTP."""

from __future__ import annotations

import time

import pytest

from repokit.fixtures.github import ADMIN_TOKEN
from repokit.github import GitHub
from repokit.testing.github import Fault, GitHubEmulator


def client(emulator: GitHubEmulator) -> GitHub:
    return GitHub("acme/widget", api_url=emulator.url, auth_token=ADMIN_TOKEN)


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-remaining": "many", "x-ratelimit-limit": "5000"},
        {"x-ratelimit-remaining": "4999", "x-ratelimit-limit": "", "x-ratelimit-reset": "soon"},
        {"retry-after": "later", "x-ratelimit-remaining": "1e999"},
    ],
)
def test_malformed_rate_limit_headers_are_read_leniently(
    github_emulator: GitHubEmulator, monkeypatch: pytest.MonkeyPatch, headers: dict[str, str]
) -> None:
    monkeypatch.setenv("REPOKIT_GITHUB_BACKOFF", "0")
    github_emulator.faults.add(Fault(502, "Bad Gateway", headers=headers, only="/labels"), 1)
    assert client(github_emulator).send("read the labels", "GET", "/repos/acme/widget/labels") == []
    assert [r.status for r in github_emulator.requests] == [502, 200]


@pytest.mark.parametrize(
    ("status", "message"),
    [(429, "Too Many Requests"), (403, "You have triggered an abuse detection mechanism")],
)
def test_a_retry_after_is_waited_out(
    github_emulator: GitHubEmulator,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    message: str,
) -> None:
    monkeypatch.setenv("REPOKIT_GITHUB_BACKOFF", "1")
    limit = Fault(status, message, headers={"retry-after": "1"}, only="/labels")
    github_emulator.faults.add(limit, 1)
    started = time.monotonic()
    assert client(github_emulator).send("read the labels", "GET", "/repos/acme/widget/labels") == []
    assert time.monotonic() - started >= 1.0
    assert [r.status for r in github_emulator.requests] == [status, 200]


def test_a_wait_is_told_with_its_kind_and_length(
    github_emulator: GitHubEmulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("REPOKIT_GITHUB_BACKOFF", "0.001")  # 30s asked, 0.03s waited
    limit = Fault(429, "Too Many Requests", headers={"retry-after": "30"}, only="/labels")
    github_emulator.faults.add(limit, 1)
    client(github_emulator).send("read the labels", "GET", "/repos/acme/widget/labels")
    assert "read the labels: secondary rate limit; waiting" in caplog.text
