"""A GitHub REST API emulator for tests, checked against GitHub's OpenAPI description.

Start a :class:`GitHubEmulator`, seed it (``add_org``, ``add_repo``, ``add_token``, ...)
and point the real PyGithub at its ``url``; the ``github_emulator`` pytest fixture
(repokit.fixtures.github) does all of that.
"""

from __future__ import annotations

from repokit.testing.github.faults import Fault
from repokit.testing.github.openapi import Contract, Violation
from repokit.testing.github.server import GitHubEmulator, LoggedRequest
from repokit.testing.github.state import (
    ACTIONS_APP_ID,
    GitHubState,
    Protection,
    PushRestrictions,
    ReviewRules,
    StatusChecks,
)

__all__ = [
    "ACTIONS_APP_ID",
    "Contract",
    "Fault",
    "GitHubEmulator",
    "GitHubState",
    "LoggedRequest",
    "Protection",
    "PushRestrictions",
    "ReviewRules",
    "StatusChecks",
    "Violation",
]
