"""One reconciler per list section: desired items against live ones, the requests to send.

Each section compares only the fields the file gives; an item the file does not list is
kept and shown as unmanaged, and removed only when the section (or the command) prunes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from repokit.governance.plan import Change, Request
from repokit.governance.sections import Item, ItemList, level
from repokit.governance.text import one_line

Live = Mapping[str, Any]
LiveItems = Sequence[Live]


def quoted(text: str) -> str:
    return quote(text, safe="")


@dataclass(frozen=True)
class Reconciler:
    """How one section reads, compares and writes its items."""

    section: str
    #: (collection path, its template): where the live items are listed and created.
    collection: str
    #: The live item's key.
    live_key: Callable[[Live], str]
    #: The live item's fields, in the file's terms.
    live_fields: Callable[[Live], dict[str, Any]]
    #: The desired fields, normalised for comparison and writing.
    desired_fields: Callable[[Item], dict[str, Any]]
    create: Callable[[str, str, Item], Request]
    #: One request, or several where GitHub has no update (an autolink is replaced).
    update: Callable[[str, Live, Item], Request | list[Request]]
    delete: Callable[[str, Live], Request]
    case_insensitive: bool = False
    #: Whether a live value is what the file asks for (equality unless said otherwise).
    same: Callable[[Any, Any], bool] = lambda live, want: bool(live == want)


@dataclass
class SectionPlan:
    changes: list[Change]
    #: (what it does, the request, the line of the item in the file; 0 for a pruned one)
    writes: list[tuple[str, Request, int]]
    unmanaged: list[str]


def plan_items(
    reconciler: Reconciler, repo: str, desired: ItemList, live: LiveItems, *, prune: bool
) -> SectionPlan:
    """The changes and requests that make ``live`` hold ``desired``."""
    fold: Callable[[str], str] = str.lower if reconciler.case_insensitive else str
    by_key = {fold(reconciler.live_key(item)): item for item in live}
    result = SectionPlan([], [], [])
    claimed: set[str] = set()
    name = reconciler.section
    for item in desired.items:
        want = reconciler.desired_fields(item)
        # the name it should have first, then the names it may have today (a rename)
        names = [str(n) for n in want.pop("_names", [item.key])]
        target = names[0]
        current = next((by_key[fold(n)] for n in names if fold(n) in by_key), None)
        if current is None:
            result.changes.append(Change(name, target, "absent", _text(want) or "present"))
            request = reconciler.create(repo, target, item)
            result.writes.append((f"create {name} {target}", request, item.line))
            claimed.add(fold(target))
            continue
        live_name = reconciler.live_key(current)
        claimed.add(fold(live_name))
        have = {**reconciler.live_fields(current), "name": live_name}
        if fold(live_name) != fold(target):
            want["name"] = target
        differ = {k: v for k, v in want.items() if not reconciler.same(have.get(k), v)}
        for key, value in differ.items():
            result.changes.append(Change(name, f"{target}.{key}", have.get(key), value))
        if differ:
            update = reconciler.update(repo, current, item)
            for request in update if isinstance(update, list) else [update]:
                result.writes.append((f"update {name} {target}", request, item.line))
    for key, current in by_key.items():
        if key in claimed:
            continue
        shown = one_line(reconciler.live_key(current))  # a name from GitHub: printed as is
        if prune or desired.prune:
            result.changes.append(Change(name, shown, "present", "absent (pruned)"))
            result.writes.append((f"delete {name} {shown}", reconciler.delete(repo, current), 0))
        else:
            result.unmanaged.append(shown)
    return result


def _text(fields: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in fields.items() if v is not None)


# --- labels ------------------------------------------------------------------------------


def _color(value: Any) -> str | None:
    if value is None:
        return None
    color = str(value).strip().lstrip("#").lower()
    if len(color) == 3:  # the shorthand, as GitHub stores it: "fff" is "ffffff"
        return "".join(digit * 2 for digit in color)
    return color.zfill(6)


def _label_wanted(item: Item) -> dict[str, Any]:
    want: dict[str, Any] = {}
    if "color" in item.fields and item.fields["color"] is not None:
        want["color"] = _color(item.fields["color"])
    if "description" in item.fields:
        want["description"] = item.fields["description"] or ""
    want["_names"] = [
        n for n in (item.fields.get("new_name"), item.key, item.fields.get("oldname")) if n
    ]
    return want


def _label_target(item: Item) -> str:
    return str(item.fields.get("new_name") or item.key)


def _label_body(item: Item) -> dict[str, Any]:
    body: dict[str, Any] = {}
    wanted = _label_wanted(item)
    wanted.pop("_names", None)
    body.update(wanted)
    return body


LABELS = Reconciler(
    section="labels",
    collection="labels",
    live_key=lambda live: str(live["name"]),
    live_fields=lambda live: {
        "color": _color(live.get("color")),
        "description": live.get("description") or "",
    },
    desired_fields=_label_wanted,
    create=lambda repo, key, item: Request(
        "POST",
        f"/repos/{repo}/labels",
        "/repos/{owner}/{repo}/labels",
        {"name": _label_target(item), **_label_body(item)},
    ),
    update=lambda repo, live, item: Request(
        "PATCH",
        f"/repos/{repo}/labels/{quoted(str(live['name']))}",
        "/repos/{owner}/{repo}/labels/{name}",
        {
            **_label_body(item),
            **(
                {"new_name": _label_target(item)}
                if str(live["name"]) != _label_target(item)
                else {}
            ),
        },
    ),
    delete=lambda repo, live: Request(
        "DELETE",
        f"/repos/{repo}/labels/{quoted(str(live['name']))}",
        "/repos/{owner}/{repo}/labels/{name}",
    ),
    case_insensitive=True,
)

# --- milestones ----------------------------------------------------------------------------


def _milestone_wanted(item: Item) -> dict[str, Any]:
    want: dict[str, Any] = {}
    if "description" in item.fields:
        want["description"] = item.fields["description"] or ""
    if item.fields.get("state"):
        want["state"] = item.fields["state"]
    if "due_on" in item.fields:
        due = item.fields["due_on"]
        want["due_on"] = str(due)[:10] if due else None
    return want


def _milestone_body(item: Item) -> dict[str, Any]:
    body = _milestone_wanted(item)
    if body.get("due_on"):
        body["due_on"] = f"{body['due_on']}T00:00:00Z"
    return body


MILESTONES = Reconciler(
    section="milestones",
    collection="milestones",
    live_key=lambda live: str(live["title"]),
    live_fields=lambda live: {
        "description": live.get("description") or "",
        "state": live.get("state"),
        "due_on": str(live["due_on"])[:10] if live.get("due_on") else None,
    },
    desired_fields=_milestone_wanted,
    create=lambda repo, key, item: Request(
        "POST",
        f"/repos/{repo}/milestones",
        "/repos/{owner}/{repo}/milestones",
        {"title": key, **_milestone_body(item)},
    ),
    update=lambda repo, live, item: Request(
        "PATCH",
        f"/repos/{repo}/milestones/{live['number']}",
        "/repos/{owner}/{repo}/milestones/{milestone_number}",
        _milestone_body(item),
    ),
    delete=lambda repo, live: Request(
        "DELETE",
        f"/repos/{repo}/milestones/{live['number']}",
        "/repos/{owner}/{repo}/milestones/{milestone_number}",
    ),
)

# --- collaborators and teams ---------------------------------------------------------------


def _permission_wanted(item: Item) -> dict[str, Any]:
    permission = level(item.fields.get("permission"))
    return {"permission": permission} if permission else {}


def _live_permission(live: Live) -> dict[str, Any]:
    """A collaborator's, invitation's or team's level, from whichever field GitHub gives."""
    words = {"read": "pull", "write": "push"}
    value = live.get("permission") or live.get("role_name") or live.get("permissions")
    if isinstance(value, Mapping):
        value = next(
            (p for p in reversed(("pull", "triage", "push", "maintain", "admin")) if value.get(p)),
            None,
        )
    return {"permission": words.get(str(value), value) if value else None}


COLLABORATORS = Reconciler(
    section="collaborators",
    collection="collaborators",
    live_key=lambda live: str(live["login"]),
    live_fields=_live_permission,
    desired_fields=_permission_wanted,
    create=lambda repo, key, item: Request(
        "PUT",
        f"/repos/{repo}/collaborators/{quoted(key)}",
        "/repos/{owner}/{repo}/collaborators/{username}",
        {"permission": level(item.fields.get("permission")) or "push"},
    ),
    update=lambda repo, live, item: Request(
        "PUT",
        f"/repos/{repo}/collaborators/{quoted(str(live['login']))}",
        "/repos/{owner}/{repo}/collaborators/{username}",
        {"permission": level(item.fields.get("permission")) or "push"},
    ),
    delete=lambda repo, live: Request(
        "DELETE",
        f"/repos/{repo}/collaborators/{quoted(str(live['login']))}",
        "/repos/{owner}/{repo}/collaborators/{username}",
    ),
    case_insensitive=True,
)


def _team_path(repo: str, slug: str) -> str:
    owner = repo.split("/", 1)[0]
    return f"/orgs/{quoted(owner)}/teams/{quoted(slug)}/repos/{repo}"


_TEAM_TEMPLATE = "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"

TEAMS = Reconciler(
    section="teams",
    collection="teams",
    live_key=lambda live: str(live["slug"]),
    live_fields=_live_permission,
    desired_fields=_permission_wanted,
    create=lambda repo, key, item: Request(
        "PUT",
        _team_path(repo, key),
        _TEAM_TEMPLATE,
        {"permission": level(item.fields.get("permission")) or "push"},
    ),
    update=lambda repo, live, item: Request(
        "PUT",
        _team_path(repo, str(live["slug"])),
        _TEAM_TEMPLATE,
        {"permission": level(item.fields.get("permission")) or "push"},
    ),
    delete=lambda repo, live: Request(
        "DELETE", _team_path(repo, str(live["slug"])), _TEAM_TEMPLATE
    ),
    case_insensitive=True,
)

RECONCILERS: dict[str, Reconciler] = {
    r.section: r for r in (LABELS, MILESTONES, COLLABORATORS, TEAMS)
}
