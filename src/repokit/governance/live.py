"""The live state of a repository in governance's model, read through repokit.github.

Only what the file uses is read: the repository (which carries its topics and
security_and_analysis), each listed branch's protection (which carries its required
signatures), one listing per item section, one request per security toggle, and the
deployment patterns of the environments whose patterns the file lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from repokit.governance.model import SECURITY_TOGGLES
from repokit.governance.plan import LiveBranch, normalize_protection

if TYPE_CHECKING:
    from repokit.github import GitHub


@dataclass(frozen=True)
class LiveState:
    repository: Mapping[str, Any]
    topics: list[str]
    branches: Mapping[str, LiveBranch]
    items: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    security: Mapping[str, bool] = field(default_factory=dict)
    #: The deployment patterns of the environments whose patterns the file lists.
    patterns: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)


def live_branch(data: Mapping[str, Any] | None) -> LiveBranch:
    """GET protection's answer (None: not protected) as a :class:`LiveBranch`."""
    if data is None:
        return LiveBranch(protection=None, required_signatures=False)
    signatures = data.get("required_signatures")
    enabled = bool(signatures.get("enabled")) if isinstance(signatures, Mapping) else False
    return LiveBranch(protection=normalize_protection(data), required_signatures=enabled)


def read(
    github: GitHub,
    branches: list[str],
    sections: Iterable[str] = (),
    toggles: Iterable[str] = (),
    *,
    rulesets: Iterable[str] = (),
    patterns: Iterable[str] = (),
) -> LiveState:
    """The repository, its topics, the protection of ``branches`` and the named sections
    (with the rules of the ``rulesets`` and the deployment ``patterns`` of the environments
    named)."""
    from repokit.governance import deployment_patterns

    raw = github.repo.raw_data
    items: dict[str, list[dict[str, Any]]] = {}
    for section in sections:
        items[section] = read_section(github, section)
    if "rulesets" in items:
        # the listing is a summary: the rules of the rulesets the file names are read one by one
        wanted = set(rulesets)
        items["rulesets"] = [
            (
                github.send(
                    f"read ruleset {r['name']}", "GET", f"/repos/{github.slug}/rulesets/{r['id']}"
                )
                if r.get("name") in wanted
                else r
            )
            for r in items["rulesets"]
        ]
    security = {name: toggle(github, name) for name in toggles}
    environments = items.get("environments", [])
    live_patterns = deployment_patterns.read_live(github, environments, patterns)
    return LiveState(
        repository=raw,
        topics=list(raw.get("topics") or []),
        branches={name: live_branch(github.protection(name)) for name in branches},
        items=items,
        security=security,
        patterns=live_patterns,
    )


def toggle(github: GitHub, name: str) -> bool:
    """Whether a security toggle (``enable_vulnerability_alerts``, ...) is on."""
    path = f"/repos/{github.slug}/{SECURITY_TOGGLES[name]}"
    shown = github.repo.raw_data.get("security_and_analysis")
    fixes = shown.get("dependabot_security_updates") if isinstance(shown, Mapping) else None
    if name == "enable_automated_security_fixes" and isinstance(fixes, Mapping):
        return fixes.get("status") == "enabled"  # the repository shows it to admins: no request
    if name == "enable_automated_security_fixes":
        answer = github.read_or_none(f"read {name}", path)  # 404: vulnerability alerts are off
        return bool(answer.get("enabled")) if isinstance(answer, Mapping) else False
    return github.enabled(f"read {name}", path)


def read_section(github: GitHub, section: str) -> list[dict[str, Any]]:
    slug = github.slug
    what = f"read the {section}"
    if section == "environments":
        answer = github.send(what, "GET", f"/repos/{slug}/environments?per_page=100")
        return list(answer.get("environments") or []) if isinstance(answer, Mapping) else []
    if section == "milestones":
        return github.list_all(what, f"/repos/{slug}/milestones", state="all")
    if section == "collaborators":
        people = github.list_all(what, f"/repos/{slug}/collaborators", affiliation="direct")
        invited = github.list_all("read the invitations", f"/repos/{slug}/invitations")
        # an invitation not yet accepted counts: asking again would only send another
        return people + [
            {"login": i["invitee"]["login"], "permission": i.get("permissions")}
            for i in invited
            if isinstance(i.get("invitee"), Mapping)
        ]
    if section == "rulesets":
        return github.list_all(what, f"/repos/{slug}/rulesets", includes_parents="false")
    return github.list_all(what, f"/repos/{slug}/{section}")
