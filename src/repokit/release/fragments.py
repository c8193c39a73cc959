"""News fragments as towncrier keeps them: its configuration, the pending fragments, and
the bump their types call for.

Only what repokit needs to decide is read here (where the fragments and the news file are,
the fragment types, the start string); rendering is towncrier's own (see
:mod:`repokit.release.towncrier_run`). The configuration is ``towncrier.toml`` or
``[tool.towncrier]`` in pyproject.toml, as towncrier looks for it. Without one, a folder
named as projects name theirs (``changelog.d``, ``newsfragments``, ...) holding files
named ``<issue>.<type>[.<n>][.<ext>]`` still says the notes are fragments.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.errors import RepokitError

#: towncrier's types when the configuration names none.
DEFAULT_TYPES = ("feature", "bugfix", "doc", "removal", "misc")
#: The folders projects keep fragments in, looked for when towncrier is not configured.
FOLDERS = ("changelog.d", "newsfragments", "news", "changelog", "changes")
#: Type names that say a change breaks users (major; minor below 1.0).
BREAKING_WORDS = ("breaking", "incompatible", "removal", "removed")
#: ... unless the type's title says it holds deprecations too: towncrier's default
#: ``removal`` is "Deprecations and Removals", released as a minor by its users.
DEPRECATION_WORDS = ("deprecat",)
FEATURE_WORDS = ("feature", "feat", "added", "addition", "enhancement", "deprecat")
#: The titles of towncrier's default types that matter for the bump.
DEFAULT_TITLES = (("removal", "Deprecations and Removals"),)
#: The types read from a fragments folder that no configuration describes.
_GUESSED_TYPES = (*DEFAULT_TYPES, "breaking", "deprecation", "fix", "added", "changed", "removed")
#: Files towncrier never takes for a fragment.
_IGNORED = {".gitignore", ".gitkeep", ".keep", "readme", "readme.md", "readme.rst"}


class FragmentsError(RepokitError):
    """The towncrier configuration or the fragments cannot be read."""


@dataclass(frozen=True)
class TowncrierConfig:
    """The parts of a towncrier configuration repokit reads; paths are absolute."""

    config_file: Path
    base: Path
    directory: Path
    filename: str
    start_string: str
    types: tuple[str, ...]
    #: Section folders below ``directory`` ("" is the directory itself).
    sections: tuple[str, ...] = ("",)
    single_file: bool = True
    #: (type, title) of the types the configuration names.
    titles: tuple[tuple[str, str], ...] = DEFAULT_TITLES
    ignore: tuple[str, ...] = ()
    #: The package towncrier imports for the project's name when ``name`` is not set.
    package: str = ""
    name: str = ""

    @property
    def news_file(self) -> Path:
        return self.base / self.filename

    @property
    def where(self) -> str:
        name = self.config_file.name
        return f"{name} [tool.towncrier]" if name == "pyproject.toml" else name


@dataclass(frozen=True)
class Fragment:
    path: Path
    type: str


def read_config(root: Path) -> TowncrierConfig | None:
    """The towncrier configuration of the project at ``root``, None when it has none."""
    for name in ("towncrier.toml", "pyproject.toml"):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            msg = f"{path}: cannot read the towncrier configuration: {error}"
            raise FragmentsError(msg, hint="fix the file, then try again") from None
        table = data.get("tool", {}).get("towncrier")
        if isinstance(table, dict):
            return _parse(path, root, table)
    return None


def _parse(path: Path, root: Path, table: Mapping[str, Any]) -> TowncrierConfig:
    filename = str(table.get("filename") or "NEWS.rst")
    directory = table.get("directory")
    if isinstance(directory, str) and directory:
        folder = root / directory
    else:
        package_dir = str(table.get("package_dir") or ".")
        folder = root / package_dir / str(table.get("package") or "") / "newsfragments"
    start = table.get("start_string") or (
        "<!-- towncrier release notes start -->\n"
        if filename.endswith(".md")
        else ".. towncrier release notes start\n"
    )
    types, titles = _types(table)
    sections = table.get("section")
    paths = (
        tuple(str(s.get("path", "")) for s in sections if isinstance(s, dict))
        if isinstance(sections, list) and sections
        else ("",)
    )
    ignore = table.get("ignore")
    return TowncrierConfig(
        config_file=path,
        base=root,
        directory=folder.resolve(),
        filename=filename,
        start_string=str(start),
        types=types,
        sections=paths,
        single_file=bool(table.get("single_file", True)),
        titles=titles,
        ignore=tuple(str(i).lower() for i in ignore) if isinstance(ignore, list) else (),
        package=str(table.get("package", "")),
        name=str(table.get("name", "")),
    )


def _types(table: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The fragment types a configuration names (towncrier's defaults when none)."""
    listed = table.get("type")
    named = table.get("fragment")
    if isinstance(listed, list) and listed:
        entries = [(str(t.get("directory", "")), t) for t in listed if isinstance(t, dict)]
    elif isinstance(named, dict) and named:
        entries = [
            (str(key), value if isinstance(value, dict) else {}) for key, value in named.items()
        ]
    else:
        return DEFAULT_TYPES, DEFAULT_TITLES
    titles = tuple((key, str(value.get("name") or key)) for key, value in entries if key)
    return tuple(key for key, _ in entries if key), titles


def fragment_type(name: str, types: Iterable[str]) -> str | None:
    """The type of fragment file ``name`` (``123.feature.md``, ``+x.bugfix.1``), else None.

    The type is the last dot-separated part after the first that is a known type, as
    towncrier reads it.
    """
    known = set(types)
    parts = name.split(".")
    for index in range(len(parts) - 1, 0, -1):
        if parts[index] in known:
            return parts[index]
    return None


def pending(config: TowncrierConfig) -> list[Fragment]:
    """The fragments the next release consumes, in file name order."""
    found: list[Fragment] = []
    for section in config.sections:
        folder = config.directory / section
        try:
            entries = sorted(entry for entry in folder.iterdir() if entry.is_file())
        except OSError:
            continue
        for entry in entries:
            lowered = entry.name.lower()
            if lowered in _IGNORED or lowered in config.ignore or lowered.startswith("template"):
                continue
            kind = fragment_type(entry.name, config.types)
            if kind is not None:
                found.append(Fragment(entry, kind))
    return found


def pending_types(root: Path) -> list[tuple[str, str]]:
    """(type, title) of the fragments pending in the project at ``root`` (configured or not)."""
    config = read_config(root)
    if config is not None:
        titles = dict(config.titles)
        return [(f.type, _entry_title(f.path, titles.get(f.type, f.type))) for f in pending(config)]
    folder = fragments_folder(root)
    if folder is None:
        return []
    names = sorted(entry.name for entry in folder.iterdir() if entry.is_file())
    titles = dict(DEFAULT_TITLES)
    kinds = [(n, kind) for n, kind in ((n, fragment_type(n, _GUESSED_TYPES)) for n in names)]
    return [(kind, _entry_title(folder / n, titles.get(kind, kind))) for n, kind in kinds if kind]


#: An entry that only drops old Pythons (pluggy's "Python 3.8 is no longer supported"):
#: released as a minor, as pip will not install the release there.
_DROPS_PYTHON = re.compile(
    r"(?is)^\W*(python\s+\d[\d.]*\W.{0,40}no longer supported|"
    r"(drop|remove)\w*\s+support\s+for\s+python\s+\d[\d.]*)\W{0,3}$"
)


def _entry_title(path: Path, title: str) -> str:
    """The title that applies to one fragment. In a type holding deprecations and removals
    together (towncrier's default "Deprecations and Removals"), the entry says which it is:
    a deprecation or the end of an old Python is a minor, anything else a removal."""
    lowered = title.lower()
    # "Deprecations (removal in next major release)" holds deprecations only
    mixed = any(w in lowered for w in DEPRECATION_WORDS) and "removals" in lowered
    if not mixed:
        return title
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return title
    if "deprecat" in text.lower() or _DROPS_PYTHON.match(text):
        return title
    return "Removals"


def fragments_folder(root: Path) -> Path | None:
    """A folder of fragments named in towncrier's way when towncrier is not configured."""
    for name in FOLDERS:
        folder = root / name
        if not folder.is_dir():
            continue
        names = [entry.name for entry in folder.iterdir() if entry.is_file()]
        if any(_looks_like_fragment(name) for name in names):
            return folder
    return None


def _looks_like_fragment(name: str) -> bool:
    return bool(re.fullmatch(r"[+\w-]+\.[a-z]+(?:\.\d+)?(?:\.(?:md|rst|txt))?", name)) and (
        fragment_type(name, _GUESSED_TYPES) is not None
    )


def bump_of(
    types: Iterable[tuple[str, str]], configured: Mapping[str, str] | None = None
) -> tuple[bool, bool, bool]:
    """(breaking, feature, any) for the pending fragments' (type, title) ``types``.

    ``configured`` maps a type to ``major``, ``minor`` or ``patch`` (``[tool.repokit]
    fragment_bumps``). Otherwise a type whose name or title says breaking, incompatible or
    removal is breaking (a removal type titled with deprecations too is not: its users
    release it as a minor), a feature or deprecation type is a feature, any other a patch.
    """
    breaking = feature = seen = False
    for kind, title in types:
        seen = True
        decided = (configured or {}).get(kind)
        if decided is None:
            decided = _bump_by_name(kind.lower(), title.lower())
        breaking = breaking or decided == "major"
        feature = feature or decided == "minor"
    return breaking, feature, seen


def _bump_by_name(kind: str, title: str) -> str:
    words = f"{kind} {title}"
    if any(word in words for word in BREAKING_WORDS) and not (
        any(word in words for word in DEPRECATION_WORDS)
        and not any(word in words for word in ("breaking", "incompatible"))
    ):
        return "major"
    if any(word in words for word in FEATURE_WORDS):
        return "minor"
    return "patch"
