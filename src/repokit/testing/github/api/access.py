"""Who may use a repository: collaborators, their invitations, teams; security toggles."""

from __future__ import annotations

from repokit.testing.github import render_items as render
from repokit.testing.github.api.common import (
    ADMIN_REQUIRED,
    no_content,
    not_found,
    ok,
    paginate,
    require,
    validation_failed,
    visible_repo,
)
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import PERMISSION_LEVELS, GitHubState, Invitation

_ALIASES = {"read": "pull", "write": "push"}


def _level(value: object) -> str:
    level = _ALIASES.get(str(value), str(value))
    if level not in PERMISSION_LEVELS:
        raise validation_failed("Repository", "permission", "invalid")
    return level


def list_collaborators(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", "Must have push access to view repository collaborators.")
    logins = set(repo.collaborators)
    if request.query_value("affiliation") in (None, "all"):  # owners and teams' members too
        org = state.orgs.get(repo.owner.lower())
        logins |= set(org.owners) if org is not None else {repo.owner}
        for team in state.teams.values():
            if repo.full_name.lower() in team.repos:
                logins |= team.members
    people = []
    for login in sorted(logins, key=str.lower):
        account = state.account(login)
        level = state.permission(login, repo)
        if account is not None and account.type == "User" and level is not None:
            people.append(render.collaborator(request.root, account, level))
    return paginate(request, people)


def add_collaborator(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Org members (and existing collaborators) are added at once (204); anyone else is
    invited (201) and becomes a collaborator only on accepting."""
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    account = state.account(request.params["username"])
    if account is None or account.type != "User":
        raise not_found()
    level = _level(request.json_object().get("permission", "push"))
    org = state.orgs.get(repo.owner.lower())
    if account.login in repo.collaborators or (org is not None and account.login in org.members):
        repo.collaborators[account.login] = level
        return no_content()
    for invitation in repo.invitations:
        if invitation.invitee == account.login:
            invitation.permission = level
            return ok(render.invitation(request.root, state, repo, invitation), 201)
    invitation = Invitation(state.new_id(), account.login, request.login, level)
    repo.invitations.append(invitation)
    return ok(render.invitation(request.root, state, repo, invitation), 201)


def remove_collaborator(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    login = request.params["username"]
    repo.collaborators = {k: v for k, v in repo.collaborators.items() if k.lower() != login.lower()}
    return no_content()


def list_invitations(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    return paginate(
        request, [render.invitation(request.root, state, repo, i) for i in repo.invitations]
    )


def list_repo_teams(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    teams = [
        render.team_with_permission(request.root, state, team, team.repos[repo.full_name.lower()])
        for team in state.teams.values()
        if repo.full_name.lower() in team.repos
    ]
    return paginate(request, sorted(teams, key=lambda t: str(t["slug"])))


def add_team_repo(state: GitHubState, request: ApiRequest) -> ApiResponse:
    team = state.teams.get((request.params["org"].lower(), request.params["team_slug"].lower()))
    try:
        repo = state.repo(request.params["owner"], request.params["repo"])
    except KeyError:
        raise not_found() from None
    if team is None:
        raise not_found()
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    if repo.owner.lower() != team.org.lower():
        raise ApiError(422, "Validation Failed", errors=["team and repository owners differ"])
    team.repos[repo.full_name.lower()] = _level(request.json_object().get("permission", "push"))
    return no_content()


def remove_team_repo(state: GitHubState, request: ApiRequest) -> ApiResponse:
    team = state.teams.get((request.params["org"].lower(), request.params["team_slug"].lower()))
    if team is None:
        raise not_found()
    full_name = f"{request.params['owner']}/{request.params['repo']}".lower()
    team.repos.pop(full_name, None)
    return no_content()


def get_vulnerability_alerts(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    if not repo.vulnerability_alerts:
        raise not_found()
    return no_content()


def set_vulnerability_alerts(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    repo.vulnerability_alerts = request.method == "PUT"
    if not repo.vulnerability_alerts:
        repo.automated_security_fixes = False  # GitHub turns them off together
    return no_content()


def get_security_fixes(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """404 while vulnerability alerts are off, as GitHub documents (not "off": "not there")."""
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    if not repo.vulnerability_alerts:
        raise not_found()
    return ok({"enabled": repo.automated_security_fixes, "paused": False})


def set_security_fixes(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    enable = request.method == "PUT"
    if enable and not repo.vulnerability_alerts:
        raise ApiError(422, "Vulnerability alerts must be enabled to enable security fixes")
    repo.automated_security_fixes = enable
    return no_content()
