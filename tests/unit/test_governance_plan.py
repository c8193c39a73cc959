"""The pure reconcile: read shape to write shape, merging over live values, and the diff."""

from __future__ import annotations

from repokit.governance.plan import (
    DesiredBranch,
    LiveBranch,
    branch_changes,
    desired_write_shape,
    merged_protection,
    normalize_protection,
    repository_changes,
    topic_changes,
)

READ = {
    "url": "https://api.github.com/repos/o/r/branches/main/protection",
    "required_status_checks": {
        "strict": True,
        "contexts": ["lint"],
        "checks": [{"context": "lint", "app_id": 15368}],
    },
    "enforce_admins": {"url": "...", "enabled": True},
    "required_pull_request_reviews": {
        "dismiss_stale_reviews": False,
        "require_code_owner_reviews": True,
        "required_approving_review_count": 2,
        "require_last_push_approval": False,
        "dismissal_restrictions": {"users": [{"login": "bob"}], "teams": [], "apps": []},
    },
    "required_linear_history": {"enabled": True},
    "allow_force_pushes": {"enabled": False},
    "required_signatures": {"enabled": True},
}


def test_read_shape_becomes_write_shape() -> None:
    body = normalize_protection(READ)
    assert body["required_status_checks"] == {
        "strict": True,
        "checks": [{"context": "lint", "app_id": 15368}],
    }
    assert body["enforce_admins"] is True
    assert body["required_pull_request_reviews"]["required_approving_review_count"] == 2
    assert body["required_pull_request_reviews"]["dismissal_restrictions"] == {
        "users": ["bob"],
        "teams": [],
        "apps": [],
    }
    assert body["required_linear_history"] is True
    assert body["allow_deletions"] is False
    assert body["restrictions"] is None


def test_the_file_is_laid_over_live_values() -> None:
    live = normalize_protection(READ)
    desired = desired_write_shape(
        {"required_pull_request_reviews": {"required_approving_review_count": 1}}, None
    )
    body = merged_protection(live, desired)
    reviews = body["required_pull_request_reviews"]
    assert reviews["required_approving_review_count"] == 1
    assert reviews["require_code_owner_reviews"] is True  # kept from live
    assert body["required_linear_history"] is True  # not in the file: kept
    assert body["required_status_checks"]["checks"] == [{"context": "lint", "app_id": 15368}]


def test_from_scratch_every_required_field_is_sent() -> None:
    body = merged_protection(None, desired_write_shape({"enforce_admins": False}, ["b", "a"]))
    assert set(body) >= {
        "required_status_checks",
        "enforce_admins",
        "required_pull_request_reviews",
        "restrictions",
    }
    assert body["required_status_checks"] is None


def test_checks_from_workflows_are_pinned_to_github_actions() -> None:
    shape = desired_write_shape(
        {"required_status_checks": {"strict": True, "from_workflows": True}}, ["unit", "lint"]
    )
    assert shape["required_status_checks"] == {
        "strict": True,
        "checks": [{"context": "lint", "app_id": 15368}, {"context": "unit", "app_id": 15368}],
    }


def test_diff_lists_only_what_differs() -> None:
    live = LiveBranch(normalize_protection(READ), required_signatures=True)
    same = DesiredBranch("main", {"enforce_admins": True}, required_signatures=True)
    assert branch_changes(same, live) == []
    other = DesiredBranch("main", {"enforce_admins": False}, required_signatures=False)
    assert [(c.setting, c.live, c.desired) for c in branch_changes(other, live)] == [
        ("enforce_admins", True, False),
        ("required_signatures", True, False),
    ]
    unprotected = LiveBranch(None, False)
    assert branch_changes(same, unprotected)[0].setting == "protection"


def test_repository_and_topics() -> None:
    live = {"description": "old", "has_wiki": True, "private": False}
    changes = repository_changes({"description": "new", "has_wiki": True}, live)
    assert [(c.setting, c.live, c.desired) for c in changes] == [("description", "old", "new")]
    assert topic_changes(("b", "a"), ["a", "b"]) == []
    assert topic_changes(None, ["a"]) == []  # not in the file: untouched
    assert topic_changes(("a",), ["a", "b"])[0].desired == ["a"]


def test_required_checks_are_read_from_each_answer_shape() -> None:
    from repokit.governance.plan import live_checks

    with_apps = {
        "contexts": ["b", "a"],
        "checks": [{"context": "b", "app_id": 1}, {"context": "a", "app_id": None}],
    }
    assert live_checks(with_apps) == [
        {"context": "a", "app_id": None},
        {"context": "b", "app_id": 1},
    ]
    assert live_checks({"checks": [{"context": "a"}]}) == [{"context": "a"}]
    assert live_checks({"contexts": ["a"]}) == [{"context": "a"}]


def test_a_check_whose_app_the_answer_does_not_say_matches_any_app() -> None:
    from repokit.governance.plan import same_checks

    assert same_checks([{"context": "a"}], [{"context": "a", "app_id": 15368}])
    assert same_checks([{"context": "a", "app_id": None}], [{"context": "a", "app_id": None}])
    assert not same_checks([{"context": "a", "app_id": 1}], [{"context": "a", "app_id": 15368}])
    assert not same_checks([{"context": "a"}], [{"context": "b", "app_id": None}])


def test_a_read_back_mismatch_shows_the_first_differing_field_with_both_values() -> None:
    from repokit.governance.plan import Change
    from repokit.governance.reconcile import mismatch

    live = [{"context": "ci", "app_id": 4242}]
    desired = [{"context": "ci", "app_id": 15368}]
    text = mismatch(Change("branch main", "required_status_checks.checks", live, desired))
    assert text == (
        "branch main required_status_checks.checks[0].app_id: GitHub shows 4242, "
        "the file asks 15368"
    )
    same_text = mismatch(Change("repository", "description", 1, "1"))
    assert same_text == 'repository description: GitHub shows 1, the file asks "1"'
