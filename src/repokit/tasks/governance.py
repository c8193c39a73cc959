"""Governance as code: ``protect-main``, ``settings``, ``governance``, ``drift``.

``codeowners`` and ``governance.export`` live beside this module and register here; what
they share with it (the settings file, the options' help) is in ``_settings_file``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded
from repokit.tasks._settings_file import APPLY, COMMON, read_settings
from repokit.tasks.governance_codeowners import codeowners
from repokit.tasks.governance_export import export

if TYPE_CHECKING:
    from repokit.governance.reconcile import Reconcile


def _print_table(result: Reconcile) -> None:
    from repokit.governance.reconcile import show

    rows = [("setting", "live", "desired")]
    for change in result.changes:
        rows.append(
            (f"{change.section}: {change.setting}", show(change.live), show(change.desired))
        )
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(2)]
    for row in rows:
        print(f"  {row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}")


def _refuse_bad_requests(result: Reconcile) -> None:
    """Every body the plan would send, against GitHub's schema: all problems, before any write."""
    from repokit.errors import ConfigError
    from repokit.governance.schemas import body_problems, field_of

    settings = result.settings
    problems = []
    for write in result.writes:
        request = write.request
        for problem in body_problems(request.method, request.operation, request.body):
            line = write.line or settings.lines.get(f"repository.{field_of(problem)}", 0)
            where = f"{settings.path}:{line}" if line else str(settings.path)
            problems.append(f"{where}: {write.description}: {problem}")
    if problems:
        msg = (
            f"{result.settings.path}: GitHub would refuse {len(problems)} value(s):\n  "
            + "\n  ".join(problems)
        )
        raise ConfigError(msg, hint="fix them in the settings file; nothing was changed")


def _reconcile(
    sections: tuple[str, ...],
    *,
    branch: str | None,
    dry_run: bool,
    yes: bool,
    allow_unreported: bool,
    config_file: str | None,
    repo: str | None,
    prune: bool = False,
    allow_lockout: bool = False,
) -> None:
    from repokit.errors import PreflightError
    from repokit.github import GitHub, repository_slug, token_or_none
    from repokit.governance.guards import refuse_fork_event
    from repokit.governance.reconcile import (
        apply,
        desired_branches,
        plan,
        resolve_rulesets,
        show,
        verify,
    )

    config, settings = read_settings(config_file, repo)
    for note in settings.notes:
        print(f"note: {note}")
    desired, warnings = (
        desired_branches(settings, config, only=branch, allow_unreported=allow_unreported)
        if "branches" in sections
        else ({}, [])
    )
    if "rulesets" in sections:
        settings, said = resolve_rulesets(settings, config, allow_unreported=allow_unreported)
        warnings += said
    for warning in warnings:
        print(f"warning: {warning}")
    if dry_run and token_or_none() is None:
        print("no GitHub token: showing the desired state only (cannot compare with live)")
        for name, rule in desired.items():
            print(f"branch {name}:" + (" protection removed" if rule.delete else ""))
            for key, value in rule.protection.items():
                print(f"  {key}: {show(value)}")
            if rule.required_signatures is not None:
                print(f"  required_signatures: {show(rule.required_signatures)}")
        if "repository" in sections:
            for key, value in settings.repository.items():
                print(f"repository {key}: {show(value)}")
            if settings.topics is not None:
                print(f"topics: {', '.join(settings.topics)}")
            for toggle, wanted in settings.security.items():
                print(f"repository {toggle}: {show(wanted)}")
        for section, items in settings.sections.items():
            if section in sections:
                print(f"{section}: {', '.join(items.keys())}")
        return
    slug = repository_slug(config.root, repo, config.remote)
    github = GitHub(slug)
    result = plan(settings, desired, github, sections=sections, prune=prune)
    for warning in result.warnings:
        print(f"warning: {warning}")
    for section, names in result.unmanaged.items():
        print(f"unmanaged {section} (kept; --prune removes them): {', '.join(names)}")
    _refuse_bad_requests(result)
    if not result.changes:
        print(f"{slug}: no changes; the live settings match {settings.path.name}")
        return
    print(f"{slug}: {len(result.changes)} setting(s) differ from {settings.path.name}:")
    _print_table(result)
    print("requests:")
    for write in result.writes:
        print(f"  {write.description}")
    if result.lockouts and not allow_lockout:
        raise PreflightError(
            f"refusing a lock-out: {'; '.join(result.lockouts)}",
            hint="change the protection, or pass --allow-lockout if that is really meant",
        )
    if dry_run:
        print("\ndry run: nothing was changed")
        return
    refuse_fork_event()
    if not yes:
        if not sys.stdin.isatty():
            raise PreflightError(
                "no terminal to confirm the changes on", hint="pass --yes to apply without asking"
            )
        if input(f"\nApply {len(result.writes)} request(s)? [y/N] ").strip().lower() not in (
            "y",
            "yes",
        ):
            print("nothing was changed")
            return
    applied = apply(
        result, github, progress=lambda text: print(f"-> {text}", flush=True), sections=sections
    )
    verify(result, github, sections, applied)
    print(f"applied {len(applied)} request(s); read back: the live settings match")


@task(
    name="protect-main",
    help={
        **COMMON,
        "branch": "the branch to protect (default: main)",
        "allow-unreported-checks": APPLY["allow-unreported-checks"],
        "allow-lockout": APPLY["allow-lockout"],
    },
)
@guarded
def protect_main(
    c: Context,
    branch: str = "main",
    dry_run: bool = False,
    allow_unreported_checks: bool = False,
    allow_lockout: bool = False,
    yes: bool = False,
    config: str | None = None,
    repo: str | None = None,
) -> None:
    """Apply the branch protection of governance/settings.yml, checks derived from the workflows.

    Shows the plan (setting, live, desired) first and writes only what differs; a second run
    writes nothing. Refuses required checks whose workflow would never report on pull
    requests into the branch, and a protection that would lock everyone out. Needs
    GITHUB_TOKEN or GH_TOKEN of a repository admin.
    """
    _reconcile(
        ("branches",),
        branch=branch,
        dry_run=dry_run,
        yes=yes,
        allow_unreported=allow_unreported_checks,
        config_file=config,
        repo=repo,
        allow_lockout=allow_lockout,
    )


@task(name="settings", help=COMMON)
@guarded
def settings_(
    c: Context,
    dry_run: bool = False,
    yes: bool = False,
    config: str | None = None,
    repo: str | None = None,
) -> None:
    """Apply the repository settings, topics and security toggles of the settings file."""
    _reconcile(
        ("repository",),
        branch=None,
        dry_run=dry_run,
        yes=yes,
        allow_unreported=False,
        config_file=config,
        repo=repo,
    )


@task(help={**COMMON, **APPLY})
@guarded
def governance(
    c: Context,
    dry_run: bool = False,
    yes: bool = False,
    prune: bool = False,
    allow_unreported_checks: bool = False,
    allow_lockout: bool = False,
    config: str | None = None,
    repo: str | None = None,
) -> None:
    """Apply all of the settings file: repository, branches, labels, teams and the rest.

    Every section: repository settings, topics and security toggles, branch protection,
    labels, milestones, collaborators, teams, environments, autolinks and rulesets. The
    file is governance/settings.yml, else probot's .github/settings.yml (_extends is
    followed). Every request is checked against GitHub's schema before the first write;
    items the file does not list are kept unless --prune. CODEOWNERS is a file in the
    repository: 'inv codeowners' writes it.
    """
    from repokit.governance.reconcile import SECTIONS

    _reconcile(
        SECTIONS,
        branch=None,
        dry_run=dry_run,
        yes=yes,
        allow_unreported=allow_unreported_checks,
        config_file=config,
        repo=repo,
        prune=prune,
        allow_lockout=allow_lockout,
    )


@task(help={"config": COMMON["config"], "repo": COMMON["repo"]})
@guarded
def drift(c: Context, config: str | None = None, repo: str | None = None) -> None:
    """Show where the live repository differs from governance/settings.yml; exit 1 if it does.

    For a scheduled job: it changes nothing.
    """
    from repokit.errors import RepokitError
    from repokit.github import GitHub, repository_slug
    from repokit.governance.reconcile import desired_branches, plan, resolve_rulesets

    configuration, settings = read_settings(config, repo)
    desired, _ = desired_branches(settings, configuration, allow_unreported=True)
    settings, _ = resolve_rulesets(settings, configuration, allow_unreported=True)
    slug = repository_slug(configuration.root, repo, configuration.remote)
    result = plan(settings, desired, GitHub(slug), check_reports=False)
    if not result.changes:
        print(f"{slug}: no drift")
        return
    _print_table(result)
    msg = f"{slug}: {len(result.changes)} setting(s) drifted from {settings.path.name}"
    raise RepokitError(msg, hint="run 'inv governance' to apply the file, or update the file")


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``: ``inv governance`` is the default task of
    the ``governance`` collection, beside ``inv governance.export``."""
    family = Collection("governance")
    family.add_task(governance, default=True)
    family.add_task(export)
    namespace.add_collection(family)
    namespace.add_task(protect_main, name="protect-main")
    namespace.add_task(settings_, name="settings")
    namespace.add_task(drift)
    namespace.add_task(codeowners)
