"""A repository's settings, topics and collaborators."""

from __future__ import annotations

import re
from typing import Any

from repokit.testing.github import render
from repokit.testing.github.api.common import (
    ADMIN_REQUIRED,
    not_found,
    ok,
    require,
    validation_failed,
    visible_repo,
)
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import REPOSITORY_SETTINGS_DEFAULTS, GitHubState, now_iso

MAX_TOPICS = 20
_TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
TOPIC_RULE = (
    "Topics must start with a lowercase letter or number, consist of 50 characters or less, "
    "and can include hyphens."
)


def get_repo(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    return ok(render.repository(request.root, state, repo, request.login))


def update_repo(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Change the fields sent, leave the others; ``name`` renames, ``private``/``visibility``
    switch visibility, ``default_branch`` must name an existing branch."""
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    body = request.json_object()
    branch = body.get("default_branch")
    if branch is not None and branch not in repo.branches:
        raise validation_failed(
            "Repository", "default_branch", "invalid", f"Branch {branch} does not exist"
        )
    new_name = str(body.get("name") or repo.name)
    renamed = new_name.lower() != repo.name.lower()
    if renamed and (repo.owner.lower(), new_name.lower()) in state.repos:
        raise validation_failed(
            "Repository", "name", "custom", "name already exists on this account"
        )
    changes: dict[str, Any] = {
        key: value for key, value in body.items() if key in REPOSITORY_SETTINGS_DEFAULTS
    }
    repo.settings.update(changes)
    for feature, value in (body.get("security_and_analysis") or {}).items():
        if isinstance(value, dict) and value.get("status") in ("enabled", "disabled"):
            repo.security_and_analysis[feature] = {"status": value["status"]}
    if "visibility" in body:
        repo.private = body["visibility"] == "private"
    if "private" in body:
        repo.private = bool(body["private"])
    if branch is not None:
        repo.default_branch = branch
    if new_name != repo.name:
        del state.repos[(repo.owner.lower(), repo.name.lower())]
        repo.name = new_name
        state.repos[(repo.owner.lower(), repo.name.lower())] = repo
    repo.updated_at = now_iso()
    return ok(render.repository(request.root, state, repo, request.login))


def get_topics(state: GitHubState, request: ApiRequest) -> ApiResponse:
    return ok({"names": list(visible_repo(state, request).topics)})


def replace_topics(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Replace every topic; GitHub lowercases them and refuses malformed or too many."""
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    names = [str(name).lower() for name in request.json_object().get("names", [])]
    names = list(dict.fromkeys(names))
    if len(names) > MAX_TOPICS or not all(_TOPIC.match(name) for name in names):
        # This operation's 422 is the "simple" validation error: its errors are strings.
        raise ApiError(422, "Validation Failed", errors=[TOPIC_RULE])
    repo.topics = names
    repo.updated_at = now_iso()
    return ok({"names": names})


def get_collaborator_permission(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    account = state.account(request.params["username"])
    if account is None or account.type != "User":
        raise not_found(f"{request.params['username']} is not a user")
    level = state.permission(account.login, repo)
    permission, role = render.PERMISSION_ANSWER.get(level or "", ("none", "none"))
    user = {**render.simple_user(request.root, account), "role_name": role}
    return ok({"permission": permission, "role_name": role, "user": user})
