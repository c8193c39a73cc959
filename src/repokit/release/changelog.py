"""git history -> Conventional Commits -> a Keep a Changelog section in CHANGELOG.md.

Rendering (:func:`render_section`) and insertion (:func:`insert_section`) are pure functions
over text; :func:`read_commits` reads the history with one ``git log``; the rest glues them to a
project's config for the release plan (:func:`changelog_edit`) and ``repokit changelog``.

Where a new section goes in an existing file: above the newest release, that is before the
first ``## `` heading, or after the ``## [Unreleased]`` section when the file starts with one
(hand-written notes there stay where their author put them). A file without any ``## ``
heading gets the section at its end. Every existing line is kept byte for byte, in the file's
own line endings, and a version that already has a section is never added twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from repokit import gitrepo
from repokit.config import Config
from repokit.edits import FileEdit
from repokit.errors import RepokitError, UsageError, VersionError
from repokit.release.conventional import (
    LOG_FORMAT,
    RECORD_START,
    Commit,
    parse_commit,
    parse_log,
    release_commit_pattern,
    summarize,
)

if TYPE_CHECKING:
    import git

__all__ = [
    "ChangelogError",
    "Commit",
    "changelog_edit",
    "github_repo_url",
    "insert_section",
    "parse_commit",
    "pending_version",
    "read_commits",
    "render_section",
    "section",
    "summarize",
    "unreleased",
    "write_unreleased",
]

log = logging.getLogger(__name__)

UNRELEASED = "Unreleased"
DEFAULT_COMMIT_MESSAGE = "chore: bump version to {version}"

BREAKING = "Breaking changes"
OTHER = "Other"
#: Section titles in the order they appear; types not listed here go to "Other".
SECTION_ORDER = (
    BREAKING,
    "Features",
    "Bug fixes",
    "Performance",
    "Reverts",
    "Documentation",
    OTHER,
)
SECTION_OF_TYPE = {
    "feat": "Features",
    "fix": "Bug fixes",
    "perf": "Performance",
    "revert": "Reverts",
    "docs": "Documentation",
}
NO_CHANGES = "No notable changes."

NEW_FILE = (
    "# Changelog\n"
    "\n"
    "All notable changes to this project are documented in this file.\n"
    "\n"
    "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n"
)

_GITHUB_REMOTE = re.compile(
    r"""(?:
        (?:https?|git|ssh|git\+ssh)://(?:[^@/]+@)?(?:www\.)?github\.com(?::\d+)?/
      | [^@/:\s]+@github\.com:
      | github\.com:
    )
    (?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+?)(?:\.git)?/?""",
    re.IGNORECASE | re.VERBOSE,
)
_HEADING = re.compile(r"##[ \t]")
_FENCE = re.compile(r"[ ]{0,3}(?P<fence>`{3,}|~{3,})")
_LINK_DEFINITION = re.compile(r"\[(?P<label>[^\]]+)\]:[ \t]*\S")


class ChangelogError(RepokitError):
    """The changelog file cannot be read or updated."""


# --- rendering -----------------------------------------------------------------------------


def github_repo_url(remote_url: str) -> str | None:
    """``https://github.com/<owner>/<repo>`` for a GitHub remote (https, ssh, scp-like); else None.

    Credentials in the URL are dropped, so the result is safe to print.
    """
    found = _GITHUB_REMOTE.fullmatch(remote_url.strip())
    if found is None or found.group("name") in (".", ".."):
        return None
    return f"https://github.com/{found.group('owner')}/{found.group('name')}"


def render_section(
    version: str,
    date: dt.date | str | None,
    commits: Iterable[Commit],
    *,
    repo_url: str | None,
    previous_tag: str | None,
    tag: str | None,
    include_other: bool = True,
) -> str:
    """One Keep a Changelog section (``## [version] - date``) for ``commits``, in their order.

    ``date`` None leaves the date out (the ``Unreleased`` section); ``tag`` None compares with
    HEAD. With ``repo_url`` hashes link to their commits and a link reference definition for the
    heading closes the section; without it hashes are plain text. ``include_other=False`` leaves
    out the commits whose message is not conventional.
    """
    entries: dict[str, list[str]] = {title: [] for title in SECTION_ORDER}
    commit_url = f"{repo_url}/commit/" if repo_url else None
    for commit in commits:
        if commit.type is None and not include_other:
            continue
        if commit_url is None:
            ref = f" ({commit.short})"
        else:
            ref = f" ([{commit.short}]({commit_url}{commit.sha}))"
        scope = f"**{commit.scope}:** " if commit.scope else ""
        if commit.breaking:
            for note in commit.breaking_notes or (commit.description,):
                entries[BREAKING].append(f"- {scope}{note}{ref}")
        title = SECTION_OF_TYPE.get(commit.type, OTHER) if commit.type else OTHER
        entries[title].append(f"- {scope}{commit.description}{ref}")

    heading = f"## [{version}]" if date is None else f"## [{version}] - {date}"
    parts = [heading, ""]
    for title in SECTION_ORDER:
        if entries[title]:
            parts += [f"### {title}", "", *entries[title], ""]
    if len(parts) == 2:
        parts += [NO_CHANGES, ""]
    if repo_url:
        parts.append(f"[{version}]: {compare_url(repo_url, previous_tag, tag)}")
    else:
        parts.pop()
    return "\n".join(parts) + "\n"


def compare_url(repo_url: str, previous_tag: str | None, tag: str | None) -> str:
    """Where GitHub shows the changes of a release: a compare view, or the commits of the first."""
    target = tag or "HEAD"
    if previous_tag:
        return f"{repo_url}/compare/{previous_tag}...{target}"
    return f"{repo_url}/commits/{target}"


# --- insertion -----------------------------------------------------------------------------


def insert_section(existing: str | None, section: str, version: str) -> str:
    """``existing`` (a CHANGELOG.md's text, None if none) with ``section`` added on top.

    The section goes before the newest release (see the module's docstring) and its link
    reference definition, if any, joins those at the bottom of the file (after an
    ``[unreleased]:`` one). Nothing else changes; when ``version`` already has a section the
    text comes back as it was.
    """
    if not existing:  # no file, or an empty one
        return insert_section(NEW_FILE, section, version)
    newline = _newline_of(existing)
    lines = _split_lines(existing)
    headings = _heading_indexes(lines)
    if any(_names_version(lines[index], version) for index in headings):
        log.info("the changelog already has a section for %s", version)
        return existing
    body, definitions = _split_definitions(section)
    block_start = _definitions_start(lines)

    at = block_start
    if headings:
        at = headings[0]
        if _names_version(lines[at], UNRELEASED):
            later = [index for index in headings if index > at]
            at = later[0] if later else block_start

    new_definitions = [line for line in definitions if not _defines(lines, line)]
    if new_definitions:
        link_at = block_start
        if block_start < len(lines) and _label(lines[block_start]).lower() == UNRELEASED.lower():
            link_at = block_start + 1
        lines = _splice(lines, link_at, new_definitions, newline, spaced=link_at == len(lines))
    lines = _splice(lines, at, body, newline, spaced=True)
    return "".join(lines)


def _newline_of(text: str) -> str:
    """The line ending of ``text``'s first line (``\\n`` for a one-line text)."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings; only ``\\n`` ends a line (not form feeds)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    return lines


def _heading_indexes(lines: Sequence[str]) -> list[int]:
    """Indexes of the ``## `` headings, leaving out lines inside fenced code blocks.

    A fence that is never closed is taken for a stray line (a truncated or broken file), not
    for a code block running to the end: the headings after it still count.
    """
    found: list[int] = []
    fenced: list[int] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            closing = opening.group("fence") if opening else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence, fenced = None, []
            elif _HEADING.match(line):
                fenced.append(index)
        elif opening is not None:
            fence = opening.group("fence")
        elif _HEADING.match(line):
            found.append(index)
    return sorted(found + fenced)


def _names_version(heading: str, version: str) -> bool:
    """Whether a ``## `` heading is the section of ``version`` (``[1.2.0]``, ``v1.2.0``, ...)."""
    text = heading[2:].strip().removeprefix("[")
    text = text[1:] if text[:1] in "vV" and text[1:2].isdigit() else text
    if not text.lower().startswith(version.lower()):
        return False
    rest = text[len(version) :]
    return not rest or rest[0] in "] \t(-"


def _split_definitions(section: str) -> tuple[list[str], list[str]]:
    """A rendered section's lines, and the link reference definitions that close it."""
    lines = section.rstrip("\n").split("\n")
    definitions: list[str] = []
    while lines and _LINK_DEFINITION.match(lines[-1]):
        definitions.insert(0, lines.pop())
    while lines and not lines[-1].strip():
        lines.pop()
    return lines, definitions


def _definitions_start(lines: Sequence[str]) -> int:
    """Where the link reference definitions at the bottom start; the end when there are none."""
    index = len(lines)
    while index > 0 and not lines[index - 1].strip():
        index -= 1
    start = index
    while start > 0 and _LINK_DEFINITION.match(lines[start - 1]):
        start -= 1
    return start if start < index else len(lines)


def _label(line: str) -> str:
    found = _LINK_DEFINITION.match(line)
    return found.group("label") if found else ""


def _defines(lines: Iterable[str], definition: str) -> bool:
    """Whether ``lines`` already define the label of ``definition`` (labels ignore case)."""
    label = _label(definition).lower()
    return any(_label(line).lower() == label for line in lines if line.startswith("["))


def _splice(
    lines: list[str], at: int, block: Sequence[str], newline: str, *, spaced: bool
) -> list[str]:
    """``lines`` with ``block`` inserted before ``at``, blank lines around it if ``spaced``."""
    before, after = lines[:at], lines[at:]
    if before and not before[-1].endswith("\n"):
        before[-1] += newline  # the file had no final newline: end its last line
    new = [line + newline for line in block]
    if spaced and before and before[-1].strip():
        new.insert(0, newline)
    if spaced and after and after[0].strip():
        new.append(newline)
    return before + new + after


# --- reading the history -------------------------------------------------------------------


def read_commits(
    repo: git.Repo, since: str | None, *, commit_message: str = DEFAULT_COMMIT_MESSAGE
) -> list[Commit]:
    """The commits of ``since..HEAD`` (all of HEAD's history if None), newest first.

    One ``git log`` call, parsed while git writes it. Merge commits and the release commits
    made from the ``commit_message`` template are left out.
    """
    release = release_commit_pattern(commit_message)
    commits: list[Commit] = []
    rev_range = f"{since}..HEAD" if since else None
    for piece in gitrepo.log_pieces(repo, rev_range, LOG_FORMAT, RECORD_START):
        commits += (
            commit
            for commit in parse_log(piece)
            if commit.parents <= 1 and release.fullmatch(commit.subject) is None
        )
    return commits


def section(
    config: Config,
    repo: git.Repo,
    version: str,
    date: dt.date | str | None,
    since: str | None,
    tag: str | None,
) -> str:
    """The rendered section of ``version``: the commits since ``since``, one ``git log``."""
    commits = read_commits(repo, since, commit_message=config.commit_message)
    return render_section(
        version,
        date,
        commits,
        repo_url=project_url(config, repo),
        previous_tag=since,
        tag=tag,
        include_other=config.changelog_include_other,
    )


def changelog_edit(config: Config, version: str, rendered: str) -> FileEdit:
    """The edit adding the ``rendered`` section of release ``version`` to the changelog file."""
    path = config.root / config.changelog_file
    before = _read(path)
    existing = None if before is None else before.decode("utf-8")
    return FileEdit(path, before, insert_section(existing, rendered, version).encode("utf-8"))


def unreleased(config: Config, repo: git.Repo, since: str | None = None) -> str:
    """The section of the changes since the last release tag (or ``since``), not yet written.

    It is headed with the version the project will release, when known (see
    :func:`pending_version`), else ``Unreleased``.
    """
    return section(config, repo, *_pending(config, repo, since))


def write_unreleased(
    config: Config, repo: git.Repo, since: str | None = None
) -> tuple[str, FileEdit]:
    """Write the section :func:`unreleased` shows into the changelog.

    Returns the section's heading (a version or ``Unreleased``) and the edit, unchanged when
    the file already had a section with that heading.
    """
    version, date, start, tag = _pending(config, repo, since)
    edit = changelog_edit(config, version, section(config, repo, version, date, start, tag))
    if edit.changed:
        edit.apply()
        log.info("added the section %s to %s", version, edit.path)
    return version, edit


def pending_version(config: Config, repo: git.Repo) -> str | None:
    """The project's version from pyproject.toml if it has no release tag yet, else None."""
    version = _current_version(config)
    if version is None or gitrepo.resolve_commit(repo, f"refs/tags/{config.tag_for(version)}"):
        return None
    return version


def project_url(config: Config, repo: git.Repo) -> str | None:
    """The GitHub page of the project's remote, or None when it is not on GitHub."""
    url = gitrepo.remote_url(repo, config.remote)
    return github_repo_url(url) if url else None


def release_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` (UTC) when set, for reproducible output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def _pending(
    config: Config, repo: git.Repo, since: str | None
) -> tuple[str, dt.date | None, str | None, str | None]:
    """(heading, date, start, tag) of the section for the changes not released yet."""
    if since is not None and gitrepo.resolve_commit(repo, since) is None:
        msg = f"--since {since}: no such commit, tag or branch in {config.root}"
        raise UsageError(msg, hint="give a tag, branch or commit hash that 'git log' knows")
    start = since if since is not None else gitrepo.last_tag(repo, config.tag_glob())
    version = pending_version(config, repo)
    if version is None:
        return UNRELEASED, None, start, None
    return version, release_date(), start, config.tag_for(version)


def _read(path: Path) -> bytes | None:
    """The bytes of the changelog, None if it does not exist; it must be UTF-8 text."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        msg = f"{path}: cannot read: {error.strerror}"
        raise ChangelogError(msg, hint="check the file's permissions") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"{path}: not UTF-8 text (byte {error.start})"
        raise ChangelogError(msg, hint="save the changelog as UTF-8 and try again") from None
    return data


def _current_version(config: Config) -> str | None:
    """The version in pyproject.toml; None when it is dynamic or missing."""
    from repokit.release.versioning import read_version

    try:
        return read_version(config)
    except VersionError:
        return None


def suggested_bump(config: Config, repo: git.Repo, current: str) -> str:
    """The bump ``--bump auto`` picks from the commits since the last release tag."""
    from repokit.release.versioning import auto_bump

    since = gitrepo.last_tag(repo, config.tag_glob())
    breaking, feature = summarize(read_commits(repo, since, commit_message=config.commit_message))
    return auto_bump(current, breaking=breaking, feature=feature)
