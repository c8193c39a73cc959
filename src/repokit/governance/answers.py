"""GitHub's documented error answers to governance's writes, each told by its cause.

GitHub answers 404 for many things besides a missing repository: a user who does not
exist, a team the organisation does not have, the signatures of an unprotected branch, a
label removed since it was read, rulesets on a plan without them. Each answer its
description documents (or its docs describe in words) gets a message naming the true
cause, the item and the fix; a missing repository is told only when GET of the repository
itself says so (see :meth:`repokit.github.GitHub.repository_exists`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

REPO = "/repos/{owner}/{repo}"
BRANCH = f"{REPO}/branches/{{branch}}/protection"
TEAM = "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
COLLABORATOR = f"{REPO}/collaborators/{{username}}"
ENVIRONMENT = f"{REPO}/environments/{{environment_name}}"


@dataclass(frozen=True)
class Told:
    """What went wrong, in the user's terms, and what to do about it."""

    cause: str
    fix: str


def _parameters(template: str, path: str) -> dict[str, str]:
    """The values of ``template``'s ``{names}`` in ``path`` (segment by segment)."""
    values: dict[str, str] = {}
    parts, given = template.split("/"), path.split("/")
    if len(parts) != len(given):
        return values
    for part, value in zip(parts, given, strict=True):
        if part.startswith("{") and part.endswith("}"):
            values[part[1:-1]] = unquote(value)
    return values


def told(method: str, template: str, path: str, status: int, message: str) -> Told | None:
    """The cause and the fix of GitHub's ``status`` answer to a governance write (None: no
    better words than GitHub's own)."""
    at = _parameters(template, path)
    said = f" ({message})" if message else ""
    key = (method, template, status)
    if key in ((m, COLLABORATOR, 404) for m in ("PUT", "DELETE")):
        return Told(
            f"collaborator {at.get('username')}: no such user on GitHub{said}",
            "fix the username under collaborators: (a GitHub login, not a name or an email)",
        )
    if template == COLLABORATOR and status == 403:
        return Told(
            f"collaborator {at.get('username')}: GitHub refuses to change this user's access"
            f"{said}; an organisation policy may forbid outside collaborators, or the day's "
            "invitation limit is reached",
            "ask an organisation owner, or give the access through a team (teams:)",
        )
    if template == COLLABORATOR and status == 422:
        return Told(
            f"collaborator {at.get('username')}: GitHub refuses the change{said}",
            "fix the entry under collaborators: (a blocked user, or the collaborator limit)",
        )
    if template == TEAM and status in (404, 422):
        cause = (
            f"team {at.get('team_slug')} does not exist in {at.get('org')} "
            "(or the token cannot see it)"
            if status == 404
            else f"team {at.get('team_slug')}: GitHub refuses it{said}"
        )
        return Told(cause, "write the team's slug under teams:, or create the team first")
    if template == f"{REPO}/automated-security-fixes" and status in (404, 422):
        return Told(
            "automated security fixes need vulnerability alerts, which are off",
            "add enable_vulnerability_alerts: true under repository:",
        )
    if template == f"{BRANCH}/required_signatures" and status == 404:
        return Told(
            f"branch {at.get('branch')} is not protected, and signed commits need a protection",
            f"give {at.get('branch')} a protection: under branches:",
        )
    if template == BRANCH and status == 404:
        return Told(
            f"branch {at.get('branch')} does not exist{said}",
            "push the branch first, or fix the name under branches:",
        )
    if template == BRANCH and status == 403:
        return Told(
            f"branch {at.get('branch')}: GitHub refuses to change its protection{said}",
            "use a repository admin's token; a private repository needs a plan with protection",
        )
    if status == 404 and method in ("PATCH", "DELETE") and "{" in template.rsplit("/", 1)[-1]:
        item = unquote(path.rsplit("/", 1)[-1])
        kind = template.rsplit("/", 2)[-2]
        return Told(
            f"{kind} {item} is no longer on GitHub (removed since it was read)",
            "run the same command again: it plans from what is there now",
        )
    if "/rulesets" in template and status == 404:
        return Told(
            f"rulesets are not available for this repository{said}",
            "rulesets need a public repository or a paid plan; remove rulesets: otherwise",
        )
    if "/deployment-branch-policies" in template and status == 404:
        return Told(
            f"environment {at.get('environment_name')} is not on GitHub, or its deployment "
            f"policy does not take patterns{said}",
            "set custom_branch_policies in its deployment_branch_policy",
        )
    if template == ENVIRONMENT and status == 422:
        return Told(
            f"environment {at.get('environment_name')}: GitHub refuses it{said}",
            "check its reviewers (ids of users or teams with access) and wait_timer",
        )
    return None
