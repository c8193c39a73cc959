"""Where the project keeps its changelog, and why repokit thinks so.

Looked for at the project's root, then under ``docs/``, ``doc/`` and ``sites/`` down to four
folders deep, by the usual names (CHANGELOG, CHANGES, HISTORY, NEWS, RELEASE-NOTES, ...;
``.md``, ``.rst``, ``.txt``). A root file that holds no release but includes or links to
another file (``.. include:: doc/en/changelog.rst``, "see docs/changelog.md") is a stub: the
file it leads to is the changelog. Among several files found below the root, one named
after the package (a monorepo's ``docs/history/<package>.md``) comes first, then one the
documentation lists (mkdocs.yml ``nav``, a Sphinx ``toctree``), then the shallowest.
A new CHANGELOG.md is proposed only when there is no changelog anywhere.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: The names projects give their changelog (compared without case and suffix).
STEMS = (
    "changelog",
    "changes",
    "history",
    "news",
    "release-notes",
    "release_notes",
    "releasenotes",
    "releases",
)
SUFFIXES = (".md", ".rst", ".txt", "")
#: The folders below the root searched, and how deep.
DOC_FOLDERS = ("docs", "doc", "sites")
MAX_DEPTH = 4
NEW_FILE = "CHANGELOG.md"
#: Folders never searched (builds, environments, vendored trees).
_SKIPPED = {"node_modules", "_build", "build", "site", "_site", "dist", "venv", ".venv", "vendor"}
_STUB_LINES = 40
_INCLUDE = re.compile(
    r"""(?:\.\.[ \t]+(?:include|literalinclude)::[ \t]*(?P<rst>\S+)
        |\{include\}[ \t]*(?P<myst>\S+)
        |--8<--[ \t]*["'](?P<snippet>[^"']+)["'])""",
    re.VERBOSE,
)
_LINK = re.compile(r"(?:\]\(|<|\s|^)(?P<target>[\w./-]+\.(?:md|rst|txt|html?))(?:[)>#\s]|$)")
_BLOB = re.compile(r"https://github\.com/[^/\s]+/[^/\s]+/blob/[^/\s]+/(?P<path>[\w./-]+)")
_URL_PAGE = re.compile(r"https?://\S+?/(?P<page>[\w-]+)(?:\.html?)?/?(?:[#)>\s`]|$)")
_VERSION_HEADING = re.compile(r"^(?:#+[ \t]+)?\[?v?\d+\.\d+", re.MULTILINE)


@dataclass(frozen=True)
class Located:
    """The changelog file (it may not exist yet) and where that answer came from."""

    path: Path
    where: str

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def locate(
    root: Path,
    *,
    configured: str = "",
    towncrier_file: Path | None = None,
    package_names: tuple[str, ...] = (),
    repository_root: Path | None = None,
) -> Located:
    """The changelog of the project at ``root``; see the module's docstring.

    ``configured`` is ``[tool.repokit] changelog_file``; ``towncrier_file`` the ``filename``
    towncrier writes to, when the project uses towncrier. A project below the
    ``repository_root`` (a monorepo) also looks in the repository's documentation, for a
    file named after the package.
    """
    if configured:
        return Located(root / configured, "[tool.repokit] changelog_file")
    if towncrier_file is not None:
        return Located(towncrier_file, "the filename towncrier writes")
    names = {_normal(name) for name in package_names if name}
    located = _search(root, names, "")
    if located is None and repository_root is not None and repository_root != root:
        located = _search(repository_root, names, "the repository's ", named_only=True)
    if located is not None:
        return located
    return Located(root / NEW_FILE, f"no changelog anywhere: a new {NEW_FILE} will be created")


def _search(root: Path, names: set[str], whose: str, *, named_only: bool = False) -> Located | None:
    if not named_only:
        at_root = _changelogs(root)
        for path in at_root:
            target = _stub_target(path, root)
            if target is not None:
                how = f"{path.name} at the root leads to it"
                return Located(target, how)
        if at_root:
            return Located(at_root[0], f"{at_root[0].name} at the root")
    found: list[Path] = []
    for folder in DOC_FOLDERS:
        found += _walk(root / folder, names, MAX_DEPTH)
    if named_only:
        found = [path for path in found if _normal(path.stem) in names]
    if not found:
        return None
    listed = _listed_in_docs(root) if len(found) > 1 else set()

    def rank(path: Path) -> tuple[int, int, int, str]:
        named = _normal(path.stem) in names or _normal(path.parent.name) in names
        depth = len(path.relative_to(root).parts)
        return (0 if named else 1, 0 if path.resolve() in listed else 1, depth, path.as_posix())

    best = min(found, key=rank)
    why = [f"found in {whose}{best.parent.relative_to(root).as_posix()}/"]
    if _normal(best.stem) in names or _normal(best.parent.name) in names:
        why.append("named after the package")
    elif best.resolve() in listed and len(found) > 1:
        why.append("listed in the documentation's navigation")
    return Located(best, ", ".join(why))


def _changelogs(folder: Path) -> list[Path]:
    """The files of ``folder`` with a changelog's name, in the order of :data:`STEMS`."""
    try:
        entries = {entry.name.lower(): entry for entry in folder.iterdir() if entry.is_file()}
    except OSError:
        return []
    found = []
    for stem in STEMS:
        for suffix in SUFFIXES:
            entry = entries.get(stem + suffix)
            # a lower-case changes.txt is as likely a scratch file as a changelog
            if entry is not None and (suffix in (".md", ".rst") or not entry.stem.islower()):
                found.append(entry)
    return found


def _walk(folder: Path, names: set[str], depth: int) -> list[Path]:
    """Changelog files in ``folder`` and below, ``depth`` folders deep at most.

    Besides the usual names, a file named after the package counts inside a folder with a
    changelog's name (``docs/history/<package>.md``).
    """
    if depth < 0 or not folder.is_dir():
        return []
    found = _changelogs(folder)
    if _normal(folder.name) in STEMS:
        found += [
            entry
            for entry in sorted(folder.iterdir())
            if entry.is_file() and entry.suffix in (".md", ".rst") and _normal(entry.stem) in names
        ]
    try:
        children = sorted(entry for entry in folder.iterdir() if entry.is_dir())
    except OSError:
        return found
    for child in children:
        if not child.name.startswith(".") and child.name not in _SKIPPED:
            found += _walk(child, names, depth - 1)
    return found


def _stub_target(path: Path, root: Path) -> Path | None:
    """The file a short root changelog holding no release includes or links to."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(text.splitlines()) > _STUB_LINES or _VERSION_HEADING.search(text):
        return None
    for match in _INCLUDE.finditer(text):
        target = match["rst"] or match["myst"] or match["snippet"]
        candidate = (path.parent / target).resolve()
        if candidate.is_file() and candidate != path.resolve():
            return candidate
    for match in _LINK.finditer(text):
        candidate = (root / match["target"].lstrip("./")).resolve()
        if candidate.is_file() and candidate != path.resolve():
            return candidate
    for match in _BLOB.finditer(text):  # the file on GitHub: the path in this repository
        candidate = root / match["path"]
        if candidate.is_file():
            return candidate
    pages = {_normal(match["page"]) for match in _URL_PAGE.finditer(text)}
    if pages:  # "see https://docs.example.org/en/stable/changelog.html": the docs' source
        for folder in DOC_FOLDERS:
            for candidate in _walk(root / folder, set(), MAX_DEPTH):
                if _normal(candidate.stem) in pages:
                    return candidate
    return None


def _listed_in_docs(root: Path) -> set[Path]:
    """The files mkdocs.yml's ``nav`` or a Sphinx ``toctree`` names (resolved paths)."""
    listed: set[Path] = set()
    for mkdocs in [root / "mkdocs.yml", *root.glob("docs/*/mkdocs.yml")]:
        try:
            text = mkdocs.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        docs_dir = re.search(r"^docs_dir:[ \t]*['\"]?([^'\"\s]+)", text, re.MULTILINE)
        base = mkdocs.parent / (docs_dir[1] if docs_dir else "docs")
        for page in re.findall(r"[\w./-]+\.md", text):
            listed.add((base / page).resolve())
    for folder in DOC_FOLDERS:
        for index in (root / folder).glob("**/index.rst"):
            if len(index.relative_to(root).parts) > MAX_DEPTH + 1:
                continue
            try:
                text = index.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "toctree::" not in text:
                continue
            for entry in re.findall(
                r"^[ \t]+(?:[^<\n]*<)?([\w./-]+?)>?[ \t]*$", text, re.MULTILINE
            ):
                for suffix in (".rst", ".md"):
                    listed.add((index.parent / (entry + suffix)).resolve())
    return {path.resolve() for path in listed}


def relative(path: Path, root: Path) -> str:
    """``path`` as the user reads it from the project's folder (``../../docs/x.md`` too)."""
    return Path(os.path.relpath(path, root)).as_posix()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()
