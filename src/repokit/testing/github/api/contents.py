"""File contents and the CODEOWNERS check."""

from __future__ import annotations

import base64
import binascii

from repokit.testing.github import codeowners, render
from repokit.testing.github.api.common import (
    PUSH_REQUIRED,
    find_branch,
    not_found,
    ok,
    require,
    visible_repo,
)
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse
from repokit.testing.github.state import (
    Branch,
    Commit,
    GitHubState,
    Repository,
    at_least,
    fake_sha,
    now_iso,
)


def get_content(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """A file (content-file) or a directory listing, on ``ref`` or the default branch."""
    repo = visible_repo(state, request)
    branch = _ref_branch(repo, request.query_value("ref"))
    path = request.params["path"].strip("/")
    data = branch.files.get(path)
    if data is not None:
        return ok(render.file_content(request.root, repo, branch.name, path, data))
    prefix = path + "/"
    children = sorted(
        {name[len(prefix) :].split("/", 1)[0] for name in branch.files if name.startswith(prefix)}
    )
    if not children:
        raise not_found()
    listing = []
    for child in children:
        child_path = prefix + child
        if child_path in branch.files:
            entry = render.file_content(
                request.root, repo, branch.name, child_path, branch.files[child_path]
            )
            entry.pop("content")
            entry.pop("encoding")
        else:
            entry = _directory_entry(request.root, repo, branch.name, child_path)
        listing.append(entry)
    return ok(listing)


def put_content(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Create (201) or update (200, ``sha`` of the current file required) one file by a commit."""
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    body = request.json_object()
    path = request.params["path"].strip("/")
    branch = _ref_branch(repo, body.get("branch"))
    try:
        data = base64.b64decode(str(body.get("content", "")), validate=True)
    except binascii.Error:
        raise ApiError(422, "content is not valid Base64") from None
    current = branch.files.get(path)
    if current is not None:
        sha = body.get("sha")
        if not sha:
            raise ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if sha != render.blob_sha(current):
            raise ApiError(409, f"{path} does not match {sha}")
    branch.files[path] = data
    head = Commit(
        sha=fake_sha(repo.full_name, branch.head.sha, path, render.blob_sha(data)),
        message=str(body.get("message", "")),
        author=request.login,
        date=now_iso(),
        parent=branch.head.sha,
    )
    branch.commits.append(head)
    content = render.file_content(request.root, repo, branch.name, path, data)
    content.pop("content")
    content.pop("encoding")
    status = 201 if current is None else 200
    return ok({"content": content, "commit": _file_commit(request.root, repo, head)}, status)


def get_codeowners_errors(state: GitHubState, request: ApiRequest) -> ApiResponse:
    """Errors of the first CODEOWNERS found (``ref`` or the default branch); 404 without one."""
    repo = visible_repo(state, request)
    branch = _ref_branch(repo, request.query_value("ref"))
    for location in codeowners.LOCATIONS:
        data = branch.files.get(location)
        if data is None:
            continue

        def owner_exists(owner: str) -> bool:
            return _owner_can_write(state, repo, owner)

        errors = codeowners.find_errors(
            data.decode("utf-8", errors="replace"), path=location, owner_exists=owner_exists
        )
        return ok({"errors": [error.as_json() for error in errors]})
    raise not_found()


def _owner_can_write(state: GitHubState, repo: Repository, owner: str) -> bool:
    """Whether a CODEOWNERS owner exists and may write to ``repo`` (e-mails are taken as is)."""
    if not owner.startswith("@"):
        return True
    name = owner[1:]
    if "/" in name:
        org, slug = name.split("/", 1)
        team = state.teams.get((org.lower(), slug.lower()))
        return team is not None and at_least(team.repos.get(repo.full_name.lower()), "push")
    account = state.account(name)
    return (
        account is not None
        and account.type == "User"
        and at_least(state.permission(account.login, repo), "push")
    )


def _ref_branch(repo: Repository, ref: object) -> Branch:
    return find_branch(repo, str(ref) if ref else repo.default_branch)


def _directory_entry(root: str, repo: Repository, branch: str, path: str) -> dict[str, object]:
    api = render.repo_api(root, repo)
    sha = fake_sha(repo.full_name, branch, path)
    url = f"{api}/contents/{path}?ref={render.quote(branch)}"
    html = f"{root}/{repo.full_name}/tree/{branch}/{path}"
    git = f"{api}/git/trees/{sha}"
    return {
        "type": "dir",
        "size": 0,
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "sha": sha,
        "url": url,
        "git_url": git,
        "html_url": html,
        "download_url": None,
        "_links": {"self": url, "git": git, "html": html},
    }


def _file_commit(root: str, repo: Repository, head: Commit) -> dict[str, object]:
    api = render.repo_api(root, repo)
    person = {
        "name": head.author,
        "email": f"{head.author}@users.noreply.example",
        "date": head.date,
    }
    tree = fake_sha("tree", head.sha)
    return {
        "sha": head.sha,
        "node_id": f"C_{head.sha[:16]}",
        "url": f"{api}/git/commits/{head.sha}",
        "html_url": f"{root}/{repo.full_name}/commit/{head.sha}",
        "author": person,
        "committer": person,
        "message": head.message,
        "tree": {"url": f"{api}/git/trees/{tree}", "sha": tree},
        "parents": (
            [
                {
                    "url": f"{api}/git/commits/{head.parent}",
                    "html_url": f"{root}/{repo.full_name}/commit/{head.parent}",
                    "sha": head.parent,
                }
            ]
            if head.parent
            else []
        ),
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }
