"""The project's version: read it, compute the next one, and write it back byte for byte.

The version lives in pyproject.toml, under ``[project]`` or, for Poetry projects,
``[tool.poetry]``. Files listed in ``[tool.repokit] version_files`` carry copies that must
agree with it. Every bump gives a version strictly greater than the current one by
PEP 440 ordering, written in canonical form (``1.3.0rc1``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from repokit.config import PYPROJECT, Config
from repokit.edits import FileEdit
from repokit.errors import UsageError, VersionError

BUMPS = ("major", "minor", "patch", "prerelease")
#: ``--pre`` spellings and the PEP 440 pre-release letters they stand for.
PRE_KINDS = {"alpha": "a", "a": "a", "beta": "b", "b": "b", "rc": "rc"}
_PRE_ORDER = {"a": 0, "b": 1, "rc": 2}
_PRE_NAMES = {"a": "alpha", "b": "beta", "rc": "rc"}

_VERSION_KEY = re.compile(r"""^([ \t]*version[ \t]*=[ \t]*)(?P<q>"|')(?P<value>[^"'\r\n]*)(?P=q)""")
_TABLE_HEADER = re.compile(r"^[ \t]*\[(?!\[)(?P<name>[^\]]*)\][ \t]*(#.*)?$")
_PY_VERSION = re.compile(
    r"""^(?P<lead>[ \t]*(?:__version__|VERSION|version)[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*)"""
    r"""(?P<q>"|')(?P<value>[^"'\r\n]*)(?P=q)""",
    re.MULTILINE,
)


@dataclass(frozen=True)
class VersionSource:
    """Where pyproject.toml keeps the version: the table's key path and the raw string."""

    table: tuple[str, ...]
    raw: str

    @property
    def field(self) -> str:
        return ".".join(self.table) + ".version"


def parse(text: str, where: str) -> Version:
    """``text`` as a PEP 440 version, or a VersionError naming where it came from."""
    try:
        return Version(text)
    except InvalidVersion:
        msg = f"{where}: {text!r} is not a valid PEP 440 version"
        raise VersionError(msg, hint="write it as X.Y.Z (for example 1.2.0 or 1.3.0rc1)") from None


def locate(data: dict[str, Any], path: Path) -> VersionSource:
    """Find the static version in parsed pyproject ``data`` (``path`` names the file in errors)."""
    project = data.get("project")
    project = project if isinstance(project, dict) else {}
    poetry = data.get("tool", {}).get("poetry")
    poetry = poetry if isinstance(poetry, dict) else {}
    if isinstance(project.get("version"), str):
        return VersionSource(("project",), project["version"])
    if isinstance(poetry.get("version"), str):
        return VersionSource(("tool", "poetry"), poetry["version"])
    if "version" in project.get("dynamic", []):
        msg = f"{path}: [project] declares the version dynamic; the build backend computes it"
        hint = 'set a static version = "X.Y.Z" under [project] (and drop it from dynamic)'
        raise VersionError(msg, hint=hint)
    msg = f"{path}: no version under [project] or [tool.poetry]"
    raise VersionError(msg, hint='add version = "0.1.0" under [project]')


def read_source(config: Config) -> VersionSource:
    path = config.pyproject
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: no pyproject.toml here"
        raise VersionError(msg, hint="run repokit from the root of a Python project") from None
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: invalid TOML: {error}"
        raise VersionError(msg, hint="fix the syntax at that line and try again") from None
    source = locate(data, path)
    parse(source.raw, f"{path} {source.field}")
    return source


def read_version(config: Config) -> str:
    """The project's current version, as written in pyproject.toml."""
    return read_source(config).raw


def next_version(current: str, bump: str, pre: str | None = None) -> str:
    """The version after ``current`` for ``bump`` (and ``pre``), canonical and strictly greater."""
    if bump not in BUMPS:
        msg = f"{bump!r} is not a bump"
        raise UsageError(msg, hint=f"choose one of: {', '.join(BUMPS)}, auto")
    kind = _pre_kind(pre)
    version = parse(current, "current version")
    if version.local is not None:
        msg = f"{current}: a local version (+{version.local}) cannot be released"
        raise VersionError(msg, hint="remove the +local label from the version first")
    major, minor, patch = (*version.release, 0, 0)[:3]
    # A pre- or dev release of X.Y.Z can be finalised to X.Y.Z; one of X.Y.Z.W (W > 0) cannot.
    exact = not any(version.release[3:])
    # X.Y.Z.postN.devM comes after X.Y.Z, so it is not a release of X.Y.Z still to come.
    dev_only = version.dev is not None and version.post is None
    unfinished = (version.pre is not None or dev_only) and exact
    if bump == "prerelease":
        text = _next_prerelease(version, (major, minor, patch), kind, exact=exact)
    else:
        if bump == "patch":
            release = (major, minor, patch if unfinished else patch + 1)
        elif bump == "minor":
            release = (major, minor, 0) if unfinished and patch == 0 else (major, minor + 1, 0)
        else:
            finalise = unfinished and minor == 0 and patch == 0
            release = (major, 0, 0) if finalise else (major + 1, 0, 0)
        text = _join(release)
        if kind is not None:
            if unfinished and release == (major, minor, patch):
                text = _next_prerelease(version, release, kind, exact=exact)
            else:
                text = f"{text}{kind}1"
    if version.epoch:
        text = f"{version.epoch}!{text}"
    result = Version(text)
    if result <= version:  # the rules above make this unreachable; keep the promise explicit
        msg = f"bumping {current} ({bump}) gives {result}, which is not greater"
        raise VersionError(msg, hint="bump minor or major instead")
    return str(result)


def auto_bump(current: str, *, breaking: bool, feature: bool) -> str:
    """The bump that ``--bump auto`` picks from the commits since the last release."""
    if breaking:
        return "minor" if parse(current, "current version").major == 0 else "major"
    return "minor" if feature else "patch"


def _pre_kind(pre: str | None) -> str | None:
    if pre is None:
        return None
    kind = PRE_KINDS.get(pre.lower())
    if kind is None:
        msg = f"--pre: {pre!r} is not a pre-release kind"
        raise UsageError(msg, hint="choose one of: rc, beta, alpha")
    return kind


def _join(release: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in release)


def _next_prerelease(
    version: Version, release: tuple[int, ...], kind: str | None, *, exact: bool
) -> str:
    base = _join(release)
    if version.pre is None or not exact:
        if version.dev is not None and version.pre is None and version.post is None and exact:
            return f"{base}{kind or 'rc'}1"  # 1.3.0.dev2 -> 1.3.0rc1: a pre-release beats a dev
        bumped = _join((release[0], release[1], release[2] + 1))
        return f"{bumped}{kind or 'rc'}1"
    current_kind, number = version.pre
    kind = kind or current_kind
    if kind == current_kind:
        # 1.3.0rc1 -> 1.3.0rc2; 1.3.0rc2.dev1 -> 1.3.0rc2 (the dev release finalised)
        finalise_dev = version.dev is not None and version.post is None
        return f"{base}{kind}{number if finalise_dev else number + 1}"
    if _PRE_ORDER[kind] > _PRE_ORDER[current_kind]:
        return f"{base}{kind}1"
    msg = (
        f"--pre {_PRE_NAMES[kind]} from {version} would go backwards "
        f"({base}{kind}1 < {version})"
    )
    hint = f"use --pre {_PRE_NAMES[current_kind]} or a later kind, or bump minor/major first"
    raise VersionError(msg, hint=hint)


# --- writing -------------------------------------------------------------------------------


def version_edits(config: Config, new_version: str) -> list[FileEdit]:
    """The edits that set ``new_version`` in pyproject.toml and every configured version file."""
    source = read_source(config)
    edits = [_pyproject_edit(config.pyproject, source, new_version)]
    for name in config.version_files:
        edits.append(_version_file_edit(config.root / name, source.raw, new_version))
    return edits


def check_version_files(config: Config, current: str) -> None:
    """Refuse when a configured version file is missing or disagrees with pyproject.toml."""
    for name in config.version_files:
        path = config.root / name
        found = _versions_in(path, current)
        if not any(_same(value, current) for value in found):
            shown = ", ".join(repr(value) for value in found) or "no version"
            msg = f"{path}: holds {shown}, but {PYPROJECT} says {current}"
            hint = f"make {name} say {current} (or fix [tool.repokit] version_files)"
            raise VersionError(msg, hint=hint)


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


def _versions_in(path: Path, current: str) -> list[str]:
    text = _read_bytes(path).decode("utf-8", errors="replace")
    if path.suffix == ".py":
        return [match["value"] for match in _PY_VERSION.finditer(text)]
    return [current] if current in text else []


def _pyproject_edit(path: Path, source: VersionSource, new_version: str) -> FileEdit:
    before = path.read_bytes()
    text = before.decode("utf-8")
    start, end = _version_span(text, source.table)
    after_text = text[:start] + new_version + text[end:]
    _verify_only_version_changed(text, after_text, source.table, path)
    return FileEdit(path, before, after_text.encode("utf-8"))


def _version_span(text: str, table: tuple[str, ...]) -> tuple[int, int]:
    """Offsets of the version string's content inside ``[table]`` of the pyproject text."""
    in_table = False
    offset = 0
    for line in text.splitlines(keepends=True):
        header = _TABLE_HEADER.match(line.rstrip("\r\n"))
        if header:
            name = tuple(part.strip().strip("\"'") for part in header["name"].split("."))
            in_table = name == table
        elif in_table:
            match = _VERSION_KEY.match(line)
            if match:
                return offset + match.start("value"), offset + match.end("value")
        offset += len(line)
    msg = f"{'.'.join(table)}.version: cannot find the line to edit"
    raise VersionError(msg, hint='write it on its own line as version = "X.Y.Z"')


def _verify_only_version_changed(
    before: str, after: str, table: tuple[str, ...], path: Path
) -> None:
    old, new = tomllib.loads(before), tomllib.loads(after)
    holder_old, holder_new = old, new
    for key in table:
        holder_old, holder_new = holder_old[key], holder_new[key]
    holder_old["version"] = holder_new["version"]
    if old != new:  # the line found was not the table's own version key
        msg = f"{path}: the version could not be changed without touching other values"
        raise VersionError(msg, hint='write the version on its own line as version = "X.Y.Z"')


def _version_file_edit(path: Path, current: str, new_version: str) -> FileEdit:
    before = _read_bytes(path)
    text = before.decode("utf-8")
    if path.suffix == ".py":
        matches = [m for m in _PY_VERSION.finditer(text) if _same(m["value"], current)]
        spans = [(m.start("value"), m.end("value")) for m in matches]
    else:
        spans = [(m.start(), m.end()) for m in re.finditer(re.escape(current), text)]
    if len(spans) != 1:
        found = "not found" if not spans else f"found {len(spans)} times"
        msg = f"{path}: version {current} {found}; cannot tell which to change"
        hint = "keep exactly one copy of the version in that file, or drop it from version_files"
        raise VersionError(msg, hint=hint)
    start, end = spans[0]
    return FileEdit(path, before, (text[:start] + new_version + text[end:]).encode("utf-8"))


def project_name(config: Config) -> str:
    """The distribution name from pyproject.toml ([project] or [tool.poetry])."""
    data = tomllib.loads(config.pyproject.read_text(encoding="utf-8"))
    name = data.get("project", {}).get("name") or data.get("tool", {}).get("poetry", {}).get("name")
    if not isinstance(name, str) or not name:
        msg = f"{config.pyproject}: no project name"
        raise VersionError(msg, hint='add name = "..." under [project]')
    return name
