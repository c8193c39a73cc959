"""The emulator against GitHub's OpenAPI description: coverage, and that violations are caught."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from repokit.fixtures.github import ADMIN_TOKEN, assert_no_violations
from repokit.testing.github import ACTIONS_APP_ID, Contract, GitHubEmulator, StatusChecks
from repokit.testing.github.routes import ROUTES
from repokit.testing.github.routing import ApiRequest, ApiResponse, Route
from repokit.testing.github.state import GitHubState

DESCRIPTION = Path(__file__).parent / "github-openapi.json"
AUTH = {"Authorization": f"token {ADMIN_TOKEN}"}


def test_the_committed_description_covers_every_route_the_emulator_serves() -> None:
    contract = Contract.load(DESCRIPTION)

    missing = [
        route.operation_key for route in ROUTES if contract.operation(*route.operation_key) is None
    ]
    unserved = set(contract.operations) - {route.operation_key for route in ROUTES}

    assert missing == []
    assert unserved == set()


def test_the_committed_description_names_its_source_release() -> None:
    document = json.loads(DESCRIPTION.read_text(encoding="utf-8"))

    assert document["openapi"].startswith("3.")
    assert document["info"]["x-source"] == (
        f"@octokit/openapi@{document['info']['version']} generated/api.github.com.deref.json"
    )


def test_the_committed_description_keeps_what_validation_reads() -> None:
    contract = Contract.load(DESCRIPTION)
    update = contract.operation("/repos/{owner}/{repo}", "patch")
    assert update is not None and update.request_schema is not None

    visibility = update.request_schema["properties"]["visibility"]
    repository = update.responses["200"]
    assert visibility["enum"] == ["public", "private"]
    assert repository is not None and "description" in repository["properties"]
    assert "full_name" in repository["required"]


def test_every_get_the_emulator_serves_answers_as_described(
    github_emulator: GitHubEmulator,
) -> None:
    github_emulator.add_team("acme", "docs", members=["dora"], repos={"widget": "push"})
    github_emulator.add_check_run("acme", "widget", "main", "quality")
    github_emulator.set_protection(
        "acme",
        "widget",
        "main",
        required_status_checks=StatusChecks(strict=True, checks=[("quality", ACTIONS_APP_ID)]),
        required_signatures=True,
    )
    repo = github_emulator.repo("acme", "widget")
    repo.branches["main"].files[".github/CODEOWNERS"] = b"* @octo-admin\n*.md @nobody\n"
    head = repo.branches["main"].head.sha
    team = github_emulator.teams[("acme", "docs")]
    org_id = github_emulator.orgs["acme"].account.id
    created = requests.post(
        f"{github_emulator.url}/repos/acme/widget/releases",
        json={"tag_name": "v1.0.0", "name": "1.0.0", "body": "notes"},
        headers=AUTH,
        timeout=10,
    )
    release_id = created.json()["id"]
    github_emulator.add_user("outsider")
    for method, path, body in [
        ("POST", "/repos/acme/widget/labels", {"name": "bug", "color": "d73a4a"}),
        (
            "POST",
            "/repos/acme/widget/milestones",
            {"title": "1.0", "due_on": "2030-01-01T00:00:00Z"},
        ),
        ("PUT", "/repos/acme/widget/collaborators/outsider", {"permission": "triage"}),
        ("PUT", "/orgs/acme/teams/docs/repos/acme/widget", {"permission": "push"}),
        ("PUT", "/repos/acme/widget/vulnerability-alerts", None),
        (
            "PUT",
            "/repos/acme/widget/environments/production",
            {
                "wait_timer": 5,
                "deployment_branch_policy": {
                    "protected_branches": False,
                    "custom_branch_policies": True,
                },
            },
        ),
        (
            "POST",
            "/repos/acme/widget/environments/production/deployment-branch-policies",
            {"name": "release/*", "type": "branch"},
        ),
        (
            "POST",
            "/repos/acme/widget/autolinks",
            {"key_prefix": "T-", "url_template": "https://t.example/<num>"},
        ),
        (
            "POST",
            "/repos/acme/widget/rulesets",
            {"name": "main", "enforcement": "active", "rules": [{"type": "deletion"}]},
        ),
    ]:
        answer = requests.request(
            method, f"{github_emulator.url}{path}", json=body, headers=AUTH, timeout=10
        )
        assert answer.status_code in (200, 201, 204), (path, answer.text)
    environment = github_emulator.repo("acme", "widget").environments["production"]
    policy_id = environment.branch_policies[0].id
    paths = [
        "/user",
        "/users/octo-admin",
        "/orgs/acme",
        "/orgs/acme/teams/docs",
        "/orgs/acme/teams/docs/repos/acme/widget",
        f"/organizations/{org_id}/team/{team.id}/repos/acme/widget",
        "/rate_limit",
        "/repos/acme/widget",
        "/repos/acme/widget/topics",
        "/repos/acme/widget/collaborators/dora/permission",
        "/repos/acme/widget/branches/main",
        "/repos/acme/widget/branches/main/protection",
        "/repos/acme/widget/branches/main/protection/required_signatures",
        "/repos/acme/widget/contents/README.md",
        "/repos/acme/widget/contents/.github",
        "/repos/acme/widget/codeowners/errors",
        "/repos/acme/widget/releases",
        "/repos/acme/widget/releases/tags/v1.0.0",
        f"/repos/acme/widget/releases/{release_id}",
        f"/repos/acme/widget/releases/{release_id}/assets",
        "/repos/acme/widget/commits",
        f"/repos/acme/widget/commits/{head}",
        f"/repos/acme/widget/commits/{head}/check-runs",
        "/repos/acme/widget/labels",
        "/repos/acme/widget/milestones",
        "/repos/acme/widget/collaborators",
        "/repos/acme/widget/invitations",
        "/repos/acme/widget/teams",
        "/repos/acme/widget/vulnerability-alerts",
        "/repos/acme/widget/automated-security-fixes",
        "/repos/acme/widget/environments",
        "/repos/acme/widget/environments/production",
        "/repos/acme/widget/environments/production/deployment-branch-policies",
        f"/repos/acme/widget/environments/production/deployment-branch-policies/{policy_id}",
        "/repos/acme/widget/autolinks",
        "/repos/acme/widget/rulesets",
        "/repos/acme/widget/branches",
        f"/repos/acme/widget/rulesets/{github_emulator.repo('acme', 'widget').rulesets[0].id}",
    ]
    served_gets = {route.template for route in ROUTES if route.method == "GET"}

    statuses = {
        path: requests.get(f"{github_emulator.url}{path}", headers=AUTH, timeout=10).status_code
        for path in paths
    }

    assert created.status_code == 201
    assert set(statuses.values()) <= {200, 204}, statuses
    assert github_emulator.violations == []
    assert {_template(github_emulator, path) for path in paths} == served_gets


def _template(emulator: GitHubEmulator, path: str) -> str | None:
    found = emulator.router.resolve("GET", path)
    return found[0].template if found else None


def test_a_request_body_github_would_refuse_is_answered_422_and_recorded(
    github_emulator: GitHubEmulator,
) -> None:
    answer = requests.patch(
        f"{github_emulator.url}/repos/acme/widget",
        json={"has_wiki": "yes"},
        headers=AUTH,
        timeout=10,
    )

    assert answer.status_code == 422
    assert "has_wiki" in answer.json()["message"]
    violations = github_emulator.take_violations()
    assert [(v.direction, v.operation_id) for v in violations] == [("request", "repos/update")]
    assert github_emulator.repo("acme", "widget").settings["has_wiki"] is True


def test_null_is_allowed_for_protection_flags_only(github_emulator: GitHubEmulator) -> None:
    protection = {
        "required_status_checks": {"strict": True, "checks": [{"context": "ci"}]},
        "enforce_admins": None,
        "required_pull_request_reviews": None,
        "restrictions": None,
        "allow_deletions": None,
        "required_linear_history": None,
    }
    url = github_emulator.url

    protected = requests.put(
        f"{url}/repos/acme/widget/branches/main/protection",
        json=protection,
        headers=AUTH,
        timeout=10,
    )
    wrong_type = requests.put(
        f"{url}/repos/acme/widget/branches/main/protection",
        json={**protection, "allow_deletions": "no"},
        headers=AUTH,
        timeout=10,
    )
    null_setting = requests.patch(
        f"{url}/repos/acme/widget", json={"has_wiki": None}, headers=AUTH, timeout=10
    )

    assert (protected.status_code, wrong_type.status_code, null_setting.status_code) == (
        200,
        422,
        422,
    )
    assert len(github_emulator.take_violations()) == 2


def _broken_repository(state: GitHubState, request: ApiRequest) -> ApiResponse:
    return ApiResponse(200, {"id": "not a number", "name": request.params["repo"]})


def test_a_response_github_would_not_send_is_answered_500_and_recorded() -> None:
    contract = Contract.load(DESCRIPTION)
    routes = [Route("GET", "/repos/{owner}/{repo}", _broken_repository)]
    with GitHubEmulator(contract=contract, routes=routes) as emulator:
        emulator.add_repo("acme", "widget")
        emulator.add_token(ADMIN_TOKEN, "octo-admin")

        answer = requests.get(f"{emulator.url}/repos/acme/widget", headers=AUTH, timeout=10)

        assert answer.status_code == 500
        violations = emulator.take_violations()
    assert [(v.direction, v.status) for v in violations] == [("response", 200)]
    assert "id: 'not a number' is not of type 'integer'" in violations[0].detail


def _failing_handler(state: GitHubState, request: ApiRequest) -> ApiResponse:
    raise KeyError("missing")


def test_a_handler_that_fails_answers_500_and_is_recorded() -> None:
    routes = [Route("GET", "/user", _failing_handler)]
    with GitHubEmulator(routes=routes) as emulator:
        emulator.add_token(ADMIN_TOKEN, "octo-admin")

        answer = requests.get(f"{emulator.url}/user", headers=AUTH, timeout=10)

        assert answer.status_code == 500
        assert [v.direction for v in emulator.take_violations()] == ["emulator"]


def test_the_fixture_fails_a_test_that_caused_a_violation(github_emulator: GitHubEmulator) -> None:
    requests.patch(
        f"{github_emulator.url}/repos/acme/widget", json={"private": "no"}, headers=AUTH, timeout=10
    )

    with pytest.raises(pytest.fail.Exception, match="repos/update"):
        assert_no_violations(github_emulator)
    assert github_emulator.violations == []


def test_the_token_never_appears_in_the_log_or_in_errors(github_emulator: GitHubEmulator) -> None:
    refused = requests.patch(
        f"{github_emulator.url}/repos/acme/widget?note={ADMIN_TOKEN}",
        json={"description": f"leaked {ADMIN_TOKEN}", "private": ADMIN_TOKEN},
        headers=AUTH,
        timeout=10,
    )
    answer = requests.get(
        f"{github_emulator.url}/repos/acme/widget",
        headers={"Authorization": "token wrong"},
        timeout=10,
    )

    violations = github_emulator.take_violations()
    everything = repr(github_emulator.requests) + repr(violations) + refused.text + answer.text
    assert violations  # the bad body was caught, and its text kept without the token
    assert ADMIN_TOKEN not in everything
    assert "***" in repr(github_emulator.requests)


def test_deployment_patterns_exist_only_while_custom_branch_policies_is_on(
    github_emulator: GitHubEmulator,
) -> None:
    url = f"{github_emulator.url}/repos/acme/widget/environments/production"
    policies = f"{url}/deployment-branch-policies"
    custom = {"protected_branches": False, "custom_branch_policies": True}
    protected = {"protected_branches": True, "custom_branch_policies": False}

    def put(policy: dict[str, bool]) -> int:
        body = {"deployment_branch_policy": policy}
        return requests.put(url, json=body, headers=AUTH, timeout=10).status_code

    def post(body: dict[str, str]) -> requests.Response:
        return requests.post(policies, json=body, headers=AUTH, timeout=10, allow_redirects=False)

    def listed() -> list[tuple[str, str]]:
        answer = requests.get(policies, headers=AUTH, timeout=10).json()
        assert answer["total_count"] == len(answer["branch_policies"])
        return [(p["name"], p["type"]) for p in answer["branch_policies"]]

    assert put(protected) == 200
    refused = post({"name": "main"})
    assert put(custom) == 200
    created = post({"name": "main"})
    again = post({"name": "main", "type": "branch"})
    tag = post({"name": "main", "type": "tag"})
    bad_type = post({"name": "v*", "type": "tags"})

    assert refused.status_code == 404
    assert (created.status_code, created.json()["type"]) == (200, "branch")
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/deployment-branch-policies/{created.json()['id']}")
    assert tag.status_code == 200
    assert bad_type.status_code == 422
    assert [v.operation_id for v in github_emulator.take_violations()] == [
        "repos/create-deployment-branch-policy"
    ]
    assert listed() == [("main", "branch"), ("main", "tag")]
    deleted = requests.delete(f"{policies}/{tag.json()['id']}", headers=AUTH, timeout=10)
    gone = requests.delete(f"{policies}/{tag.json()['id']}", headers=AUTH, timeout=10)
    assert (deleted.status_code, gone.status_code) == (204, 404)
    assert listed() == [("main", "branch")]
    assert put(protected) == 200
    assert listed() == []
    assert put(custom) == 200
    assert listed() == []
