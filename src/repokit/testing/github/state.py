"""What the GitHub emulator knows: accounts, teams, repositories and everything inside them.

Plain dataclasses, no HTTP. :class:`GitHubState` holds them behind one re-entrant
lock, offers the seeding methods tests call (``add_user``, ``add_repo``, ...) and the
lookups the request handlers share (who may do what to which repository).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from repokit.github_defaults import LABELS, REPOSITORY

#: Repository permission levels, weakest first, as the REST API names them.
PERMISSION_LEVELS = ("pull", "triage", "push", "maintain", "admin")
#: The GitHub Actions app: check runs made by workflows carry this app id.
ACTIONS_APP_ID = 15368

#: Fields of ``PATCH /repos/{owner}/{repo}`` the emulator stores, with a new repository's values
#: (visibility and the default branch live on the repository itself).
REPOSITORY_SETTINGS_DEFAULTS: dict[str, Any] = {
    **{k: v for k, v in REPOSITORY.items() if k not in ("visibility", "default_branch")},
    "has_pull_requests": True,
    "pull_request_creation_policy": "all",
}

#: Optional protection flags: stored as booleans, answered as ``{"enabled": bool}``.
PROTECTION_FLAGS = (
    "required_linear_history",
    "allow_force_pushes",
    "allow_deletions",
    "block_creations",
    "required_conversation_resolution",
    "lock_branch",
    "allow_fork_syncing",
)


def now_iso() -> str:
    """The current time as GitHub writes timestamps (UTC, whole seconds, ``Z``)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fake_sha(*parts: str) -> str:
    """A stable 40-hex-digit object id derived from ``parts``."""
    return hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


@dataclass
class Account:
    """A user or an organization."""

    login: str
    id: int
    type: Literal["User", "Organization"]
    name: str | None = None
    created_at: str = field(default_factory=now_iso)


@dataclass
class Organization:
    """An organization's own data; its :class:`Account` holds the login and id."""

    account: Account
    owners: set[str] = field(default_factory=set)
    members: set[str] = field(default_factory=set)


@dataclass
class Team:
    org: str
    slug: str
    id: int
    name: str
    members: set[str] = field(default_factory=set)
    #: ``"owner/name"`` -> permission level (one of PERMISSION_LEVELS).
    repos: dict[str, str] = field(default_factory=dict)
    description: str | None = None
    created_at: str = field(default_factory=now_iso)


@dataclass
class StatusChecks:
    strict: bool
    #: ``(context, app_id)``; app_id None means "any app".
    checks: list[tuple[str, int | None]]


@dataclass
class ReviewRules:
    dismiss_stale_reviews: bool = False
    require_code_owner_reviews: bool = False
    required_approving_review_count: int = 0
    require_last_push_approval: bool = False
    #: None when no dismissal restrictions are set; else ``{"users": [...], "teams": [...]}``.
    dismissal_restrictions: dict[str, list[str]] | None = None
    bypass_pull_request_allowances: dict[str, list[str]] | None = None


@dataclass
class PushRestrictions:
    users: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    apps: list[str] = field(default_factory=list)


@dataclass
class Protection:
    """A branch's protection, as the last ``PUT .../protection`` set it."""

    required_status_checks: StatusChecks | None = None
    enforce_admins: bool = False
    required_pull_request_reviews: ReviewRules | None = None
    restrictions: PushRestrictions | None = None
    flags: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(PROTECTION_FLAGS, False))
    #: Lives at its own endpoint: a PUT of the protection leaves it as it was.
    required_signatures: bool = False


@dataclass
class Commit:
    sha: str
    message: str
    author: str
    date: str
    parent: str | None


@dataclass
class Branch:
    name: str
    #: Newest last; the branch's head is ``commits[-1]``.
    commits: list[Commit]
    files: dict[str, bytes]
    protection: Protection | None = None

    @property
    def head(self) -> Commit:
        return self.commits[-1]


@dataclass
class Asset:
    id: int
    name: str
    label: str | None
    content_type: str
    data: bytes
    uploader: str
    created_at: str = field(default_factory=now_iso)


@dataclass
class Release:
    id: int
    tag_name: str
    target_commitish: str
    name: str | None
    body: str | None
    draft: bool
    prerelease: bool
    author: str
    created_at: str = field(default_factory=now_iso)
    published_at: str | None = None
    assets: list[Asset] = field(default_factory=list)


@dataclass
class CheckRun:
    id: int
    name: str
    head_sha: str
    status: str = "completed"
    conclusion: str | None = "success"
    app_id: int = ACTIONS_APP_ID
    started_at: str = field(default_factory=now_iso)


@dataclass
class Label:
    id: int
    name: str
    color: str
    description: str | None = None
    #: One of the labels GitHub gives every new repository.
    default: bool = False


@dataclass
class Milestone:
    id: int
    number: int
    title: str
    creator: str
    state: str = "open"
    description: str | None = None
    due_on: str | None = None
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class Invitation:
    """A collaborator invited but not yet accepted (GitHub invites outside collaborators)."""

    id: int
    invitee: str
    inviter: str
    permission: str
    created_at: str = field(default_factory=now_iso)


@dataclass
class BranchPolicy:
    """A name pattern that branches (or tags) must match to deploy to an environment."""

    id: int
    name: str
    #: "branch" or "tag".
    type: str = "branch"


@dataclass
class Environment:
    id: int
    name: str
    wait_timer: int = 0
    prevent_self_review: bool = False
    #: ``(type, id)``: "User" or "Team" and its id.
    reviewers: list[tuple[str, int]] = field(default_factory=list)
    #: None: every branch may deploy; else ``{protected_branches, custom_branch_policies}``.
    deployment_branch_policy: dict[str, bool] | None = None
    #: The name patterns, while ``custom_branch_policies`` is on (GitHub drops them otherwise).
    branch_policies: list[BranchPolicy] = field(default_factory=list)
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class Autolink:
    id: int
    key_prefix: str
    url_template: str
    is_alphanumeric: bool = True


@dataclass
class Ruleset:
    """A repository ruleset as the last POST or PUT gave it (GitHub's REST shape)."""

    id: int
    name: str
    target: str = "branch"
    enforcement: str = "disabled"
    bypass_actors: list[dict[str, Any]] = field(default_factory=list)
    conditions: dict[str, Any] | None = None
    rules: list[dict[str, Any]] = field(default_factory=list)
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)


@dataclass
class Repository:
    owner: str
    name: str
    id: int
    private: bool
    #: False models a free plan: protection on a private repository answers 403.
    protection_available: bool
    default_branch: str
    settings: dict[str, Any] = field(default_factory=lambda: dict(REPOSITORY_SETTINGS_DEFAULTS))
    topics: list[str] = field(default_factory=list)
    #: login -> permission level (one of PERMISSION_LEVELS).
    collaborators: dict[str, str] = field(default_factory=dict)
    branches: dict[str, Branch] = field(default_factory=dict)
    releases: list[Release] = field(default_factory=list)
    check_runs: list[CheckRun] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    environments: dict[str, Environment] = field(default_factory=dict)
    autolinks: list[Autolink] = field(default_factory=list)
    rulesets: list[Ruleset] = field(default_factory=list)
    #: ``security_and_analysis`` as PATCHed: feature -> {"status": "enabled" | "disabled"}.
    security_and_analysis: dict[str, dict[str, str]] = field(default_factory=dict)
    vulnerability_alerts: bool = False
    automated_security_fixes: bool = False
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class RateLimit:
    """The primary rate limit of the ``core`` resource, counting down per request."""

    limit: int = 5000
    used: int = 0
    reset: int = field(default_factory=lambda: int(time.time()) + 3600)

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def spend(self) -> None:
        """Count one request."""
        self._roll()
        self.used += 1

    def exhausted(self) -> bool:
        self._roll()
        return self.remaining == 0

    def _roll(self) -> None:
        """A passed reset time starts a new window."""
        now = int(time.time())
        if now >= self.reset:
            self.used, self.reset = 0, now + 3600


def stronger(level: str | None, other: str | None) -> str | None:
    """The stronger of two permission levels (None is no access)."""
    if level is None:
        return other
    if other is None:
        return level
    return max(level, other, key=PERMISSION_LEVELS.index)


def at_least(level: str | None, needed: str) -> bool:
    return level is not None and PERMISSION_LEVELS.index(level) >= PERMISSION_LEVELS.index(needed)


class GitHubState:
    """The emulated GitHub: seed it with the add_* methods, read it back in assertions.

    Every mutation made by a request happens under :attr:`lock`; tests that seed
    while requests are in flight should hold it too (the seeding methods do).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        self.orgs: dict[str, Organization] = {}
        self.teams: dict[tuple[str, str], Team] = {}
        self.repos: dict[tuple[str, str], Repository] = {}
        self.tokens: dict[str, str] = {}
        self.rate_limit = RateLimit()
        self._next_id = 1000
        #: How GET protection shows required checks: "checks" (with app ids, as
        #: api.github.com does), "checks-without-app", or "contexts" (the older shape).
        self.status_checks_shape = "checks"

    def new_id(self) -> int:
        with self.lock:
            self._next_id += 1
            return self._next_id

    # -- seeding ------------------------------------------------------------------------------

    def add_user(self, login: str, *, name: str | None = None) -> Account:
        """A user account (idempotent: an existing user is returned as it is)."""
        with self.lock:
            existing = self.accounts.get(login.lower())
            if existing is not None:
                return existing
            account = Account(login=login, id=self.new_id(), type="User", name=name)
            self.accounts[login.lower()] = account
            return account

    def add_org(
        self, login: str, *, owners: Iterable[str] = (), members: Iterable[str] = ()
    ) -> Organization:
        """An organization; ``owners`` (admins of every repository) and ``members`` become users."""
        with self.lock:
            org = self.orgs.get(login.lower())
            if org is None:
                account = Account(login=login, id=self.new_id(), type="Organization")
                self.accounts[login.lower()] = account
                org = Organization(account=account)
                self.orgs[login.lower()] = org
            for user in owners:
                org.owners.add(self.add_user(user).login)
            for user in (*owners, *members):
                org.members.add(self.add_user(user).login)
            return org

    def add_team(
        self,
        org: str,
        slug: str,
        members: Iterable[str] = (),
        repos: Mapping[str, str] | None = None,
        *,
        name: str | None = None,
    ) -> Team:
        """A team of ``org``; ``repos`` maps ``"name"`` or ``"owner/name"`` to a permission."""
        with self.lock:
            organization = self.add_org(org)
            team = self.teams.get((org.lower(), slug.lower()))
            if team is None:
                team = Team(
                    org=organization.account.login, slug=slug, id=self.new_id(), name=name or slug
                )
                self.teams[(org.lower(), slug.lower())] = team
            for user in members:
                login = self.add_user(user).login
                team.members.add(login)
                organization.members.add(login)
            for repo, permission in (repos or {}).items():
                full_name = repo if "/" in repo else f"{organization.account.login}/{repo}"
                team.repos[full_name.lower()] = _checked_level(permission)
            return team

    def add_repo(
        self,
        owner: str,
        name: str,
        *,
        private: bool = False,
        admins: Iterable[str] = (),
        collaborators: Mapping[str, str] | None = None,
        default_branch: str = "main",
        branches: Iterable[str] = (),
        files: Mapping[str, str | bytes] | None = None,
        topics: Iterable[str] = (),
        protection_available: bool = True,
        **settings: Any,
    ) -> Repository:
        """A repository with one commit holding ``files`` on every branch.

        ``owner`` becomes a user unless it is already an organization. ``settings`` are
        initial values of fields ``PATCH /repos/{owner}/{repo}`` accepts (description, ...).
        """
        unknown = set(settings) - set(REPOSITORY_SETTINGS_DEFAULTS)
        if unknown:
            msg = f"add_repo: unknown repository settings {sorted(unknown)}"
            raise ValueError(msg)
        with self.lock:
            owner_account = self.accounts.get(owner.lower()) or self.add_user(owner)
            repo = Repository(
                owner=owner_account.login,
                name=name,
                id=self.new_id(),
                private=private,
                protection_available=protection_available,
                default_branch=default_branch,
                topics=list(topics),
            )
            repo.settings.update(settings)
            for login in admins:
                repo.collaborators[self.add_user(login).login] = "admin"
            for login, permission in (collaborators or {}).items():
                repo.collaborators[self.add_user(login).login] = _checked_level(permission)
            content = {
                path: data.encode() if isinstance(data, str) else data
                for path, data in (files or {}).items()
            }
            first = Commit(
                sha=fake_sha(repo.full_name, "initial", *sorted(content)),
                message="Initial commit",
                author=owner_account.login,
                date=now_iso(),
                parent=None,
            )
            for branch in dict.fromkeys([default_branch, *branches]):
                repo.branches[branch] = Branch(name=branch, commits=[first], files=dict(content))
            self.repos[(owner.lower(), name.lower())] = repo
            return repo

    def create_repo(self, owner: str, name: str, *, creator: str, **options: Any) -> Repository:
        """A repository as GitHub creates one for ``creator``: the nine default labels, the
        creator a direct admin, vulnerability alerts off, no branch protected (``options``
        as :meth:`add_repo` takes them)."""
        with self.lock:
            repo = self.add_repo(owner, name, **options)
            repo.collaborators[self.add_user(creator).login] = "admin"
            repo.labels = [
                Label(self.new_id(), label, color, description, default=True)
                for label, color, description in LABELS
            ]
            return repo

    def add_token(self, token: str, login: str) -> None:
        """Requests bearing ``token`` act as ``login`` (created if unknown)."""
        with self.lock:
            self.tokens[token] = self.add_user(login).login

    def set_protection(
        self,
        owner: str,
        name: str,
        branch: str,
        protection: Protection | None = None,
        **fields: Any,
    ) -> Protection:
        """Protect ``branch`` as if an admin had done it: ``protection``, or a default one
        updated with ``fields`` (e.g. ``enforce_admins=True``, ``required_signatures=True``,
        ``required_status_checks=StatusChecks(strict=True, checks=[("ci", 15368)])``, or a flag
        such as ``allow_force_pushes=False``)."""
        with self.lock:
            target = self.branch(owner, name, branch)
            result = protection or Protection()
            for key, value in fields.items():
                if key in PROTECTION_FLAGS:
                    result.flags[key] = bool(value)
                elif hasattr(result, key):
                    setattr(result, key, value)
                else:
                    msg = f"set_protection: unknown protection field {key!r}"
                    raise ValueError(msg)
            target.protection = result
            return result

    def add_check_run(
        self,
        owner: str,
        name: str,
        ref: str,
        check_name: str,
        *,
        conclusion: str | None = "success",
        status: str = "completed",
        app_id: int = ACTIONS_APP_ID,
    ) -> CheckRun:
        """A check run on the commit ``ref`` (a sha or a branch name, resolved to its head)."""
        with self.lock:
            repo = self.repo(owner, name)
            sha = repo.branches[ref].head.sha if ref in repo.branches else ref
            run = CheckRun(
                id=self.new_id(),
                name=check_name,
                head_sha=sha,
                status=status,
                conclusion=conclusion if status == "completed" else None,
                app_id=app_id,
            )
            repo.check_runs.append(run)
            return run

    # -- lookups ------------------------------------------------------------------------------

    def repo(self, owner: str, name: str) -> Repository:
        """The repository ``owner/name`` (case-insensitive); KeyError if there is none."""
        return self.repos[(owner.lower(), name.lower())]

    def branch(self, owner: str, name: str, branch: str) -> Branch:
        return self.repo(owner, name).branches[branch]

    def account(self, login: str) -> Account | None:
        return self.accounts.get(login.lower())

    def permission(self, login: str | None, repo: Repository) -> str | None:
        """The strongest permission ``login`` has on ``repo`` (None: cannot even see it)."""
        level: str | None = None if repo.private else "pull"
        if login is None:
            return level
        if login.lower() == repo.owner.lower():
            return "admin"
        org = self.orgs.get(repo.owner.lower())
        if org is not None and login in org.owners:
            return "admin"
        level = stronger(level, repo.collaborators.get(login))
        for team in self.teams.values():
            if login in team.members:
                level = stronger(level, team.repos.get(repo.full_name.lower()))
        return level


def _checked_level(permission: str) -> str:
    aliases = {"read": "pull", "write": "push"}
    level = aliases.get(permission, permission)
    if level not in PERMISSION_LEVELS:
        msg = f"unknown permission {permission!r}: use one of {', '.join(PERMISSION_LEVELS)}"
        raise ValueError(msg)
    return level
