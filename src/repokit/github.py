"""The only place that talks to GitHub: requests through PyGithub, answers in GitHub's shapes.

Callers get GitHub's JSON as GitHub sends it (a repository, a branch's protection); turning
it into their own model is their job (governance.live does it for governance).
5xx answers, dropped connections and secondary rate limits are retried with a bounded
backoff; the primary rate limit is waited out when its reset is near. The token is
registered as a secret so that it never reaches output, logs or exceptions.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from repokit.errors import GitHubError, UsageError
from repokit.redact import register_secret

if TYPE_CHECKING:
    from github.Repository import Repository

log = logging.getLogger(__name__)
T = TypeVar("T")

TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")

ATTEMPTS = 4


def backoff() -> float:
    """Seconds before the first retry, doubled each time; REPOKIT_GITHUB_BACKOFF scales waits."""
    return float(os.environ.get("REPOKIT_GITHUB_BACKOFF", "1.0"))


#: The longest wait for a rate limit to reset before giving up with an error.
MAX_RATE_LIMIT_WAIT = 60.0


def token() -> str:
    """The GitHub token from GITHUB_TOKEN or GH_TOKEN, or from ``gh auth token``."""
    for name in TOKEN_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            register_secret(value)
            return value
    gh = shutil.which("gh")
    if gh:
        result = subprocess.run([gh, "auth", "token"], capture_output=True, text=True, check=False)
        if result.returncode == 0 and result.stdout.strip():
            register_secret(result.stdout.strip())
            return result.stdout.strip()
    msg = "no GitHub token: GITHUB_TOKEN and GH_TOKEN are unset (and gh is not logged in)"
    hint = "export GITHUB_TOKEN=<a token with admin rights on the repository>"
    raise GitHubError(msg, hint=hint)


def token_or_none() -> str | None:
    """The token :func:`token` would use, or None when there is none (no error)."""
    try:
        return token()
    except GitHubError:
        return None


def repository_slug(root: Path, given: str | None, remote: str = "origin") -> str:
    """``owner/name`` from ``--repo``, else GITHUB_REPOSITORY, else the remote's URL."""
    given = given or os.environ.get("GITHUB_REPOSITORY") or None
    if given:
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", given):
            raise UsageError(
                f"--repo {given!r}: expected owner/name", hint="e.g. --repo acme/widget"
            )
        return given
    result = subprocess.run(
        ["git", "remote", "get-url", remote], cwd=root, capture_output=True, text=True, check=False
    )
    url = result.stdout.strip()
    match = re.search(r"(?:[:/])([\w.-]+)/([\w.-]+?)(?:\.git)?/?$", url)
    if result.returncode != 0 or not match or ("://" not in url and ":" not in url):
        msg = f"cannot tell the GitHub repository: the remote {remote!r} is {url or 'not set'}"
        raise UsageError(msg, hint="pass --repo owner/name")
    return f"{match.group(1)}/{match.group(2)}"


_LOOPBACK_NAMES = ("localhost", "localhost.localdomain")


def api_base(given: str | None = None) -> str:
    """The API's base URL (``given``, else GITHUB_API_URL, else api.github.com), checked.

    The token travels with every request, so it goes only over https, or over plain http
    to this machine (the loopback address); anything else is refused before any request.
    """
    import ipaddress
    from urllib.parse import urlsplit

    base = (given or os.environ.get("GITHUB_API_URL") or "https://api.github.com").strip()
    hint = "set GITHUB_API_URL to https://<host>/api/v3 (GitHub Enterprise) or unset it"
    try:
        parts = urlsplit(base)
        port = parts.port
        host = parts.hostname or ""
    except ValueError as error:
        raise UsageError(f"GITHUB_API_URL {base!r} is not a URL: {error}", hint=hint) from None
    if parts.scheme not in ("https", "http") or not host:
        msg = f"GITHUB_API_URL {base!r} is not an http(s) URL with a host"
        raise UsageError(msg, hint=hint)
    if parts.username or parts.password:
        msg = "GITHUB_API_URL carries credentials: the token goes in GITHUB_TOKEN"
        raise UsageError(msg, hint=hint)
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host.lower() in _LOOPBACK_NAMES
        if not loopback:
            msg = f"GITHUB_API_URL {base!r}: refusing to send the token over plain http"
            raise UsageError(msg, hint="use https (plain http is allowed only to loopback)")
    del port  # parsed above only to refuse an out-of-range port
    return base.rstrip("/")


class GitHub:
    """One repository on GitHub (or GitHub Enterprise through GITHUB_API_URL)."""

    def __init__(
        self, slug: str, *, api_url: str | None = None, auth_token: str | None = None
    ) -> None:
        from github import Auth, Github

        self.slug = slug
        base = api_base(api_url)
        secret = auth_token or token()
        register_secret(secret)
        self.client = Github(
            auth=Auth.Token(secret),
            base_url=base,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            timeout=30,
        )
        self._repo: Repository | None = None

    # --- requests, retried and translated --------------------------------------------------

    def call(self, what: str, function: Callable[[], T]) -> T:
        """Run one request; retry what is worth retrying; turn failures into GitHubError."""
        import github
        import requests

        delay = backoff()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function()
            except github.RateLimitExceededException as error:
                wait = _rate_limit_wait(error)
                if wait is None or wait > MAX_RATE_LIMIT_WAIT or attempt == ATTEMPTS:
                    raise self._error(what, error) from None
                log.warning("%s: rate limited; waiting %.0fs", what, wait)
                time.sleep(wait)
            except github.GithubException as error:
                if error.status < 500 or attempt == ATTEMPTS:
                    raise self._error(what, error) from None
                log.warning("%s: GitHub answered %s; retrying", what, error.status)
                time.sleep(delay)
                delay *= 2
            except requests.exceptions.RequestException as error:
                if attempt == ATTEMPTS:
                    msg = f"{what}: cannot reach GitHub: {type(error).__name__}"
                    raise GitHubError(msg, hint="check the network and GITHUB_API_URL") from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, what: str, error: Any) -> GitHubError:
        status = getattr(error, "status", 0)
        data = getattr(error, "data", None)
        message = data.get("message", "") if isinstance(data, Mapping) else str(data or "")
        if status == 401:
            return GitHubError(
                f"{what}: GitHub rejected the token (401 {message or 'Bad credentials'})",
                hint=f"check {' or '.join(TOKEN_VARIABLES)}: the token may be expired or revoked",
            )
        if status == 403 and "upgrade" in message.lower():
            return GitHubError(
                f"{what}: {self.slug} is private and its plan has no branch protection ({message})",
                hint="make the repository public or move it to a plan with protected branches",
            )
        if status in (403, 429) and "rate limit" in message.lower():
            reset = _reset_time(error)
            return GitHubError(
                f"{what}: GitHub's rate limit is exhausted{reset}",
                hint="wait for the reset and run again; nothing more was changed",
            )
        if status == 403:
            return GitHubError(
                f"{what}: the token may not do this on {self.slug} (403 {message})",
                hint="use a token of a repository admin (fine-grained: Administration read/write)",
            )
        if status == 404:
            return GitHubError(
                f"{what}: repository {self.slug} not found (or the token cannot see it)",
                hint="check --repo / the origin remote, and the token's access",
            )
        if status == 422:
            details = "; ".join(
                str(e.get("message") or e) if isinstance(e, Mapping) else str(e)
                for e in (data.get("errors") or [] if isinstance(data, Mapping) else [])
            )
            said = f"{message}: {details}" if details else message
            return GitHubError(
                f"{what}: GitHub refused the change (422 {said})",
                hint="fix the setting GitHub names in governance/settings.yml",
            )
        return GitHubError(
            f"{what}: GitHub answered {status or 'with an error'} {message}".rstrip(),
            hint="try again later; running again applies only what is still missing",
        )

    # --- reading ---------------------------------------------------------------------------

    @property
    def repo(self) -> Repository:
        if self._repo is None:
            self._repo = self.call(f"read {self.slug}", lambda: self.client.get_repo(self.slug))
        return self._repo

    def forget(self) -> None:
        """Drop the cached repository, so that the next read asks GitHub again."""
        self._repo = None

    def protection(self, branch: str) -> dict[str, Any] | None:
        """GET protection's answer for ``branch`` as GitHub sends it; None: not protected."""
        import github

        url = f"{self.repo.url}/branches/{_quote(branch)}/protection"

        def get() -> dict[str, Any] | None:
            try:
                _, data = self.repo.requester.requestJsonAndCheck("GET", url)
            except github.GithubException as error:
                message = (
                    (error.data or {}).get("message", "") if isinstance(error.data, Mapping) else ""
                )
                if error.status == 404 and "not protected" in message.lower():
                    return None
                if error.status == 404 and "branch not found" in message.lower():
                    msg = f"branch {branch} does not exist in {self.slug}"
                    raise GitHubError(
                        msg, hint="push the branch first, or fix branches: in the file"
                    ) from None
                raise
            return dict(data)

        return self.call(f"read the protection of {branch}", get)

    def reported_checks(self, branch: str) -> set[str]:
        """The names of the check runs reported on the branch's latest commit."""
        repo = self.repo
        url = f"{repo.url}/commits/{_quote(branch)}/check-runs"
        _, data = self.call(
            f"read the checks of {branch}", lambda: repo.requester.requestJsonAndCheck("GET", url)
        )
        return {str(run.get("name")) for run in data.get("check_runs") or []}

    # --- writing ---------------------------------------------------------------------------

    def update_repository(self, fields: Mapping[str, Any]) -> None:
        repo = self.repo
        self.call(
            "update the repository settings",
            lambda: repo.requester.requestJsonAndCheck("PATCH", repo.url, input=dict(fields)),
        )

    def replace_topics(self, topics: list[str]) -> None:
        repo = self.repo
        self.call("replace the topics", lambda: repo.replace_topics(topics))

    def put_protection(self, branch: str, body: Mapping[str, Any]) -> None:
        repo = self.repo
        url = f"{repo.url}/branches/{_quote(branch)}/protection"
        self.call(
            f"protect {branch}",
            lambda: repo.requester.requestJsonAndCheck("PUT", url, input=dict(body)),
        )

    def set_signatures(self, branch: str, required: bool) -> None:
        repo = self.repo
        url = f"{repo.url}/branches/{_quote(branch)}/protection/required_signatures"
        verb = "POST" if required else "DELETE"
        self.call(
            f"{'require' if required else 'stop requiring'} signed commits on {branch}",
            lambda: repo.requester.requestJsonAndCheck(verb, url),
        )

    # --- CODEOWNERS checks -------------------------------------------------------------------

    def codeowners_errors(self) -> list[dict[str, Any]]:
        """What GitHub finds wrong in the CODEOWNERS of the default branch (none yet: [])."""
        import github as pygithub

        repo = self.repo
        url = f"{repo.url}/codeowners/errors"

        def errors() -> list[dict[str, Any]]:
            try:
                _, data = repo.requester.requestJsonAndCheck("GET", url)
            except pygithub.UnknownObjectException:
                return []  # no CODEOWNERS on the default branch yet
            return list(data.get("errors") or [])

        return self.call("read CODEOWNERS errors", errors)

    def owner_problem(self, owner: str) -> str | None:
        """Why ``owner`` cannot own code here (None when it can)."""
        import github

        if "@" in owner and not owner.startswith("@"):
            return None  # an email: GitHub matches it to an account's verified address
        name = owner.removeprefix("@")
        try:
            if "/" in name:
                org, slug = name.split("/", 1)
                team = self.client.get_organization(org).get_team_by_slug(slug)
                permission = team.get_repo_permission(self.repo)
                if permission is None or not (
                    permission.push or permission.admin or permission.maintain
                ):
                    return f"team {owner} has no write access to {self.slug}"
                return None
            self.client.get_user(name).login  # noqa: B018 - the request is the check
            return None
        except github.UnknownObjectException:
            return f"{owner} does not exist on GitHub"
        except github.GithubException as error:
            raise self._error(f"check owner {owner}", error) from None


def _quote(branch: str) -> str:
    from urllib.parse import quote

    return quote(branch, safe="")


def _reset_time(error: Any) -> str:
    headers = getattr(error, "headers", None) or {}
    reset = headers.get("x-ratelimit-reset") or headers.get("X-RateLimit-Reset")
    if not reset:
        return ""
    moment = time.strftime("%H:%M:%S UTC", time.gmtime(int(reset)))
    return f" until {moment}"


def _rate_limit_wait(error: Any) -> float | None:
    headers = getattr(error, "headers", None) or {}
    retry_after = headers.get("retry-after") or headers.get("Retry-After")
    if retry_after:
        return float(retry_after) * min(1.0, backoff())
    reset = headers.get("x-ratelimit-reset") or headers.get("X-RateLimit-Reset")
    if reset:
        return max(0.0, float(reset) - time.time())
    return None
