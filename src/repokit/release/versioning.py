"""Version arithmetic: the next version for a bump, an explicit version, or a date.

Where the version is kept is :mod:`repokit.release.sources`' job. Every semantic bump gives
a version strictly greater than the current one by PEP 440 ordering, written in canonical
form (``1.3.0rc1``). A calendar version (``2026.08.17``, ``26.5.1``) keeps its scheme (see
:mod:`repokit.release.calver`). An explicit version (``2.0.0``) must be greater than the
current one.
"""

from __future__ import annotations

import datetime as dt

from packaging.version import InvalidVersion, Version

from repokit.errors import UsageError, VersionError
from repokit.release.calver import next_date_version, next_patch, scheme_of

BUMPS = ("major", "minor", "patch", "prerelease")
#: Every ``--bump`` word; a version number (``2.0.0``) is accepted too.
BUMP_WORDS = (*BUMPS, "calver", "auto")
#: ``--pre`` spellings and the PEP 440 pre-release letters they stand for.
PRE_KINDS = {"alpha": "a", "a": "a", "beta": "b", "b": "b", "rc": "rc"}
_PRE_ORDER = {"a": 0, "b": 1, "rc": 2}
_PRE_NAMES = {"a": "alpha", "b": "beta", "rc": "rc"}


def parse(text: str, where: str) -> Version:
    """``text`` as a PEP 440 version, or a VersionError naming where it came from."""
    try:
        return Version(text)
    except InvalidVersion:
        msg = f"{where}: {text!r} is not a valid PEP 440 version"
        raise VersionError(msg, hint="write it as X.Y.Z (for example 1.2.0 or 1.3.0rc1)") from None


def next_version(current: str, bump: str, pre: str | None = None) -> str:
    """The version after ``current`` for ``bump`` (and ``pre``), canonical and strictly greater."""
    if bump not in BUMPS:
        msg = f"{bump!r} is not a bump"
        raise UsageError(msg, hint=f"choose one of: {', '.join(BUMP_WORDS)}, or a version")
    kind = _pre_kind(pre)
    version = parse(current, "current version")
    if version.local is not None:
        msg = f"{current}: a local version (+{version.local}) cannot be released"
        raise VersionError(msg, hint="remove the +local label from the version first")
    major, minor, patch = (*version.release, 0, 0)[:3]
    # A pre- or dev release of X.Y.Z can be finalised to X.Y.Z; one of X.Y.Z.W (W > 0) cannot.
    exact = not any(version.release[3:])
    # X.Y.Z.postN.devM comes after X.Y.Z, so it is not a release of X.Y.Z still to come.
    dev_only = version.dev is not None and version.post is None
    unfinished = (version.pre is not None or dev_only) and exact
    if bump == "prerelease":
        text = _next_prerelease(version, (major, minor, patch), kind, exact=exact)
    else:
        if bump == "patch":
            release = (major, minor, patch if unfinished else patch + 1)
        elif bump == "minor":
            release = (major, minor, 0) if unfinished and patch == 0 else (major, minor + 1, 0)
        else:
            finalise = unfinished and minor == 0 and patch == 0
            release = (major, 0, 0) if finalise else (major + 1, 0, 0)
        text = _join(release)
        if kind is not None:
            if unfinished and release == (major, minor, patch):
                text = _next_prerelease(version, release, kind, exact=exact)
            else:
                text = f"{text}{kind}1"
    if version.epoch:
        text = f"{version.epoch}!{text}"
    result = Version(text)
    if result <= version:  # the rules above make this unreachable; keep the promise explicit
        msg = f"bumping {current} ({bump}) gives {result}, which is not greater"
        raise VersionError(msg, hint="bump minor or major instead")
    return str(result)


def auto_bump(current: str, *, breaking: bool, feature: bool) -> str:
    """The bump that ``--bump auto`` picks from the commits since the last release (for a
    date version, see :func:`repokit.release.bump_decision.decide`)."""
    if breaking:
        return "minor" if parse(current, "current version").major == 0 else "major"
    return "minor" if feature else "patch"


def _pre_kind(pre: str | None) -> str | None:
    if pre is None:
        return None
    kind = PRE_KINDS.get(pre.lower())
    if kind is None:
        msg = f"--pre: {pre!r} is not a pre-release kind"
        raise UsageError(msg, hint="choose one of: rc, beta, alpha")
    return kind


def _join(release: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in release)


def _next_prerelease(
    version: Version, release: tuple[int, ...], kind: str | None, *, exact: bool
) -> str:
    base = _join(release)
    if version.pre is None or not exact:
        if version.dev is not None and version.pre is None and version.post is None and exact:
            return f"{base}{kind or 'rc'}1"  # 1.3.0.dev2 -> 1.3.0rc1: a pre-release beats a dev
        bumped = _join((release[0], release[1], release[2] + 1))
        return f"{bumped}{kind or 'rc'}1"
    current_kind, number = version.pre
    kind = kind or current_kind
    if kind == current_kind:
        # 1.3.0rc1 -> 1.3.0rc2; 1.3.0rc2.dev1 -> 1.3.0rc2 (the dev release finalised)
        finalise_dev = version.dev is not None and version.post is None
        return f"{base}{kind}{number if finalise_dev else number + 1}"
    if _PRE_ORDER[kind] > _PRE_ORDER[current_kind]:
        return f"{base}{kind}1"
    msg = (
        f"--pre {_PRE_NAMES[kind]} from {version} would go backwards "
        f"({base}{kind}1 < {version})"
    )
    hint = f"use --pre {_PRE_NAMES[current_kind]} or a later kind, or bump minor/major first"
    raise VersionError(msg, hint=hint)


# --- explicit and calendar versions --------------------------------------------------------


def is_explicit(bump: str) -> bool:
    """Whether ``--bump`` names a version (``2.0.0``, ``v2.0.0``) rather than a part."""
    return bump[:1].isdigit() or (bump[:1] in "vV" and bump[1:2].isdigit())


def explicit_version(current: str, wanted: str) -> str:
    """``wanted`` (a PEP 440 version) when it is greater than ``current``; else refused."""
    text = wanted[1:] if wanted[:1] in "vV" else wanted
    new = parse(text, f"--bump {wanted}")
    if new.local is not None:
        msg = f"--bump {wanted}: a local version (+{new.local}) cannot be published"
        raise VersionError(msg, hint=f"give its public part: --bump {new.public}")
    if new <= parse(current, "current version"):
        msg = f"--bump {wanted}: {text} is not greater than the current version {current}"
        raise VersionError(msg, hint="give a version greater than the current one")
    return text


def bump_version(
    current: str,
    bump: str,
    pre: str | None = None,
    *,
    today: dt.date | None = None,
    counter_start: int | None = None,
) -> str:
    """The version after ``current`` for ``bump``: a part, ``calver``, or an explicit version.

    ``counter_start`` (see :func:`repokit.release.conventions.calver_counter`) says the date
    version's second number counts releases rather than naming the month. A date version
    whose last part is a counter takes ``patch``; ``major`` and ``minor`` would break it.
    """
    today = today or dt.date.today()
    if is_explicit(bump):
        return explicit_version(current, bump)
    if bump == "calver":
        dated = next_date_version(current, today, counter_start)
        return dated if pre is None else _dated_prerelease(current, dated, pre)
    scheme = scheme_of(current, today, counter_start)
    if scheme is not None and bump in BUMPS and bump != "prerelease":
        if bump == "patch" and scheme.takes_patch:
            return next_patch(current, scheme) if pre is None else next_version(current, bump, pre)
        also = ", --bump patch (the next release of the period)" if scheme.takes_patch else ""
        msg = f"{current} is a date version ({scheme.name}): a {bump} bump would break it"
        hint = f"use --bump calver (the current period){also}, or give the version"
        raise VersionError(msg, hint=hint)
    return next_version(current, bump, pre)


def _dated_prerelease(current: str, dated: str, pre: str) -> str:
    """The first ``pre`` release of the period's ``dated`` version (``--bump calver --pre rc``:
    ``24.7.0`` to ``24.10.0rc1`` in October 2024, as ``incremental.update --rc`` does), or the
    next pre-release when ``current`` is already one of that version (``24.10.0rc2``)."""
    kind = _pre_kind(pre)
    first = Version(f"{dated}{kind}1")
    if Version(dated).pre is None and first > Version(current):
        return str(first)
    return next_version(current, "prerelease", pre)
