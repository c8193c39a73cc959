"""The unreleased section of a changelog, in every spelling maintainers use, and the
sections of the releases below it.

Pure functions over text. The unreleased section is the first heading above the newest
release that says so: ``[Unreleased]``, ``Unreleased``, ``NEXT (UNRELEASED)``,
``main (unreleased)``, ``Latest Changes``, ``1.2.0 (unreleased)``, ``Dev``, ``Upcoming``,
or a version heading whose first line is ``Unreleased`` (a section written ahead); as a
Markdown ``#`` heading or an underlined (reStructuredText) one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repokit.release import heading_style, underlined

_LABEL = re.compile(
    r"""(?:
        (?P<unreleased>unreleased(?:[ \t]+changes)?|dev|development|in[ \t]+development
          |next(?:[ \t]+release)?|upcoming(?:[ \t]+(?:release|changes))?|main|master|head)
      | (?P<latest>latest[ \t]+changes)
      | (?P<named>.*?)[ \t]*(?:\((?:unreleased|\.\.\.|…|tbd|tba|not[ \t]+yet[ \t]+released
          |in[ \t]+development|upcoming)\)|-[ \t]*(?:unreleased|tbd)|\[unreleased\])
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_VERSION = re.compile(r"v?(\d+(?:\.\d+)+(?:[.-]?(?:a|b|rc|dev|post)\d*)*)")


@dataclass(frozen=True)
class Unreleased:
    """Where the unreleased section is in a file's lines (indexes, end exclusive)."""

    #: The first line of its heading (an overline, a ``.. _target:``), and of its body.
    start: int
    body_start: int
    end: int
    #: The lines of the body, as written (no trailing blank lines).
    body: str
    #: The version it names (``1.2.0 (unreleased)``, a section written ahead); None if none.
    version: str | None = None
    #: ``Latest Changes``: the heading stays, the release's heading goes under it.
    kept: bool = False
    #: A version heading over an ``Unreleased`` line.
    written_ahead: bool = False
    markdown_level: int | None = None


def find(text: str) -> Unreleased | None:
    """The unreleased section of ``text``; None when it has none."""
    lines = text.splitlines()
    for title, level, heading_end, label in _headings(lines):
        cleaned = heading_style.without_urls(label).strip(" \t*_#[]`")
        matched = _LABEL.fullmatch(cleaned)
        named = matched["named"] if matched and matched["named"] is not None else None
        version = _VERSION.fullmatch(named.strip("[] ")) if named else None
        first = next((i for i in range(heading_end, len(lines)) if lines[i].strip()), None)
        ahead = (
            matched is None
            and _VERSION.search(cleaned) is not None
            and first is not None
            and lines[first].strip(" *_").lower() == "unreleased"
        )
        if matched is None and not ahead:
            if _VERSION.search(cleaned):
                return None  # the newest release comes first: nothing is unreleased
            continue
        end = _end(lines, title, level)
        start = underlined.start_of(lines, title) if level is None else title
        body_from = first + 1 if ahead and first is not None else heading_end
        body = "\n".join(lines[body_from:end]).strip("\n")
        found_version = _VERSION.search(cleaned) if ahead else version
        return Unreleased(
            start=start,
            body_start=heading_end,
            end=end,
            body=body.rstrip() + "\n" if body.strip() else "",
            version=found_version[1] if found_version else None,
            kept=matched is not None and matched["latest"] is not None,
            written_ahead=ahead,
            markdown_level=level,
        )
    return None


def release_sections(text: str) -> list[str]:
    """The bodies of the release sections, newest first (the unreleased one left out)."""
    lines = text.splitlines()
    found = [
        (title, level, end)
        for title, level, end, label in _headings(lines)
        if _VERSION.search(heading_style.without_urls(label))
        and not re.search(r"unreleased", label, re.IGNORECASE)
    ]
    if not found:
        return []
    level = found[0][1]
    same = [(title, end) for title, lvl, end in found if lvl == level]
    bodies = []
    for number, (_, end) in enumerate(same):
        stop = same[number + 1][0] if number + 1 < len(same) else len(lines)
        bodies.append("\n".join(lines[end:stop]))
    return bodies


def _headings(lines: list[str]) -> list[tuple[int, int | None, int, str]]:
    """(title line, Markdown level or None for underlined, first line after, title text)."""
    atx = heading_style.headings(lines)
    found: list[tuple[int, int | None, int, str]] = [(i, lvl, i + 1, t) for i, lvl, t in atx]
    if not any(lvl <= 2 for _, lvl, _ in atx):
        found += [(i, None, i + 2, lines[i]) for i, _ in underlined.headings(lines)]
    return sorted(found, key=lambda heading: heading[0])


def _end(lines: list[str], title: int, level: int | None) -> int:
    """Where the section headed at ``title`` ends: the next heading of its rank or above."""
    if level is not None:
        for index, other, _ in heading_style.headings(lines):
            if index > title and other <= level:
                return index
        return len(lines)
    char = lines[title + 1].strip()[:1]
    for index, mark in underlined.headings(lines):
        if index > title + 1 and (mark == char or _rank_above(lines, index, title)):
            start = probe = underlined.start_of(lines, index)
            while probe > 0 and not lines[probe - 1].strip():
                probe -= 1
            target = probe > 0 and re.fullmatch(r"\.\. _[^:]+:", lines[probe - 1].strip())
            return probe - 1 if target else start
    return len(lines)


def _rank_above(lines: list[str], index: int, title: int) -> bool:
    """An overlined heading after a plain one is of a higher rank (a new document part)."""
    return underlined.start_of(lines, index) < index and underlined.start_of(lines, title) == title
