"""Refusals made before any write: a plan that locks everyone out, an apply from a fork.

A protection or ruleset that leaves no one able to change the default branch, a
collaborators list that takes away the applying admin's own access, and required reviews
no one could give are refused unless the user says ``--allow-lockout``. Inside GitHub
Actions, an event that carries a fork's code (a pull request, ``pull_request_target``
even with the base repository's secrets, a ``workflow_run`` of a fork's pull request, a
comment on a pull request) is refused.
"""

from __future__ import annotations

import fnmatch
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


def ruleset_lockout(ruleset: Mapping[str, Any], default_branch: str) -> str | None:
    """Why an active ruleset leaves no one able to push to the default branch: it blocks
    updates of a set of branches holding it, and no one may bypass it."""
    if ruleset.get("enforcement", "disabled") != "active" or ruleset.get("bypass_actors"):
        return None
    if ruleset.get("target", "branch") != "branch":
        return None
    rules = {str(r.get("type")) for r in ruleset.get("rules") or [] if isinstance(r, Mapping)}
    if "update" not in rules:
        return None
    conditions = ruleset.get("conditions")
    ref = conditions.get("ref_name") if isinstance(conditions, Mapping) else None
    include = [str(i) for i in (ref.get("include") or [])] if isinstance(ref, Mapping) else []
    exclude = [str(i) for i in (ref.get("exclude") or [])] if isinstance(ref, Mapping) else []
    default = f"refs/heads/{default_branch}"
    named = {"~ALL", "~DEFAULT_BRANCH", default}
    if not any(i in named or fnmatch.fnmatchcase(default, i) for i in include):
        return None
    if any(e in named or fnmatch.fnmatchcase(default, e) for e in exclude):
        return None
    return (
        f"it blocks every update of {default_branch} (the default branch) and no one may "
        "bypass it: no push or merge could reach the branch"
    )


def access_lockout(caller: str, writes: list[tuple[str, str, Any]]) -> str | None:
    """Why collaborator writes take the caller's own admin access away: ``writes`` are
    ``(method, username, body)`` of the collaborators section."""
    for method, username, body in writes:
        if username.lower() != caller.lower():
            continue
        if method == "DELETE":
            return f"it removes {caller}, who is applying it, from the collaborators"
        permission = body.get("permission") if isinstance(body, Mapping) else None
        if permission not in (None, "admin"):
            return f"it makes {caller}, who is applying it, a {permission} collaborator"
    return None


def review_lockout(protection: Mapping[str, Any], reviewers: int) -> str | None:
    """Why required reviews can never be given: more approvals than people with push access,
    enforced for admins, with no one allowed to bypass them."""
    reviews = protection.get("required_pull_request_reviews")
    if not isinstance(reviews, Mapping) or not protection.get("enforce_admins"):
        return None
    needed = int(reviews.get("required_approving_review_count") or 0)
    bypass = reviews.get("bypass_pull_request_allowances")
    if isinstance(bypass, Mapping) and any(bypass.get(k) for k in ("users", "teams", "apps")):
        return None
    if needed <= reviewers:
        return None
    return (
        f"it needs {needed} approving reviews, enforced for admins, and only {reviewers} "
        "account(s) may push here: nothing could be merged"
    )


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
    if event not in ("pull_request", "pull_request_target", "workflow_run", "issue_comment"):
        return
    payload: Any = {}
    try:
        payload = json.loads(Path(env.get("GITHUB_EVENT_PATH", "")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        payload = {}
    if event == "workflow_run":
        _refuse_fork_run(payload)
        return
    if event == "issue_comment":
        issue = payload.get("issue") if isinstance(payload, Mapping) else None
        if isinstance(issue, Mapping) and issue.get("pull_request") is None:
            return  # a comment on an issue carries no one's code
        raise PreflightError(
            "refusing to apply settings from a comment on a pull request (it may come "
            "from a fork, and its code could be checked out)",
            hint="apply from the default branch (push or workflow_dispatch); --dry-run is allowed",
        )
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


def _refuse_fork_run(payload: Any) -> None:
    """A workflow_run triggered by a pull request from another repository runs after code
    its author controls: refused (as is one whose head cannot be told)."""
    run = payload.get("workflow_run") if isinstance(payload, Mapping) else None
    if not isinstance(run, Mapping):
        run = {}
    if run and run.get("event") not in ("pull_request", "pull_request_target"):
        return
    head = run.get("head_repository")
    base = payload.get("repository") if isinstance(payload, Mapping) else None
    head_name = head.get("full_name") if isinstance(head, Mapping) else None
    base_name = base.get("full_name") if isinstance(base, Mapping) else None
    if run and head_name and head_name == base_name and not (head or {}).get("fork"):
        return
    raise PreflightError(
        "refusing to apply settings from a workflow_run of a fork's pull request (or of an "
        "unknown head)",
        hint="apply from the default branch (push or workflow_dispatch); --dry-run is allowed",
    )
