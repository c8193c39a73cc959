"""``inv governance.export``: the live repository as a settings file, every section.

It is how an admin adopts repokit on an existing repository: the file written, applied
right away, is "no changes". What the token cannot read becomes a comment, not a guess.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from repokit import github_defaults as defaults
from repokit.errors import GitHubError
from repokit.governance import deployment_patterns
from repokit.governance.deployments import AUTOLINKS, ENVIRONMENTS
from repokit.governance.live import live_branch, read_section, toggle
from repokit.governance.model import REPOSITORY_FIELDS, SECURITY_TOGGLES, CodeownersRule

if TYPE_CHECKING:
    from repokit.github import GitHub

#: Repository fields not exported: the repository's own state, not a setting to hold.
_NOT_EXPORTED = {"archived", "security_and_analysis", "private"}


def export(
    github: GitHub, codeowners: Sequence[CodeownersRule] = (), codeowners_source: str = ""
) -> str:
    """The settings file (YAML text) that describes ``github``'s repository as it is.

    What is at GitHub's default (a new repository's settings and labels, a protection flag
    off, an empty section) is left out: a file applies only what it names, so the file
    says what was chosen and still changes nothing. ``codeowners`` are the rules of the
    checkout's CODEOWNERS (read from ``codeowners_source``), kept in the file.
    """
    data: dict[str, Any] = {}
    unread: list[str] = []
    raw = github.repo.raw_data
    repository = {
        k: raw[k]
        for k in REPOSITORY_FIELDS
        if k in raw and k not in _NOT_EXPORTED and not _at_default(raw[k], defaults.REPOSITORY, k)
    }
    if raw.get("topics"):
        repository["topics"] = list(raw["topics"])
    for name in SECURITY_TOGGLES:
        try:
            value = toggle(github, name)
        except GitHubError as error:
            unread.append(f"repository.{name}: {error.message}")
            continue
        if not _at_default(value, defaults.SECURITY_TOGGLES, name):
            repository[name] = value
    if repository:
        data["repository"] = repository
    branches = _branches(github, unread)
    if branches:
        data["branches"] = branches
    for section, convert in (
        ("labels", _label),
        ("milestones", _milestone),
        ("collaborators", _collaborator),
        ("teams", _team),
        ("environments", None),
        ("autolinks", _autolink),
        ("rulesets", None),
    ):
        try:
            items = _items(github, section)
        except GitHubError as error:
            unread.append(f"{section}: {error.message}")
            continue
        if not items or (section == "labels" and _default_labels(items)):
            continue
        if section == "rulesets":
            data[section] = [_ruleset(github, item) for item in items]
        elif section == "environments":
            data[section] = [_environment(github, item, unread) for item in items]
        elif convert is not None:
            data[section] = [convert(item) for item in items]
    if codeowners:
        data["codeowners"] = [{"pattern": r.pattern, "owners": list(r.owners)} for r in codeowners]
    return _render(data, unread, github.slug, codeowners_source)


def _at_default(value: Any, table: Mapping[str, Any], key: str) -> bool:
    """Whether ``value`` is what GitHub gives a new repository (or empty: nothing chosen)."""
    return value is None or value == "" or (key in table and value == table[key])


def _default_labels(items: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the labels are exactly GitHub's nine of a new repository."""
    have = {(i.get("name"), str(i.get("color")).lower(), i.get("description") or "") for i in items}
    return have == set(defaults.LABELS)


def _items(github: GitHub, section: str) -> list[dict[str, Any]]:
    if section == "collaborators":  # direct collaborators only, invitations included
        return read_section(github, section)
    if section == "teams" and github.repo.raw_data.get("owner", {}).get("type") != "Organization":
        return []
    return read_section(github, section)


def _branches(github: GitHub, unread: list[str]) -> list[dict[str, Any]]:
    try:
        listed = github.list_all(
            "list the protected branches", f"/repos/{github.slug}/branches", protected="true"
        )
    except GitHubError as error:
        unread.append(f"branches: {error.message}")
        return []
    result = []
    for entry in listed:
        name = str(entry["name"])
        live = live_branch(github.protection(name))
        if live.protection is None:
            continue
        protection = dict(live.protection)
        status = protection.get("required_status_checks")
        if isinstance(status, Mapping):
            checks = list(status.get("checks") or [])
            if all(c.get("app_id") is None for c in checks):
                protection["required_status_checks"] = {
                    "strict": status.get("strict"),
                    "contexts": [c["context"] for c in checks],
                }
        protection["required_signatures"] = live.required_signatures
        result.append({"name": name, "protection": _chosen(protection)})
    return result


def _chosen(protection: Mapping[str, Any]) -> dict[str, Any]:
    """The protection without what is off (a flag false, a part null): that is GitHub's
    default, and the file keeps a setting it leaves out. Never empty: ``protection: {}``
    would remove the protection."""
    chosen = {k: v for k, v in protection.items() if v not in (None, False)}
    return chosen or {"enforce_admins": False}


def _label(live: Mapping[str, Any]) -> dict[str, Any]:
    item = {"name": live["name"], "color": str(live.get("color") or "")}
    if live.get("description"):
        item["description"] = live["description"]
    return item


def _milestone(live: Mapping[str, Any]) -> dict[str, Any]:
    item = {"title": live["title"], "state": live.get("state")}
    if live.get("description"):
        item["description"] = live["description"]
    if live.get("due_on"):
        item["due_on"] = str(live["due_on"])[:10]
    return item


def _collaborator(live: Mapping[str, Any]) -> dict[str, Any]:
    from repokit.governance.items import COLLABORATORS

    return {"username": live["login"], **COLLABORATORS.live_fields(live)}


def _team(live: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": live["slug"], "permission": live.get("permission")}


#: An environment as GitHub creates it: no wait, no reviewers, any branch may deploy.
_NEW_ENVIRONMENT = {"wait_timer": 0, "prevent_self_review": False, "reviewers": []}


def _environment(github: GitHub, live: Mapping[str, Any], unread: list[str]) -> dict[str, Any]:
    fields = {
        k: v
        for k, v in ENVIRONMENTS.live_fields(live).items()
        if not _at_default(v, _NEW_ENVIRONMENT, k)
    }
    try:
        fields["deployment_branch_policy"] = deployment_patterns.exported(github, live)
    except GitHubError as error:  # the flags are exported; the patterns stay as they are
        unread.append(f"environments.{live['name']} deployment patterns: {error.message}")
    return {"name": live["name"], **fields}


def _autolink(live: Mapping[str, Any]) -> dict[str, Any]:
    return {"key_prefix": live["key_prefix"], **AUTOLINKS.live_fields(live)}


def _ruleset(github: GitHub, summary: Mapping[str, Any]) -> dict[str, Any]:
    detail = github.send(
        f"read ruleset {summary['name']}", "GET", f"/repos/{github.slug}/rulesets/{summary['id']}"
    )
    keys = ("name", "target", "enforcement", "bypass_actors", "conditions", "rules")
    return {k: detail[k] for k in keys if detail.get(k) is not None}


def _render(data: Mapping[str, Any], unread: list[str], slug: str, codeowners: str) -> str:
    from ruamel.yaml import YAML

    out = io.StringIO()
    out.write(f"# The settings of {slug}, exported by 'inv governance.export'.\n")
    out.write("# Applied as it is, this file changes nothing; edit it, then 'inv governance'.\n")
    out.write("# Left out: what is at GitHub's default (a setting left out keeps its value).\n")
    if "codeowners" in data:
        out.write(f"# codeowners: imported from {codeowners}; 'inv codeowners' writes it back.\n")
    for problem in unread:
        out.write(f"# not exported (could not be read): {problem}\n")
    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 100
    if not data:
        out.write("# Every setting is at GitHub's default: nothing to hold yet.\n")
        return out.getvalue()
    yaml.dump(_plain(data), out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
