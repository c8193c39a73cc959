"""Labels, milestones, collaborators, invitations and teams in GitHub's response shapes."""

from __future__ import annotations

from typing import Any

from repokit.testing.github import render
from repokit.testing.github.state import (
    Account,
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
        "default": False,
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
