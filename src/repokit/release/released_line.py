"""A section written ahead of its release, marked released: ``Unreleased`` -> ``Released <date>``.

Some projects (Pallets' among them) open the next version's section when they start on it::

    Version 8.2.0
    -------------

    Unreleased

    -   Item...

and the release only dates it. When the changelog already has the section of the version
being released and its first line says ``Unreleased``, that line becomes ``Released <date>``
(the date as the file's other ``Released`` lines write it) and the section, entries as the
maintainer wrote them, is the release's: what the tag carries.
"""

from __future__ import annotations

import datetime as dt

from repokit.release import dates, heading_style, underlined


def mark_released(text: str, version: str, when: dt.date) -> tuple[str, str] | None:
    """(text with the section of ``version`` dated, the section); None if there is no such
    section or it does not say ``Unreleased``."""
    lines = text.splitlines(keepends=True)
    bare = [line.rstrip("\r\n") for line in lines]
    for start, title, first, end in _sections(bare):
        named = heading_style.VERSION.search(heading_style.without_urls(bare[title]))
        if named is None or named[1] != version:
            continue
        if first is None or bare[first].strip().lower() != "unreleased":
            return None
        ending = lines[first][len(bare[first]) :]
        indent = bare[first][: len(bare[first]) - len(bare[first].lstrip())]
        lines[first] = f"{indent}{_released(bare, when)}{ending}"
        return "".join(lines), _text(lines[start:end])
    return None


def written_ahead(text: str) -> str | None:
    """The newest release section when it says ``Unreleased``: the one the changes go to."""
    lines = text.splitlines(keepends=True)
    bare = [line.rstrip("\r\n") for line in lines]
    for start, _, first, end in _sections(bare)[:1]:
        if first is not None and bare[first].strip().lower() == "unreleased":
            return _text(lines[start:end])
    return None


def _sections(bare: list[str]) -> list[tuple[int, int, int | None, int]]:
    """(start, title, first line of the body or None, end) of each release section."""
    starts = sorted(
        {(i, i, i + 1) for i, _, _ in heading_style.release_headings(bare)}
        | {(underlined.start_of(bare, i), i, i + 2) for i, _ in underlined.version_headings(bare)}
    )
    found = []
    for number, (start, title, body) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(bare)
        first = next((i for i in range(body, end) if bare[i].strip()), None)
        found.append((start, title, first, end))
    return found


def _text(lines: list[str]) -> str:
    section = [line.rstrip("\r\n") for line in lines]
    while section and not section[-1].strip():
        section.pop()
    return "\n".join(section) + "\n"


def _released(lines: list[str], when: dt.date) -> str:
    """``Released <date>`` as the file's other releases write it (ISO dates by default)."""
    for line in lines:
        found = heading_style.RELEASED.fullmatch(line.strip())
        fmt = dates.format_of(found["date"]) if found else None
        if found and fmt:
            return f"{found['before']}{dates.render(when, fmt)}{found['after']}"
    return f"Released {when.isoformat()}"
