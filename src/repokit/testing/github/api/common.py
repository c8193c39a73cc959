"""What every endpoint group needs: finding a repository as GitHub would, permissions, paging."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import Any

from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import Branch, GitHubState, Repository, at_least

ADMIN_REQUIRED = "Must have admin rights to Repository."
PUSH_REQUIRED = "Must have push access to repository."
PLAN_REQUIRED = "Upgrade to GitHub Pro or make this repository public to enable this feature."
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def ok(body: Any, status: int = 200) -> ApiResponse:
    return ApiResponse(status, body)


def no_content() -> ApiResponse:
    return ApiResponse(204)


def not_found(message: str = "Not Found") -> ApiError:
    return ApiError(404, message)


def validation_failed(resource: str, field: str, code: str, message: str | None = None) -> ApiError:
    """GitHub's 422 for a value it refuses: one entry in ``errors`` naming the field."""
    error: dict[str, Any] = {"resource": resource, "field": field, "code": code}
    if message:
        error["message"] = message
    return ApiError(422, "Validation Failed", errors=[error])


def visible_repo(state: GitHubState, request: ApiRequest) -> Repository:
    """The repository of the path, or 404 if it does not exist or the caller cannot see it."""
    try:
        repo = state.repo(request.params["owner"], request.params["repo"])
    except KeyError:
        raise not_found() from None
    if state.permission(request.login, repo) is None:
        raise not_found()
    return repo


def require(
    state: GitHubState, request: ApiRequest, repo: Repository, level: str, message: str
) -> None:
    """403 with GitHub's ``message`` unless the caller has at least ``level`` on ``repo``."""
    if not at_least(state.permission(request.login, repo), level):
        raise ApiError(403, message)


def require_protection_plan(repo: Repository) -> None:
    """Private repositories on a plan without branch protection answer 403 (not 404)."""
    if repo.private and not repo.protection_available:
        raise ApiError(403, PLAN_REQUIRED)


def find_branch(repo: Repository, name: str) -> Branch:
    branch = repo.branches.get(name)
    if branch is None:
        raise not_found("Branch not found")
    return branch


def paginate(request: ApiRequest, items: Sequence[Any]) -> ApiResponse:
    """One page of ``items`` (``page``/``per_page``) with GitHub's ``Link`` header."""
    try:
        per_page = min(int(request.query_value("per_page") or DEFAULT_PER_PAGE), MAX_PER_PAGE)
        page = max(int(request.query_value("page") or 1), 1)
    except ValueError:
        raise ApiError(400, "Invalid page or per_page parameter") from None
    per_page = max(per_page, 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    start = (page - 1) * per_page
    response = ApiResponse(200, list(items[start : start + per_page]))
    links = []
    if page < last:
        links.append(f'<{_page_url(request, page + 1, per_page)}>; rel="next"')
        links.append(f'<{_page_url(request, last, per_page)}>; rel="last"')
    if page > 1:
        links.append(f'<{_page_url(request, 1, per_page)}>; rel="first"')
        links.append(f'<{_page_url(request, page - 1, per_page)}>; rel="prev"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def _page_url(request: ApiRequest, page: int, per_page: int) -> str:
    query = {key: values[-1] for key, values in request.query.items()}
    query.update({"page": str(page), "per_page": str(per_page)})
    return f"{request.root}{request.path}?{urllib.parse.urlencode(query)}"
