"""``[tool.repokit]`` in pyproject.toml: loading, defaults and validation.

The whole table is validated before anything else runs, and every problem is
reported at once, so a bad config changes nothing.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from repokit.errors import ConfigError

PYPROJECT = "pyproject.toml"
#: The files that make a folder a Python project when it has no pyproject.toml (setuptools'
#: declarative setup.cfg, or a setup.py).
LEGACY_PROJECT_FILES = ("setup.cfg", "setup.py")


def is_project(folder: Path) -> bool:
    """Whether ``folder`` holds a Python project: a pyproject.toml, or without one a setup.cfg
    with a ``[metadata]`` section or a setup.py."""
    if (folder / PYPROJECT).is_file():
        return True
    cfg = folder / "setup.cfg"
    if cfg.is_file():
        try:
            text = cfg.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if any(line.strip() == "[metadata]" for line in text.splitlines()):
            return True
    return (folder / "setup.py").is_file()


@dataclass(frozen=True)
class Config:
    """Settings of one project; every field has a default so an empty table is valid."""

    root: Path
    branch: str = "main"
    remote: str = "origin"
    tag_format: str = "v{version}"
    commit_message: str = "chore: bump version to {version}"
    #: Paths, or ``{path = "...", search = "...{version}..."}`` tables.
    version_files: tuple[str | dict[str, str], ...] = ()
    pre_release_command: str | None = None
    #: Empty: the changelog the project keeps (CHANGELOG, CHANGES, HISTORY, NEWS), else new.
    changelog_file: str = ""
    changelog_include_other: bool = True
    #: Keep the commits of bots and dependency or hook updates in the notes and in auto bumps.
    changelog_include_bots: bool = False
    #: What ``--bump auto`` gives a date version: "calver" or "patch" always; empty: decided
    #: from the commits and the calendar.
    calver_auto: str = ""
    #: Commit types shown besides the default sections (e.g. ["chore", "refactor"]).
    changelog_types: tuple[str, ...] = ()
    #: Where the notes come from: fragments, curated, commits or none ("": inferred).
    changelog_source: str = ""
    #: A fragment type -> "major", "minor" or "patch", for ``--bump auto``.
    fragment_bumps: dict[str, str] = field(default_factory=dict)
    governance_file: str = "governance/settings.yml"
    workflows_dir: str = ".github/workflows"
    sign: bool = False
    package_index_url: str | None = None
    #: Build in an isolated environment (the PEP 517 default); off uses this environment's backend.
    build_isolation: bool = True
    #: Sub-tables such as ``[tool.repokit.costs]``, validated by the module that reads them.
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The keys the file sets; the others are defaults that conventions may replace.
    explicit: frozenset[str] = frozenset()

    @property
    def pyproject(self) -> Path:
        return self.root / PYPROJECT

    def tag_for(self, version: str) -> str:
        return self.tag_format.format(version=version)

    def tag_glob(self) -> str:
        """A ``git tag --list`` pattern matching every release tag."""
        return self.tag_format.replace("{version}", "*")


#: Where release notes can come from (``changelog_source``).
NOTES_SOURCES = ("fragments", "curated", "commits", "none")
#: The values of ``calver_auto``.
CALVER_AUTO = ("calver", "patch")

#: Sub-tables of [tool.repokit] that other modules read and validate.
SECTIONS = ("costs",)

_TYPES: dict[str, tuple[type, ...]] = {
    "branch": (str,),
    "remote": (str,),
    "tag_format": (str,),
    "commit_message": (str,),
    "version_files": (list,),
    "pre_release_command": (str,),
    "changelog_file": (str,),
    "changelog_include_other": (bool,),
    "changelog_include_bots": (bool,),
    "calver_auto": (str,),
    "changelog_types": (list,),
    "changelog_source": (str,),
    "fragment_bumps": (dict,),
    "governance_file": (str,),
    "workflows_dir": (str,),
    "sign": (bool,),
    "package_index_url": (str,),
    "build_isolation": (bool,),
}


def read_pyproject(root: Path) -> dict[str, Any]:
    """The parsed pyproject.toml of ``root``, or a ConfigError naming the file."""
    path = root / PYPROJECT
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        msg = f"{path}: no pyproject.toml here"
        raise ConfigError(msg, hint="run repokit from the root of a Python project") from None
    except (OSError, UnicodeDecodeError) as error:
        msg = f"{path}: cannot read: {error}"
        raise ConfigError(msg, hint="check the file's permissions and encoding") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: invalid TOML: {error}"
        raise ConfigError(msg, hint="fix the syntax at that line and try again") from None


def load(root: Path | str = ".") -> Config:
    """Read and validate ``[tool.repokit]`` of the project at ``root`` (the defaults for a
    project without a pyproject.toml: setup.cfg or setup.py alone)."""
    root = Path(root).resolve()
    legacy = not (root / PYPROJECT).is_file() and is_project(root)
    data = {} if legacy else read_pyproject(root)
    table = data.get("tool", {}).get("repokit", {})
    where = f"{root / PYPROJECT} [tool.repokit]"
    if not isinstance(table, dict):
        msg = f"{where}: must be a table"
        raise ConfigError(msg, hint="write it as [tool.repokit] with key = value lines")
    problems: list[str] = []
    values: dict[str, Any] = {}
    sections: dict[str, dict[str, Any]] = {}
    entry: Any
    for key, entry in table.items():
        value: Any = entry
        if key in SECTIONS:
            if isinstance(value, dict):
                sections[key] = value
            else:
                problems.append(f"{key}: must be a table ([tool.repokit.{key}])")
            continue
        if key not in _TYPES:
            problems.append(f"unknown key {key!r}{_did_you_mean(key)}")
            continue
        expected = _TYPES[key]
        if not isinstance(value, expected):
            problems.append(f"{key}: expected {expected[0].__name__}, got {type(value).__name__}")
            continue
        if key == "version_files" and isinstance(value, list):
            bad = [item for item in value if not _version_file_entry(item)]
            if bad:
                problems.append(
                    "version_files: every entry must be a path or "
                    '{path = "...", search = "...{version}..."}'
                    f", got {bad[0]!r}"
                )
                continue
            value = tuple(value)
        if key == "changelog_types" and isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                problems.append("changelog_types: every entry must be a commit type string")
                continue
            value = tuple(item.lower() for item in value)
        if key == "changelog_source" and value not in NOTES_SOURCES:
            problems.append(f"changelog_source: {value!r} is not one of {', '.join(NOTES_SOURCES)}")
            continue
        if key == "fragment_bumps" and isinstance(value, dict):
            bad = [k for k, v in value.items() if v not in ("major", "minor", "patch")]
            if bad:
                problems.append(f"fragment_bumps: {bad[0]!r} must map to major, minor or patch")
                continue
        values[key] = value
    if values.get("calver_auto", "calver") not in CALVER_AUTO:
        problems.append(f"calver_auto: must be one of {', '.join(CALVER_AUTO)}")
    for key in ("tag_format", "commit_message"):
        text = values.get(key)
        if text is not None and "{version}" not in text:
            problems.append(f"{key}: must contain {{version}}, got {text!r}")
    if problems:
        msg = f"{where}: " + "; ".join(problems)
        raise ConfigError(msg, hint="fix these keys; see 'repokit --help release' for the options")
    return Config(root=root, sections=sections, explicit=frozenset(values), **values)


def _version_file_entry(item: object) -> bool:
    if isinstance(item, str):
        return bool(item)
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        return False
    search = item.get("search")
    return set(item) <= {"path", "search"} and (
        search is None or (isinstance(search, str) and "{version}" in search)
    )


def _did_you_mean(key: str) -> str:
    known = [f.name for f in fields(Config) if f.name not in ("root", "sections", "explicit")]
    close = difflib.get_close_matches(key, [*known, *SECTIONS], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def repository_root(start: Path | str = ".") -> Path:
    """The root of the git repository holding ``start`` (the folder with ``.git``)."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    msg = f"{here}: not inside a git repository"
    raise ConfigError(msg, hint="run repokit inside a git repository (or 'git init' one)")


def load_repository(start: Path | str = ".") -> Config:
    """The settings of the repository holding ``start``, from any of its folders.

    For the commands that do not read the project (ci, checks, governance, ...): the
    root is git's, and ``[tool.repokit]`` is read when the root has a pyproject.toml;
    a repository that is not a Python project gets the defaults. A project folder that is
    not (yet) in git is its own root.
    """
    try:
        root = repository_root(start)
    except ConfigError:
        if (Path(start) / PYPROJECT).is_file():
            return load(start)
        raise
    if (root / PYPROJECT).is_file():
        return load(root)
    return Config(root=root)
