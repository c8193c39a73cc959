"""Keep a Changelog files in Markdown: where a new section goes, and ``[Unreleased]``.

Pure functions over text. A new section goes above the newest release, that is before the
first ``## `` heading. When the file starts with a ``## [Unreleased]`` section, that section
becomes the release's: its hand-written lines stay first, the commits' entries that are not
already there follow, the heading names the version, and the ``[unreleased]`` link reference
moves on to compare from the new tag. A file without any ``## `` heading gets the section at
its end. Every other line is kept byte for byte, in the file's own line endings, and a
version that already has a section is never added twice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence

log = logging.getLogger(__name__)

UNRELEASED = "Unreleased"
_LINK_DEFINITION = re.compile(r"\[(?P<label>[^\]]+)\]:[ \t]*\S")
_FENCE = re.compile(r"[ ]{0,3}(?P<fence>`{3,}|~{3,})")
_BULLET = re.compile(r"[-*+][ \t]+")
_SUBTITLE = re.compile(r"#{2,6}[ \t]+")
NEW_FILE = (
    "# Changelog\n"
    "\n"
    "All notable changes to this project are documented in this file.\n"
    "\n"
    "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n"
)

# --- insertion -----------------------------------------------------------------------------


def insert_section(existing: str | None, section: str, version: str, level: int = 2) -> str:
    """``existing`` (a CHANGELOG.md's text, None if none) with ``section`` added on top.

    The section goes before the newest release (see the module's docstring) and its link
    reference definition, if any, joins those at the bottom of the file (after an
    ``[unreleased]:`` one). Nothing else changes; when ``version`` already has a section the
    text comes back as it was. ``level`` is the number of ``#`` of the release headings.
    """
    if not existing:  # no file, or an empty one
        return insert_section(NEW_FILE, section, version)
    newline = _newline_of(existing)
    lines = _split_lines(existing)
    headings = _heading_indexes(lines, level)
    if any(_names_version(lines[index], version) for index in headings):
        log.info("the changelog already has a section for %s", version)
        return existing
    block_start = _definitions_start(lines)
    span = _unreleased_span(lines, headings, block_start)
    if span is not None and not _names_version(section.split("\n", 1)[0], UNRELEASED):
        return _release_unreleased(lines, span, section, newline, level)
    body, definitions = _split_definitions(section)

    at = block_start
    if headings:
        at = headings[0]
        if span is not None:
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


def merged_section(existing: str | None, section: str, level: int = 2) -> str:
    """``section`` as the release writes it: after the hand-written ``[Unreleased]`` notes.

    The notes come first as written; each commit entry whose text is already in them is
    left out, the others join the notes' subsection of the same title, or follow them.
    Without an ``[Unreleased]`` section with notes, ``section`` comes back unchanged.
    """
    if not existing or _names_version(section.split("\n", 1)[0], UNRELEASED):
        return section
    lines = _split_lines(existing)
    span = _unreleased_span(lines, _heading_indexes(lines, level), _definitions_start(lines))
    if span is None:
        return section
    notes = [line.rstrip("\r\n") for line in lines[span[0] + 1 : span[1]]]
    while notes and not notes[0].strip():
        notes.pop(0)
    while notes and not notes[-1].strip():
        notes.pop()
    if not notes:
        return section
    body, definitions = _split_definitions(section)
    preamble = _preamble(body)
    merged = [*preamble, "", *_merge(notes, body[len(preamble) :])]
    if definitions:
        merged += ["", *definitions]
    return "\n".join(merged) + "\n"


def _unreleased_span(
    lines: Sequence[str], headings: Sequence[int], block_start: int
) -> tuple[int, int] | None:
    """(heading, end) of the ``## [Unreleased]`` section when it is the first one."""
    if not headings or not _names_version(lines[headings[0]], UNRELEASED):
        return None
    later = [index for index in headings if index > headings[0]]
    return headings[0], min(later[0] if later else len(lines), max(block_start, headings[0] + 1))


def _release_unreleased(
    lines: list[str], span: tuple[int, int], section: str, newline: str, level: int
) -> str:
    """The file with its ``[Unreleased]`` section turned into the release's section."""
    text = "".join(lines)
    merged = merged_section(text, section, level)
    body, definitions = _split_definitions(merged)
    start, end = span
    block = [line + newline for line in body]
    if end < len(lines):
        block.append(newline)
    new_lines = lines[:start] + block + lines[end:]
    tag = _compared_tag(definitions)
    result: list[str] = []
    added = False
    for line in new_lines:
        if tag and _label(line).lower() == UNRELEASED.lower():
            line = re.sub(r"(compare/)(.+?)(\.\.\.?HEAD)", rf"\g<1>{tag}\g<3>", line)
            result.append(line)
            fresh = [d for d in definitions if not _defines(new_lines, d)]
            result += [d + newline for d in fresh]
            added = True
            continue
        result.append(line)
    if not added and definitions:
        fresh = [d for d in definitions if not _defines(result, d)]
        start_of_block = _definitions_start(result)
        result = _splice(
            result, start_of_block, fresh, newline, spaced=start_of_block == len(result)
        )
    return "".join(result)


def _compared_tag(definitions: Sequence[str]) -> str | None:
    for line in definitions:
        found = re.search(r"/compare/.+?\.\.\.(?P<tag>\S+)$", line) or re.search(
            r"/commits/(?P<tag>\S+)$", line
        )
        if found:
            return found.group("tag")
    return None


def _preamble(body: Sequence[str]) -> list[str]:
    """The heading of a rendered section, with the ``Released <date>`` line under it if any."""
    if len(body) > 2 and not body[1].strip() and re.match(r"[*_]*Released\b", body[2]):
        return list(body[:3])
    return [body[0]]


def _merge(notes: list[str], generated: Sequence[str]) -> list[str]:
    """The hand-written ``notes`` with the ``generated`` entries they do not hold yet.

    Entries are list items (``-``, ``*`` or ``+``) under ``##``-``######`` titles.
    """
    known = " ".join(notes).lower()
    merged = list(notes)
    title: str | None = None
    titles: dict[str, str] = {}
    pending: dict[str | None, list[str]] = {}
    order: list[str | None] = []
    for line in generated:
        subtitle = _SUBTITLE.match(line)
        if subtitle:
            title = line[subtitle.end() :].strip()
            titles[title] = line
            continue
        bullet = _BULLET.match(line)
        if not bullet:
            continue
        text = re.sub(r"\s+\((?:\[\w+\]\([^)]*\)|\w+)\)$", "", line[bullet.end() :])
        text = re.sub(r"^\*\*[^*]+:\*\*\s*", "", text)
        numbers = re.findall(r"#\d+\b", text)
        if text.strip().lower() in known or any(
            re.search(rf"{n}\b", known) for n in numbers
        ):  # already there, in the author's words or by its pull request number
            continue
        if title not in pending:
            pending[title] = []
            order.append(title)
        pending[title].append(line)
    for title in order:
        entries = pending[title]
        heading = titles[title] if title else None
        at = _end_of_subsection(merged, heading) if heading else None
        if at is None:
            merged += ["", heading, "", *entries] if heading else ["", *entries]
        else:
            merged[at:at] = entries
    return merged


def _end_of_subsection(lines: list[str], heading: str) -> int | None:
    """Where entries go at the end of the subsection ``heading``; None if there is none."""
    try:
        start = next(i for i, line in enumerate(lines) if line.strip().lower() == heading.lower())
    except StopIteration:
        return None
    end = start + 1
    while end < len(lines) and not lines[end].startswith("#"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


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


def _heading_indexes(lines: Sequence[str], level: int = 2) -> list[int]:
    """Indexes of the release headings (``## `` ones at ``level`` 2), not in fenced code blocks.

    At level 1 only the headings that hold a number or say Unreleased count: the file's own
    title is a ``# `` heading too.

    A fence that is never closed is taken for a stray line (a truncated or broken file), not
    for a code block running to the end: the headings after it still count.
    """
    found: list[int] = []
    fenced: list[int] = []
    fence: str | None = None
    heading = re.compile("#" * level + r"[ \t]")
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            closing = opening.group("fence") if opening else ""
            if closing[:1] == fence[0] and len(closing) >= len(fence):
                fence, fenced = None, []
            elif heading.match(line):
                fenced.append(index)
        elif opening is not None:
            fence = opening.group("fence")
        elif heading.match(line):
            found.append(index)
    indexes = sorted(found + fenced)
    if level == 1:
        indexes = [i for i in indexes if re.search(r"\d|unreleased", lines[i], re.IGNORECASE)]
    return indexes


def _names_version(heading: str, version: str) -> bool:
    """If a heading is the section for ``version``: ``[1.2.0]``, ``v1.2.0``, ``Version 1.2.0``."""
    text = heading.lstrip("#").strip().removeprefix("[")
    text = re.sub(r"^[A-Za-z][\w-]*[ \t]+(?=\[?[vV]?\d)", "", text).removeprefix("[")
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
