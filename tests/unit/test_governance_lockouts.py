"""The lock-out guard, complete: rulesets, one's own access, reviews no one can give, and
every event that carries a fork's code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from repokit.errors import PreflightError
from repokit.governance.guards import (
    access_lockout,
    refuse_fork_event,
    review_lockout,
    ruleset_lockout,
)


def ruleset(include: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "name": "freeze",
        "target": "branch",
        "enforcement": "active",
        "conditions": {"ref_name": {"include": include, "exclude": []}},
        "rules": [{"type": "update"}, {"type": "deletion"}, {"type": "non_fast_forward"}],
        **extra,
    }


@pytest.mark.parametrize(
    "include", [["~ALL"], ["~DEFAULT_BRANCH"], ["refs/heads/main"], ["refs/heads/m*"]]
)
def test_a_ruleset_blocking_updates_of_the_default_branch_for_everyone_locks_out(
    include: list[str],
) -> None:
    assert "no push or merge could reach" in str(ruleset_lockout(ruleset(include), "main"))


@pytest.mark.parametrize(
    "safe",
    [
        ruleset(["~ALL"], bypass_actors=[{"actor_id": 5, "actor_type": "RepositoryRole"}]),
        ruleset(["refs/heads/release/*"]),
        ruleset(["~ALL"], enforcement="evaluate"),
        {**ruleset(["~ALL"]), "rules": [{"type": "deletion"}, {"type": "non_fast_forward"}]},
        {
            **ruleset(["~ALL"]),
            "conditions": {"ref_name": {"include": ["~ALL"], "exclude": ["refs/heads/main"]}},
        },
    ],
)
def test_a_ruleset_someone_can_pass_or_that_spares_the_default_branch_does_not(
    safe: dict[str, Any],
) -> None:
    assert ruleset_lockout(safe, "main") is None


def test_removing_or_demoting_ones_own_access_locks_out() -> None:
    assert "removes octo-admin" in str(
        access_lockout("octo-admin", [("DELETE", "Octo-Admin", None)])
    )
    demoted = access_lockout("octo-admin", [("PUT", "octo-admin", {"permission": "pull"})])
    assert "a pull collaborator" in str(demoted)
    assert access_lockout("octo-admin", [("PUT", "octo-admin", {"permission": "admin"})]) is None
    assert access_lockout("octo-admin", [("DELETE", "dora", None)]) is None


def test_reviews_no_one_can_give_lock_out_when_enforced_for_admins() -> None:
    reviews = {"required_approving_review_count": 2}
    locked = {"enforce_admins": True, "required_pull_request_reviews": reviews}
    assert "needs 2 approving reviews" in str(review_lockout(locked, 1))
    assert review_lockout(locked, 2) is None
    assert review_lockout({**locked, "enforce_admins": False}, 1) is None
    bypass = {**reviews, "bypass_pull_request_allowances": {"users": ["octo-admin"]}}
    assert review_lockout({**locked, "required_pull_request_reviews": bypass}, 1) is None


def actions(tmp_path: Path, name: str, payload: dict[str, Any]) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path)}


def run_of(head: str, event: str = "pull_request", fork: bool = False) -> dict[str, Any]:
    return {
        "workflow_run": {
            "event": event,
            "head_repository": {"full_name": head, "fork": fork},
        },
        "repository": {"full_name": "acme/widget"},
    }


def test_events_that_carry_a_forks_code_are_refused(tmp_path: Path) -> None:
    for name, payload in [
        ("workflow_run", run_of("mallory/widget", fork=True)),
        ("workflow_run", run_of("mallory/widget", event="pull_request_target")),
        ("workflow_run", {}),
        ("issue_comment", {"issue": {"number": 7, "pull_request": {"url": "x"}}}),
    ]:
        with pytest.raises(PreflightError, match="refusing to apply settings from a"):
            refuse_fork_event(actions(tmp_path, name, payload))


def test_events_of_the_repositorys_own_code_may_apply(tmp_path: Path) -> None:
    refuse_fork_event(actions(tmp_path, "workflow_run", run_of("acme/widget")))
    refuse_fork_event(actions(tmp_path, "workflow_run", run_of("mallory/widget", event="push")))
    refuse_fork_event(actions(tmp_path, "issue_comment", {"issue": {"number": 7}}))
