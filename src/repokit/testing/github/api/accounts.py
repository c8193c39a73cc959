"""Users, organizations, teams and the rate limit."""

from __future__ import annotations

from repokit.testing.github import render
from repokit.testing.github.api.common import not_found, ok
from repokit.testing.github.routing import ApiRequest, ApiResponse
from repokit.testing.github.state import GitHubState, Team

#: The media type asking for the repository (with permissions) instead of a bare 204.
REPOSITORY_MEDIA_TYPE = "application/vnd.github.v3.repository+json"


def get_authenticated_user(state: GitHubState, request: ApiRequest) -> ApiResponse:
    account = state.account(request.login)
    assert account is not None
    return ok(render.private_user(request.root, state, account))


def get_user(state: GitHubState, request: ApiRequest) -> ApiResponse:
    account = state.account(request.params["username"])
    if account is None:
        raise not_found()
    return ok(render.public_user(request.root, state, account))


def get_org(state: GitHubState, request: ApiRequest) -> ApiResponse:
    org = state.orgs.get(request.params["org"].lower())
    if org is None:
        raise not_found()
    return ok(render.organization(request.root, state, org))


def get_team(state: GitHubState, request: ApiRequest) -> ApiResponse:
    return ok(render.team_full(request.root, state, _team_by_slug(state, request)))


def get_team_repo_permission(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """204 if the team has the repository, 200 with the repository and its permissions when
    asked for the repository media type, 404 if the team does not have it."""
    return _team_repo_answer(state, request, _team_by_slug(state, request))


def get_team_repo_permission_legacy(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """The same, under the team's own URL (``/organizations/{org_id}/team/{team_id}``)."""
    for team in state.teams.values():
        org = state.orgs[team.org.lower()]
        if (
            str(team.id) == request.params["team_id"]
            and str(org.account.id) == request.params["org_id"]
        ):
            return _team_repo_answer(state, request, team)
    raise not_found()


def get_rate_limit(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """The primary rate limit of ``core`` (this endpoint itself does not count)."""
    limit = state.rate_limit
    core = {
        "limit": limit.limit,
        "remaining": limit.remaining,
        "reset": limit.reset,
        "used": limit.used,
        "resource": "core",
    }
    search = {"limit": 30, "remaining": 30, "reset": limit.reset, "used": 0, "resource": "search"}
    graphql = {**core, "resource": "graphql", "used": 0, "remaining": limit.limit}
    return ok({"resources": {"core": core, "search": search, "graphql": graphql}, "rate": core})


def _team_by_slug(state: GitHubState, request: ApiRequest) -> Team:
    team = state.teams.get((request.params["org"].lower(), request.params["team_slug"].lower()))
    if team is None:
        raise not_found()
    return team


def _team_repo_answer(state: GitHubState, request: ApiRequest, team: Team) -> ApiResponse:
    full_name = f"{request.params['owner']}/{request.params['repo']}".lower()
    level = team.repos.get(full_name)
    if level is None:
        raise not_found()
    if REPOSITORY_MEDIA_TYPE not in request.accept:
        return ApiResponse(204)
    repo = state.repo(request.params["owner"], request.params["repo"])
    return ok(render.team_repository(request.root, state, repo, team, level))
