"""A release's notes from the project's notes source: the file edits and the tag message.

``commits``: the Conventional Commits section, in the changelog's own shape
(:mod:`repokit.release.changelog_file`). ``fragments``: towncrier's rendering of the pending
news fragments, added where towncrier adds it, the fragments removed. ``curated``: the
maintainer's unreleased section, released as written. ``none``: no file changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from repokit.config import Config
from repokit.edits import FileEdit
from repokit.release.changelog import project_url, section
from repokit.release.changelog_file import ChangelogError, changelog_change, changelog_path
from repokit.release.section import SectionEntries

if TYPE_CHECKING:
    from repokit.gitrepo import Repo
    from repokit.release.fragments import TowncrierConfig


@dataclass(frozen=True)
class Notes:
    """The edits writing a release's notes, and the section the tag carries."""

    section: str
    edits: list[FileEdit] = field(default_factory=list)


def release_notes(
    config: Config,
    repo: Repo,
    version: str,
    date: dt.date,
    previous_tag: str | None,
    tag: str | None,
) -> Notes:
    """The notes of release ``version`` from ``config.changelog_source`` (commits if unset)."""
    source = config.changelog_source or "commits"
    if source == "fragments":
        return _fragments(config, version, date.isoformat())
    if source == "curated":
        return _curated(config, repo, version, date, previous_tag, tag)
    rendered = section(config, repo, version, date, previous_tag, tag)
    if source == "none":
        return Notes(rendered)
    edit, written = changelog_change(config, version, rendered)
    return Notes(written, [edit] if edit.changed else [])


def towncrier_config(config: Config) -> TowncrierConfig:
    """The project's towncrier configuration; refused when the notes are fragments without one."""
    from repokit.release.fragments import read_config

    found = read_config(config.root)
    if found is None:
        msg = f"{config.pyproject}: the notes are news fragments, but towncrier is not configured"
        hint = (
            "add a [tool.towncrier] table (directory = ..., filename = ...), "
            "or set [tool.repokit] changelog_source"
        )
        raise ChangelogError(msg, hint=hint)
    return found


def _fragments(config: Config, version: str, date: str | None) -> Notes:
    from repokit.release import fragments, towncrier_run

    towncrier = towncrier_config(config)
    content = towncrier_run.draft(towncrier, version, date, None)
    edits = [towncrier_run.news_edit(towncrier, content, towncrier.news_file)]
    edits += [
        FileEdit(fragment.path, fragment.path.read_bytes(), None)
        for fragment in fragments.pending(towncrier)
    ]
    return Notes(content.rstrip("\n") + "\n", edits)


def _curated(
    config: Config,
    repo: Repo,
    version: str,
    date: dt.date,
    previous_tag: str | None,
    tag: str | None,
) -> Notes:
    from repokit.release import curated

    path = changelog_path(config)
    try:
        before = path.read_bytes()
    except OSError:
        msg = f"{path.name}: the notes are curated, but the file cannot be read"
        hint = "pass --changelog-source commits, or set [tool.repokit] changelog_file"
        raise ChangelogError(msg, hint=hint) from None
    heading = SectionEntries(repo_url=project_url(config, repo)).render(
        version, date, previous_tag=previous_tag, tag=tag
    )
    after, written = curated.release(
        path, before.decode("utf-8"), version, date.isoformat(), heading
    )
    return Notes(written, [FileEdit(path, before, after.encode("utf-8"))])


def draft(config: Config, repo: Repo, version: str, date: dt.date | None, since: str | None) -> str:
    """The notes not released yet, as ``repokit changelog`` prints them: in the file's format.

    ``fragments``: towncrier's draft; ``curated``: the unreleased section as written;
    ``commits`` (and ``none``): the commits' section in the changelog's own style.
    """
    source = config.changelog_source or "commits"
    if source == "fragments":
        return _fragments(config, version, date.isoformat() if date else None).section
    if source == "curated":
        from repokit.release.curated import EMPTY_HINT, CuratedNotesError
        from repokit.release.unreleased_section import find

        path = changelog_path(config)
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        found = find(text)
        if found is None or not found.body.strip():
            raise CuratedNotesError(
                f"{path.name}: no release notes under Unreleased", hint=EMPTY_HINT
            )
        lines = text.splitlines()
        heading = "\n".join(lines[found.start : found.body_start]).strip("\n")
        return f"{heading}\n\n{found.body}"
    tag = config.tag_for(version) if date is not None else None
    rendered = section(config, repo, version, date, since, tag)
    if source == "none":
        return rendered
    from repokit.release.changelog_file import add_section

    path = changelog_path(config)
    existing = path.read_text(encoding="utf-8") if path.is_file() else None
    return add_section(path, existing, version, rendered)[1]
