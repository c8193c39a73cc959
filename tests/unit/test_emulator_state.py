"""The emulator's model without HTTP: permissions, seeding, CODEOWNERS, routing, faults, paging."""

from __future__ import annotations

from typing import Any

import pytest

from repokit.testing.github.api.common import paginate
from repokit.testing.github.codeowners import find_errors
from repokit.testing.github.faults import Fault, FaultQueue
from repokit.testing.github.routes import ROUTES
from repokit.testing.github.routing import ApiRequest, Router
from repokit.testing.github.state import GitHubState, RateLimit


@pytest.fixture
def state() -> GitHubState:
    world = GitHubState()
    world.add_org("acme", owners=["boss"])
    world.add_repo("acme", "widget", collaborators={"carol": "triage"})
    world.add_repo("acme", "vault", private=True)
    world.add_team("acme", "devs", members=["dev"], repos={"widget": "push", "vault": "maintain"})
    return world


def test_permissions_come_from_ownership_teams_and_collaborators(state: GitHubState) -> None:
    widget, vault = state.repo("acme", "widget"), state.repo("acme", "vault")

    assert state.permission("boss", vault) == "admin"
    assert state.permission("dev", widget) == "push"
    assert state.permission("dev", vault) == "maintain"
    assert state.permission("carol", widget) == "triage"
    assert state.permission("stranger", widget) == "pull"  # public
    assert state.permission("stranger", vault) is None  # private: cannot even see it


def test_repository_lookup_ignores_case(state: GitHubState) -> None:
    assert state.repo("ACME", "Widget").full_name == "acme/widget"


def test_add_repo_refuses_a_setting_github_does_not_have() -> None:
    with pytest.raises(ValueError, match="has_wikis"):
        GitHubState().add_repo("acme", "widget", has_wikis=False)


def test_add_team_refuses_an_unknown_permission() -> None:
    with pytest.raises(ValueError, match="unknown permission 'owner'"):
        GitHubState().add_team("acme", "devs", repos={"widget": "owner"})


def test_every_branch_starts_with_the_seeded_files() -> None:
    repo = GitHubState().add_repo("me", "tool", branches=["dev"], files={"a.txt": "A"})

    assert repo.branches["main"].files == repo.branches["dev"].files == {"a.txt": b"A"}
    assert repo.branches["main"].head.sha == repo.branches["dev"].head.sha


def test_the_rate_limit_counts_down_and_starts_over_after_its_reset() -> None:
    limit = RateLimit(limit=2, reset=2**40)
    limit.spend()
    limit.spend()
    assert (limit.remaining, limit.exhausted()) == (0, True)

    limit.reset = 0  # the window has passed

    assert limit.exhausted() is False
    assert limit.remaining == 2


def test_codeowners_errors_carry_line_column_and_kind() -> None:
    text = "# owners\n*.py @alice\n***/*.rb @alice\ndocs/ alice @ghost\n[ab].txt @acme/devs\n"

    errors = find_errors(text, path="CODEOWNERS", owner_exists=lambda owner: owner != "@ghost")

    assert [(e.line, e.column, e.kind) for e in errors] == [
        (3, 1, "Invalid pattern"),
        (4, 7, "Invalid owner"),
        (4, 13, "Unknown owner"),
        (5, 1, "Invalid pattern"),
    ]
    assert errors[0].suggestion == "Did you mean `**/*.rb`?"
    assert errors[1].message == "Invalid owner on line 4\n\n  docs/ alice @ghost\n        ^"


def test_a_codeowners_file_without_problems_has_no_errors() -> None:
    text = "* @alice  # everyone\n/docs/ @acme/docs docs@example.com\n/vendor/\n"

    assert find_errors(text, path="CODEOWNERS", owner_exists=lambda owner: True) == []


def test_the_router_decodes_parameters_and_prefers_specific_routes() -> None:
    router = Router(ROUTES)

    protection = router.resolve("GET", "/repos/acme/widget/branches/release%2F1.x/protection")
    branch = router.resolve("GET", "/repos/acme/widget/branches/release/1.x")

    assert protection is not None and protection[0].template.endswith("/protection")
    assert protection[1]["branch"] == "release/1.x"
    assert branch is not None and branch[0].template.endswith("/branches/{branch}")
    assert branch[1]["branch"] == "release/1.x"
    assert router.resolve("POST", "/repos/acme/widget") is None


def test_faults_are_taken_in_order_and_only_where_they_apply() -> None:
    queue = FaultQueue()
    queue.add(Fault(status=500, only="PUT /repos"), 1)
    queue.add(Fault(status=502), 2)

    taken = [queue.take("GET", "/user"), queue.take("PUT", "/repos/a/b/topics")]
    rest = [queue.take("GET", "/user"), queue.take("GET", "/user")]

    assert [fault.status if fault else None for fault in taken + rest] == [502, 500, 502, None]


def _request(query: dict[str, list[str]]) -> ApiRequest:
    return ApiRequest(
        method="GET",
        path="/repos/acme/widget/releases",
        query=query,
        params={},
        body=None,
        raw_body=b"",
        content_type="",
        login="me",
        root="http://127.0.0.1:1",
    )


def test_paginate_answers_one_page_with_github_link_header() -> None:
    items: list[Any] = list(range(5))

    page = paginate(_request({"per_page": ["2"], "page": ["2"]}), items)

    assert page.body == [2, 3]
    links = page.headers["Link"]
    assert '<http://127.0.0.1:1/repos/acme/widget/releases?per_page=2&page=3>; rel="next"' in links
    assert 'page=1>; rel="first"' in links
    assert "Link" not in paginate(_request({}), items).headers
