"""Labels, milestones, collaborators, invitations and teams in GitHub's response shapes."""

from __future__ import annotations

from typing import Any

from repokit.testing.github import render
from repokit.testing.github.state import (
    Account,
    Autolink,
    BranchPolicy,
    Environment,
    GitHubState,
    Invitation,
    Label,
    Milestone,
    Repository,
    Team,
)

JSON = dict[str, Any]


def label(root: str, repo: Repository, item: Label) -> JSON:
    return {
        "id": item.id,
        "node_id": f"LA_{item.id}",
        "url": f"{render.repo_api(root, repo)}/labels/{render.quote(item.name)}",
        "name": item.name,
        "description": item.description,
        "color": item.color,
        "default": item.default,
    }


def milestone(root: str, state: GitHubState, repo: Repository, item: Milestone) -> JSON:
    api = f"{render.repo_api(root, repo)}/milestones/{item.number}"
    creator = state.account(item.creator)
    return {
        "url": api,
        "html_url": f"{root}/{repo.owner}/{repo.name}/milestone/{item.number}",
        "labels_url": f"{api}/labels",
        "id": item.id,
        "node_id": f"MI_{item.id}",
        "number": item.number,
        "state": item.state,
        "title": item.title,
        "description": item.description,
        "creator": render.simple_user(root, creator) if creator else None,
        "open_issues": 0,
        "closed_issues": 0,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "closed_at": item.updated_at if item.state == "closed" else None,
        "due_on": item.due_on,
    }


def collaborator(root: str, account: Account, level: str) -> JSON:
    index = ("pull", "triage", "push", "maintain", "admin").index(level)
    permissions = {
        name: index >= rank
        for rank, name in enumerate(("pull", "triage", "push", "maintain", "admin"))
    }
    return {
        **render.simple_user(root, account),
        "permissions": permissions,
        "role_name": render.PERMISSION_ANSWER[level][1],
    }


def invitation(root: str, state: GitHubState, repo: Repository, item: Invitation) -> JSON:
    invitee = state.account(item.invitee)
    inviter = state.account(item.inviter)
    words = {"pull": "read", "push": "write"}
    return {
        "id": item.id,
        "node_id": f"RI_{item.id}",
        "repository": render.repository(root, state, repo, None),
        "invitee": render.simple_user(root, invitee) if invitee else None,
        "inviter": render.simple_user(root, inviter) if inviter else None,
        "permissions": words.get(item.permission, item.permission),
        "created_at": item.created_at,
        "url": f"{root}/user/repository_invitations/{item.id}",
        "html_url": f"{root}/{repo.owner}/{repo.name}/invitations",
    }


def team_with_permission(root: str, state: GitHubState, team: Team, level: str) -> JSON:
    return {**render.team_simple(root, state, team), "permission": level}


def autolink(item: Autolink) -> JSON:
    return {
        "id": item.id,
        "key_prefix": item.key_prefix,
        "url_template": item.url_template,
        "is_alphanumeric": item.is_alphanumeric,
    }


def environment_api(root: str, repo: Repository, item: Environment) -> str:
    return f"{render.repo_api(root, repo)}/environments/{render.quote(item.name)}"


def environment(root: str, state: GitHubState, repo: Repository, item: Environment) -> JSON:
    api = environment_api(root, repo, item)
    rules: list[JSON] = []
    if item.wait_timer:
        rules.append(_rule(item, 1, "wait_timer") | {"wait_timer": item.wait_timer})
    if item.reviewers:
        reviewers = [
            {"type": kind, "reviewer": _reviewer(root, state, kind, ident)}
            for kind, ident in item.reviewers
        ]
        rules.append(
            _rule(item, 2, "required_reviewers")
            | {"prevent_self_review": item.prevent_self_review, "reviewers": reviewers}
        )
    if item.deployment_branch_policy is not None:
        rules.append(_rule(item, 3, "branch_policy"))
    return {
        "id": item.id,
        "node_id": f"EN_{item.id}",
        "name": item.name,
        "url": api,
        "html_url": f"{root}/{repo.owner}/{repo.name}/settings/environments/{item.id}/edit",
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "protection_rules": rules,
        "deployment_branch_policy": item.deployment_branch_policy,
    }


def branch_policy(item: BranchPolicy) -> JSON:
    return {"id": item.id, "node_id": f"DBP_{item.id}", "name": item.name, "type": item.type}


def _rule(item: Environment, number: int, kind: str) -> JSON:
    ident = item.id * 10 + number
    return {"id": ident, "node_id": f"GA_{ident}", "type": kind}


def _reviewer(root: str, state: GitHubState, kind: str, ident: int) -> JSON:
    if kind == "Team":
        team = next(t for t in state.teams.values() if t.id == ident)
        return render.team_simple(root, state, team)
    account = next(a for a in state.accounts.values() if a.id == ident)
    return render.simple_user(root, account)
