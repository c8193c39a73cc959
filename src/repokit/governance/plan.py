"""Desired vs live: the changes to make, computed without touching GitHub.

GitHub answers GET protection in another shape than PUT takes (flags as
``{"enabled": bool}``, people as objects): :func:`normalize_protection` brings the read shape
to the write shape. :func:`merged_protection` lays the file's protection over the live one,
because PUT replaces the whole protection and a field the file does not mention must keep
its live value. Nothing the file does not mention is ever changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from repokit.governance.model import FLAGS, GITHUB_ACTIONS_APP_ID

#: PUT protection's required keys, with the values of "off".
_OFF: dict[str, Any] = {
    "required_status_checks": None,
    "enforce_admins": None,
    "required_pull_request_reviews": None,
    "restrictions": None,
}


@dataclass(frozen=True)
class Request:
    """One write request as data: checked against GitHub's schema before any is sent."""

    method: str
    #: Relative to the API root, e.g. ``/repos/acme/widget/labels``.
    path: str
    #: The path template of GitHub's description (which schema the body must fit).
    operation: str
    body: Any = None


@dataclass(frozen=True)
class Change:
    """One setting whose live value differs from the desired one."""

    section: str  # "repository", "topics" or "branch <name>"
    setting: str
    live: Any
    desired: Any


@dataclass(frozen=True)
class LiveBranch:
    """A branch's live protection in write shape (None: not protected) and signatures."""

    protection: Mapping[str, Any] | None
    required_signatures: bool


@dataclass(frozen=True)
class DesiredBranch:
    """A branch's desired protection in write shape (checks resolved) and signatures."""

    name: str
    protection: Mapping[str, Any]
    required_signatures: bool | None
    #: probot's ``protection: null`` / ``{}``: remove the branch's protection.
    delete: bool = False


def _names(people: Any, key: str) -> list[str]:
    return sorted(str(p.get(key) if isinstance(p, Mapping) else p) for p in people or [])


def _people(node: Any) -> dict[str, list[str]] | None:
    if not isinstance(node, Mapping):
        return None
    return {
        "users": _names(node.get("users"), "login"),
        "teams": _names(node.get("teams"), "slug"),
        "apps": _names(node.get("apps"), "slug"),
    }


def normalize_protection(read: Mapping[str, Any]) -> dict[str, Any]:
    """GET protection's answer in the shape PUT protection takes."""
    body: dict[str, Any] = dict(_OFF)
    checks = read.get("required_status_checks")
    if isinstance(checks, Mapping):
        body["required_status_checks"] = {
            "strict": bool(checks.get("strict")),
            "checks": live_checks(checks),
        }
    admins = read.get("enforce_admins")
    body["enforce_admins"] = bool(admins.get("enabled")) if isinstance(admins, Mapping) else None
    reviews = read.get("required_pull_request_reviews")
    if isinstance(reviews, Mapping):
        body["required_pull_request_reviews"] = {
            "dismiss_stale_reviews": bool(reviews.get("dismiss_stale_reviews")),
            "require_code_owner_reviews": bool(reviews.get("require_code_owner_reviews")),
            "required_approving_review_count": int(
                reviews.get("required_approving_review_count") or 0
            ),
            "require_last_push_approval": bool(reviews.get("require_last_push_approval")),
        }
        for key in ("dismissal_restrictions", "bypass_pull_request_allowances"):
            people = _people(reviews.get(key))
            if people is not None:
                body["required_pull_request_reviews"][key] = people
    body["restrictions"] = _people(read.get("restrictions"))
    for flag in FLAGS:
        value = read.get(flag)
        body[flag] = bool(value.get("enabled")) if isinstance(value, Mapping) else False
    return body


def live_checks(status: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The required checks of GET protection's answer, sorted, in any of GitHub's shapes:
    ``checks`` with app ids, ``checks`` without them, or only the older ``contexts``.

    Where the answer does not say a check's app, the entry has no ``app_id`` key: the app
    is unknown, and it matches whatever app the file asks for (see :func:`same_checks`).
    """
    entries = status.get("checks")
    if not isinstance(entries, list):
        entries = [{"context": c} for c in status.get("contexts") or []]
    found = []
    for entry in entries:
        if not isinstance(entry, Mapping) or "context" not in entry:
            continue
        item = {"context": str(entry["context"])}
        if "app_id" in entry:
            item["app_id"] = entry["app_id"]
        found.append(item)
    return sorted(found, key=lambda e: str(e["context"]))


def same_checks(live: Any, desired: Any) -> bool:
    """The same required checks: the same contexts, each with the same app where the live
    answer names one (null is "any app")."""
    if not (isinstance(live, list) and isinstance(desired, list)) or len(live) != len(desired):
        return bool(live == desired)
    pairs = zip(
        sorted(live, key=lambda e: str(e.get("context"))),
        sorted(desired, key=lambda e: str(e.get("context"))),
        strict=True,
    )
    return all(
        have.get("context") == want.get("context")
        and ("app_id" not in have or have.get("app_id") == want.get("app_id"))
        for have, want in pairs
    )


def resolve_checks(
    entries: list[Any], default_app: int | None = GITHUB_ACTIONS_APP_ID
) -> list[dict[str, Any]]:
    """``checks`` entries (or bare context names) as ``{context, app_id}``, sorted.

    An app_id of None is "any app" (GitHub answers null for it; it is sent as -1).
    """
    result = []
    for entry in entries:
        if isinstance(entry, Mapping):
            app = entry.get("app_id", default_app)
            result.append({"context": str(entry["context"]), "app_id": None if app == -1 else app})
        else:
            result.append({"context": str(entry), "app_id": default_app})
    return sorted(result, key=lambda e: e["context"])


def _off_people(value: Any) -> bool:
    """probot's ``{}`` (or lists all empty) for dismissal restrictions and bypasses: off."""
    return value is None or (
        isinstance(value, Mapping) and not any(value.get(k) for k in ("users", "teams", "apps"))
    )


def desired_write_shape(protection: Mapping[str, Any], checks: list[str] | None) -> dict[str, Any]:
    """The file's (partial) protection in write shape; ``checks`` from the workflows if given."""
    body: dict[str, Any] = {}
    for key, value in protection.items():
        if key == "required_signatures":
            continue
        if key == "required_status_checks" and isinstance(value, Mapping):
            status: dict[str, Any] = {}
            if "strict" in value:
                status["strict"] = bool(value["strict"])
            if checks is not None:
                status["checks"] = resolve_checks(checks)
            elif value.get("checks") is not None:
                status["checks"] = resolve_checks(list(value["checks"]))
            elif value.get("contexts") is not None:
                # contexts keep their any-source meaning: a status from any CI satisfies them
                status["checks"] = resolve_checks(list(value["contexts"]), default_app=None)
            body[key] = status
        elif key == "required_pull_request_reviews" and isinstance(value, Mapping):
            reviews: dict[str, Any] = {}
            for field, setting in value.items():
                if field in ("dismissal_restrictions", "bypass_pull_request_allowances"):
                    reviews[field] = (
                        {}
                        if _off_people(setting)
                        else {k: sorted(setting.get(k) or []) for k in ("users", "teams", "apps")}
                    )
                elif field == "required_approving_review_count" and setting is None:
                    continue  # probot's null: not set, the live count stays
                elif field == "required_approving_review_count":
                    reviews[field] = int(setting)
                else:
                    reviews[field] = bool(setting)  # null is off
            body[key] = reviews
        elif key == "restrictions" and isinstance(value, Mapping):
            body[key] = {k: sorted(value.get(k) or []) for k in ("users", "teams", "apps")}
        elif key in FLAGS or key == "enforce_admins":
            body[key] = bool(value)  # null is off, as GitHub reports it
        else:
            body[key] = value
    return body


def put_body(merged: Mapping[str, Any]) -> dict[str, Any]:
    """The PUT protection body: any-app checks as -1, empty restrictions of reviews left out."""
    body = dict(merged)
    status = body.get("required_status_checks")
    if isinstance(status, Mapping):
        body["required_status_checks"] = {
            **status,
            "checks": [
                {"context": c["context"], "app_id": -1 if c.get("app_id") is None else c["app_id"]}
                for c in status.get("checks") or []
            ],
        }
    reviews = body.get("required_pull_request_reviews")
    if isinstance(reviews, Mapping):
        body["required_pull_request_reviews"] = {
            k: v
            for k, v in reviews.items()
            if not (
                k in ("dismissal_restrictions", "bypass_pull_request_allowances") and _off_people(v)
            )
        }
    return body


def merged_protection(live: Mapping[str, Any] | None, desired: Mapping[str, Any]) -> dict[str, Any]:
    """The whole protection to PUT: live values, with the file's values laid over them."""
    body: dict[str, Any] = {**_OFF, **dict.fromkeys(FLAGS, False), **(live or {})}
    for key, value in desired.items():
        current = body.get(key)
        if isinstance(value, Mapping) and isinstance(current, Mapping):
            body[key] = {**current, **value}
        elif isinstance(value, Mapping) and key == "required_status_checks":
            body[key] = {"strict": False, "checks": [], **value}
        elif isinstance(value, Mapping) and key == "required_pull_request_reviews":
            defaults = {
                "dismiss_stale_reviews": False,
                "require_code_owner_reviews": False,
                "required_approving_review_count": 0,
                "require_last_push_approval": False,
            }
            body[key] = {**defaults, **value}
        else:
            body[key] = value
    return body


def first_difference(live: Any, desired: Any, where: str = "") -> tuple[str, Any, Any] | None:
    """The first field where ``live`` and ``desired`` differ: its path and both values."""
    if isinstance(live, Mapping) and isinstance(desired, Mapping):
        for key in list(desired) + [k for k in live if k not in desired]:
            found = first_difference(live.get(key), desired.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(live, list) and isinstance(desired, list) and len(live) == len(desired):
        for index, (have, want) in enumerate(zip(live, desired, strict=True)):
            found = first_difference(have, want, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if live == desired else (where, live, desired)


def _flatten(value: Any, prefix: str) -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _lookup(tree: Mapping[str, Any], dotted: str) -> Any:
    node: Any = tree
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _same(live: Any, desired: Any, key: str = "") -> bool:
    """Equal, where null, {} and an absent value all mean "off" (as probot writes them)."""
    if desired in (None, {}) and live in (None, {}):
        return True
    if key == "required_status_checks.checks":
        return same_checks(live, desired)
    return bool(live == desired)


def _contains(live: Any, desired: Any) -> bool:
    """``desired`` is live; a mapping (security_and_analysis) only for the keys it gives."""
    if isinstance(desired, Mapping):
        return isinstance(live, Mapping) and all(
            _contains(live.get(k), v) for k, v in desired.items()
        )
    return bool(live == desired)


def repository_changes(desired: Mapping[str, Any], live: Mapping[str, Any]) -> list[Change]:
    return [
        Change("repository", key, live.get(key), value)
        for key, value in desired.items()
        if not _contains(live.get(key), value)
    ]


def topic_changes(desired: tuple[str, ...] | None, live: list[str]) -> list[Change]:
    if desired is None or sorted(desired) == sorted(live):
        return []
    return [Change("topics", "topics", sorted(live), sorted(desired))]


def branch_changes(desired: DesiredBranch, live: LiveBranch) -> list[Change]:
    """The protection settings the file asks for that differ from the live ones."""
    section = f"branch {desired.name}"
    changes: list[Change] = []
    if desired.delete:
        if live.protection is not None:
            return [Change(section, "protection", "on", "off (deleted)")]
        return []
    if live.protection is None and (desired.protection or desired.required_signatures):
        changes.append(Change(section, "protection", "off", "on"))
    want = merged_protection(live.protection, desired.protection)
    have = dict(live.protection) if live.protection is not None else {}
    wanted = _flatten({k: want[k] for k in desired.protection}, "")
    current = _flatten({k: have.get(k) for k in desired.protection}, "")
    for key, value in wanted.items():
        now = current.get(key) if key in current else _lookup(have, key)
        if not _same(now, value, key):
            changes.append(Change(section, key, now, value))
    signatures = desired.required_signatures
    if signatures is not None and signatures != live.required_signatures:
        changes.append(Change(section, "required_signatures", live.required_signatures, signatures))
    return changes
