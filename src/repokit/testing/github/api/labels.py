"""A repository's labels and milestones."""

from __future__ import annotations

import re

from repokit.testing.github import render_items as render
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
from repokit.testing.github.routing import ApiRequest, ApiResponse
from repokit.testing.github.state import GitHubState, Label, Milestone, Repository, now_iso

_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")


def list_labels(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    return paginate(request, [render.label(request.root, repo, item) for item in repo.labels])


def create_label(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    body = request.json_object()
    name = str(body.get("name") or "")
    if _label(repo, name) is not None:
        raise validation_failed("Label", "name", "already_exists")
    color = _color(body.get("color"), "c0c0c0")
    label = Label(state.new_id(), name, color, body.get("description"))
    repo.labels.append(label)
    return ok(render.label(request.root, repo, label), 201)


def update_label(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    label = _label(repo, request.params["name"])
    if label is None:
        raise not_found()
    body = request.json_object()
    new_name = body.get("new_name")
    if new_name and new_name.lower() != label.name.lower() and _label(repo, new_name):
        raise validation_failed("Label", "name", "already_exists")
    label.name = str(new_name or label.name)
    label.color = _color(body.get("color"), label.color)
    if "description" in body:
        label.description = body["description"]
    return ok(render.label(request.root, repo, label))


def delete_label(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    label = _label(repo, request.params["name"])
    if label is None:
        raise not_found()
    repo.labels.remove(label)
    return no_content()


def _label(repo: Repository, name: str) -> Label | None:
    return next((item for item in repo.labels if item.name.lower() == name.lower()), None)


def _color(value: object, default: str) -> str:
    if value is None:
        return default
    text = str(value).lstrip("#")
    if not _COLOR.match(text):
        raise validation_failed("Label", "color", "invalid")
    return text.lower()


def list_milestones(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    wanted = request.query_value("state") or "open"
    items = [m for m in repo.milestones if wanted == "all" or m.state == wanted]
    return paginate(request, [render.milestone(request.root, state, repo, m) for m in items])


def create_milestone(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    body = request.json_object()
    title = str(body.get("title") or "")
    if any(m.title == title for m in repo.milestones):
        raise validation_failed("Milestone", "title", "already_exists")
    number = max((m.number for m in repo.milestones), default=0) + 1
    milestone = Milestone(state.new_id(), number, title, request.login)
    _update(milestone, body)
    repo.milestones.append(milestone)
    return ok(render.milestone(request.root, state, repo, milestone), 201)


def update_milestone(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    milestone = _milestone(repo, request.params["milestone_number"])
    _update(milestone, request.json_object())
    return ok(render.milestone(request.root, state, repo, milestone))


def delete_milestone(state: GitHubState, request: ApiRequest) -> ApiResponse:
    repo = visible_repo(state, request)
    require(state, request, repo, "push", PUSH_REQUIRED)
    repo.milestones.remove(_milestone(repo, request.params["milestone_number"]))
    return no_content()


def _milestone(repo: Repository, number: str) -> Milestone:
    found = next((m for m in repo.milestones if str(m.number) == number), None)
    if found is None:
        raise not_found()
    return found


def _update(milestone: Milestone, body: dict[str, object]) -> None:
    if body.get("title"):
        milestone.title = str(body["title"])
    if body.get("state"):
        milestone.state = str(body["state"])
    if "description" in body:
        milestone.description = None if body["description"] is None else str(body["description"])
    if "due_on" in body:
        due = body["due_on"]
        # GitHub keeps the day of a due date
        milestone.due_on = f"{str(due)[:10]}T07:00:00Z" if due else None
    milestone.updated_at = now_iso()
