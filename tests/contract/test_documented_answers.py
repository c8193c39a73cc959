"""Every error GitHub's description documents for governance's writes, told truly.

For each write operation governance sends and each non-2xx status the OpenAPI description
documents for it (redirects aside: the HTTP client follows them), the emulator answers
that status and repokit's message must name the item, keep to one line, give a fix, and
never claim the repository is gone while GET /repos/{owner}/{repo} finds it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from repokit.errors import RepokitError
from repokit.fixtures.github import ADMIN_TOKEN
from repokit.github import GitHub
from repokit.governance.faults import failed_write
from repokit.governance.plan import Request
from repokit.governance.reconcile import Write
from repokit.governance.schemas import OPERATIONS
from repokit.testing.github import Contract, Fault, GitHubEmulator

DESCRIPTION = Path(__file__).with_name("github-openapi.json")
#: A concrete value for each path parameter: each is an item a message must name.
VALUES = {
    "owner": "acme",
    "repo": "widget",
    "branch": "release-1",
    "name": "needs-triage",
    "milestone_number": "7",
    "username": "dora-q",
    "org": "acme",
    "team_slug": "docs-team",
    "environment_name": "staging-eu",
    "branch_policy_id": "4242",
    "autolink_id": "5151",
    "ruleset_id": "6161",
}
#: The 404s GitHub's docs describe in words where the description lists none.
IN_WORDS = {
    ("PUT", "/repos/{owner}/{repo}/collaborators/{username}", 404),
    ("PUT", "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}", 404),
    ("PUT", "/repos/{owner}/{repo}/automated-security-fixes", 422),
    ("PATCH", "/repos/{owner}/{repo}/labels/{name}", 404),
    ("PATCH", "/repos/{owner}/{repo}/milestones/{milestone_number}", 404),
}


def documented() -> list[tuple[str, str, int]]:
    contract = Contract.load(DESCRIPTION)
    found = set(IN_WORDS)
    for method, template in OPERATIONS:
        operation = contract.operation(template, method)
        assert operation is not None, f"{method} {template} is not in the description"
        for status in operation.responses:
            if status[0] in "45" and status.isdigit():
                found.add((method, template, int(status)))
    return sorted(found)


def concrete(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: VALUES[m.group(1)], template)


def the_item(template: str) -> str:
    """The most specific parameter of the path: what the message must name."""
    names = re.findall(r"\{(\w+)\}", template)
    specific = [n for n in names if n not in ("owner", "repo", "org")]
    return VALUES[specific[-1]] if specific else "acme/widget"


@pytest.mark.parametrize(("method", "template", "status"), documented())
def test_a_documented_error_names_the_item_and_never_a_lost_repository(
    github_emulator: GitHubEmulator,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    template: str,
    status: int,
) -> None:
    monkeypatch.setenv("REPOKIT_GITHUB_BACKOFF", "0")  # 5xx answers are retried
    path = concrete(template)
    message = {404: "Not Found", 403: "Forbidden", 422: "Validation Failed"}.get(status, "Error")
    github_emulator.faults.add(Fault(status, message, only=f"{method} {path}$"), 4)
    github = GitHub("acme/widget", api_url=github_emulator.url, auth_token=ADMIN_TOKEN)
    write = Write(f"{method.lower()} {the_item(template)}", Request(method, path, template, None))
    with pytest.raises(RepokitError) as caught:
        github.send(write.description, method, path)
    told = failed_write(caught.value, ["PATCH repository: description"], [write])
    text = told.message
    assert "\n" not in text and told.hint
    assert the_item(template) in text
    assert "not found (or the token cannot see it)" not in text
    assert "access was lost" not in text
    assert "applied: PATCH repository: description" in text
    github_emulator.faults.clear()
