"""The release conventions a repository already follows: its branch and its tag format.

``[tool.repokit]`` overrides; without it the branch is the remote's default branch (else
the current branch when it is ``main`` or ``master``) and the tag format is read from the
version tags the project already has. :func:`resolve` returns the config with both filled
in and, for ``--explain``, where each value came from.

A version tag is a prefix (``""``, ``v``, ``pkg-v``, ...) followed by a PEP 440 version.
The most recent version tags decide the format, so a project that dropped the ``v`` long
ago keeps its old ``v`` tags without being misread; with several families of tags
(``v1.2`` and ``core-v1.2``) the family naming the project wins.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from repokit import gitrepo
from repokit.config import Config
from repokit.errors import PreflightError
from repokit.release.calver import NOT_DATES

if TYPE_CHECKING:
    from repokit.gitrepo import Repo

DEFAULT_BRANCHES = ("main", "master")
DEFAULT_TAG_FORMAT = "v{version}"
#: How many of the newest version tags vote for the format.
RECENT = 3

_VERSION_TAG = re.compile(r"(?P<prefix>(?:.*[^0-9.])?)(?P<version>\d+(?:\.\d+)+\S*)")


@dataclass(frozen=True)
class Convention:
    """One convention as resolved: its name, its value and where the value came from."""

    name: str
    value: str
    source: str


@dataclass(frozen=True)
class Resolved:
    """The config with ``branch`` and ``tag_format`` decided, and how each was decided."""

    config: Config
    conventions: tuple[Convention, ...]

    def lines(self) -> list[str]:
        return [f"{c.name}: {c.value}  ({c.source})" for c in self.conventions]


def split_version_tag(tag: str) -> tuple[str, Version] | None:
    """``(prefix, version)`` of a version tag, or None when ``tag`` names no version."""
    found = _VERSION_TAG.fullmatch(tag)
    if found is None:
        return None
    try:
        return found["prefix"], Version(found["version"])
    except InvalidVersion:
        return None


def tag_version(tag: str, tag_format: str) -> Version | None:
    """The version ``tag`` carries when it follows ``tag_format``, else None."""
    prefix, _, suffix = tag_format.partition("{version}")
    if not tag.startswith(prefix) or not tag.endswith(suffix) or len(tag) <= len(prefix + suffix):
        return None
    text = tag[len(prefix) : len(tag) - len(suffix)]
    if not text[:1].isdigit():
        return None
    try:
        return Version(text)
    except InvalidVersion:
        return None


def last_release_tag(repo: Repo, tag_format: str, not_after: Version | None = None) -> str | None:
    """The release tag of the greatest version among the tags HEAD contains; None if none.

    The greatest version rather than the nearest tag: floating tags such as ``v10`` or
    ``v10.6`` on the same commit as ``v10.6.1`` and release tags merged in from maintenance
    branches do not hide the last release. With ``not_after`` (the project's version), tags
    of later versions (a ``1.0.0.beta0`` merged into a 0.28 line) are passed over.
    """
    best: tuple[Version, str] | None = None
    for tag in gitrepo.tags_by_date(repo, merged=True):
        version = tag_version(tag, tag_format)
        if version is None or (not_after is not None and version > not_after):
            continue
        if best is None or (version, tag) > best:
            best = (version, tag)
    return best[1] if best else None


def infer_tag_format(
    tags: list[str], project_names: tuple[str, ...], *, below_root: bool = False
) -> str | None:
    """The format the newest version tags follow (``tags``: newest first); None without any.

    A family of tags named after the project (``NAME==X``, ``NAME@X``, ``NAME/vX``,
    ``NAME-vX``, with or without ``v``) is the project's. In a monorepo (a project
    ``below_root``) or a repository with several families, the project's family is looked for
    among all the tags, and a family naming another package is never taken: the project has
    its own family, or the plain tags (``vX``, ``X``), or no tag yet.
    """
    split = [found[0] for found in map(split_version_tag, tags) if found is not None]
    if not split:
        return None
    recent = split[:RECENT]
    named = _named(recent, project_names)
    if named:
        return Counter(named).most_common(1)[0][0] + "{version}"
    families = {p for p in split if p not in _PLAIN}
    if below_root or len(families) > 1:
        named = _named(split, project_names)
        if named:
            return named[0] + "{version}"
        plain = [p for p in split if p in _PLAIN][:RECENT]
        return Counter(plain).most_common(1)[0][0] + "{version}" if plain else None
    plain = [p for p in recent if p in _PLAIN]
    pool = plain or recent
    return Counter(pool).most_common(1)[0][0] + "{version}"


_PLAIN = ("", "v", "V")


def _prefix_key(prefix: str) -> set[str]:
    """The names a tag prefix may stand for, compacted: ``checkpoint==`` -> {checkpoint},
    ``pkg-v`` -> {pkg}, ``libv`` -> {libv, lib}."""
    stem = prefix.rstrip("=@/-_ .")
    keys = {_compact(stem)}
    if stem[-1:] in "vV":
        keys.add(_compact(stem[:-1].rstrip("=@/-_ .")))
    keys.discard("")
    return keys


def _named(prefixes: list[str], project_names: tuple[str, ...]) -> list[str]:
    """The ``prefixes`` naming the project, in order: those carrying one of its names whole
    (its distribution's, its folder's), else those carrying the distribution name's tail
    after its family's prefix (``checkpoint`` for ``langgraph-checkpoint``)."""
    whole = {_compact(name) for name in project_names if name}
    found = [p for p in prefixes if p not in _PLAIN and _prefix_key(p) & whole]
    if found or not project_names:
        return found
    parts = [part for part in re.split(r"[-_.]+", project_names[0].lower()) if part]
    tails = {"".join(parts[start:]) for start in range(1, len(parts))}
    return [p for p in prefixes if p not in _PLAIN and _prefix_key(p) & tails]


def _compact(name: str) -> str:
    return re.sub(r"[-_.]+", "", name).lower()


def calver_counter(repo: Repo, tag_format: str) -> int | None:
    """For date versions whose second number counts releases (``25.4.0`` made in June), the
    number a year starts from; None when the second number is the month of the release.

    Read from the newest date tags and the days they were made; :data:`NOT_DATES` when none
    of the newest version tags names the year it was made in.
    """
    seen: list[tuple[int, int]] = []
    others = 0
    for tag, day in gitrepo.tag_dates(repo):
        version = tag_version(tag, tag_format)
        if version is None or len(version.release) < 2 or len(seen) + others == 8:
            continue
        year = version.release[0]
        if (year < 100 and 2000 + year == int(day[:4])) or year == int(day[:4]):
            seen.append((version.release[1], int(day[5:7])))
        else:
            others += 1
    if not seen and others >= 2:
        return NOT_DATES  # virtualenv's 21.7.0, tagged in 2026: a version, not a date
    if len(seen) < 2:
        return None
    mismatched = sum(1 for number, month in seen if number != month)
    return min(number for number, _ in seen) if mismatched * 2 > len(seen) else None


def resolve(config: Config, repo: Repo, project_names: tuple[str, ...] = ()) -> Resolved:
    """``config`` with the branch and tag format the repository follows (config first)."""
    conventions: list[Convention] = []
    branch, branch_source = _branch(config, repo)
    conventions.append(Convention("branch", branch, branch_source))
    tags = gitrepo.tags_by_date(repo, merged=False)
    if "tag_format" in config.explicit:
        tag_format, tag_source = config.tag_format, "[tool.repokit] tag_format"
        _check_format_matches(tag_format, tags)
    else:
        below_root = gitrepo.subdir(repo, config.root) is not None
        inferred = infer_tag_format(tags, project_names, below_root=below_root)
        if inferred is None:
            tag_format, tag_source = DEFAULT_TAG_FORMAT, "default: no version tag yet"
        else:
            tag_format, tag_source = inferred, "inferred from the newest version tags"
    conventions.append(Convention("tag format", tag_format, tag_source))
    resolved = dataclasses.replace(config, branch=branch, tag_format=tag_format)
    return Resolved(resolved, tuple(conventions))


def _branch(config: Config, repo: Repo) -> tuple[str, str]:
    if "branch" in config.explicit:
        return config.branch, "[tool.repokit] branch"
    default = gitrepo.remote_default_branch(repo, config.remote)
    if default:
        return default, f"the default branch of {config.remote}"
    current = gitrepo.current_branch(repo)
    if current in DEFAULT_BRANCHES:
        return current, "the current branch (no remote default branch known)"
    return config.branch, "default (set [tool.repokit] branch to change it)"


def _check_format_matches(tag_format: str, tags: list[str]) -> None:
    """Refuse a configured format that no tag follows while other version tags exist."""
    if not tags or any(tag_version(tag, tag_format) is not None for tag in tags):
        return
    others = [tag for tag in tags if split_version_tag(tag) is not None]
    if not others:
        return
    msg = (
        f"tag_format {tag_format!r} matches none of the version tags "
        f"(the newest is {others[0]!r}); the changelog would start from the first commit"
    )
    hint = "fix [tool.repokit] tag_format to the tags' form, or remove it to infer it"
    raise PreflightError(msg, hint=hint)
