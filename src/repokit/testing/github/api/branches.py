"""Branches, their protection and required signatures.

GitHub's semantics that matter to a reconciler:

* ``PUT .../protection`` replaces the whole protection: whatever the body leaves
  out (null or absent) is turned off. Required signatures are not part of it and
  keep their value; ``DELETE .../protection`` removes them with the rest.
* ``GET`` answers in another shape than ``PUT`` takes (see render.protection).
* An unprotected branch answers 404 "Branch not protected" on every protection read.
"""

from __future__ import annotations

from typing import Any

from repokit.testing.github import render
from repokit.testing.github.api.common import (
    ADMIN_REQUIRED,
    find_branch,
    no_content,
    ok,
    paginate,
    require,
    require_protection_plan,
    visible_repo,
)
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import (
    PROTECTION_FLAGS,
    Branch,
    GitHubState,
    Protection,
    PushRestrictions,
    Repository,
    ReviewRules,
    StatusChecks,
)

NOT_PROTECTED = "Branch not protected"
MAX_APPROVING_REVIEWS = 6


def list_branches(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """The branches (short form); ``protected=true`` keeps the protected ones only."""
    repo = visible_repo(state, request)
    only_protected = request.query_value("protected") == "true"
    items = [
        {
            "name": item.name,
            "commit": {
                "sha": item.head.sha,
                "url": f"{render.repo_api(request.root, repo)}/commits/{item.head.sha}",
            },
            "protected": item.protection is not None,
        }
        for item in repo.branches.values()
        if item.protection is not None or not only_protected
    ]
    return paginate(request, items)


def get_branch(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    branch = find_branch(repo, request.params["branch"])
    return ok(render.branch(request.root, state, repo, branch))


def get_protection(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo, branch = _admin_branch(state, request)
    _protection_of(branch)
    return ok(render.protection(request.root, state, repo, branch, read_shape=True))


def update_protection(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo, branch = _admin_branch(state, request)
    body = request.json_object()
    previous = branch.protection
    protection = Protection(
        required_status_checks=_status_checks(repo, body.get("required_status_checks")),
        enforce_admins=bool(body.get("enforce_admins")),
        required_pull_request_reviews=_review_rules(body.get("required_pull_request_reviews")),
        restrictions=_restrictions(state, repo, body.get("restrictions")),
        flags={flag: bool(body.get(flag)) for flag in PROTECTION_FLAGS},
        required_signatures=previous.required_signatures if previous else False,
    )
    branch.protection = protection
    return ok(render.protection(request.root, state, repo, branch, read_shape=False))


def delete_protection(state: GitHubState, request: ApiRequest) -> ApiResponse:
    _, branch = _admin_branch(state, request)
    _protection_of(branch)
    branch.protection = None
    return no_content()


def get_required_signatures(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo, branch = _admin_branch(state, request)
    rules = _protection_of(branch)
    return ok(render.required_signatures(request.root, repo, branch, rules))


def add_required_signatures(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo, branch = _admin_branch(state, request)
    rules = _protection_of(branch)
    rules.required_signatures = True
    return ok(render.required_signatures(request.root, repo, branch, rules))


def delete_required_signatures(state: GitHubState, request: ApiRequest) -> ApiResponse:
    _, branch = _admin_branch(state, request)
    _protection_of(branch).required_signatures = False
    return no_content()


def _admin_branch(state: GitHubState, request: ApiRequest) -> tuple[Repository, Branch]:
    """The branch of a protection request, after GitHub's checks in GitHub's order."""
    repo = visible_repo(state, request)
    require(state, request, repo, "admin", ADMIN_REQUIRED)
    require_protection_plan(repo)
    return repo, find_branch(repo, request.params["branch"])


def _protection_of(branch: Branch) -> Protection:
    if branch.protection is None:
        raise ApiError(404, NOT_PROTECTED)
    return branch.protection


def _status_checks(repo: Repository, value: Any) -> StatusChecks | None:
    if value is None:
        return None
    if "contexts" in value and "checks" in value:
        msg = "Invalid request.\n\nOnly one of 'contexts' and 'checks' may be given."
        raise ApiError(422, msg)
    if "checks" in value:
        checks = [
            (str(item["context"]), _app_for(repo, str(item["context"]), item.get("app_id")))
            for item in value["checks"]
        ]
    else:
        checks = [(str(context), None) for context in value.get("contexts", [])]
    return StatusChecks(strict=bool(value.get("strict")), checks=checks)


def _app_for(repo: Repository, context: str, app_id: Any) -> int | None:
    """GitHub's choice of app for a required check: the one given; -1 for any app; none given,
    the app that most recently reported a check of that name (else any app)."""
    if app_id is not None:
        return None if app_id == -1 else int(app_id)
    for run in reversed(repo.check_runs):
        if run.name == context:
            return run.app_id
    return None


def _review_rules(value: Any) -> ReviewRules | None:
    if value is None:
        return None
    count = int(value.get("required_approving_review_count", 0) or 0)
    if not 0 <= count <= MAX_APPROVING_REVIEWS:
        msg = (
            "Invalid request.\n\n"
            f"required_approving_review_count must be between 0 and {MAX_APPROVING_REVIEWS}."
        )
        raise ApiError(422, msg)
    return ReviewRules(
        dismiss_stale_reviews=bool(value.get("dismiss_stale_reviews")),
        require_code_owner_reviews=bool(value.get("require_code_owner_reviews")),
        required_approving_review_count=count,
        require_last_push_approval=bool(value.get("require_last_push_approval")),
        dismissal_restrictions=_names(value.get("dismissal_restrictions")),
        bypass_pull_request_allowances=_names(value.get("bypass_pull_request_allowances")),
    )


def _names(value: Any) -> dict[str, list[str]] | None:
    """People allowed something; an empty object turns the allowance off (GitHub's docs)."""
    if value is None:
        return None
    names = {key: [str(name) for name in value.get(key, [])] for key in ("users", "teams", "apps")}
    return names if any(names.values()) else None


def _restrictions(state: GitHubState, repo: Repository, value: Any) -> PushRestrictions | None:
    if value is None:
        return None
    if repo.owner.lower() not in state.orgs:
        msg = "Only organization repositories can have users and team restrictions"
        raise ApiError(422, msg)
    return PushRestrictions(
        users=[str(name) for name in value.get("users", [])],
        teams=[str(name) for name in value.get("teams", [])],
        apps=[str(name) for name in value.get("apps", [])],
    )
