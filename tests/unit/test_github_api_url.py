"""The token goes only over https, or over plain http to this machine."""

from __future__ import annotations

import pytest

from repokit.errors import UsageError
from repokit.github import GitHub, api_base


@pytest.mark.parametrize(
    "url",
    [
        "https://api.github.com",
        "https://ghe.example.com/api/v3/",
        "http://127.0.0.1:8080",
        "http://[::1]:9000",
        "http://localhost:1234",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert api_base(url) == url.rstrip("/")


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://ghe.example.com/api/v3", "plain http"),
        ("http://10.0.0.7", "plain http"),
        ("not a url", "not an http(s) URL"),
        ("http://[::1", "not a URL"),
        ("ftp://ghe.example.com/api", "not an http(s) URL"),
        ("https://ghe.example.com:99999/api", "not a URL"),
        ("https://user:secret@ghe.example.com", "credentials"),
        ("https://", "not an http(s) URL"),
    ],
)
def test_anything_else_is_one_line_refusal(url: str, said: str) -> None:
    with pytest.raises(UsageError) as caught:
        api_base(url)
    assert said in caught.value.message
    assert "\n" not in caught.value.message
    assert "secret" not in caught.value.message or said == "credentials"


def test_the_environment_is_checked_before_the_token_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://ghe.example.com/api/v3")
    with pytest.raises(UsageError, match="plain http"):
        GitHub("acme/widget", auth_token="tok_never_sent_0123")
