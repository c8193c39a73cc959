"""Refusals made before any write: a plan that locks everyone out, an apply from a fork.

A protection that leaves no one able to change the branch cannot be undone from the branch
(nor, with enforce_admins, by an admin's push); it is refused unless the user says
``--allow-lockout``. Inside GitHub Actions, a pull request from a fork runs code its author
controls (``pull_request_target`` even with the base repository's secrets): applying
settings from it is refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from repokit.errors import PreflightError


def lockout_reason(protection: Mapping[str, Any]) -> str | None:
    """Why this (whole, write-shape) protection leaves no one able to change the branch."""
    admins = bool(protection.get("enforce_admins"))
    if protection.get("lock_branch") and admins:
        return "lock_branch with enforce_admins makes the branch read-only for everyone"
    restrictions = protection.get("restrictions")
    nobody = isinstance(restrictions, Mapping) and not any(
        restrictions.get(k) for k in ("users", "teams", "apps")
    )
    if nobody and admins:
        return "restrictions with no users, teams or apps, and enforce_admins: no one may push"
    reviews = protection.get("required_pull_request_reviews")
    bypass = reviews.get("bypass_pull_request_allowances") if isinstance(reviews, Mapping) else None
    no_bypass = not (
        isinstance(bypass, Mapping) and any(bypass.get(k) for k in ("users", "teams", "apps"))
    )
    if nobody and isinstance(reviews, Mapping) and no_bypass and protection.get("lock_branch"):
        return "lock_branch with empty restrictions and required reviews: nothing can merge"
    return None


def _repo(payload: Any, side: str) -> Mapping[str, Any]:
    """``pull_request.<side>.repo`` of an event payload ({} where it is not a mapping)."""
    node: Any = payload
    for key in ("pull_request", side, "repo"):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def refuse_fork_event(environ: Mapping[str, str] | None = None) -> None:
    """Refuse an apply from a fork's pull request inside GitHub Actions."""
    env = os.environ if environ is None else environ
    if env.get("GITHUB_ACTIONS") != "true":
        return
    event = env.get("GITHUB_EVENT_NAME", "")
    if event not in ("pull_request", "pull_request_target"):
        return
    payload: Any = {}
    try:
        payload = json.loads(Path(env.get("GITHUB_EVENT_PATH", "")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        payload = {}
    head, base = _repo(payload, "head"), _repo(payload, "base")
    same = (
        bool(head.get("full_name"))
        and head.get("full_name") == base.get("full_name")
        and not head.get("fork")
    )
    if not same:
        raise PreflightError(
            f"refusing to apply settings from a {event} event of a fork (or of an unknown head)",
            hint="apply from the default branch (push or workflow_dispatch); --dry-run is allowed",
        )
