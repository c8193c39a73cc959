"""Curated notes: the maintainer's unreleased section becomes the release's, as written.

The heading becomes the version's, in the file's style (the newest release heading's
words, date format, level or underline); the entries stay exactly as written and no commit
line is added. ``Latest Changes`` keeps its heading and gets the release's heading under
it, as projects that use it do. A section written ahead (a version heading over an
``Unreleased`` line) is dated. An empty unreleased section is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from repokit.errors import RepokitError
from repokit.release import heading_style, underlined
from repokit.release.keepachangelog import UNRELEASED
from repokit.release.released_line import mark_released
from repokit.release.unreleased_section import Unreleased, find

EMPTY_HINT = (
    "write the release notes under the Unreleased heading, "
    "or pass --changelog-source commits to list the commits instead"
)


class CuratedNotesError(RepokitError):
    """The curated notes cannot make the release's section."""


def release(path: Path, text: str, version: str, date: str, rendered: str) -> tuple[str, str]:
    """(the file with the unreleased section released as ``version``, the section).

    ``rendered`` is the commits' section without entries (``## [version] - date`` and its
    link reference), used for the heading and the links of Keep a Changelog files.
    """
    name = path.name
    found = find(text)
    if found is None:
        msg = f"{name}: no unreleased section to release (the notes are curated)"
        hint = "add an 'Unreleased' section with the notes, or pass --changelog-source commits"
        raise CuratedNotesError(msg, hint=hint)
    if not found.body.strip():
        raise CuratedNotesError(f"{name}: no release notes under Unreleased", hint=EMPTY_HINT)
    if found.version is not None and found.version != version:
        msg = f"{name}: the unreleased notes are for {found.version}, the release is {version}"
        raise CuratedNotesError(msg, hint=f"release them as written: --bump {found.version}")
    if found.written_ahead:
        import datetime as dt

        marked = mark_released(text, version, dt.date.fromisoformat(date))
        if marked is not None:
            return marked
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    if found.markdown_level is not None and _plain_unreleased(lines, found):
        from repokit.release.changelog_file import add_section

        return add_section(path, text, version, rendered)
    heading = _heading(path, text, found, version, rendered)
    if found.kept:
        block = [*lines[: found.body_start], "", *heading, ""]
    else:
        block = [*lines[: found.start], *heading, ""]
    rest = lines[found.body_start :]
    while rest and not rest[0].strip():
        rest.pop(0)
    after = newline.join(block + rest)
    shown = [line for line in heading if not line.startswith(".. _")]
    while shown and not shown[0].strip():
        shown.pop(0)
    return after, "\n".join([*shown, "", found.body.rstrip("\n")]) + "\n"


def _plain_unreleased(lines: list[str], found: Unreleased) -> bool:
    """``## [Unreleased]`` or ``## Unreleased`` at the level of the releases: Keep a
    Changelog's own, whose links the Markdown writer keeps true."""
    title = lines[found.start].lstrip("#").strip().strip("[]").lower()
    style = heading_style.style_of("\n".join(lines))
    level = style.level if style is not None else 2
    return title == UNRELEASED.lower() and found.markdown_level == level and not found.kept


def _heading(path: Path, text: str, found: Unreleased, version: str, rendered: str) -> list[str]:
    """The release's heading lines in the file's style (with a ``Released`` line if used)."""
    date = rendered.split("\n", 1)[0].split(" - ", 1)[1].strip()
    if found.markdown_level is None:
        style = underlined.style_of(text, str(path))
        written = underlined.render(rendered.split("\n", 1)[0] + "\n", style, version, date)
        return written.rstrip("\n").split("\n")
    markdown = heading_style.style_of(text) or _at_level(
        heading_style.DEFAULT, found.markdown_level
    )
    previous = heading_style.newest_version(text)
    styled = heading_style.restyle(rendered, markdown, version, previous).split("\n")
    out = [styled[0]]
    if markdown.released and len(styled) > 2:
        out += ["", styled[2]]
    return out


def _at_level(style: heading_style.Style, level: int) -> heading_style.Style:
    import dataclasses

    return dataclasses.replace(style, level=level)


def planned_version(path: Path, current: str) -> str | None:
    """The version the unreleased notes are written for, when it is not before ``current``."""
    from packaging.version import InvalidVersion, Version

    try:
        found = find(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    if found is None or found.version is None:
        return None
    try:
        return found.version if Version(found.version) >= Version(current) else None
    except InvalidVersion:
        return None


def notes_titles(path: Path) -> list[str] | None:
    """The sub-headings of the unreleased notes (``### Added``, ``**Features**``, underlined
    titles); None when there are no notes."""
    try:
        found = find(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    if found is None or not found.body.strip():
        return None
    lines = found.body.splitlines()
    titles = []
    for index, line in enumerate(lines):
        underline = lines[index + 1].strip() if index + 1 < len(lines) else ""
        bold = re.fullmatch(r"\*\*([^*]+)\*\*:?", line.strip())
        if line.startswith("#"):
            titles.append(line.lstrip("#").strip())
        elif bold:
            titles.append(bold[1])
        elif line.strip() and len(underline) >= len(line.strip()) and len(set(underline)) == 1:
            titles.append(line.strip())
    return titles
