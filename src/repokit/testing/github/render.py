"""The emulator's state in GitHub's JSON shapes (the ones the description documents).

Every URL handed out points back at the emulator (``root``), so a client that
follows links (PyGithub does: protection_url, upload_url, a team's url) stays on it.
"""

from __future__ import annotations

import base64
import hashlib
import urllib.parse
from typing import Any

from repokit.testing.github.state import (
    ACTIONS_APP_ID,
    PROTECTION_FLAGS,
    Account,
    Asset,
    Branch,
    CheckRun,
    Commit,
    GitHubState,
    Organization,
    Protection,
    Release,
    Repository,
    Team,
)

JSON = dict[str, Any]

#: What ``GET .../collaborators/{u}/permission`` answers for each level: (permission, role_name).
PERMISSION_ANSWER = {
    "admin": ("admin", "admin"),
    "maintain": ("write", "maintain"),
    "push": ("write", "write"),
    "triage": ("read", "triage"),
    "pull": ("read", "read"),
}


def quote(segment: str) -> str:
    """A path segment as GitHub writes it in URLs (a slash in a branch name is escaped)."""
    return urllib.parse.quote(segment, safe="")


def repo_api(root: str, repo: Repository) -> str:
    return f"{root}/repos/{repo.owner}/{repo.name}"


def simple_user(root: str, account: Account) -> JSON:
    login = account.login
    api = f"{root}/users/{login}"
    return {
        "login": login,
        "id": account.id,
        "node_id": f"U_{account.id}",
        "avatar_url": f"{root}/avatars/{login}",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{root}/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": account.type,
        "site_admin": False,
        "user_view_type": "public",
    }


def public_user(root: str, state: GitHubState, account: Account) -> JSON:
    """``GET /users/{username}``: the public profile."""
    public_repos = sum(
        1 for repo in state.repos.values() if repo.owner == account.login and not repo.private
    )
    return {
        **simple_user(root, account),
        "name": account.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "public_repos": public_repos,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": account.created_at,
        "updated_at": account.created_at,
    }


def private_user(root: str, state: GitHubState, account: Account) -> JSON:
    """``GET /user``: the authenticated user's own profile, with its private counters."""
    private_repos = sum(
        1 for repo in state.repos.values() if repo.owner == account.login and repo.private
    )
    return {
        **public_user(root, state, account),
        "private_gists": 0,
        "total_private_repos": private_repos,
        "owned_private_repos": private_repos,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
    }


def organization(root: str, state: GitHubState, org: Organization) -> JSON:
    login = org.account.login
    api = f"{root}/orgs/{login}"
    return {
        "login": login,
        "id": org.account.id,
        "node_id": f"O_{org.account.id}",
        "url": api,
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events",
        "hooks_url": f"{api}/hooks",
        "issues_url": f"{api}/issues",
        "members_url": f"{api}/members{{/member}}",
        "public_members_url": f"{api}/public_members{{/member}}",
        "avatar_url": f"{root}/avatars/{login}",
        "description": None,
        "name": org.account.name or login,
        "html_url": f"{root}/{login}",
        "has_organization_projects": True,
        "has_repository_projects": True,
        "public_repos": sum(
            1 for repo in state.repos.values() if repo.owner == login and not repo.private
        ),
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "type": "Organization",
        "created_at": org.account.created_at,
        "updated_at": org.account.created_at,
        "archived_at": None,
    }


def team_url(root: str, state: GitHubState, team: Team) -> str:
    """The URL GitHub gives a team: the legacy ``/organizations/{org_id}/team/{team_id}``."""
    org_id = state.orgs[team.org.lower()].account.id
    return f"{root}/organizations/{org_id}/team/{team.id}"


def team_simple(root: str, state: GitHubState, team: Team) -> JSON:
    url = team_url(root, state, team)
    return {
        "id": team.id,
        "node_id": f"T_{team.id}",
        "url": url,
        "html_url": f"{root}/orgs/{team.org}/teams/{team.slug}",
        "name": team.name,
        "slug": team.slug,
        "description": team.description,
        "privacy": "closed",
        "notification_setting": "notifications_enabled",
        "permission": "pull",
        "members_url": f"{url}/members{{/member}}",
        "repositories_url": f"{url}/repos",
        "parent": None,
        "type": "organization",
    }


def team_full(root: str, state: GitHubState, team: Team) -> JSON:
    return {
        **team_simple(root, state, team),
        "members_count": len(team.members),
        "repos_count": len(team.repos),
        "created_at": team.created_at,
        "updated_at": team.created_at,
        "organization": organization(root, state, state.orgs[team.org.lower()]),
    }


def _repository_urls(root: str, repo: Repository) -> JSON:
    api = repo_api(root, repo)
    html = f"{root}/{repo.owner}/{repo.name}"
    templated = {
        "archive_url": "/{archive_format}{/ref}",
        "assignees_url": "/assignees{/user}",
        "blobs_url": "/git/blobs{/sha}",
        "branches_url": "/branches{/branch}",
        "collaborators_url": "/collaborators{/collaborator}",
        "comments_url": "/comments{/number}",
        "commits_url": "/commits{/sha}",
        "compare_url": "/compare/{base}...{head}",
        "contents_url": "/contents/{+path}",
        "git_commits_url": "/git/commits{/sha}",
        "git_refs_url": "/git/refs{/sha}",
        "git_tags_url": "/git/tags{/sha}",
        "issue_comment_url": "/issues/comments{/number}",
        "issue_events_url": "/issues/events{/number}",
        "issues_url": "/issues{/number}",
        "keys_url": "/keys{/key_id}",
        "labels_url": "/labels{/name}",
        "milestones_url": "/milestones{/number}",
        "notifications_url": "/notifications{?since,all,participating}",
        "pulls_url": "/pulls{/number}",
        "releases_url": "/releases{/id}",
        "statuses_url": "/statuses/{sha}",
        "trees_url": "/git/trees{/sha}",
    }
    plain = (
        "contributors",
        "deployments",
        "downloads",
        "events",
        "forks",
        "hooks",
        "languages",
        "merges",
        "stargazers",
        "subscribers",
        "subscription",
        "tags",
        "teams",
    )
    urls: JSON = {name: api + suffix for name, suffix in templated.items()}
    urls.update({f"{name}_url": f"{api}/{name}" for name in plain})
    urls.update(
        {
            "url": api,
            "html_url": html,
            "clone_url": f"{html}.git",
            "git_url": f"{html}.git".replace("http://", "git://", 1),
            "ssh_url": f"git@127.0.0.1:{repo.full_name}.git",
            "svn_url": html,
            "mirror_url": None,
        }
    )
    return urls


def repository(root: str, state: GitHubState, repo: Repository, login: str | None) -> JSON:
    """``GET /repos/{owner}/{repo}`` (full-repository), with the caller's permissions."""
    owner = state.account(repo.owner)
    assert owner is not None
    level = state.permission(login, repo)
    pushed_at = max(branch.head.date for branch in repo.branches.values())
    settings = dict(repo.settings)
    body: JSON = {
        "id": repo.id,
        "node_id": f"R_{repo.id}",
        "name": repo.name,
        "full_name": repo.full_name,
        "owner": simple_user(root, owner),
        "private": repo.private,
        "visibility": "private" if repo.private else "public",
        "fork": False,
        **_repository_urls(root, repo),
        **settings,
        "homepage": settings.get("homepage"),
        "language": "Python",
        "forks": 0,
        "forks_count": 0,
        "stargazers_count": 0,
        "watchers": 0,
        "watchers_count": 0,
        "subscribers_count": 0,
        "network_count": 0,
        "size": sum(len(data) for data in repo.branches[repo.default_branch].files.values()),
        "default_branch": repo.default_branch,
        "open_issues": 0,
        "open_issues_count": 0,
        "topics": list(repo.topics),
        "has_pages": False,
        "has_downloads": True,
        "disabled": False,
        "license": None,
        "pushed_at": pushed_at,
        "created_at": repo.created_at,
        "updated_at": repo.updated_at,
        "permissions": {
            name: level is not None and _at_least(level, name)
            for name in ("admin", "maintain", "push", "triage", "pull")
        },
    }
    if level == "admin":  # GitHub shows this block to admins only
        fixes = "enabled" if repo.automated_security_fixes else "disabled"
        body["security_and_analysis"] = {
            **repo.security_and_analysis,
            "dependabot_security_updates": {"status": fixes},
        }
    org = state.orgs.get(repo.owner.lower())
    if org is not None:
        body["organization"] = simple_user(root, org.account)
    return body


def team_repository(
    root: str, state: GitHubState, repo: Repository, team: Team, level: str
) -> JSON:
    """``GET /orgs/{org}/teams/{slug}/repos/{owner}/{repo}`` with the repository media type."""
    body = repository(root, state, repo, None)
    body["permissions"] = {
        name: _at_least(level, name) for name in ("admin", "maintain", "push", "triage", "pull")
    }
    body["role_name"] = PERMISSION_ANSWER[level][1]
    body.pop("organization", None)
    return body


def _at_least(level: str, needed: str) -> bool:
    order = ("pull", "triage", "push", "maintain", "admin")
    return order.index(level) >= order.index(needed)


def protection_url(root: str, repo: Repository, branch: Branch) -> str:
    return f"{repo_api(root, repo)}/branches/{quote(branch.name)}/protection"


def _people(root: str, state: GitHubState, org: str, names: dict[str, list[str]]) -> JSON:
    users = [simple_user(root, a) for a in map(state.account, names.get("users", [])) if a]
    teams = [
        team_simple(root, state, team)
        for slug in names.get("teams", [])
        if (team := state.teams.get((org.lower(), slug.lower()))) is not None
    ]
    return {"users": users, "teams": teams, "apps": []}


def protection(
    root: str, state: GitHubState, repo: Repository, branch: Branch, *, read_shape: bool
) -> JSON:
    """A branch's protection: ``read_shape`` for GET (branch-protection), else PUT's answer."""
    rules = branch.protection
    assert rules is not None
    url = protection_url(root, repo, branch)
    body: JSON = {"url": url}
    if read_shape:
        body["enabled"] = True
        body["name"] = branch.name
    checks = rules.required_status_checks
    if checks is not None:
        body["required_status_checks"] = {
            "url": f"{url}/required_status_checks",
            "strict": checks.strict,
            "contexts": [context for context, _ in checks.checks],
            "checks": [{"context": context, "app_id": app} for context, app in checks.checks],
            "contexts_url": f"{url}/required_status_checks/contexts",
        }
        if read_shape and state.status_checks_shape == "contexts":
            del body["required_status_checks"]["checks"]
        elif read_shape and state.status_checks_shape == "checks-without-app":
            for entry in body["required_status_checks"]["checks"]:
                del entry["app_id"]
        if read_shape:
            body["required_status_checks"]["enforcement_level"] = (
                "everyone" if rules.enforce_admins else "non_admins"
            )
    body["enforce_admins"] = {"url": f"{url}/enforce_admins", "enabled": rules.enforce_admins}
    reviews = rules.required_pull_request_reviews
    if reviews is not None:
        review_body: JSON = {
            "url": f"{url}/required_pull_request_reviews",
            "dismiss_stale_reviews": reviews.dismiss_stale_reviews,
            "require_code_owner_reviews": reviews.require_code_owner_reviews,
            "required_approving_review_count": reviews.required_approving_review_count,
            "require_last_push_approval": reviews.require_last_push_approval,
        }
        if reviews.dismissal_restrictions is not None:
            people = _people(root, state, repo.owner, reviews.dismissal_restrictions)
            review_body["dismissal_restrictions"] = {
                "url": f"{url}/dismissal_restrictions",
                "users_url": f"{url}/dismissal_restrictions/users",
                "teams_url": f"{url}/dismissal_restrictions/teams",
                **people,
            }
        if reviews.bypass_pull_request_allowances is not None:
            review_body["bypass_pull_request_allowances"] = _people(
                root, state, repo.owner, reviews.bypass_pull_request_allowances
            )
        body["required_pull_request_reviews"] = review_body
    if rules.restrictions is not None:
        people = _people(
            root,
            state,
            repo.owner,
            {"users": rules.restrictions.users, "teams": rules.restrictions.teams},
        )
        body["restrictions"] = {
            "url": f"{url}/restrictions",
            "users_url": f"{url}/restrictions/users",
            "teams_url": f"{url}/restrictions/teams",
            "apps_url": f"{url}/restrictions/apps",
            **people,
        }
    body["required_signatures"] = {
        "url": f"{url}/required_signatures",
        "enabled": rules.required_signatures,
    }
    for flag in PROTECTION_FLAGS:
        body[flag] = {"enabled": rules.flags[flag]}
    return body


def required_signatures(root: str, repo: Repository, branch: Branch, rules: Protection) -> JSON:
    return {
        "url": f"{protection_url(root, repo, branch)}/required_signatures",
        "enabled": rules.required_signatures,
    }


def commit(root: str, state: GitHubState, repo: Repository, item: Commit) -> JSON:
    api = repo_api(root, repo)
    author = state.account(item.author)
    person = {
        "name": item.author,
        "email": f"{item.author}@users.noreply.example",
        "date": item.date,
    }
    tree = hashlib.sha1(f"tree {item.sha}".encode(), usedforsecurity=False).hexdigest()
    user = simple_user(root, author) if author else None
    return {
        "url": f"{api}/commits/{item.sha}",
        "sha": item.sha,
        "node_id": f"C_{item.sha[:16]}",
        "html_url": f"{root}/{repo.full_name}/commit/{item.sha}",
        "comments_url": f"{api}/commits/{item.sha}/comments",
        "commit": {
            "url": f"{api}/git/commits/{item.sha}",
            "author": person,
            "committer": person,
            "message": item.message,
            "comment_count": 0,
            "tree": {"sha": tree, "url": f"{api}/git/trees/{tree}"},
        },
        "author": user,
        "committer": user,
        "parents": (
            [{"sha": item.parent, "url": f"{api}/commits/{item.parent}"}] if item.parent else []
        ),
    }


def branch(root: str, state: GitHubState, repo: Repository, item: Branch) -> JSON:
    """``GET /repos/{owner}/{repo}/branches/{branch}`` (branch-with-protection)."""
    api = repo_api(root, repo)
    summary: JSON = {"enabled": item.protection is not None}
    if item.protection is not None and item.protection.required_status_checks is not None:
        checks = item.protection.required_status_checks.checks
        summary["required_status_checks"] = {
            "enforcement_level": "non_admins",
            "contexts": [context for context, _ in checks],
            "checks": [{"context": context, "app_id": app} for context, app in checks],
        }
    return {
        "name": item.name,
        "commit": commit(root, state, repo, item.head),
        "_links": {
            "self": f"{api}/branches/{quote(item.name)}",
            "html": f"{root}/{repo.full_name}/tree/{item.name}",
        },
        "protected": item.protection is not None,
        "protection": summary,
        "protection_url": protection_url(root, repo, item),
    }


def file_content(root: str, repo: Repository, branch_name: str, path: str, data: bytes) -> JSON:
    """``GET /repos/{owner}/{repo}/contents/{path}`` for a file (content-file)."""
    api = repo_api(root, repo)
    sha = blob_sha(data)
    url = f"{api}/contents/{path}?ref={quote(branch_name)}"
    html = f"{root}/{repo.full_name}/blob/{branch_name}/{path}"
    git = f"{api}/git/blobs/{sha}"
    encoded = base64.encodebytes(data).decode("ascii")
    return {
        "type": "file",
        "encoding": "base64",
        "size": len(data),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": encoded,
        "sha": sha,
        "url": url,
        "git_url": git,
        "html_url": html,
        "download_url": f"{root}/raw/{repo.full_name}/{branch_name}/{path}",
        "_links": {"self": url, "git": git, "html": html},
    }


def blob_sha(data: bytes) -> str:
    """The git blob id of ``data``, as GitHub reports a file's ``sha``."""
    header = f"blob {len(data)}\0".encode()
    return hashlib.sha1(header + data, usedforsecurity=False).hexdigest()


def asset(root: str, state: GitHubState, repo: Repository, item: Asset) -> JSON:
    uploader = state.account(item.uploader)
    return {
        "url": f"{repo_api(root, repo)}/releases/assets/{item.id}",
        "browser_download_url": f"{root}/{repo.full_name}/releases/download/{item.id}/{item.name}",
        "id": item.id,
        "node_id": f"RA_{item.id}",
        "name": item.name,
        "label": item.label,
        "state": "uploaded",
        "content_type": item.content_type,
        "size": len(item.data),
        "digest": f"sha256:{hashlib.sha256(item.data).hexdigest()}",
        "download_count": 0,
        "created_at": item.created_at,
        "updated_at": item.created_at,
        "uploader": simple_user(root, uploader) if uploader else None,
    }


def release(root: str, state: GitHubState, repo: Repository, item: Release) -> JSON:
    api = f"{repo_api(root, repo)}/releases/{item.id}"
    author = state.account(item.author)
    assert author is not None
    tag = quote(item.tag_name)
    return {
        "url": api,
        "html_url": f"{root}/{repo.full_name}/releases/tag/{tag}",
        "assets_url": f"{api}/assets",
        "upload_url": f"{root}/uploads/repos/{repo.owner}/{repo.name}/releases/{item.id}"
        "/assets{?name,label}",
        "tarball_url": f"{repo_api(root, repo)}/tarball/{tag}",
        "zipball_url": f"{repo_api(root, repo)}/zipball/{tag}",
        "id": item.id,
        "node_id": f"RE_{item.id}",
        "tag_name": item.tag_name,
        "target_commitish": item.target_commitish,
        "name": item.name,
        "body": item.body,
        "draft": item.draft,
        "prerelease": item.prerelease,
        "created_at": item.created_at,
        "published_at": item.published_at,
        "author": simple_user(root, author),
        "assets": [asset(root, state, repo, each) for each in item.assets],
    }


def check_run(root: str, repo: Repository, run: CheckRun) -> JSON:
    api = repo_api(root, repo)
    return {
        "id": run.id,
        "node_id": f"CR_{run.id}",
        "head_sha": run.head_sha,
        "external_id": None,
        "url": f"{api}/check-runs/{run.id}",
        "html_url": f"{root}/{repo.full_name}/runs/{run.id}",
        "details_url": f"{root}/{repo.full_name}/runs/{run.id}",
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": run.started_at,
        "completed_at": run.started_at if run.status == "completed" else None,
        "output": {
            "title": None,
            "summary": None,
            "text": None,
            "annotations_count": 0,
            "annotations_url": f"{api}/check-runs/{run.id}/annotations",
        },
        "name": run.name,
        "check_suite": {"id": run.id + 1_000_000},
        "app": app(root, run.app_id),
        "pull_requests": [],
    }


def app(root: str, app_id: int) -> JSON:
    """A GitHub App: the GitHub Actions app for its id, a made-up one for any other id."""
    actions = app_id == ACTIONS_APP_ID
    slug = "github-actions" if actions else f"app-{app_id}"
    owner_id = 9919 if actions else app_id + 1
    owner = simple_user(root, Account(login="github", id=owner_id, type="Organization"))
    return {
        "id": app_id,
        "slug": slug,
        "node_id": f"A_{app_id}",
        "owner": owner,
        "name": "GitHub Actions" if actions else slug,
        "description": "Automate your workflow from idea to production" if actions else None,
        "external_url": f"{root}/apps/{slug}",
        "html_url": f"{root}/apps/{slug}",
        "created_at": "2018-07-30T09:30:17Z",
        "updated_at": "2018-07-30T09:30:17Z",
        "permissions": {"checks": "write", "contents": "read", "metadata": "read"},
        "events": ["check_run", "check_suite", "push"],
    }
