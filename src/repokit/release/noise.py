"""Commits that release nothing: those made by bots, and dependency or hook updates.

pre-commit.ci's ``[pre-commit.ci] pre-commit autoupdate``, dependabot's ``Bump X from a to
b``, renovate's ``Update dependency X to v2`` and the commits a workflow makes as
``github-actions[bot]`` say nothing a user of the release needs, and a release made for them
alone is a release of nothing. They are left out of the notes and of ``--bump auto`` unless
``[tool.repokit] changelog_include_bots = true``.

Both checks run once per commit of a history that may hold 100,000: the author's is
remembered per author (a project has few), and the subject's pattern runs only on the
subjects whose first word may start such an update.
"""

from __future__ import annotations

import functools
import re

#: Bot identities that carry no ``[bot]`` (lower case): names and e-mail addresses.
_BOT_NAMES = frozenset(
    {
        "pre-commit-ci",
        "pre-commit.ci",
        "dependabot",
        "dependabot-preview",
        "renovate",
        "renovate-bot",
        "renovate bot",
        "renovatebot",
        "github-actions",
        "github action",
        "github actions",
        "mend renovate",
    }
)
_BOT_EMAILS = frozenset(
    {
        "bot@renovateapp.com",
        "action@github.com",
        "github-actions@github.com",
        "support@dependabot.com",
    }
)

#: Scopes of a conventional type that mark a dependency or hook update (``chore(deps)``).
NOISE_SCOPES = frozenset(
    {"deps", "deps-dev", "dev-deps", "dependencies", "pre-commit", "pre-commit.ci", "lock"}
)
#: The types whose ``(deps)`` scope alone makes a commit an update; a ``fix(deps)`` may fix.
QUIET_TYPES = frozenset({"chore", "build", "ci", "deps", "style", "test", "tests"})

_UPDATE = re.compile(
    r"""(?ix)
    \s*(?:\[pre-commit\.ci\].*
      | pre-commit(?:\.ci)?\s+auto-?update.*
      | (?:auto-?)?update\s+(?:the\s+)?pre-commit(?:\s+hooks?|\s+config).*
      | \[?(?:bump|update|upgrade)\s+(?:the\s+)?\S+(?:\s+group)?.*\bfrom\s+\S+\s+to\s+\S+.*
      | bump\s+the\s+\S+\s+group\b.*
      | (?:update|upgrade|pin)\s+(?:dependency|dependencies|(?:\S+\s+)?(?:action|hook)s?\b).*
      | (?:update|upgrade)\s+\S+\s+(?:action|hook|digest)\s+to\s+\S+.*
      | update\s+(?:all\s+)?(?:non-major\s+|major\s+|minor\s+|patch\s+)?dependencies.*
      | lock\s+file\s+maintenance.*
    )""",
)
#: First letters (lower case) of every subject :data:`_UPDATE` may match.
NOISE_STARTS = frozenset("[pbulBULP ")


@functools.cache
def is_bot_author(author: str) -> bool:
    """Whether ``author`` (``Name <email>``, as ``%an <%ae>`` writes it) is a bot."""
    name, _, email = author.rpartition(" <")
    email = email.removesuffix(">").lower()
    name = name.strip().lower()
    return (
        "[bot]" in name
        or "[bot]@" in email
        or name in _BOT_NAMES
        or email in _BOT_EMAILS
        or name.endswith("-bot")
        or email.endswith("@renovateapp.com")
    )


def is_update_subject(description: str) -> bool:
    """Whether a subject (its description after any ``type(scope):``) is a dependency or
    hook update."""
    return description[:1] in NOISE_STARTS and _UPDATE.fullmatch(description) is not None


def is_noise(author: str, type_: str | None, scope: str | None, description: str) -> bool:
    """Whether a commit is a bot's, or a dependency or hook update."""
    if scope is not None and type_ in QUIET_TYPES and scope.lower() in NOISE_SCOPES:
        return True
    return is_bot_author(author) or is_update_subject(description)
