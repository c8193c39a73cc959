"""A repository's rulesets: listed as summaries, read, created, replaced, deleted."""

from __future__ import annotations

from typing import Any

from repokit.testing.github import render
from repokit.testing.github.api.common import (
    ADMIN_REQUIRED,
    no_content,
    not_found,
    ok,
    paginate,
    require,
    visible_repo,
)
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import GitHubState, Repository, Ruleset, now_iso

JSON = dict[str, Any]


def _summary(root: str, repo: Repository, item: Ruleset) -> JSON:
    url = f"{render.repo_api(root, repo)}/rulesets/{item.id}"
    return {
        "id": item.id,
        "name": item.name,
        "target": item.target,
        "source_type": "Repository",
        "source": repo.full_name,
        "enforcement": item.enforcement,
        "node_id": f"RRS_{item.id}",
        "_links": {
            "self": {"href": url},
            "html": {"href": f"{root}/{repo.owner}/{repo.name}/rules/{item.id}"},
        },
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def _detail(root: str, repo: Repository, item: Ruleset) -> JSON:
    body = {
        **_summary(root, repo, item),
        "bypass_actors": item.bypass_actors,
        "current_user_can_bypass": "always" if item.bypass_actors else "never",
        "rules": item.rules,
    }
    if item.conditions is not None:
        body["conditions"] = item.conditions
    return body


def list_rulesets(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    return paginate(request, [_summary(request.root, repo, r) for r in repo.rulesets])


def get_ruleset(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    return ok(_detail(request.root, repo, _find(repo, request)))


def create_ruleset(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    body = request.json_object()
    _refuse_duplicate(repo, str(body["name"]), None)
    item = Ruleset(state.new_id(), str(body["name"]))
    _update(item, body)
    repo.rulesets.append(item)
    return ok(_detail(request.root, repo, item), 201)


def update_ruleset(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    item = _find(repo, request)
    body = request.json_object()
    if "name" in body:
        _refuse_duplicate(repo, str(body["name"]), item)
        item.name = str(body["name"])
    _update(item, body)
    return ok(_detail(request.root, repo, item))


def delete_ruleset(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    repo.rulesets.remove(_find(repo, request))
    return no_content()


def _find(repo: Repository, request: ApiRequest) -> Ruleset:
    found = next((r for r in repo.rulesets if str(r.id) == request.params["ruleset_id"]), None)
    if found is None:
        raise not_found()
    return found


def _refuse_duplicate(repo: Repository, name: str, item: Ruleset | None) -> None:
    if any(r.name == name and r is not item for r in repo.rulesets):
        raise ApiError(422, "Validation Failed", errors=["Name must be unique"])


def _update(item: Ruleset, body: JSON) -> None:
    for key in ("target", "enforcement", "bypass_actors", "conditions", "rules"):
        if key in body:
            setattr(item, key, body[key])
    item.updated_at = now_iso()
