"""Releases and their assets (uploads arrive at the release's ``upload_url``)."""

from __future__ import annotations

from repokit.testing.github import render
from repokit.testing.github.api.common import (
    PUSH_REQUIRED,
    no_content,
    not_found,
    ok,
    paginate,
    require,
    validation_failed,
    visible_repo,
)
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import (
    Asset,
    GitHubState,
    Release,
    Repository,
    at_least,
    now_iso,
)


def list_releases(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Newest first; drafts only for those who can push."""
    repo = visible_repo(state, request)
    items = [
        render.release(request.root, state, repo, release)
        for release in reversed(_readable(state, request, repo))
    ]
    return paginate(request, items)


def get_release(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    return ok(render.release(request.root, state, repo, _release(state, request, repo)))


def get_release_by_tag(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Published releases only: a draft has no tag yet."""
    repo = visible_repo(state, request)
    for release in repo.releases:
        if release.tag_name == request.params["tag"] and not release.draft:
            return ok(render.release(request.root, state, repo, release))
    raise not_found()


def create_release(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    body = request.json_object()
    tag = str(body.get("tag_name", ""))
    if not tag:
        raise validation_failed("Release", "tag_name", "missing_field")
    if any(release.tag_name == tag for release in repo.releases):
        raise validation_failed("Release", "tag_name", "already_exists")
    target = str(body.get("target_commitish") or repo.default_branch)
    if target not in repo.branches and not _is_commit(repo, target):
        raise validation_failed("Release", "target_commitish", "invalid")
    draft = bool(body.get("draft", False))
    release = Release(
        id=state.new_id(),
        tag_name=tag,
        target_commitish=target,
        name=body.get("name") or tag,
        body=body.get("body"),
        draft=draft,
        prerelease=bool(body.get("prerelease", False)),
        author=request.login,
        published_at=None if draft else now_iso(),
    )
    repo.releases.append(release)
    return ok(render.release(request.root, state, repo, release), status=201)


def update_release(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    release = _release(state, request, repo)
    body = request.json_object()
    tag = body.get("tag_name")
    if tag and tag != release.tag_name and any(r.tag_name == tag for r in repo.releases):
        raise validation_failed("Release", "tag_name", "already_exists")
    if tag:
        release.tag_name = str(tag)
    for field in ("name", "body", "target_commitish"):
        if field in body:
            setattr(release, field, body[field])
    if "prerelease" in body:
        release.prerelease = bool(body["prerelease"])
    if "draft" in body:
        release.draft = bool(body["draft"])
        if not release.draft and release.published_at is None:
            release.published_at = now_iso()
    return ok(render.release(request.root, state, repo, release))


def delete_release(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    repo.releases.remove(_release(state, request, repo))
    return no_content()


def list_assets(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    release = _release(state, request, repo)
    return paginate(request, [render.asset(request.root, state, repo, a) for a in release.assets])


def upload_asset(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """``POST {upload_url}?name=...&label=...`` with the file's bytes as the body."""
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    release = _release(state, request, repo)
    name = request.query_value("name")
    if not name:
        raise ApiError(422, "Bad Content-Length or name parameter missing")
    if any(existing.name == name for existing in release.assets):
        raise validation_failed("ReleaseAsset", "name", "already_exists")
    asset = Asset(
        id=state.new_id(),
        name=name,
        label=request.query_value("label") or None,
        content_type=request.content_type or "application/octet-stream",
        data=request.raw_body,
        uploader=request.login,
    )
    release.assets.append(asset)
    return ok(render.asset(request.root, state, repo, asset), status=201)


def _readable(state: GitHubState, request: ApiRequest, repo: Repository) -> list[Release]:
    can_push = at_least(state.permission(request.login, repo), "push")
    return [release for release in repo.releases if can_push or not release.draft]


def _release(state: GitHubState, request: ApiRequest, repo: Repository) -> Release:
    for release in _readable(state, request, repo):
        if str(release.id) == request.params["release_id"]:
            return release
    raise not_found()


def _is_commit(repo: Repository, sha: str) -> bool:
    return len(sha) >= 7 and any(
        c.sha.startswith(sha) for b in repo.branches.values() for c in b.commits
    )
