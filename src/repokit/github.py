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


class GitHubRequestError(GitHubError):
    """A request GitHub refused or that never got an answer: its status (None: no answer),
    GitHub's own message, and (for a 404) whether the repository itself is gone."""

    def __init__(self, message: str, *, hint: str | None = None, status: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.github_message = ""
        self.repository_missing = False


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
        _read_headers_leniently(self.client.requester)
        self._repo: Repository | None = None

    # --- requests, retried and translated --------------------------------------------------

    def call(self, what: str, function: Callable[[], T]) -> T:
        """Run one request; retry what is worth retrying; turn failures into GitHubError.

        Rate limits are waited out as GitHub prescribes: ``retry-after`` when given, else the
        reset time when ``x-ratelimit-remaining`` is 0, else (a secondary limit) a minute.
        """
        import github
        import requests

        delay = backoff()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function()
            except github.GithubException as error:
                if _is_rate_limited(error):
                    wait = _rate_limit_wait(error)
                    if wait > MAX_RATE_LIMIT_WAIT or attempt == ATTEMPTS:
                        raise self._error(what, error) from None
                    kind = "secondary rate limit" if _is_secondary(error) else "rate limit"
                    log.warning("%s: %s; waiting %.0fs", what, kind, wait)
                    time.sleep(wait)
                    continue
                if error.status < 500 or attempt == ATTEMPTS:
                    raise self._error(what, error) from None
                log.warning("%s: GitHub answered %s; retrying", what, error.status)
                time.sleep(delay)
                delay *= 2
            except requests.exceptions.RequestException as error:
                if attempt == ATTEMPTS:
                    msg = f"{what}: cannot reach GitHub: {type(error).__name__}"
                    raise GitHubRequestError(
                        msg, hint="check the network and GITHUB_API_URL", status=None
                    ) from None
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(self, what: str, error: Any) -> GitHubRequestError:
        found = self._translate(what, error)
        failure = GitHubRequestError(
            found.message, hint=found.hint, status=getattr(error, "status", None)
        )
        failure.github_message = _message(error)
        failure.repository_missing = found.message.startswith(f"{what}: repository {self.slug}")
        return failure

    def repository_exists(self) -> bool | None:
        """Whether GET /repos/{owner}/{repo} finds the repository now (None: cannot tell).

        A 404 on an item (a label, a collaborator, a toggle that is off) is about the item:
        only the repository's own answer says whether the repository is gone.
        """
        import github
        import requests

        try:
            self.client.requester.requestJsonAndCheck("GET", f"/repos/{self.slug}")
        except github.GithubException as error:
            return False if error.status == 404 else None
        except requests.exceptions.RequestException:
            return None
        return True

    def _translate(self, what: str, error: Any) -> GitHubError:
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
        if status in (403, 429) and _is_secondary(error):
            wait = _rate_limit_wait(error)
            return GitHubError(
                f"{what}: GitHub's secondary rate limit (too many requests at once) asks to "
                f"wait {wait:.0f}s, until {_moment(time.time() + wait)}",
                hint="wait that long and run again; nothing more was changed",
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
        if status == 404 and (what == f"read {self.slug}" or self.repository_exists() is False):
            return GitHubError(
                f"{what}: repository {self.slug} not found (or the token cannot see it)",
                hint="check --repo / the origin remote, and the token's access",
            )
        if status == 404:
            return GitHubError(
                f"{what}: GitHub answered 404 {message or 'Not Found'} for this item; "
                f"the repository {self.slug} itself is there",
                hint="check the item's name in the settings file; a feature the repository's "
                "plan lacks also answers 404",
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
                    hint = "push the branch first, or fix branches: in the file"
                    if any(c in branch for c in "*?["):
                        msg = f"branch {branch}: a name pattern, and branches: protects one branch"
                        hint = "protect a pattern with a ruleset (rulesets: with ref_name include)"
                    raise GitHubError(msg, hint=hint) from None
                raise
            return dict(data)

        return self.call(f"read the protection of {branch}", get)

    def send(self, what: str, method: str, path: str, body: Any = None) -> Any:
        """One request to ``path`` (relative to the API root); GitHub's answer as JSON."""
        repo_requester = self.client.requester

        def go() -> Any:
            _, data = repo_requester.requestJsonAndCheck(
                method, path, input=body if body is not None else None
            )
            return data

        return self.call(what, go)

    def file_text(self, path: str) -> str:
        """A file of the default branch, as text (through the contents API)."""
        import base64
        from urllib.parse import quote

        answer = self.send(
            f"read {self.slug}:{path}", "GET", f"/repos/{self.slug}/contents/{quote(path)}"
        )
        if not isinstance(answer, Mapping) or answer.get("type") != "file":
            raise GitHubError(f"{self.slug}:{path} is not a file", hint="name a file")
        return base64.b64decode(str(answer.get("content") or "")).decode("utf-8", "replace")

    def list_all(self, what: str, path: str, **params: str) -> list[dict[str, Any]]:
        """Every item of a listing, page after page (100 a page)."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            query = {**params, "per_page": "100", "page": str(page)}

            def get(query: dict[str, str] = query) -> Any:
                return self.client.requester.requestJsonAndCheck("GET", path, parameters=query)[1]

            data = self.call(what, get)
            batch = data if isinstance(data, list) else []
            items += [dict(item) for item in batch]
            if len(batch) < 100:
                return items
            page += 1

    def read_or_none(self, what: str, path: str) -> Any:
        """GitHub's answer to GET ``path``; None when it answers 404 for something that is
        off rather than missing (automated security fixes while alerts are off)."""
        import github

        def get() -> Any:
            try:
                return self.client.requester.requestJsonAndCheck("GET", path)[1]
            except github.UnknownObjectException:
                return None

        return self.call(what, get)

    def enabled(self, what: str, path: str) -> bool:
        """A toggle GitHub answers 204 (on) or 404 (off), as vulnerability alerts."""
        import github

        def get() -> bool:
            try:
                self.client.requester.requestJsonAndCheck("GET", path)
            except github.UnknownObjectException:
                return False
            return True

        return self.call(what, get)

    def login(self) -> str:
        """The login of the token's user (who is applying the settings)."""
        answer = self.send("read the token's user", "GET", "/user")
        return str(answer.get("login") or "") if isinstance(answer, Mapping) else ""

    def pushers(self) -> int:
        """How many accounts may push to the repository (directly, by team or as owners)."""
        people = self.list_all("read who may push", f"/repos/{self.slug}/collaborators")
        return sum(
            1
            for person in people
            if isinstance(person.get("permissions"), Mapping) and person["permissions"].get("push")
        )

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


#: Headers PyGithub reads as numbers: a malformed one would raise inside PyGithub.
_NUMBER_HEADERS = ("x-ratelimit-remaining", "x-ratelimit-limit", "x-ratelimit-reset")


def _read_headers_leniently(requester: Any) -> None:
    """Make ``requester`` drop rate-limit headers that are not numbers before PyGithub reads
    them (it would raise ValueError from int(), losing GitHub's answer); the retry and
    wait logic here reads the rest leniently (see :func:`_number`)."""
    from github.Requester import HTTPRequestsConnectionClass, HTTPSRequestsConnectionClass

    def lenient(base: type) -> type:
        class Lenient(base):  # type: ignore[misc]
            def getresponse(self) -> Any:
                response = super().getresponse()
                headers = response.headers.copy()
                for name in _NUMBER_HEADERS:
                    if name in headers and _number(headers[name]) is None:
                        del headers[name]
                response.headers = headers
                return response

        return Lenient

    attribute = "_Requester__connectionClass"  # PyGithub's per-client connection factory
    current = getattr(requester, attribute, None)
    if current is HTTPRequestsConnectionClass:
        setattr(requester, attribute, lenient(HTTPRequestsConnectionClass))
    elif current is HTTPSRequestsConnectionClass:
        setattr(requester, attribute, lenient(HTTPSRequestsConnectionClass))


def _quote(branch: str) -> str:
    from urllib.parse import quote

    return quote(branch, safe="")


#: GitHub's advice for a secondary rate limit without retry-after: wait at least a minute.
SECONDARY_WAIT = 60.0


def _is_rate_limited(error: Any) -> bool:
    """A rate limit however GitHub says it: PyGithub's exception, a 429, or a 403 that
    carries ``retry-after`` or an exhausted ``x-ratelimit-remaining``."""
    import github

    if isinstance(error, github.RateLimitExceededException):
        return True
    status = getattr(error, "status", 0)
    headers = _headers(error)
    limited = "retry-after" in headers or headers.get("x-ratelimit-remaining", "").strip() == "0"
    return status == 429 or (status == 403 and limited)


def _message(error: Any) -> str:
    data = getattr(error, "data", None)
    return str(data.get("message") or "") if isinstance(data, Mapping) else str(data or "")


def _headers(error: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (getattr(error, "headers", None) or {}).items()}


def _is_secondary(error: Any) -> bool:
    data = getattr(error, "data", None)
    message = str(data.get("message", "")) if isinstance(data, Mapping) else str(data or "")
    return "secondary rate limit" in message.lower() or (
        "retry-after" in _headers(error) and _headers(error).get("x-ratelimit-remaining") != "0"
    )


def _moment(epoch: float) -> str:
    """A time of day, with the date when it is not within the next hour."""
    form = "%H:%M:%S UTC" if epoch - time.time() < 3600 else "%Y-%m-%d %H:%M:%S UTC"
    return time.strftime(form, time.gmtime(epoch))


def _number(text: str | None) -> float | None:
    """A header's number, read leniently (``"12"``, ``" 12.0 "``); None when it is not one."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _reset_time(error: Any) -> str:
    reset = _number(_headers(error).get("x-ratelimit-reset"))
    if reset is None or reset < 0:
        return ""
    return f" until {_moment(min(reset, 4e9))}"


def _rate_limit_wait(error: Any) -> float:
    """Seconds to wait, as GitHub's documentation prescribes for each kind of limit."""
    headers = _headers(error)
    retry_after = _number(headers.get("retry-after"))
    if retry_after is not None and retry_after >= 0:
        return retry_after * min(1.0, backoff())
    reset = _number(headers.get("x-ratelimit-reset"))
    if _number(headers.get("x-ratelimit-remaining")) == 0 and reset is not None:
        return max(0.0, reset - time.time())
    return SECONDARY_WAIT * min(1.0, backoff())
