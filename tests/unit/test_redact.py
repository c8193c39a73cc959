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
