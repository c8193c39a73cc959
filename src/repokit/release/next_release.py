"""The version a release makes, for ``release`` and ``version --next`` alike: the version
already written when it is not released yet, else the bump's (``auto`` read from the
commits and the calendar). A version with a local part (``2.14.0a0+dev``) is never released
as it stands: the release is decided from its public part."""

from __future__ import annotations

from types import EllipsisType
from typing import TYPE_CHECKING

from packaging.version import Version

from repokit.config import Config
from repokit.release.bump_decision import ReleaseRefused
from repokit.release.calver import scheme_of
from repokit.release.changelog import last_release, release_date, suggested_bump
from repokit.release.conventions import calver_counter
from repokit.release.versioning import BUMPS, bump_version
from repokit.release.written import (
    behind_release,
    dated_patch_base,
    development_post,
    names_version,
    public_part,
    released_prerelease_final,
    written_version,
)

if TYPE_CHECKING:
    from repokit.gitrepo import Repo


def next_release(
    config: Config,
    repo: Repo,
    current: str,
    bump: str,
    pre: str | None,
    previous: str | EllipsisType | None = ...,
) -> tuple[str, list[str]]:
    """``(version, notes)`` of the release after ``current``.

    ``previous`` is the last release tag, read only when needed if not given (a shallow
    clone cannot tell it, and ``version --next minor`` does not need it).
    """
    notes: list[str] = []
    public = public_part(current)
    if public is not None:
        notes.append(
            f"{current} in the project's files has a local part, which no package index "
            f"takes: the release is decided from {public}"
        )
        current = public
        if bump == "auto" and pre is None and Version(public).pre is not None:
            return bump_version(public, "prerelease", today=release_date()), [
                *notes,
                f"{public} is a pre-release, and the files say work after it goes on: "
                "the next pre-release",
            ]
    asks_written = (bump == "auto" or names_version(bump, current)) and pre is None
    if asks_written and previous is ...:
        previous = last_release(config, repo)
    if (
        asks_written
        and public is None
        and isinstance(previous, str)
        and (bump != "auto" or development_post(config, current, previous) is None)
        and written_version(config, repo, current, previous)
    ):
        notes.append(
            f"{current} is written in the project's files and not released yet "
            f"(the last release is {previous}): released as it stands"
        )
        return current, notes
    if bump in BUMPS or bump in ("auto", "calver"):
        if previous is ...:
            previous = last_release(config, repo)
        current = _bump_start(config, current, previous, notes)
    counter = calver_counter(repo, config.tag_format)
    if bump == "auto" and pre is None and isinstance(previous, str):
        final = released_prerelease_final(config, current, previous, release_date(), counter)
        if final is not None:
            return _after_prerelease(config, repo, current, final, counter), [
                *notes,
                f"{current} is released: the next release is its final, or more if the "
                "changes since ask for it",
            ]
    if bump == "auto":
        auto = suggested_bump(config, repo, current, counter)
        bump = auto.bump
        notes += [auto.note] if auto.note else []
    if bump == "patch" and pre is None and isinstance(previous, str):
        base = dated_patch_base(config, current, previous, release_date(), counter)
        if base is not None:
            notes.append(f"{current} names the next period's release: the patch is {base}'s")
            current = base
    version = bump_version(current, bump, pre, today=release_date(), counter_start=counter)
    return version, notes


def _bump_start(config: Config, current: str, previous: str | None, notes: list[str]) -> str:
    """The version a bump starts from: the last release when the files' version is below it
    or is incremental's development mark after it (``24.7.0.post0``), else ``current``."""
    below = behind_release(config, current, previous)
    marked = development_post(config, current, previous)
    if below is not None:
        start, why = below, f"is below the last release {previous}"
    elif marked is not None:
        start, why = marked, f"marks development after the release {marked} (incremental's --post)"
    else:
        return current
    notes.append(f"{current} in the project's files {why}: the bump starts from {start}")
    return start


def _after_prerelease(
    config: Config, repo: Repo, current: str, final: str, counter: int | None
) -> str:
    """After the released pre-release ``current``: its ``final``, or the bump the changes
    since it ask for when that goes further (a breaking change after ``0.1.1rc1``: 0.2.0).
    A date version's final keeps its period: the changes since do not move it to the next."""
    if scheme_of(current, release_date(), counter) is not None:
        return final
    try:
        auto = suggested_bump(config, repo, current, counter)
    except ReleaseRefused:  # nothing since the pre-release, or nothing to tell it by
        return final
    proposed = bump_version(current, auto.bump, None, today=release_date(), counter_start=counter)
    return max(final, proposed, key=Version)
