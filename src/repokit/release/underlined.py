"""Changelogs whose headings are underlined: reStructuredText, and Markdown's setext form.

``CHANGES.rst`` or a ``HISTORY.md`` written as::

    2.34.2 (2026-05-14)
    -------------------

A new section copies the newest release's heading: its words around the version and the
date (in the date's own format), its underline character and overline, the
``.. _label-{version}:`` target above it, a ``Released <date>`` line under it, the
underline of its subsections and its list marker, so the file keeps one style. Titles of
subsections are bold when the file has none to copy: valid in both languages. A file with
no version heading to copy is refused (:class:`UnderlinedError`) rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from repokit.errors import RepokitError
from repokit.release import dates
from repokit.release.heading_style import RELEASED

_UNDERLINE = re.compile(r"(?P<char>[=\-~^*+#\"'`:.])(?P=char)*[ \t]*")
_VERSION = re.compile(r"\d+(?:\.\d+)+(?:[.-]?(?:a|b|rc|dev|post)\d*)*")
_ENTRY_REF = re.compile(r" \(\[(\w+)\]\([^)]*\)\)$")
_BULLET = re.compile(r"(?P<bullet>[-*+][ \t]+)\S")
_TARGET = re.compile(r"\.\. _[^:`]+:")


class UnderlinedError(RepokitError):
    """The changelog's headings cannot be told apart, so a section cannot be placed."""


@dataclass(frozen=True)
class Style:
    """How the newest release heading is written: ``title`` holds {version} (and {date}).

    ``extra`` is how much longer than the title its underline is; ``indent`` the spaces
    before an overlined title; ``target`` a ``.. _name-{version}:`` line above the heading;
    ``subsection`` the underline character of the titles in a section (None: bold titles).
    """

    title: str
    char: str
    released_line: bool
    bullet: str = "- "
    overline: bool = False
    indent: str = ""
    extra: int = 0
    date_format: str = "%Y-%m-%d"
    target: str | None = None
    subsection: str | None = None
    released: str = "Released {date}"


def headings(lines: list[str]) -> list[tuple[int, str]]:
    """(index of the title line, underline character) of every underlined heading.

    A title between an overline and an underline of the same characters may be indented.
    """
    found: list[tuple[int, str]] = []
    for index in range(len(lines) - 1):
        title = lines[index].rstrip("\r\n")
        underline = lines[index + 1].rstrip("\r\n")
        match = _UNDERLINE.fullmatch(underline)
        overlined = index > 0 and lines[index - 1].rstrip("\r\n") == underline
        if (
            match
            and title.strip()
            and (overlined or not title[:1].isspace())
            and _UNDERLINE.fullmatch(title) is None
            and len(underline.rstrip()) >= len(title.rstrip())
        ):
            found.append((index, match["char"]))
    return found


def version_headings(lines: list[str]) -> list[tuple[int, str]]:
    return [(i, c) for i, c in headings(lines) if _VERSION.search(lines[i])]


def start_of(lines: list[str], index: int) -> int:
    """The first line of the heading titled at ``index``: its overline, or its title."""
    overlined = index > 0 and lines[index - 1].rstrip("\r\n") == lines[index + 1].rstrip("\r\n")
    return index - 1 if overlined else index


def uses_underlines(text: str) -> bool:
    """Whether the releases of ``text`` are underlined headings (not ``## `` ones)."""
    lines = text.splitlines()
    if any(line.startswith("## ") and _VERSION.search(line) for line in lines):
        return False
    return bool(version_headings(lines))


def style_of(text: str, where: str) -> Style:
    lines = text.splitlines()
    found = version_headings(lines)
    if not found:
        msg = f"{where}: no release heading (a version over an underline) to place a section by"
        hint = "add one, or point [tool.repokit] changelog_file to a Markdown changelog"
        raise UnderlinedError(msg, hint=hint)
    index, char = found[0]
    raw = lines[index].rstrip()
    title = raw.strip()
    version = _VERSION.search(title)
    assert version is not None
    title = title[: version.start()] + "{version}" + title[version.end() :]
    date_format = "%Y-%m-%d"
    date = dates.find(title)
    if date is not None and dates.format_of(date[0]):
        date_format = dates.format_of(date[0]) or date_format
        title = title[: date.start()] + "{date}" + title[date.end() :]
    released, released_line = _released(lines, found)
    end = found[1][0] if len(found) > 1 else len(lines)
    subtitles = [c for i, c in headings(lines) if index + 1 < i < end and c != char]
    bullets = [m for m in map(_BULLET.match, lines[index + 2 : end]) if m]
    return Style(
        title,
        char,
        released_line,
        bullet=bullets[0]["bullet"] if bullets else "- ",
        overline=start_of(lines, index) < index,
        indent=raw[: len(raw) - len(raw.lstrip())],
        extra=max(0, len(lines[index + 1].rstrip()) - len(raw)),
        date_format=date_format if "{date}" in title else released or date_format,
        target=_target(lines, start_of(lines, index), version[0]),
        subsection=subtitles[0] if subtitles else None,
    )


def render(markdown_section: str, style: Style, version: str, date: str | None) -> str:
    """The Markdown section rendered by the changelog, rewritten in ``style``.

    An ``Unreleased`` section (``date`` None) is titled just that.
    """
    when = dt.date.fromisoformat(date) if date else None
    written = dates.render(when, style.date_format) if when else None
    if written:
        title = style.title.replace("{version}", version).replace("{date}", written)
    else:
        title = "Unreleased"
    title = style.indent + title
    line = style.char * (len(title) + style.extra)
    out = [line, title, line, ""] if style.overline else [title, line, ""]
    if style.target and written:
        out = [style.target.replace("{version}", version), "", *out]
    if style.released_line and written:
        out += [style.released.replace("{date}", written), ""]
    for entry in markdown_section.rstrip("\n").split("\n")[2:]:
        if entry.startswith("### ") and style.subsection:
            name = entry[4:].strip()
            out += [name, style.subsection * len(name)]
        elif entry.startswith("### "):
            out.append(f"**{entry[4:].strip()}**")
        elif re.match(r"\[[^\]]+\]: ", entry):
            continue
        else:
            entry = style.bullet + entry[2:] if entry.startswith("- ") else entry
            out.append(_ENTRY_REF.sub(r" (\1)", entry))
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def insert(existing: str, section: str, version: str) -> str:
    """``existing`` with ``section`` before its newest release heading (once per version)."""
    newline = "\r\n" if "\r\n" in existing.split("\n", 1)[0] + "\n" else "\n"
    lines = existing.splitlines(keepends=True)
    bare = [line.rstrip("\r\n") for line in lines]
    found = version_headings(bare)
    for index, _ in found:
        named = _VERSION.search(lines[index])
        if named and named.group(0) == version:
            return existing
    if version.lower() == "unreleased" and any(
        bare[index].strip(" *_").lower() == "unreleased" for index, _ in headings(bare)
    ):
        return existing  # ``*unreleased*`` over tildes: the file has its own section for it
    at = len(lines)
    if found:
        at = start_of(bare, found[0][0])
        named = _VERSION.search(bare[found[0][0]])
        if named and _target(bare, at, named[0]):
            at = _target_line(bare, at) or at
    block = [line + newline for line in section.rstrip("\n").split("\n")]
    block.append(newline)
    if at > 0 and lines[at - 1].strip():
        block.insert(0, newline)
    return "".join(lines[:at] + block + lines[at:])


def _released(lines: list[str], found: list[tuple[int, str]]) -> tuple[str | None, bool]:
    """The date format of the ``Released <date>`` lines under the newest headings, if any.

    The newest may say ``Unreleased`` there instead (written ahead of its release).
    """
    for index, _ in found[:3]:
        following = [line.strip() for line in lines[index + 2 : index + 6] if line.strip()]
        match = RELEASED.fullmatch(following[0]) if following else None
        fmt = dates.format_of(match["date"]) if match else None
        if fmt:
            return fmt, True
    return None, False


def _target_line(lines: list[str], start: int) -> int | None:
    """The index of the ``.. _name:`` target just above line ``start`` (a blank between)."""
    at = start - 1
    while at >= 0 and not lines[at].strip() and at >= start - 2:
        at -= 1
    return at if at >= 0 and _TARGET.fullmatch(lines[at].strip()) else None


def _target(lines: list[str], start: int, version: str) -> str | None:
    """The target above the heading starting at ``start``, with ``{version}``; None if none."""
    at = _target_line(lines, start)
    if at is None or version not in lines[at]:
        return None
    return lines[at].strip().replace(version, "{version}", 1)
