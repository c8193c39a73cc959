"""git history -> Conventional Commits -> a section of the changelog the project keeps.

Rendering (:mod:`repokit.release.section`) is pure; :func:`iter_commits` reads the history
with one ``git rev-list`` (``git log``'s output), as git writes it; the rest glues them to a
project's config for the release plan and ``repokit changelog``. The file edit itself is
:mod:`repokit.release.changelog_file`'s, imported only when a section is written. Where
the section goes is the job of :mod:`repokit.release.keepachangelog` (Markdown,
``[Unreleased]``) and :mod:`repokit.release.underlined` (reStructuredText and underlined
Markdown headings).

The file is the one the project keeps (CHANGELOG, CHANGES, HISTORY or NEWS as .md, .rst or
.txt, at the root or in docs/); a new CHANGELOG.md is made only when there is none.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Container, Iterator
from typing import TYPE_CHECKING

from repokit import gitrepo
from repokit.config import Config
from repokit.edits import FileEdit
from repokit.errors import UsageError, VersionError
from repokit.release.bump_decision import AutoBump, ReleaseRefused
from repokit.release.conventional import (
    LOG_FORMAT,
    RECORD_START,
    Commit,
    is_tool_release,
    parse_commit,
    parse_log,
    release_commit_matcher,
    summarize,
)
from repokit.release.keepachangelog import UNRELEASED
from repokit.release.noise import is_noise
from repokit.release.section import SECTION_OF_TYPE, SectionEntries, render_section

if TYPE_CHECKING:
    from repokit.gitrepo import Repo

__all__ = [
    "Commit",
    "changelog_edit",
    "github_repo_url",
    "iter_commits",
    "parse_commit",
    "pending_range",
    "pending_version",
    "read_commits",
    "render_section",
    "section",
    "summarize",
    "write_unreleased",
]

log = logging.getLogger(__name__)

DEFAULT_COMMIT_MESSAGE = "chore: bump version to {version}"

_GITHUB_REMOTE = re.compile(
    r"""(?:
        (?:https?|git|ssh|git\+ssh)://(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?/
      | [^@/:\s]+@github\.com:
      | github\.com:
    )
    (?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+?)(?:\.git)?/?""",
    re.IGNORECASE | re.VERBOSE,
)


# --- rendering -----------------------------------------------------------------------------


def github_repo_url(remote_url: str) -> str | None:
    """``https://github.com/<owner>/<repo>`` for a GitHub remote (https, ssh, scp-like); else None.

    Credentials in the URL are dropped, so the result is safe to print.
    """
    found = _GITHUB_REMOTE.fullmatch(remote_url.strip())
    if found is None or found.group("name") in (".", ".."):
        return None
    return f"https://github.com/{found.group('owner')}/{found.group('name')}"


# --- reading the history -------------------------------------------------------------------


def read_commits(
    repo: Repo,
    since: str | None,
    *,
    commit_message: str = DEFAULT_COMMIT_MESSAGE,
    paths: tuple[str, ...] = (),
    only_types: Container[str] | None = None,
    drop_noise: bool = False,
    max_count: int | None = None,
) -> list[Commit]:
    """The commits of ``since..HEAD`` (all of HEAD's history if None), newest first.

    The options are those of :func:`iter_commits`.
    """
    return list(
        iter_commits(
            repo,
            since,
            commit_message=commit_message,
            paths=paths,
            only_types=only_types,
            drop_noise=drop_noise,
            max_count=max_count,
        )
    )


def iter_commits(
    repo: Repo,
    since: str | None,
    *,
    commit_message: str = DEFAULT_COMMIT_MESSAGE,
    paths: tuple[str, ...] = (),
    only_types: Container[str] | None = None,
    drop_noise: bool = False,
    max_count: int | None = None,
) -> Iterator[Commit]:
    """The commits of ``since..HEAD`` (all of HEAD's history if None), newest first.

    One ``git log`` call; the commits come while git is still writing. Merge commits, the
    release commits made from the ``commit_message`` template and those of the common
    release tools are left out. With ``paths``, only the commits that touch them; with
    ``only_types``, no conventional commit of another type unless it is a breaking change;
    with ``drop_noise``, no commit of a bot and no dependency or hook update; with
    ``max_count``, only the newest commits git reads.
    """
    is_release = release_commit_matcher(commit_message)
    rev_range = f"{since}..HEAD" if since else None
    pieces = gitrepo.log_pieces(
        repo, rev_range, LOG_FORMAT, RECORD_START, paths, no_merges=True, max_count=max_count
    )
    for piece in pieces:
        for commit in parse_log(piece, only_types, drop_noise=drop_noise):
            subject = commit.subject
            if not is_release(subject) and not is_tool_release(subject):
                yield commit


def project_paths(config: Config, repo: Repo) -> tuple[str, ...]:
    """The folder a project below the repository root limits its history to."""
    folder = gitrepo.subdir(repo, config.root)
    return (folder,) if folder else ()


def section(
    config: Config,
    repo: Repo,
    version: str,
    date: dt.date | str | None,
    since: str | None,
    tag: str | None,
) -> str:
    """The rendered section of ``version``: the commits since ``since``, one ``git log``.

    Each commit's entry is formatted as git writes the commit, so that little is left to do
    once git ends, and no list of the whole history is kept.
    """
    entries = SectionEntries(
        repo_url=project_url(config, repo),
        include_other=config.changelog_include_other,
        extra_types=config.changelog_types,
    )
    entries.add(
        iter_commits(
            repo,
            since,
            commit_message=config.commit_message,
            paths=project_paths(config, repo),
            only_types=frozenset((*SECTION_OF_TYPE, *config.changelog_types)),
            drop_noise=not config.changelog_include_bots,
        )
    )
    return entries.render(version, date, previous_tag=since, tag=tag)


def changelog_edit(config: Config, version: str, rendered: str) -> FileEdit:
    """The edit adding the ``rendered`` section of release ``version`` to the changelog file."""
    from repokit.release.changelog_file import changelog_change

    return changelog_change(config, version, rendered)[0]


def write_unreleased(config: Config, repo: Repo, since: str | None = None) -> tuple[str, FileEdit]:
    """Write the section :func:`unreleased` shows into the changelog.

    Returns the section's heading (a version or ``Unreleased``) and the edit, unchanged when
    the file already had a section with that heading.
    """
    version, date, start, tag = pending_range(config, repo, since)
    edit = changelog_edit(config, version, section(config, repo, version, date, start, tag))
    if edit.changed:
        edit.apply()
        log.info("added the section %s to %s", version, edit.path)
    return version, edit


def pending_version(config: Config, repo: Repo) -> str | None:
    """The project's version if it has no release tag yet, else None.

    A development version (``8.5.0.dev``, ``2.0.0.dev3``) is not one a release is made as:
    its changes are unreleased.
    """
    version = _current_version(config, repo)
    if version is None or _is_development(version):
        return None
    if gitrepo.resolve_commit(repo, f"refs/tags/{config.tag_for(version)}"):
        return None
    return version


def _is_development(version: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version).is_devrelease
    except InvalidVersion:
        return False


def project_url(config: Config, repo: Repo) -> str | None:
    """The GitHub page of the project's remote, or None when it is not on GitHub."""
    url = gitrepo.remote_url(repo, config.remote)
    return github_repo_url(url) if url else None


def release_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` (UTC) when set, for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def last_release(config: Config, repo: Repo) -> str | None:
    """The tag of the last release, after checking that the history reaches it."""
    from packaging.version import InvalidVersion, Version

    from repokit.release.conventions import last_release_tag

    current = _current_version(config, repo)
    try:
        bound = Version(current) if current else None
    except InvalidVersion:
        bound = None
    if bound is not None and bound.is_devrelease:
        # work towards 3.14.2 left in the files after 3.14.2 was tagged: 3.14.2 is released
        bound = Version(bound.base_version)
    tag = last_release_tag(repo, config.tag_format, bound)
    check_history(config, repo, tag)
    return tag


def check_history(config: Config, repo: Repo, tag: str | None) -> None:
    """Refuse a shallow clone that does not reach the last release: its range would be wrong."""
    if tag is not None or not gitrepo.is_shallow(repo):
        return
    from repokit.release.changelog_file import ChangelogError

    msg = "this clone is shallow and the last release tag is not in its history"
    hint = (
        "fetch the whole history: pass --fetch-history (git fetch --unshallow --tags), "
        "or in GitHub Actions use actions/checkout with fetch-depth: 0"
    )
    raise ChangelogError(msg, hint=hint)


def pending_range(
    config: Config, repo: Repo, since: str | None
) -> tuple[str, dt.date | None, str | None, str | None]:
    """(heading, date, start, tag) of the section for the changes not released yet."""
    if since is not None and gitrepo.resolve_commit(repo, since) is None:
        msg = f"--since {since}: no such commit, tag or branch in {config.root}"
        raise UsageError(msg, hint="give a tag, branch or commit hash that 'git log' knows")
    start = since if since is not None else last_release(config, repo)
    version = pending_version(config, repo)
    if version is None:
        return UNRELEASED, None, start, None
    return version, release_date(), start, config.tag_for(version)


def _current_version(config: Config, repo: Repo) -> str | None:
    """The project's version; None when repokit cannot read it."""
    from repokit.release.sources import read_version

    try:
        return read_version(config, repo)
    except VersionError:
        return None


def suggested_bump(
    config: Config, repo: Repo, current: str, counter_start: int | None = None
) -> AutoBump:
    """The bump ``--bump auto`` picks for ``current``.

    When the notes are news fragments, their types decide while there are any; curated notes
    written for a version (``Version 8.4.0`` over ``Unreleased``) are released as it, and
    their sub-headings (``Added``, ``Features``, ``Breaking changes``) decide as types do.
    Else the commits since the last release tag decide (see
    :func:`repokit.release.bump_decision.decide`); bots and updates count only with
    ``changelog_include_bots``. ``counter_start``: see :func:`conventions.calver_counter`.
    """
    from repokit.release.bump_decision import SAMPLE, decide, decide_by_kinds, is_conventional

    def by_kinds(breaking: bool, feature: bool) -> AutoBump:
        return decide_by_kinds(
            current,
            breaking=breaking,
            feature=feature,
            today=release_date(),
            counter_start=counter_start,
            calver_auto=config.calver_auto,
        )

    if config.changelog_source == "fragments":
        from repokit.release.fragments import bump_of, pending_types

        breaking, feature, seen = bump_of(pending_types(config.root), config.fragment_bumps)
        if seen:
            return by_kinds(breaking, feature)
    curated_titles: list[str] | None = None
    if config.changelog_source == "curated":
        from repokit.release.curated import notes_titles, planned_version
        from repokit.release.fragments import bump_of

        planned = planned_version(config.root / config.changelog_file, current)
        if planned is not None and planned != current:
            return AutoBump(planned)
        # notes for the version the files already hold: that version's release, not a bump
        curated_titles = None if planned else notes_titles(config.root / config.changelog_file)
        breaking, feature, _ = bump_of((title, title) for title in curated_titles or ())
        if breaking or feature:
            return by_kinds(breaking, feature)
    since = last_release(config, repo)
    drop_noise = not config.changelog_include_bots
    paths = project_paths(config, repo)
    commits = read_commits(
        repo, since, commit_message=config.commit_message, paths=paths, drop_noise=drop_noise
    )
    sample = commits
    if len(commits) < SAMPLE:  # too few since the release: the newest of the whole history
        sample = read_commits(
            repo, None, commit_message=config.commit_message, paths=paths, max_count=4 * SAMPLE
        )
        sample = [c for c in sample if not is_noise(c.author, c.type, c.scope, c.description)]
    try:
        return decide(
            current,
            commits,
            since=since,
            conventional=is_conventional(sample),
            today=release_date(),
            counter_start=counter_start,
            calver_auto=config.calver_auto,
        )
    except ReleaseRefused:
        if curated_titles is None:
            raise
        # notes written by hand are worth a release, whatever the commits say
        return by_kinds(breaking=False, feature=False)
