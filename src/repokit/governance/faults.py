"""What to say when a write fails midway: what went through, what did not, what to do.

A 404 on an item is told by its cause (see :mod:`repokit.governance.answers`); only when
the repository itself is not found after writes went through was access lost (the token
revoked, or its rights reduced). A connection dropped during a write
may have been applied by GitHub: the live state is read back first, and only when that
fails too is the write reported as unknown, never as "not applied".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from repokit.errors import GitHubError, RepokitError
from repokit.governance.answers import told


def failed_write(
    error: RepokitError,
    applied: Sequence[str],
    remaining: Sequence[Any],
    read_back: bool | None = None,
) -> GitHubError:
    """The error for the first of ``remaining`` failing; ``read_back`` is False when, after
    a dropped connection, reading the live state back showed that write not done."""
    status = getattr(error, "status", 0)
    done = "; ".join(applied) or "nothing"
    first, rest = remaining[0].description, [w.description for w in remaining[1:]]
    if status is None and read_back is False:
        msg = (
            f"{first}: the connection dropped before GitHub answered, and reading back shows "
            f"it not applied -- applied: {done}; not applied: {'; '.join([first, *rest])}"
        )
        return GitHubError(msg, hint="run the same command again: it applies only what is missing")
    if status is None:
        msg = (
            f"{first}: the connection dropped before GitHub answered, so it may have been "
            f"applied -- applied: {done}; unknown: {first}; "
            f"not applied: {'; '.join(rest) or 'nothing'}"
        )
        return GitHubError(msg, hint="run 'inv drift' to see what is live, then run again")
    missing = bool(getattr(error, "repository_missing", False))
    if status == 404 and applied and missing:
        msg = (
            f"{first}: access was lost after {len(applied)} write(s) went through (404) -- "
            f"applied: {done}; not applied: {'; '.join([first, *rest])}"
        )
        return GitHubError(msg, hint="check that the token is still valid and still an admin's")
    not_applied = "; ".join([first, *rest])
    request = remaining[0].request
    said = told(
        request.method,
        request.operation,
        request.path,
        int(status or 0),
        str(getattr(error, "github_message", "")),
    )
    if said is not None and not missing:
        msg = f"{first}: {said.cause} -- applied: {done}; not applied: {not_applied}"
        return GitHubError(msg, hint=said.fix)
    msg = f"{error.message} -- applied: {done}; not applied: {not_applied}"
    hint = (
        "fix the setting GitHub names in the settings file"
        if status == 422
        else "run the same command again: it applies only what is missing"
    )
    return GitHubError(msg, hint=hint)
