from __future__ import annotations

import pytest

from repokit.redact import redact, register_secret


def test_environment_secrets_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWINE_PASSWORD", "pypi-AgEIcHlwaS5vcmc")
    assert redact("upload with pypi-AgEIcHlwaS5vcmc failed") == "upload with *** failed"


def test_registered_secret_is_masked() -> None:
    register_secret("tok_registered_abcdef")
    assert "tok_registered_abcdef" not in redact("Authorization: token tok_registered_abcdef")


def test_password_in_url_is_masked() -> None:
    text = redact("fetch https://user:hunter2@example.com/repo.git failed")
    assert text == "fetch https://***@example.com/repo.git failed"


def test_plain_text_is_unchanged() -> None:
    assert redact("nothing secret here: git@github.com:o/r.git") == (
        "nothing secret here: git@github.com:o/r.git"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://ghp_abcdefghijklmnop0123456789@github.com/acme/widget.git",
        "https://x-access-token:ghs_abcdefghijklmnop0123@github.com/acme/widget",
        "http://github_pat_11ABCDEF_0123456789@example.com/repo",
    ],
)
def test_a_token_in_a_remote_url_is_masked_in_every_form(url: str) -> None:
    text = redact(f"the remote 'origin' is {url}")
    assert "ghp_" not in text and "ghs_" not in text and "github_pat_" not in text
    assert "://***@" in text
