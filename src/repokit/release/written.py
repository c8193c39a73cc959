"""A version already written: maintainers who bump the version in a "prepare release" commit
and tag later release the version in their files as it stands.

It counts when it is greater than the last release's, no tag has it, and it is not a
development version (``2.0.0.dev0`` says work towards 2.0.0 goes on) nor a local one
(``2.14.0a0+dev``: no package index takes a local version, and it says work after 2.14.0a0
goes on).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from repokit import gitrepo
from repokit.config import Config
from repokit.release.calver import period_changed, period_just_ended, scheme_of
from repokit.release.conventions import tag_version

if TYPE_CHECKING:
    from repokit.gitrepo import Repo


def written_version(config: Config, repo: Repo, current: str, previous_tag: str | None) -> bool:
    """Whether ``current`` (the version in the project's files) is written and not released:
    greater than the version of ``previous_tag`` (the last release) and tagged nowhere."""
    if previous_tag is None:
        return False
    released = tag_version(previous_tag, config.tag_format)
    try:
        version = Version(current)
    except InvalidVersion:
        return False
    if released is None or version <= released or version.is_devrelease or version.local:
        return False
    return not gitrepo.tag_exists(repo, config.tag_for(current))


def behind_release(config: Config, current: str, previous_tag: str | None) -> str | None:
    """The version of ``previous_tag`` (the last release) when ``current``, the version in the
    project's files, is below it: a development marker left behind after a release made
    elsewhere (``3.14.2.dev0`` on a branch tagged ``v3.14.2``). None otherwise."""
    if previous_tag is None:
        return None
    released = tag_version(previous_tag, config.tag_format)
    try:
        behind = released is not None and Version(current) < released
    except InvalidVersion:
        return None
    return str(released) if behind else None


def dated_patch_base(
    config: Config, current: str, previous_tag: str | None, today: dt.date, counter: int | None
) -> str | None:
    """The version of ``previous_tag`` when a patch is asked of a date version's development
    marker: pip keeps ``26.3.dev0`` after 26.2 and releases a bug fix as 26.2.1, the marker
    naming the next period's release. None otherwise."""
    versions = _with_release(config, current, previous_tag)
    if versions is None or scheme_of(current, today, counter) is None:
        return None
    version, released = versions
    return str(released) if version.is_devrelease and released < version else None


def released_prerelease_final(
    config: Config, current: str, previous_tag: str | None, today: dt.date, counter: int | None
) -> str | None:
    """The final of ``current`` when it is a pre-release and the last release (``24.8.0rc1``
    tagged, the files unchanged since): what its maintainers release next. A date version's
    final keeps its period while that is the current one or the one just ended (twisted
    tagged 24.7.0rc2 and released 24.7.0 in August; pip 24.1b2 in May, 24.1 in June); once
    older, the release moves to the current period. None otherwise."""
    versions = _with_release(config, current, previous_tag)
    if versions is None:
        return None
    scheme = scheme_of(current, today, counter)
    if (
        scheme is not None
        and period_changed(current, scheme, today)
        and not period_just_ended(current, scheme, today)
    ):
        return None
    version, released = versions
    if not version.is_prerelease or version.is_devrelease:
        return None
    return version.base_version if released == version else None


def development_post(config: Config, current: str, previous_tag: str | None) -> str | None:
    """The last release's version when ``current`` is its ``.post0``: incremental's mark of
    development after a release (``incremental.update --post``, as twisted does), not a
    release to make. None otherwise."""
    versions = _with_release(config, current, previous_tag)
    if versions is None:
        return None
    version, released = versions
    marker = version.post == 0 and version.dev is None and version.local is None
    return str(released) if marker and released == Version(version.base_version) else None


def _with_release(
    config: Config, current: str, previous_tag: str | None
) -> tuple[Version, Version] | None:
    """``current`` and the version of ``previous_tag`` (the last release), both parsed; None
    when there is no release tag or either is not a version."""
    if previous_tag is None:
        return None
    released = tag_version(previous_tag, config.tag_format)
    try:
        return (Version(current), released) if released is not None else None
    except InvalidVersion:
        return None


def names_version(bump: str, current: str) -> bool:
    """Whether ``--bump`` names ``current`` itself (``1.3.0``, ``v1.3.0``)."""
    text = bump[1:] if bump[:1] in "vV" else bump
    try:
        return Version(text) == Version(current)
    except InvalidVersion:
        return False


def public_part(current: str) -> str | None:
    """The public part of ``current`` when it has a local one (``2.14.0a0`` of
    ``2.14.0a0+dev``): the version the release is decided from. None otherwise."""
    try:
        version = Version(current)
    except InvalidVersion:
        return None
    return version.public if version.local is not None else None
