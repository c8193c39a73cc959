"""pytest fixtures for code that talks to GitHub: a running, seeded GitHub emulator.

``github_emulator``
    The emulator, started on 127.0.0.1 and seeded with the organization ``acme``
    (owner ``octo-admin``), its repository ``acme/widget`` and the admin token
    :data:`ADMIN_TOKEN`. Every request and response is checked against GitHub's
    OpenAPI description; the test fails at teardown if any was not allowed.
``github_env``
    The same emulator, with ``GITHUB_API_URL``, ``GITHUB_TOKEN`` and
    ``GITHUB_REPOSITORY`` set for the code under test.
``github_client``
    A PyGithub client of the emulator as ``octo-admin`` (no throttling, no retries).
``github_openapi_path``
    The description used: the ini option ``github_openapi_path``, else
    ``<rootdir>/tests/contract/github-openapi.json``. If the file is missing,
    validation is off and a warning says so.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from github import Github
    from urllib3 import Retry

    from repokit.testing.github import Contract, GitHubEmulator

ORG = "acme"
REPO = "widget"
ADMIN_LOGIN = "octo-admin"
#: The seeded admin's token (not a real token format; redacted like any secret).
ADMIN_TOKEN = "emulator-admin-token-7f3c"  # noqa: S105 - a test fixture, not a credential
DEFAULT_OPENAPI_PATH = Path("tests") / "contract" / "github-openapi.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "github_openapi_path",
        "GitHub OpenAPI description the GitHub emulator validates against "
        f"(default: <rootdir>/{DEFAULT_OPENAPI_PATH.as_posix()})",
        default="",
    )


@pytest.fixture(scope="session")
def github_openapi_path(pytestconfig: pytest.Config) -> Path:
    configured = str(pytestconfig.getini("github_openapi_path") or "")
    path = Path(configured) if configured else DEFAULT_OPENAPI_PATH
    return path if path.is_absolute() else pytestconfig.rootpath / path


@pytest.fixture(scope="session")
def github_contract(github_openapi_path: Path) -> Contract | None:
    """GitHub's OpenAPI description, loaded once per test run (None: validation is off)."""
    return load_contract(github_openapi_path)


@pytest.fixture
def github_emulator(github_contract: Contract | None) -> Iterator[GitHubEmulator]:
    from repokit.testing.github import GitHubEmulator

    emulator = GitHubEmulator(contract=github_contract)
    seed(emulator)
    with emulator:
        yield emulator
    assert_no_violations(emulator)


@pytest.fixture
def github_env(github_emulator: GitHubEmulator, monkeypatch: pytest.MonkeyPatch) -> GitHubEmulator:
    monkeypatch.setenv("GITHUB_API_URL", github_emulator.url)
    monkeypatch.setenv("GITHUB_TOKEN", ADMIN_TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", f"{ORG}/{REPO}")
    return github_emulator


@pytest.fixture
def github_client(github_emulator: GitHubEmulator) -> Github:
    return client(github_emulator)


def load_contract(path: Path) -> Contract | None:
    """The description at ``path``; None, with a warning saying validation is off, if absent."""
    from repokit.testing.github import Contract

    if not path.is_file():
        warnings.warn(
            f"GitHub emulator: {path} not found; requests and responses are NOT checked "
            "against GitHub's OpenAPI description (run scripts/update_github_openapi.py, "
            "or set the github_openapi_path ini option)",
            UserWarning,
            stacklevel=2,
        )
        return None
    return Contract.load(path)


def assert_no_violations(emulator: GitHubEmulator) -> None:
    """Fail the test if the emulator saw anything GitHub's OpenAPI description does not allow."""
    violations = emulator.take_violations()
    if violations:
        listing = "\n".join(f"  {violation}" for violation in violations)
        pytest.fail(
            "the GitHub emulator saw requests or responses GitHub's OpenAPI description does "
            f"not allow:\n{listing}",
            pytrace=False,
        )


def seed(emulator: GitHubEmulator) -> None:
    """The default world: ``acme`` owned by ``octo-admin``, ``acme/widget``, the admin token."""
    emulator.add_org(ORG, owners=[ADMIN_LOGIN])
    emulator.add_repo(
        ORG,
        REPO,
        description="A widget",
        files={"README.md": "# widget\n", "pyproject.toml": '[project]\nname = "widget"\n'},
    )
    emulator.add_token(ADMIN_TOKEN, ADMIN_LOGIN)


def client(
    emulator: GitHubEmulator, token: str = ADMIN_TOKEN, *, retry: Retry | None = None
) -> Github:
    """A PyGithub client of ``emulator`` that neither throttles nor (by default) retries."""
    from github import Auth, Github

    return Github(
        auth=Auth.Token(token),
        base_url=emulator.url,
        retry=retry,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
