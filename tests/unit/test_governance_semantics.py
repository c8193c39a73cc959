"""probot's meaning, the lock-out guard, the fork guard and _extends, as pure functions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repokit.errors import ConfigError, PreflightError
from repokit.governance.extends import merge, target
from repokit.governance.guards import lockout_reason, refuse_fork_event
from repokit.governance.model import load
from repokit.governance.plan import (
    DesiredBranch,
    LiveBranch,
    branch_changes,
    desired_write_shape,
    merged_protection,
    put_body,
)


def test_contexts_mean_any_app_and_are_sent_as_minus_one() -> None:
    shape = desired_write_shape(
        {"required_status_checks": {"strict": True, "contexts": ["ci"]}}, None
    )
    assert shape["required_status_checks"]["checks"] == [{"context": "ci", "app_id": None}]
    body = put_body(merged_protection(None, shape))
    assert body["required_status_checks"]["checks"] == [{"context": "ci", "app_id": -1}]


def test_from_workflows_checks_carry_the_actions_app() -> None:
    shape = desired_write_shape({"required_status_checks": {"from_workflows": True}}, ["lint"])
    assert shape["required_status_checks"]["checks"] == [{"context": "lint", "app_id": 15368}]


def test_nulls_and_empty_objects_compare_equal_to_off() -> None:
    protection = {
        "enforce_admins": None,
        "allow_force_pushes": None,
        "required_pull_request_reviews": {
            "required_approving_review_count": 1,
            "dismissal_restrictions": {},
        },
    }
    desired = DesiredBranch("main", desired_write_shape(protection, None), None)
    live = merged_protection(None, desired.protection)
    live["required_pull_request_reviews"].pop("dismissal_restrictions")
    assert branch_changes(desired, LiveBranch(live, False)) == []
    body = put_body(merged_protection(None, desired.protection))
    assert "dismissal_restrictions" not in body["required_pull_request_reviews"]
    assert body["enforce_admins"] is False and body["allow_force_pushes"] is False


def test_a_deleted_protection_is_one_change_then_none() -> None:
    desired = DesiredBranch("main", {}, None, delete=True)
    protected = LiveBranch(merged_protection(None, {"enforce_admins": True}), False)
    assert [c.setting for c in branch_changes(desired, protected)] == ["protection"]
    assert branch_changes(desired, LiveBranch(None, False)) == []


@pytest.mark.parametrize(
    ("protection", "locked"),
    [
        ({"enforce_admins": True, "lock_branch": True}, True),
        ({"enforce_admins": True, "restrictions": {"users": [], "teams": [], "apps": []}}, True),
        ({"enforce_admins": False, "lock_branch": True}, False),
        (
            {"enforce_admins": True, "restrictions": {"users": ["doug"], "teams": [], "apps": []}},
            False,
        ),
        ({"enforce_admins": True, "restrictions": None}, False),
    ],
)
def test_lockouts_are_recognised(protection: dict[str, object], locked: bool) -> None:
    assert (lockout_reason(protection) is not None) is locked


def event(tmp_path: Path, head: str, fork: bool) -> dict[str, str]:
    payload = tmp_path / "event.json"
    payload.write_text(
        json.dumps(
            {
                "pull_request": {
                    "head": {"repo": {"full_name": head, "fork": fork}},
                    "base": {"repo": {"full_name": "acme/widget", "fork": False}},
                }
            }
        )
    )
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(payload),
    }


def test_a_pull_request_from_the_repository_itself_may_apply(tmp_path: Path) -> None:
    refuse_fork_event(event(tmp_path, "acme/widget", fork=False))
    refuse_fork_event({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"})
    refuse_fork_event({})


def test_a_fork_or_an_unreadable_event_may_not(tmp_path: Path) -> None:
    with pytest.raises(PreflightError):
        refuse_fork_event(event(tmp_path, "mallory/widget", fork=True))
    with pytest.raises(PreflightError):
        refuse_fork_event({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request_target"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (".github", ("acme/.github", ".github/settings.yml")),
        ("github-assets", ("acme/github-assets", ".github/settings.yml")),
        ("other/base", ("other/base", ".github/settings.yml")),
        ("base:settings/main.yml", ("acme/base", "settings/main.yml")),
    ],
)
def test_extends_names_a_repository_and_a_file(value: str, expected: tuple[str, str]) -> None:
    assert target(value, "acme") == expected


def test_extends_refuses_what_is_not_a_repository() -> None:
    with pytest.raises(ConfigError):
        target("a/b/c d", "acme")
    with pytest.raises(ConfigError):
        target("base:../../etc/passwd", "acme")


def test_the_local_file_wins_and_named_items_merge_by_name() -> None:
    base = {
        "repository": {"has_wiki": True, "has_issues": True},
        "labels": [{"name": "bug", "color": "ff0000"}, {"name": "docs", "color": "0000ff"}],
        "branches": [{"name": "main", "protection": {"enforce_admins": True}}],
    }
    local = {
        "_extends": ".github",
        "repository": {"has_wiki": False},
        "labels": [{"name": "bug", "description": "Broken"}, {"name": "new", "color": "00ff00"}],
    }
    merged = merge(base, local)
    assert merged["repository"] == {"has_wiki": False, "has_issues": True}
    assert merged["labels"] == [
        {"name": "bug", "color": "ff0000", "description": "Broken"},
        {"name": "docs", "color": "0000ff"},
        {"name": "new", "color": "00ff00"},
    ]
    assert merged["branches"] == base["branches"]
    assert "_extends" not in merged


def test_an_empty_topics_value_changes_nothing(tmp_path: Path) -> None:
    for text in ("topics: ''", "topics: ['']", "topics: []", "topics:"):
        path = tmp_path / "settings.yml"
        path.write_text(f"repository:\n  {text}\n")
        assert load(path).topics is None, text


def test_extends_without_a_token_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.yml"
    path.write_text("_extends: .github\n")
    with pytest.raises(ConfigError, match="needs a GitHub token"):
        load(path)


@pytest.mark.parametrize(
    "value",
    ["https://evil.example/x", "git@github.com:o/r", "base:/etc/passwd", "o/r/x", "base:a/../b"],
)
def test_extends_refuses_a_url_or_a_path_out_naming_the_forms(tmp_path: Path, value: str) -> None:
    from repokit.governance.model import load

    path = tmp_path / "settings.yml"
    path.write_text(f"labels: []\n_extends: '{value}'\n")
    with pytest.raises(ConfigError) as caught:
        load(path, extends=lambda _: pytest.fail("nothing may be fetched"))
    message = caught.value.message
    assert message.startswith(f"{path}:2: _extends: {value!r} is not one of <repo>, <repo>:<path>")
    assert "<owner>/<repo>:<path>" in message


def test_a_body_with_a_bad_date_or_an_unknown_nested_key_is_refused() -> None:
    from repokit.governance.schemas import body_problems

    repository = "/repos/{owner}/{repo}"
    body = {"security_and_analysis": {"secret_scaning": {"status": "enabled"}}}
    assert body_problems("PATCH", repository, body) == [
        "security_and_analysis.secret_scaning: unknown key (did you mean 'secret_scanning'?); "
        "GitHub would ignore it"
    ]
    milestones = f"{repository}/milestones"
    bad = {"title": "1.0", "due_on": "2030-02-30T00:00:00Z"}
    assert body_problems("POST", milestones, bad) == [
        "due_on: '2030-02-30T00:00:00Z' is not a 'date-time'"
    ]
    assert (
        body_problems("POST", milestones, {"title": "1.0", "due_on": "2030-01-31T00:00:00Z"}) == []
    )


def test_a_ruleset_rule_missing_parameters_names_them_not_every_rule_shape() -> None:
    from repokit.governance.schemas import body_problems

    rulesets = "/repos/{owner}/{repo}/rulesets"
    rule = {"type": "pull_request", "parameters": {"required_approving_review_count": 1}}
    body = {"name": "reviews", "enforcement": "active", "rules": [rule]}
    assert body_problems("POST", rulesets, body) == [
        f"rules.0.parameters: {name!r} is a required property"
        for name in (
            "dismiss_stale_reviews_on_push",
            "require_code_owner_review",
            "require_last_push_approval",
            "required_review_thread_resolution",
        )
    ]
    body["rules"] = [{"type": "no_such_rule"}]
    assert body_problems("POST", rulesets, body) == [
        "rules.0: {'type': 'no_such_rule'} is not valid under any of the given schemas"
    ]


def test_a_milestone_due_on_that_is_not_a_date_is_refused_with_its_line(tmp_path: Path) -> None:
    from repokit.governance.model import load

    path = tmp_path / "settings.yml"
    path.write_text("milestones:\n  - title: '1.0'\n    due_on: not-a-date\n")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert "settings.yml:3: milestones[0].due_on: 'not-a-date' is not a date" in (
        caught.value.message
    )
