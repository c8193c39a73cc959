"""Commits and the check runs reported on them."""

from __future__ import annotations

from repokit.testing.github import render
from repokit.testing.github.api.common import not_found, ok, paginate, visible_repo
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import Commit, GitHubState, Repository


def list_commits(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Newest first, from ``sha`` (a branch or commit) or the default branch."""
    repo = visible_repo(state, request)
    history = _history(repo, request.query_value("sha") or repo.default_branch)
    if history is None:
        raise not_found("No commit found for SHA: " + (request.query_value("sha") or ""))
    items = [render.commit(request.root, state, repo, item) for item in reversed(history)]
    return paginate(request, items)


def get_commit(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """The commit ``ref`` names (a sha or a branch, resolved to its head)."""
    repo = visible_repo(state, request)
    ref = request.params["ref"]
    history = _history(repo, ref)
    if history is None:
        raise ApiError(422, f"No commit found for SHA: {ref}")
    body = render.commit(request.root, state, repo, history[-1])
    body["files"] = []
    body["stats"] = {"additions": 0, "deletions": 0, "total": 0}
    return ok(body)


def list_check_runs(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Check runs on the commit ``ref`` names (a sha or a branch), filtered like GitHub."""
    repo = visible_repo(state, request)
    ref = request.params["ref"]
    history = _history(repo, ref)
    if history is not None:
        sha = history[-1].sha
    elif any(run.head_sha == ref for run in repo.check_runs):
        sha = ref  # a commit only the check runs seeded by a test know about
    else:
        raise not_found(f"No commit found for SHA: {ref}")
    runs = [run for run in repo.check_runs if run.head_sha == sha]
    name = request.query_value("check_name")
    status = request.query_value("status")
    if name is not None:
        runs = [run for run in runs if run.name == name]
    if status is not None:
        runs = [run for run in runs if run.status == status]
    page = paginate(request, [render.check_run(request.root, repo, run) for run in runs])
    page.body = {"total_count": len(runs), "check_runs": page.body}
    return page


def _history(repo: Repository, ref: str) -> list[Commit] | None:
    """The commits reachable from ``ref`` (oldest first), or None if it names nothing."""
    branch = repo.branches.get(ref)
    if branch is not None:
        return branch.commits
    for candidate in repo.branches.values():
        for index, item in enumerate(candidate.commits):
            if len(ref) >= 7 and item.sha.startswith(ref):
                return candidate.commits[: index + 1]
    return None
