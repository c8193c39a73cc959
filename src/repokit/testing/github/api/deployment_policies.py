"""An environment's deployment branch and tag policies: the name patterns that may deploy.

Here they exist only while the environment's ``custom_branch_policies`` is on: turning it
off drops them, and a new pattern is then refused with 404, as GitHub documents. A pattern
already there (same name and type) is not created twice: the answer is 303 to the existing
one, GitHub's documented answer for it.
"""

from __future__ import annotations

from repokit.testing.github import render_items as render
from repokit.testing.github.api.common import (
    ADMIN_REQUIRED,
    no_content,
    not_found,
    ok,
    paginate,
    require,
    visible_repo,
)
from repokit.testing.github.routing import ApiRequest, ApiResponse
from repokit.testing.github.state import BranchPolicy, Environment, GitHubState, Repository


def _environment(state: GitHubState, request: ApiRequest) -> tuple[Repository, Environment]:
    repo = visible_repo(state, request)
    item = repo.environments.get(request.params["environment_name"])
    if item is None:
        raise not_found()
    return repo, item


def _custom(item: Environment) -> bool:
    return bool((item.deployment_branch_policy or {}).get("custom_branch_policies"))


def list_policies(state: GitHubState, request: ApiRequest) -> ApiResponse:
    _, item = _environment(state, request)
    policies = [render.branch_policy(p) for p in item.branch_policies] if _custom(item) else []
    response = paginate(request, policies)
    response.body = {"total_count": len(policies), "branch_policies": response.body}
    return response


def get_policy(state: GitHubState, request: ApiRequest) -> ApiResponse:
    _, item = _environment(state, request)
    wanted = request.params["branch_policy_id"]
    found = next((p for p in item.branch_policies if str(p.id) == wanted), None)
    if found is None or not _custom(item):
        raise not_found()
    return ok(render.branch_policy(found))


def create_policy(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo, item = _environment(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    if not _custom(item):
        raise not_found()
    body = request.json_object()
    name, kind = str(body["name"]), str(body.get("type") or "branch")
    same = next((p for p in item.branch_policies if (p.name, p.type) == (name, kind)), None)
    if same is not None:
        location = render.environment_api(request.root, repo, item)
        headers = {"Location": f"{location}/deployment-branch-policies/{same.id}"}
        return ApiResponse(303, None, headers)
    policy = BranchPolicy(state.new_id(), name, kind)
    item.branch_policies.append(policy)
    return ok(render.branch_policy(policy))


def delete_policy(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo, item = _environment(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    wanted = request.params["branch_policy_id"]
    found = next((p for p in item.branch_policies if str(p.id) == wanted), None)
    if found is None:
        raise not_found()
    item.branch_policies.remove(found)
    return no_content()
