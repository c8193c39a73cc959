"""A repository's deployment environments and autolinks."""

from __future__ import annotations

from typing import Any

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
from repokit.testing.github.state import Autolink, Environment, GitHubState, now_iso

MAX_WAIT_TIMER = 43_200
MAX_REVIEWERS = 6


def list_environments(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    items = [render.environment(request.root, state, repo, e) for e in repo.environments.values()]
    return ok({"total_count": len(items), "environments": items})


def get_environment(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    item = repo.environments.get(request.params["environment_name"])
    if item is None:
        raise not_found()
    return ok(render.environment(request.root, state, repo, item))


def put_environment(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Create or update: fields sent replace the stored ones; reviewers must exist."""
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    name = request.params["environment_name"]
    body: dict[str, Any] = request.json_object()
    item = repo.environments.get(name) or Environment(state.new_id(), name)
    if "wait_timer" in body:
        wait = int(body["wait_timer"] or 0)
        if not 0 <= wait <= MAX_WAIT_TIMER:
            raise validation_failed("Environment", "wait_timer", "invalid")
        item.wait_timer = wait
    if "prevent_self_review" in body:
        item.prevent_self_review = bool(body["prevent_self_review"])
    if "reviewers" in body:
        reviewers = [(str(r["type"]), int(r["id"])) for r in body["reviewers"] or []]
        if len(reviewers) > MAX_REVIEWERS:
            raise validation_failed("Environment", "reviewers", "invalid")
        for kind, ident in reviewers:
            known = (
                any(t.id == ident for t in state.teams.values())
                if kind == "Team"
                else any(a.id == ident for a in state.accounts.values())
            )
            if not known:
                raise ApiError(422, f"Reviewer {kind} {ident} does not exist")
        item.reviewers = reviewers
    if "deployment_branch_policy" in body:
        policy = body["deployment_branch_policy"]
        if policy is not None and policy.get("protected_branches") == policy.get(
            "custom_branch_policies"
        ):
            msg = "Only one of protected_branches and custom_branch_policies can be true"
            raise ApiError(422, msg)
        item.deployment_branch_policy = None if policy is None else dict(policy)
        if not (policy or {}).get("custom_branch_policies"):
            item.branch_policies = []  # the name patterns go with the custom policy
    item.updated_at = now_iso()
    repo.environments[name] = item
    return ok(render.environment(request.root, state, repo, item))


def delete_environment(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    if repo.environments.pop(request.params["environment_name"], None) is None:
        raise not_found()
    return no_content()


def list_autolinks(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    return paginate(request, [render.autolink(a) for a in repo.autolinks])


def create_autolink(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    body = request.json_object()
    prefix, template = str(body["key_prefix"]), str(body["url_template"])
    if any(a.key_prefix.lower() == prefix.lower() for a in repo.autolinks):
        raise validation_failed("KeyPrefix", "key_prefix", "already_exists")
    if "<num>" not in template:
        raise validation_failed("Autolink", "url_template", "invalid")
    item = Autolink(state.new_id(), prefix, template, bool(body.get("is_alphanumeric", True)))
    repo.autolinks.append(item)
    return ok(render.autolink(item), 201)


def delete_autolink(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    found = next((a for a in repo.autolinks if str(a.id) == request.params["autolink_id"]), None)
    if found is None:
        raise not_found()
    repo.autolinks.remove(found)
    return no_content()
