"""Fixtures shared by every test: a hermetic git identity and throwaway sandboxes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from repokit.testing.sandbox import IDENTITY, Sandbox, create_sandbox


@pytest.fixture(autouse=True)
def _hermetic_git(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests see no user or system git config and never a real token."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "TWINE_PASSWORD", "TWINE_USERNAME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[Callable[..., Sandbox]]:
    """A factory of sandboxes under this test's tmp_path: ``make_sandbox(name=..., ...)``."""
    count = 0

    def make(**options: object) -> Sandbox:
        nonlocal count
        count += 1
        return create_sandbox(tmp_path / f"sandbox{count}", **options)  # type: ignore[arg-type]

    yield make


@pytest.fixture
def sandbox(make_sandbox: Callable[..., Sandbox]) -> Sandbox:
    """A released project (tag v0.1.0) with four unreleased conventional commits, pushed."""
    return make_sandbox()
