"""Deployment environments and autolinks, each a reconciler of :mod:`repokit.governance.items`.

Environments are written as probot writes them: reviewers by type and id, a deployment
branch policy of two flags (its name patterns are items of their own:
:mod:`repokit.governance.deployment_patterns`). GitHub has no update of an autolink: it is
replaced.
"""

from __future__ import annotations

from typing import Any

from repokit.governance.deployment_pattern_syntax import custom_on
from repokit.governance.items import Live, Reconciler, quoted
from repokit.governance.plan import Request
from repokit.governance.sections import Item


def _reviewers(value: Any) -> list[dict[str, Any]]:
    return sorted(
        ({"type": str(r.get("type")), "id": int(r.get("id") or 0)} for r in value or []),
        key=lambda r: (r["type"], r["id"]),
    )


def _environment_wanted(item: Item) -> dict[str, Any]:
    want: dict[str, Any] = {}
    for key in ("wait_timer", "prevent_self_review"):
        if key in item.fields:
            want[key] = item.fields[key] or (0 if key == "wait_timer" else False)
    if "reviewers" in item.fields:
        want["reviewers"] = _reviewers(item.fields["reviewers"])
    if "deployment_branch_policy" in item.fields:
        policy = item.fields["deployment_branch_policy"]
        want["deployment_branch_policy"] = (
            None
            if policy is None
            else {
                "protected_branches": bool(policy.get("protected_branches")),
                "custom_branch_policies": custom_on(policy),
            }
        )
    return want


def _environment_live(live: Live) -> dict[str, Any]:
    rules = {rule.get("type"): rule for rule in live.get("protection_rules") or []}
    reviewers = rules.get("required_reviewers") or {}
    return {
        "wait_timer": int((rules.get("wait_timer") or {}).get("wait_timer") or 0),
        "prevent_self_review": bool(reviewers.get("prevent_self_review")),
        "reviewers": _reviewers(
            {"type": r.get("type"), "id": (r.get("reviewer") or {}).get("id")}
            for r in reviewers.get("reviewers") or []
        ),
        "deployment_branch_policy": live.get("deployment_branch_policy"),
    }


def _environment_path(repo: str, name: str) -> str:
    return f"/repos/{repo}/environments/{quoted(name)}"


_ENVIRONMENT = "/repos/{owner}/{repo}/environments/{environment_name}"

ENVIRONMENTS = Reconciler(
    section="environments",
    collection="environments",
    live_key=lambda live: str(live["name"]),
    live_fields=_environment_live,
    desired_fields=_environment_wanted,
    create=lambda repo, key, item: Request(
        "PUT", _environment_path(repo, key), _ENVIRONMENT, _environment_wanted(item)
    ),
    # the whole environment is sent: what the file leaves out keeps its live value
    update=lambda repo, live, item: Request(
        "PUT",
        _environment_path(repo, str(live["name"])),
        _ENVIRONMENT,
        {**_environment_live(live), **_environment_wanted(item)},
    ),
    delete=lambda repo, live: Request(
        "DELETE", _environment_path(repo, str(live["name"])), _ENVIRONMENT
    ),
)


def _autolink_wanted(item: Item) -> dict[str, Any]:
    return {
        "url_template": item.fields.get("url_template"),
        "is_alphanumeric": bool(item.fields.get("is_alphanumeric", True)),
    }


def _autolink_create(repo: str, key: str, item: Item) -> Request:
    body = {"key_prefix": key, **_autolink_wanted(item)}
    return Request("POST", f"/repos/{repo}/autolinks", "/repos/{owner}/{repo}/autolinks", body)


def _autolink_delete(repo: str, live: Live) -> Request:
    return Request(
        "DELETE",
        f"/repos/{repo}/autolinks/{live['id']}",
        "/repos/{owner}/{repo}/autolinks/{autolink_id}",
    )


AUTOLINKS = Reconciler(
    section="autolinks",
    collection="autolinks",
    live_key=lambda live: str(live["key_prefix"]),
    live_fields=lambda live: {
        "url_template": live.get("url_template"),
        "is_alphanumeric": bool(live.get("is_alphanumeric")),
    },
    desired_fields=_autolink_wanted,
    create=_autolink_create,
    # GitHub has no update of an autolink: it is deleted and created again
    update=lambda repo, live, item: [
        _autolink_delete(repo, live),
        _autolink_create(repo, str(live["key_prefix"]), item),
    ],
    delete=_autolink_delete,
    case_insensitive=True,
)
