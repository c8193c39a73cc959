"""What ``--bump auto`` picks from the commits since the last release: a pure decision.

A breaking change gives major (minor below 1.0), a feature minor, a fix, perf or revert a
patch; only docs, chores and the like is nothing to release. A date version moves to the
current period when there is a feature or a breaking change or the period changed, and
takes a patch otherwise (``[tool.repokit] calver_auto`` fixes either answer). A project
whose history is not conventional gets no guess: it is told to name the bump.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from repokit.errors import RepokitError
from repokit.release.calver import DateScheme, period_changed, scheme_of
from repokit.release.conventional import Commit, summarize
from repokit.release.versioning import auto_bump

#: The types that make a release worth making (besides breaking changes).
RELEASABLE = ("feat", "fix", "perf", "revert")
#: The Conventional Commits types in common use: a history whose commits mostly carry one
#: of them is conventional (``Docs: ...`` or ``WIP: ...`` alone does not make it so).
KNOWN_TYPES = frozenset(
    {
        *("feat", "feature", "fix", "docs", "doc", "style", "refactor", "perf", "test"),
        *("tests", "build", "ci", "chore", "revert", "deps", "security", "release", "types"),
    }
)
#: How many of the newest human commits say whether a project writes conventional commits,
#: and how few are too few to tell.
SAMPLE = 100
TOO_FEW = 10


class ReleaseRefused(RepokitError):
    """There is nothing worth releasing since the last release, or nothing to tell it by."""


@dataclass(frozen=True)
class AutoBump:
    """What ``--bump auto`` picked, and a note for the user when there is one."""

    bump: str
    note: str | None = None


def is_conventional(commits: Iterable[Commit]) -> bool:
    """Whether at least half of the newest :data:`SAMPLE` ``commits`` (the human ones, newest
    first) carry a Conventional Commits type; True when there are too few to tell."""
    seen = typed = 0
    for commit in commits:
        seen += 1
        typed += commit.type in KNOWN_TYPES
        if seen == SAMPLE:
            break
    return seen < TOO_FEW or typed * 2 >= seen


def decide(
    current: str,
    commits: Sequence[Commit],
    *,
    since: str | None,
    conventional: bool,
    today: dt.date,
    counter_start: int | None = None,
    calver_auto: str = "",
) -> AutoBump:
    """The bump for ``current`` after ``commits`` (those since the tag ``since``)."""
    scheme = scheme_of(current, today, counter_start)
    if scheme is not None:
        return _decide_date(current, scheme, commits, since, conventional, today, calver_auto)
    _refuse_unconventional(conventional, "--bump patch, --bump minor or --bump major")
    breaking, feature = summarize(commits)
    if breaking or feature or any(c.type in RELEASABLE for c in commits):
        return AutoBump(auto_bump(current, breaking=breaking, feature=feature))
    plain = sum(1 for c in commits if c.type is None)
    if plain:
        note = f"{plain} commit(s) since {since or 'the start'} are not conventional: a patch"
        return AutoBump("patch", note)
    raise _nothing(commits, since, "--bump patch")


def decide_by_kinds(
    current: str,
    *,
    breaking: bool,
    feature: bool,
    today: dt.date,
    counter_start: int | None = None,
    calver_auto: str = "",
) -> AutoBump:
    """The bump for ``current`` when the notes' kinds are known (news fragment types,
    curated sub-headings) and something is worth releasing: a date version takes the same
    answer it takes for commits of those kinds, any other the part they name."""
    scheme = scheme_of(current, today, counter_start)
    if scheme is None:
        return AutoBump(auto_bump(current, breaking=breaking, feature=feature))
    fixed = _fixed_date_bump(current, scheme, today, calver_auto)
    if fixed is not None:
        return fixed
    small = "patch" if scheme.takes_patch else "calver"
    return AutoBump("calver" if breaking or feature else small)


def _fixed_date_bump(
    current: str, scheme: DateScheme, today: dt.date, calver_auto: str
) -> AutoBump | None:
    """The bump of a date version that the commits do not decide: the one ``calver_auto``
    names, or calver when the period changed; None when the commits decide."""
    if calver_auto == "calver":
        return AutoBump("calver")
    if calver_auto == "patch":
        return AutoBump("patch" if scheme.takes_patch else "calver")
    if period_changed(current, scheme, today):
        return AutoBump("calver")
    return None


def _decide_date(
    current: str,
    scheme: DateScheme,
    commits: Sequence[Commit],
    since: str | None,
    conventional: bool,
    today: dt.date,
    calver_auto: str,
) -> AutoBump:
    small = "patch" if scheme.takes_patch else "calver"
    fixed = _fixed_date_bump(current, scheme, today, calver_auto)
    if fixed is not None:
        return fixed
    named = "--bump calver or --bump patch" if scheme.takes_patch else "--bump calver"
    _refuse_unconventional(conventional, named)
    breaking, feature = summarize(commits)
    if breaking or feature:
        return AutoBump("calver")
    if any(c.type in RELEASABLE or c.type is None for c in commits):
        return AutoBump(small)
    raise _nothing(commits, since, f"--bump {small}")


def _refuse_unconventional(conventional: bool, named: str) -> None:
    if conventional:
        return
    msg = (
        "--bump auto: fewer than half of the latest commits follow Conventional Commits, "
        "so they cannot tell the bump"
    )
    raise ReleaseRefused(msg, hint=f"name the bump: {named}")


def _nothing(commits: Sequence[Commit], since: str | None, named: str) -> ReleaseRefused:
    kinds = sorted({c.type or "" for c in commits}) or ["no commits"]
    msg = (
        f"nothing to release: no feat, fix, perf, revert or breaking change since "
        f"{since or 'the start'} (only {', '.join(kinds)})"
    )
    return ReleaseRefused(msg, hint=f"release anyway with {named}")
