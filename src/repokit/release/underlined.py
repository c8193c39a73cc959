"""Changelogs whose headings are underlined: reStructuredText, and Markdown's setext form.

``CHANGES.rst`` or a ``HISTORY.md`` written as::

    2.34.2 (2026-05-14)
    -------------------

A new section copies the newest release's heading: its words around the version and the
date, and its underline character, so the file keeps one style. The entries are plain
bullet lists under bold titles, valid in both languages. A file with no version heading to
copy is refused (:class:`UnderlinedError`) rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repokit.errors import RepokitError

_UNDERLINE = re.compile(r"(?P<char>[=\-~^*+#\"'`:.])(?P=char)*[ \t]*")
_VERSION = re.compile(r"\d+(?:\.\d+)+(?:[.-]?(?:a|b|rc|dev|post)\d*)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BULLET = re.compile(r"(?P<bullet>[-*+][ \t]+)\S")
_ENTRY_REF = re.compile(r" \(\[(\w+)\]\([^)]*\)\)$")


class UnderlinedError(RepokitError):
    """The changelog's headings cannot be told apart, so a section cannot be placed."""


@dataclass(frozen=True)
class Style:
    """How the newest release heading is written: ``title`` holds {version} (and {date})."""

    title: str
    char: str
    released_line: bool
    bullet: str = "- "


def headings(lines: list[str]) -> list[tuple[int, str]]:
    """(index of the title line, underline character) of every underlined heading."""
    found: list[tuple[int, str]] = []
    for index in range(len(lines) - 1):
        title = lines[index].rstrip("\r\n")
        underline = lines[index + 1].rstrip("\r\n")
        match = _UNDERLINE.fullmatch(underline)
        if (
            match
            and title.strip()
            and not title[:1].isspace()
            and _UNDERLINE.fullmatch(title) is None
            and len(underline.rstrip()) >= len(title.rstrip())
        ):
            found.append((index, match["char"]))
    return found


def version_headings(lines: list[str]) -> list[tuple[int, str]]:
    return [(i, c) for i, c in headings(lines) if _VERSION.search(lines[i])]


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
    title = lines[index].strip()
    version = _VERSION.search(title)
    assert version is not None
    title = title[: version.start()] + "{version}" + title[version.end() :]
    title = _DATE.sub("{date}", title, count=1)
    following = [line.strip() for line in lines[index + 2 : index + 6] if line.strip()]
    released = bool(following) and following[0].startswith("Released ")
    later = [i for i, _ in found[1:]]
    body = lines[index + 2 : later[0] if later else len(lines)]
    bullets = [m for m in map(_BULLET.match, body) if m]
    bullet = bullets[0]["bullet"] if bullets else "- "
    return Style(title, char, released, bullet)


def render(markdown_section: str, style: Style, version: str, date: str | None) -> str:
    """The Markdown section rendered by the changelog, rewritten in ``style``."""
    title = style.title.replace("{version}", version).replace("{date}", date or "unreleased")
    out = [title, style.char * len(title), ""]
    if style.released_line:
        out += [f"Released {date}" if date else "Unreleased", ""]
    for line in markdown_section.rstrip("\n").split("\n")[2:]:
        if line.startswith("### "):
            out.append(f"**{line[4:].strip()}**")
        elif re.match(r"\[[^\]]+\]: ", line):
            continue
        else:
            line = style.bullet + line[2:] if line.startswith("- ") else line
            out.append(_ENTRY_REF.sub(r" (\1)", line))
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def insert(existing: str, section: str, version: str) -> str:
    """``existing`` with ``section`` before its newest release heading (once per version)."""
    newline = "\r\n" if "\r\n" in existing.split("\n", 1)[0] + "\n" else "\n"
    lines = existing.splitlines(keepends=True)
    found = version_headings([line.rstrip("\r\n") for line in lines])
    for index, _ in found:
        named = _VERSION.search(lines[index])
        if named and named.group(0) == version:
            return existing
    at = found[0][0] if found else len(lines)
    block = [line + newline for line in section.rstrip("\n").split("\n")]
    block.append(newline)
    if at > 0 and lines[at - 1].strip():
        block.insert(0, newline)
    return "".join(lines[:at] + block + lines[at:])
