"""The changelog file the project keeps: finding it, and the edit adding a release to it.

Markdown files go through :mod:`repokit.release.keepachangelog`, in the heading style
:mod:`repokit.release.heading_style` reads from the file (Keep a Changelog's when it has
no release yet, or one written in a way it cannot read surely); reStructuredText and
underlined Markdown headings through :mod:`repokit.release.underlined`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from repokit.config import Config
from repokit.edits import FileEdit
from repokit.errors import RepokitError
from repokit.release import heading_style, underlined
from repokit.release.changelog_locate import locate
from repokit.release.keepachangelog import UNRELEASED, insert_section, merged_section
from repokit.release.released_line import mark_released, written_ahead


class ChangelogError(RepokitError):
    """The changelog file cannot be read or updated."""


def changelog_change(config: Config, version: str, rendered: str) -> tuple[FileEdit, str]:
    """The edit adding release ``version`` to the changelog, and its section as written.

    See :func:`add_section`.
    """
    path = changelog_path(config)
    before = _read(path)
    existing = None if before is None else before.decode("utf-8")
    after, written = add_section(path, existing, version, rendered)
    return FileEdit(path, before, after.encode("utf-8")), written


def add_section(path: Path, existing: str | None, version: str, rendered: str) -> tuple[str, str]:
    """The text of the changelog ``path`` with release ``version`` added, and its section.

    ``rendered`` is the section in Keep a Changelog's form (see render_section). The section
    as written is what the tag carries: in the file's own heading style, with the
    hand-written ``[Unreleased]`` notes merged in; or, when the file already has the
    version's section marked ``Unreleased``, that section, dated.
    """
    when = _date_of(rendered)
    marked = mark_released(existing, version, when) if existing and when else None
    if marked is not None:  # the section was written ahead of the release: date it
        return marked
    ahead = written_ahead(existing) if existing and version == UNRELEASED else None
    if existing and ahead is not None:  # the next version's section holds what is unreleased
        return existing, ahead
    if path.suffix.lower() == ".rst" or (existing and underlined.uses_underlines(existing)):
        return _underlined_change(path, existing, version, rendered)
    style = heading_style.style_of(existing) if existing else None
    if existing is None or style is None:
        return insert_section(existing, rendered, version), merged_section(existing, rendered)
    previous = heading_style.newest_version(existing)
    styled = heading_style.restyle(rendered, style, version, previous)
    written = merged_section(existing, styled, style.level)
    return insert_section(existing, styled, version, style.level), written


def _underlined_change(
    path: Path, existing: str | None, version: str, rendered: str
) -> tuple[str, str]:
    heading = rendered.split("\n", 1)[0]
    date = heading.split(" - ", 1)[1].strip() if " - " in heading else None
    if not existing or not existing.strip():
        style = underlined.Style("{version} ({date})" if date else "{version}", "-", False)
        text = underlined.render(rendered, style, version, date)
        return f"Changelog\n=========\n\n{text}", text
    style = underlined.style_of(existing, str(path))
    text = underlined.render(rendered, style, version, date)
    # the ``.. _name:`` target above the heading is for the docs' links, not the tag message
    message = text.split("\n\n", 1)[1] if style.target and date else text
    return underlined.insert(existing, text, version), message


def _date_of(rendered: str) -> dt.date | None:
    """The date of a rendered ``## [version] - date`` heading; None for ``Unreleased``."""
    heading = rendered.split("\n", 1)[0]
    try:
        return dt.date.fromisoformat(heading.split(" - ", 1)[1].strip())
    except (IndexError, ValueError):
        return None


def changelog_path(config: Config) -> Path:
    """The changelog the project keeps: configured, else found, else a new CHANGELOG.md.

    See :mod:`repokit.release.changelog_locate`.
    """
    return locate(config.root, configured=config.changelog_file).path


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
