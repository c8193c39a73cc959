"""Copies of the version in other files (``[tool.repokit] version_files``), found precisely.

An entry is a path, or ``{path = "...", search = "...{version}..."}``. For a path, the
current version is replaced where it stands as a whole version (never inside ``11.2.3`` or
``1.2.3.4``); in a Python file an assignment such as ``__version__ = "1.2.3"`` is preferred.
For a template, the text with the current version in place of ``{version}`` must occur
exactly once. Anything else (absent, or more than one candidate) is refused naming the lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from repokit.config import PYPROJECT, Config
from repokit.edits import FileEdit
from repokit.errors import VersionError

_PY_VERSION = re.compile(
    r"""^(?P<lead>[ \t]*(?:__version__|VERSION|version)[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*)"""
    r"""(?P<q>"|')(?P<value>[^"'\r\n]*)(?P=q)""",
    re.MULTILINE,
)
#: Files where projects keep a ``__version__`` that the release must not leave behind.
VERSION_MODULES = ("__init__.py", "__about__.py", "_version.py", "version.py", "__version__.py")


@dataclass(frozen=True)
class VersionFile:
    """One entry of ``version_files``: a path, and the template around the version if any."""

    path: str
    search: str | None = None

    @classmethod
    def of(cls, entry: str | dict[str, str]) -> VersionFile:
        if isinstance(entry, str):
            return cls(entry)
        return cls(entry["path"], entry.get("search"))


def whole_version(version: str) -> re.Pattern[str]:
    """``version`` where it stands as a whole version, not inside a longer number."""
    return re.compile(rf"(?<![\d.]){re.escape(version)}(?![\d]|\.\d)")


def spans(text: str, current: str, entry: VersionFile, suffix: str) -> list[tuple[int, int]]:
    """Where ``current`` stands in ``text`` for ``entry``: the candidate (start, end) spans."""
    if entry.search is not None:
        before, _, after = entry.search.partition("{version}")
        pattern = re.compile(re.escape(before) + f"({re.escape(current)})" + re.escape(after))
        return [(m.start(1), m.end(1)) for m in pattern.finditer(text)]
    if suffix == ".py":
        assigned = [
            (m.start("value"), m.end("value"))
            for m in _PY_VERSION.finditer(text)
            if _same(m["value"], current)
        ]
        if assigned:
            return assigned
    return [(m.start(), m.end()) for m in whole_version(current).finditer(text)]


def file_edit(config: Config, entry: VersionFile, current: str, new_version: str) -> FileEdit:
    """The edit of one version file from ``current`` to ``new_version``."""
    path = config.root / entry.path
    before = _read_bytes(path)
    text = before.decode("utf-8")
    found = spans(text, current, entry, path.suffix)
    if len(found) != 1:
        raise _not_one(path, text, entry, current, found)
    start, end = found[0]
    return FileEdit(path, before, (text[:start] + new_version + text[end:]).encode("utf-8"))


def edits(config: Config, current: str, new_version: str) -> list[FileEdit]:
    return [
        file_edit(config, VersionFile.of(entry), current, new_version)
        for entry in config.version_files
    ]


def check(config: Config, current: str) -> None:
    """Refuse when a version file is missing, disagrees with the version, or is ambiguous."""
    for raw in config.version_files:
        entry = VersionFile.of(raw)
        path = config.root / entry.path
        text = _read_bytes(path).decode("utf-8", errors="replace")
        found = spans(text, current, entry, path.suffix)
        if len(found) == 1:
            continue
        if not found and path.suffix == ".py" and entry.search is None:
            values = [m["value"] for m in _PY_VERSION.finditer(text)]
            shown = ", ".join(repr(v) for v in values) or "no version"
            msg = f"{path}: holds {shown}, but the project's version is {current}"
            hint = f"make {entry.path} say {current} (or fix [tool.repokit] version_files)"
            raise VersionError(msg, hint=hint)
        raise _not_one(path, text, entry, current, found)


def undeclared(config: Config, tracked: list[str], current: str, source: Path | None) -> list[str]:
    """Tracked ``__version__``/``VERSION`` copies of ``current`` that no setting names.

    Each is returned as a warning with the ``version_files`` line that would declare it.
    """
    return [
        f"{name} holds the version {current} but is not declared, so it would stay "
        f'behind: add version_files = ["{name}"] under [tool.repokit] in {PYPROJECT}'
        for name in undeclared_paths(config, tracked, current, source)
    ]


def undeclared_paths(
    config: Config, tracked: list[str], current: str, source: Path | None
) -> list[str]:
    """The tracked files holding a ``__version__``/``VERSION`` copy of ``current`` that
    neither the version source nor ``version_files`` names."""
    declared = {VersionFile.of(entry).path for entry in config.version_files}
    found: list[str] = []
    for name in tracked:
        base = name.rsplit("/", 1)[-1]
        if name in declared or (base not in VERSION_MODULES and base != "VERSION"):
            continue
        path = config.root / name
        if source is not None and path.resolve() == source.resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if base == "VERSION":
            holds = _same(text.strip(), current)
        else:
            holds = any(_same(m["value"], current) for m in _PY_VERSION.finditer(text))
        if holds:
            found.append(name)
    return found


def _not_one(
    path: Path, text: str, entry: VersionFile, current: str, found: list[tuple[int, int]]
) -> VersionError:
    what = f"'{entry.search}'" if entry.search else f"version {current}"
    if not found:
        msg = f"{path}: {what} not found"
        hint = f"make the file say {current}, or fix its entry in [tool.repokit] version_files"
        return VersionError(msg, hint=hint)
    lines = sorted({text.count("\n", 0, start) + 1 for start, _ in found})
    msg = f"{path}: {what} found {len(found)} times (lines {', '.join(map(str, lines))})"
    hint = 'name the one to change: {path = "...", search = "...{version}..."} in version_files'
    return VersionError(msg, hint=hint)


def _same(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        msg = f"{path}: version file not found"
        raise VersionError(
            msg, hint="create it or remove it from [tool.repokit] version_files"
        ) from None
