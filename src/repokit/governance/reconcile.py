"""Governance as a reconcile: desired state -> live state -> changes -> apply -> read back.

Required status checks can come from the workflows (``from_workflows``). A required check
that would never report on a pull request into the branch (its workflow runs only by hand,
or filters the branch or paths out) would block every pull request, so it is refused
unless the user says otherwise. Every request body is checked against GitHub's schema, and
a plan that locks everyone out of a branch is refused, before the first write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, unquote

from repokit.config import Config
from repokit.errors import GitHubError, RepokitError
from repokit.github import GitHub
from repokit.governance.deployment_patterns import managed
from repokit.governance.deployment_patterns import plan as plan_patterns
from repokit.governance.deployments import AUTOLINKS, ENVIRONMENTS
from repokit.governance.guards import (
    access_lockout,
    lockout_reason,
    review_lockout,
    ruleset_lockout,
    ruleset_reviews,
)
from repokit.governance.items import RECONCILERS as ITEM_RECONCILERS
from repokit.governance.items import Reconciler, SectionPlan, plan_items
from repokit.governance.live import LiveState, read
from repokit.governance.model import SECURITY_TOGGLES, Settings
from repokit.governance.plan import (
    Change,
    DesiredBranch,
    Request,
    branch_changes,
    desired_write_shape,
    first_difference,
    merged_protection,
    put_body,
    repository_changes,
    topic_changes,
)
from repokit.governance.rulesets import RULESETS, resolved
from repokit.governance.text import one_line

RECONCILERS: dict[str, Reconciler] = {
    **ITEM_RECONCILERS,
    "environments": ENVIRONMENTS,
    "autolinks": AUTOLINKS,
    "rulesets": RULESETS,
}
SECTIONS = ("repository", "branches", *RECONCILERS)


class GovernanceError(RepokitError):
    """The desired state cannot be applied as written."""


@dataclass
class Write:
    """One write request: what it does, and the request as data."""

    description: str
    request: Request
    #: Where the file asks for it (0: the file as a whole).
    line: int = 0


@dataclass
class Reconcile:
    settings: Settings
    desired: dict[str, DesiredBranch]
    warnings: list[str] = field(default_factory=list)
    live: LiveState | None = None
    changes: list[Change] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    #: Items on GitHub the file does not list, per section (kept unless pruned).
    unmanaged: dict[str, list[str]] = field(default_factory=dict)
    #: Branches whose protection would lock everyone out, with the reason.
    lockouts: list[str] = field(default_factory=list)


def desired_branches(
    settings: Settings,
    config: Config,
    *,
    only: str | None = None,
    allow_unreported: bool = False,
) -> tuple[dict[str, DesiredBranch], list[str]]:
    """Each branch's protection in write shape, required checks resolved from the workflows."""
    desired: dict[str, DesiredBranch] = {}
    warnings: list[str] = []
    rules = [r for r in settings.branches if only is None or r.name == only]
    if only is not None and not rules:
        msg = f"{settings.path}: no branches entry for {only}"
        raise GovernanceError(msg, hint=f"add '- name: {only}' with its protection under branches:")
    for rule in rules:
        if rule.delete:
            desired[rule.name] = DesiredBranch(rule.name, {}, None, delete=True)
            continue
        status = rule.protection.get("required_status_checks")
        names: list[str] | None = None
        if isinstance(status, Mapping) and status.get("from_workflows"):
            names, said = workflow_checks(
                config, status["from_workflows"], rule.name, allow_unreported
            )
            warnings += said
        desired[rule.name] = DesiredBranch(
            name=rule.name,
            protection=desired_write_shape(rule.protection, names),
            required_signatures=rule.protection.get("required_signatures"),
        )
    return desired, warnings


def resolve_rulesets(
    settings: Settings, config: Config, *, allow_unreported: bool = False
) -> tuple[Settings, list[str]]:
    """The settings with each ruleset's ``from_workflows`` replaced by the checks it names."""
    import dataclasses

    if "rulesets" not in settings.sections:
        return settings, []
    warnings: list[str] = []

    def resolve(files: Any, branch: str) -> list[str]:
        names, said = workflow_checks(config, files, branch, allow_unreported)
        warnings.extend(said)
        return names

    items = resolved(settings.sections["rulesets"], resolve, config.branch)
    sections = {**settings.sections, "rulesets": items}
    return dataclasses.replace(settings, sections=sections), warnings


def workflow_checks(
    config: Config, files: Any, branch: str, allow_unreported: bool
) -> tuple[list[str], list[str]]:
    """The check names the workflows report (``from_workflows``), and the warnings.

    A check that cannot be named statically is refused; one that would never report on a
    pull request into ``branch`` too, unless ``allow_unreported``.
    """
    from repokit.ci.checks import checks

    directory = config.root / config.workflows_dir
    found = checks(directory, None if files is True else list(files), branch=branch)
    unresolved = [c for c in found if not c.resolved]
    if unresolved:
        first = unresolved[0]
        msg = f"required check of {first.workflow} cannot be named statically: {first.reason}"
        raise GovernanceError(msg, hint="give that job a plain name:, or list checks: by hand")
    warnings: list[str] = []
    silent = [c for c in found if not c.reports_on_pull_requests]
    if silent:
        workflow = silent[0].workflow
        names_text = ", ".join(c.name for c in silent)
        msg = (
            f"required checks {names_text} would never report on pull requests into "
            f"{branch}: {silent[0].reason}"
        )
        if not allow_unreported:
            from repokit.governance.check_hints import unreported_hint

            reporting = sorted({c.workflow for c in found if c.reports_on_pull_requests})
            text = (directory / workflow).read_text(encoding="utf-8", errors="replace")
            hint = unreported_hint(workflow, text, silent[0].triggers, reporting)
            raise GovernanceError(msg, hint=hint)
        warnings.append(msg)
    return list(dict.fromkeys(c.name for c in found)), warnings


def plan(
    settings: Settings,
    desired: dict[str, DesiredBranch],
    github: GitHub,
    *,
    sections: tuple[str, ...] = SECTIONS,
    prune: bool = False,
    check_reports: bool = True,
) -> Reconcile:
    """Read the live state and compute the changes and the write requests that make them."""
    if DEFAULT_BRANCH in desired and "branches" in sections:
        desired = on_default_branch(settings, desired, github.repo.raw_data["default_branch"])
    result = Reconcile(settings=settings, desired=desired)
    slug = github.slug
    branches = list(desired) if "branches" in sections else []
    item_sections = [s for s in RECONCILERS if s in sections and s in settings.sections]
    toggles = list(settings.security) if "repository" in sections else []
    if settings.security.get("enable_automated_security_fixes") and toggles:
        toggles = list(dict.fromkeys(["enable_vulnerability_alerts", *toggles]))
    if (
        "teams" in item_sections
        and github.repo.raw_data.get("owner", {}).get("type") != "Organization"
    ):
        if settings.sections["teams"].items:
            msg = f"{settings.path}: teams: {slug} belongs to a user, and only an organization"
            msg += " has teams"
            raise GovernanceError(msg, hint="remove teams: from the file (or move the repository)")
        item_sections.remove("teams")  # none listed, and a user's repository has none
    wanted = settings.sections["rulesets"].keys() if "rulesets" in item_sections else []
    environments = settings.sections.get("environments")
    patterns = managed(environments) if environments and "environments" in item_sections else []
    live = read(github, branches, item_sections, toggles, rulesets=wanted, patterns=patterns)
    result.live = live
    if "repository" in sections:
        refuse_fixes_without_alerts(settings, live.security)
        _plan_repository(result, settings, live, slug)
    for name in branches:
        _plan_branch(result, github, name, desired[name], live, check_reports)
    for section in item_sections:
        found = plan_items(
            RECONCILERS[section], slug, settings.sections[section], live.items[section], prune=prune
        )
        _add(result, section, found)
        if section == "environments":  # the patterns once their environments are written
            found = plan_patterns(slug, settings.sections[section], live.patterns, prune=prune)
            _add(result, "deployment patterns", found)
    _find_lockouts(result, github)
    return result


#: safe-settings' name for the repository's default branch, whatever it is called.
DEFAULT_BRANCH = "default"


def on_default_branch(
    settings: Settings, desired: dict[str, DesiredBranch], default: str
) -> dict[str, DesiredBranch]:
    """``desired`` with safe-settings' branch ``default`` under the default branch's name."""
    if default in desired and default != DEFAULT_BRANCH:
        msg = (
            f"{settings.path}:{_line(settings, DEFAULT_BRANCH)}: branches: 'default' and "
            f"{default!r} both name the default branch of this repository"
        )
        raise GovernanceError(msg, hint="keep one of the two entries")
    return {
        (default if name == DEFAULT_BRANCH else name): (
            replace(want, name=default) if name == DEFAULT_BRANCH else want
        )
        for name, want in desired.items()
    }


def _find_lockouts(result: Reconcile, github: GitHub) -> None:
    """Rulesets that block the default branch for everyone, and collaborator writes that
    take the applying admin's own access away (the protections were checked with their
    branch)."""
    default = str(github.repo.raw_data.get("default_branch") or "main")
    for write in result.writes:
        request = write.request
        if request.operation.startswith("/repos/{owner}/{repo}/rulesets") and isinstance(
            request.body, Mapping
        ):
            reason = ruleset_lockout(request.body, default)
            needed = ruleset_reviews(request.body, default)
            if reason is None and needed and needed > github.pushers():
                reason = (
                    f"it needs {needed} approving reviews on {default} and no one may bypass "
                    "it, with fewer accounts that may push: nothing could be merged"
                )
            if reason:
                result.lockouts.append(f"ruleset {request.body.get('name')}: {reason}")
    people = [
        (w.request.method, unquote(w.request.path.rsplit("/", 1)[-1]), w.request.body)
        for w in result.writes
        if w.request.operation == "/repos/{owner}/{repo}/collaborators/{username}"
    ]
    if people:
        reason = access_lockout(github.login(), people)
        if reason:
            result.lockouts.append(f"collaborators: {reason}")


def refuse_fixes_without_alerts(settings: Settings, live: Mapping[str, bool]) -> None:
    """GitHub answers 422 to turning on automated security fixes while vulnerability alerts
    are off: refused before any write, naming the setting that must come with it."""
    if not settings.security.get("enable_automated_security_fixes"):
        return
    alerts = settings.security.get("enable_vulnerability_alerts")
    if alerts is None:
        alerts = live.get("enable_vulnerability_alerts")
    if alerts:
        return
    line = settings.lines.get("repository.enable_automated_security_fixes", 0)
    where = f"{settings.path}:{line}" if line else str(settings.path)
    msg = (
        f"{where}: repository.enable_automated_security_fixes: true needs vulnerability alerts, "
        "which stay off (GitHub refuses it with 422)"
    )
    raise GovernanceError(
        msg, hint="add enable_vulnerability_alerts: true under repository:; nothing was changed"
    )


def _add(result: Reconcile, section: str, found: SectionPlan) -> None:
    result.changes += found.changes
    result.writes += [Write(text, request, line) for text, request, line in found.writes]
    if found.unmanaged:
        result.unmanaged[section] = found.unmanaged


def _plan_repository(result: Reconcile, settings: Settings, live: LiveState, slug: str) -> None:
    repo_changes = repository_changes(settings.repository, live.repository)
    result.changes += repo_changes
    if repo_changes:
        fields = {c.setting: c.desired for c in repo_changes}
        result.writes.append(
            Write(
                f"PATCH repository: {', '.join(fields)}",
                Request("PATCH", f"/repos/{slug}", "/repos/{owner}/{repo}", fields),
            )
        )
    topics = topic_changes(settings.topics, live.topics)
    result.changes += topics
    if topics:
        body = {"names": list(settings.topics or ())}
        result.writes.append(
            Write(
                "PUT topics",
                Request("PUT", f"/repos/{slug}/topics", "/repos/{owner}/{repo}/topics", body),
            )
        )
    for toggle in SECURITY_TOGGLES:  # alerts first: security fixes need them
        wanted = settings.security.get(toggle)
        if wanted is None or live.security.get(toggle) == wanted:
            continue
        endpoint = SECURITY_TOGGLES[toggle]
        result.changes.append(Change("repository", toggle, live.security.get(toggle), wanted))
        verb = "PUT" if wanted else "DELETE"
        result.writes.append(
            Write(
                f"{verb} {endpoint}",
                Request(verb, f"/repos/{slug}/{endpoint}", f"/repos/{{owner}}/{{repo}}/{endpoint}"),
            )
        )


def _plan_branch(
    result: Reconcile,
    github: GitHub,
    name: str,
    want: DesiredBranch,
    live: LiveState,
    check_reports: bool,
) -> None:
    slug = github.slug
    have = live.branches[name]
    path = f"/repos/{slug}/branches/{quote(name, safe='')}/protection"
    template = "/repos/{owner}/{repo}/branches/{branch}/protection"
    changes = branch_changes(want, have)
    result.changes += changes
    if want.delete:
        if changes:
            result.writes.append(
                Write(f"DELETE protection of {name}", Request("DELETE", path, template))
            )
        return
    protection_changed = any(c.setting != "required_signatures" for c in changes)
    if protection_changed:
        if check_reports:
            result.warnings += _unreported(github, name, want)
        body = merged_protection(have.protection, want.protection)
        reason = lockout_reason(body)
        if reason is None and review_lockout(body, 0) is not None:
            reason = review_lockout(body, github.pushers())  # only then worth a request
        if reason:
            result.lockouts.append(f"branch {name}: {reason}")
        result.writes.append(
            Write(
                f"PUT protection of {name}",
                Request("PUT", path, template, put_body(body)),
                _line(result.settings, name),
            )
        )
    signatures = want.required_signatures
    if signatures is not None and (signatures != have.required_signatures):
        verb = "POST" if signatures else "DELETE"
        result.writes.append(
            Write(
                f"{verb} required signatures of {name}",
                Request(verb, f"{path}/required_signatures", f"{template}/required_signatures"),
            )
        )


def _line(settings: Settings, branch: str) -> int:
    rule = settings.branch(branch)
    return rule.line if rule is not None else 0


def _unreported(github: GitHub, branch: str, want: DesiredBranch) -> list[str]:
    """Required checks that the branch's latest commit has not reported: a typo or a renamed
    job would block every pull request."""
    status = want.protection.get("required_status_checks")
    if not isinstance(status, Mapping) or not status.get("checks"):
        return []
    reported = github.reported_checks(branch)
    missing = [c["context"] for c in status["checks"] if c["context"] not in reported]
    if not missing:
        return []
    return [
        f"required check(s) {', '.join(missing)} have not reported on the latest commit of "
        f"{branch}; make sure they run before relying on them"
    ]


def apply(
    result: Reconcile,
    github: GitHub,
    progress: Callable[[str], None],
    sections: tuple[str, ...] = SECTIONS,
) -> list[str]:
    """Make the writes in order; on failure say what was applied and what was not.

    A write whose connection dropped before GitHub answered may have been carried out all
    the same: the live state is read back first, and the write counts as applied (and the
    apply goes on) when it shows there.
    """
    from repokit.governance.faults import failed_write

    applied: list[str] = []
    for index, write in enumerate(result.writes):
        progress(write.description)
        request = write.request
        try:
            github.send(write.description, request.method, request.path, request.body)
        except RepokitError as error:
            shown = None
            if getattr(error, "status", 0) is None:
                shown = _went_through(result, github, write, sections)
            if shown:
                progress(f"{write.description}: the connection dropped, but GitHub shows it done")
                applied.append(write.description)
                continue
            raise failed_write(error, applied, result.writes[index:], shown) from None
        applied.append(write.description)
    return applied


def _went_through(
    result: Reconcile, github: GitHub, write: Write, sections: tuple[str, ...]
) -> bool | None:
    """Whether GitHub now shows ``write`` as done: read back, it is no longer planned.

    None when the read-back itself fails: the write is then reported as unknown.
    """
    github.forget()
    try:
        again = plan(
            result.settings, result.desired, github, sections=sections, check_reports=False
        )
    except RepokitError:
        return None
    return all(other.description != write.description for other in again.writes)


def verify(
    result: Reconcile,
    github: GitHub,
    sections: tuple[str, ...] = SECTIONS,
    applied: list[str] | None = None,
) -> None:
    """Read the live state again; what was asked for must now be live."""
    github.forget()  # read the repository afresh
    try:
        again = plan(
            result.settings, result.desired, github, sections=sections, check_reports=False
        )
    except RepokitError as error:
        written = "; ".join(applied or []) or "nothing"
        msg = f"the writes went through ({written}), but reading them back failed: {error.message}"
        raise GitHubError(msg, hint="run 'inv drift' to compare again") from None
    if again.changes:
        left = "; ".join(mismatch(c) for c in again.changes)
        msg = f"GitHub does not show what was applied: {left}"
        raise GitHubError(
            msg, hint="a rule of the organisation may override it; check the repository settings"
        )


def mismatch(change: Change) -> str:
    """A read-back difference as its first differing field with both values, so that the
    two sides never print alike (a check's app id, not only its name)."""
    found = first_difference(change.live, change.desired)
    path, live, desired = found if found else ("", change.live, change.desired)
    setting = f"{change.setting}{path}"
    shown_live, shown_desired = show(live), show(desired)
    if shown_live == shown_desired:
        shown_live, shown_desired = json.dumps(live, default=str), json.dumps(desired, default=str)
    return f"{change.section} {setting}: GitHub shows {shown_live}, the file asks {shown_desired}"


def show(value: Any) -> str:
    """A compact, stable text for a setting's value in the plan table, on one line (any
    control character or line separator escaped: a value cannot spoof another line)."""
    return one_line(_shown(value))


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(
            isinstance(v, Mapping) and "context" in v for v in value
        ):
            return ", ".join(str(v["context"]) for v in value) or "[]"
        return json.dumps(value, sort_keys=True)
    return str(value)
