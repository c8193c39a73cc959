"""The style of a Markdown changelog's release headings, read from the file and copied.

Projects head their releases in many ways: ``## [1.2.0] - 2026-12-01`` (Keep a Changelog),
``## 1.2.0 (2026-12-01)`` (towncrier), ``## v1.2.0``, ``# Version 1.2.0`` followed by a
``Released 2026-12-01`` line (Pallets), ``## [1.2.0](compare link) (2026-12-01)``
(release-please, commitizen). :func:`style_of` reads the newest release heading of a file
into a :class:`Style`; :func:`restyle` rewrites a section rendered in Keep a Changelog's
form to it, so a new section looks like its neighbours.

Reading is careful rather than clever: the heading must reduce to the version, an optional
date in a known shape (:mod:`repokit.release.dates`), an optional link whose only varying
parts are the versions, and a few words without digits; and the next older release heading,
when there is one, must be written the same way. Otherwise :func:`style_of` returns None
and the caller keeps the default.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from repokit.release import dates

_CORE = r"\d+(?:\.\d+)+(?:[.-]?(?:a|b|rc|alpha|beta|dev|post)\.?\d*)*"
VERSION = re.compile(rf"(?<![\w.])v?({_CORE})")
_ATX = re.compile(r"(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*\r?$")
_FENCE = re.compile(r"[ ]{0,3}(?:`{3,}|~{3,})")
_URL_VERSION = re.compile(rf"(?<!\d)(?<!\d\.)({_CORE})")
_INLINE_LINK = re.compile(r"\[(?P<label>[^\]]*)\]\((?P<url>[^)\s]+)\)")
_BULLET = re.compile(r"(?P<marker>[-*+])(?P<space>[ \t]+)\S")
RELEASED = re.compile(
    r"(?P<before>[*_]*Released:?[ \t]+(?:on[ \t]+)?)(?P<date>.+?)(?P<after>[*_.]*)"
)
_YANKED = re.compile(r"(?:[ \t]+\[YANKED\])$", re.IGNORECASE)
_UNRELEASED = re.compile(r"\bunreleased\b", re.IGNORECASE)
#: The words a heading may hold besides its version, date and link ("Version", "twine").
_MAX_WORDS = 40


@dataclass(frozen=True)
class Style:
    """How a file heads its releases.

    ``title`` holds ``{version}`` and may hold ``{date}`` and ``{url}``; ``url`` holds
    ``{version}`` and ``{previous}`` (the release before). ``released`` is the line after
    the heading that holds ``{date}`` when the date is not in the title.
    """

    level: int
    title: str
    date_format: str | None = None
    url: str | None = None
    released: str | None = None
    bullet: str = "- "

    @property
    def label(self) -> str | None:
        """The ``[v{version}]`` label a link reference definition resolves; None if no label."""
        found = re.search(r"\[([^\]]*\{version\}[^\]]*)\](?!\()", self.title)
        return found[1] if found else None


DEFAULT = Style(level=2, title="[{version}] - {date}", date_format="%Y-%m-%d")


def headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """(index, level, text) of the ATX headings of ``lines``, none inside code fences."""
    found: list[tuple[int, int, str]] = []
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _ATX.fullmatch(line.rstrip("\n"))
        if match:
            found.append((index, len(match["hashes"]), match["text"]))
    return found


def release_headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """The headings naming a released version (not ``Unreleased``), newest first."""
    return [
        (i, level, text)
        for i, level, text in headings(lines)
        if VERSION.search(without_urls(text)) and not _UNRELEASED.search(text)
    ]


def style_of(text: str) -> Style | None:
    """The style of ``text``'s newest release heading; None when it cannot be read surely."""
    lines = text.split("\n")
    found = release_headings(lines)
    if not found:
        return None
    index, level, heading = found[0]
    older = [entry for entry in found[1:] if entry[1] == level]
    previous = VERSION.search(without_urls(older[0][2])) if older else None
    parsed = _template(heading, previous[1] if previous else None)
    if parsed is None:
        return None
    title, date_format, url = parsed
    if older and not _pattern(title).fullmatch(older[0][2]):
        return None  # the newest two disagree: no one style to copy
    released = None
    if date_format is None:
        released, date_format = _released_line(lines, found)
    end = older[0][0] if older else len(lines)
    return Style(level, title, date_format, url, released, _bullet(lines[index + 1 : end]))


def newest_version(text: str) -> str | None:
    """The version of the newest release heading of ``text``, None when it has none."""
    found = release_headings(text.split("\n"))
    match = VERSION.search(without_urls(found[0][2])) if found else None
    return match[1] if match else None


def restyle(section: str, style: Style, version: str, previous: str | None) -> str:
    """A section rendered as ``## [version] - date`` (see render_section) written in ``style``.

    ``previous`` is the version of the newest release already in the file (the ``{previous}``
    of a compare link). An ``Unreleased`` section keeps its name, at the style's level.
    """
    lines = section.rstrip("\n").split("\n")
    first = lines[0]
    hashes = "#" * style.level
    date_text = first.split(" - ", 1)[1].strip() if " - " in first else None
    when = _iso(date_text)
    out: list[str]
    if date_text is None or when is None:
        name = "[Unreleased]" if style.label else "Unreleased"
        out = [f"{hashes} {name}" if version.lower() == "unreleased" else first]
    else:
        date = dates.render(when, style.date_format) if style.date_format else date_text
        url = style.url or ""
        url = url.replace("{version}", version).replace("{previous}", previous or version)
        title = style.title.replace("{url}", url).replace("{version}", version)
        out = [f"{hashes} {title.replace('{date}', date)}"]
        if style.released:
            out += ["", style.released.replace("{date}", date)]
    for line in lines[1:]:
        if line.startswith("### "):
            line = "#" * (style.level + 1) + line[3:]
        elif line.startswith("- "):
            line = style.bullet + line[2:]
        elif line.startswith(f"[{version}]: "):
            if style.label is None:
                continue
            if version.lower() != "unreleased":
                line = f"[{style.label.replace('{version}', version)}]" + line[len(version) + 2 :]
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def _template(heading: str, previous: str | None) -> tuple[str, str | None, str | None] | None:
    """(title, date format, url) of a release heading; None when some part is not understood.

    A ``[YANKED]`` mark is the release's, not the style's: it is left out.
    """
    heading = _YANKED.sub("", heading)
    url: str | None = None
    link = _INLINE_LINK.search(heading)
    if link is not None:
        label_version = VERSION.search(link["label"])
        if label_version is None:
            return None
        url = _url_template(link["url"], label_version[1], previous)
        if url is None:
            return None
        heading = heading[: link.start("url")] + "{url}" + heading[link.end("url") :]
    version = VERSION.search(heading)
    if version is None:
        return None
    title = heading[: version.start(1)] + "{version}" + heading[version.end(1) :]
    date_format = None
    date = dates.find(title)
    if date is not None:
        date_format = dates.format_of(date[0])
        if date_format is None:
            return None
        title = title[: date.start()] + "{date}" + title[date.end() :]
    rest = title.replace("{version}", "").replace("{date}", "").replace("{url}", "")
    if re.search(r"\d|\{|\}", rest) or len(rest) > _MAX_WORDS:
        return None  # a number, or a long text, that cannot be told to be the same each time
    return title, date_format, url


def _url_template(url: str, version: str, previous: str | None) -> str | None:
    """``url`` with its versions as ``{version}`` and ``{previous}``; None if others remain."""
    out = re.sub(rf"(?<!\d)(?<!\d\.){re.escape(version)}(?!\.?\d)", "{version}", url)
    named = {match[1] for match in _URL_VERSION.finditer(out)}
    if previous is None and len(named) == 1 and "..." in out:
        # the only release in the file: its compare link names the one before it
        previous = named.pop()
    if previous:
        out = re.sub(rf"(?<!\d)(?<!\d\.){re.escape(previous)}(?!\.?\d)", "{previous}", out)
    rest = out.replace("{version}", "").replace("{previous}", "")
    if "{version}" not in out or VERSION.search(rest):
        return None
    return out


def _pattern(title: str) -> re.Pattern[str]:
    """A pattern matching headings written in ``title``'s style, whatever their version."""
    parts = re.split(r"(\{version\}|\{date\}|\{url\})", title)
    wild = {"{version}": _CORE, "{date}": f"(?:{dates.DATE.pattern})", "{url}": r"[^)\s]+"}
    pattern = "".join(wild.get(part, re.escape(part)) for part in parts)
    return re.compile(f"{pattern}(?:[ \\t]+\\[YANKED\\])?", re.IGNORECASE)


def _released_line(
    lines: list[str], found: list[tuple[int, int, str]]
) -> tuple[str | None, str | None]:
    """The ``Released <date>`` line under the newest dated release, as a template, and its format.

    The newest section may still say ``Unreleased`` there (Pallets); the next ones tell.
    """
    for index, _, _ in found[:3]:
        following = [line.strip() for line in lines[index + 1 : index + 4] if line.strip()]
        if not following:
            continue
        match = RELEASED.fullmatch(following[0])
        if match is None:
            continue
        fmt = dates.format_of(match["date"])
        if fmt is not None:
            return f"{match['before']}{{date}}{match['after']}", fmt
    return None, None


def _bullet(body: list[str]) -> str:
    """The list marker and spacing of the section's entries ("- " when it has none)."""
    for line in body:
        match = _BULLET.match(line)
        if match and not line.startswith(("---", "***", "+++")):
            return match["marker"] + match["space"]
    return "- "


def without_urls(text: str) -> str:
    return _INLINE_LINK.sub(lambda m: f"[{m['label']}]", text)


def _iso(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
