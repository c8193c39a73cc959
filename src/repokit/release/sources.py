"""Where a project keeps its version, read as its build backend would, and written back.

Sources, in the order they are looked for:

- static: ``[project].version`` or ``[tool.poetry].version`` in pyproject.toml;
- incremental's ``_version.py`` (``[tool.incremental]``, or hatch ``source = "incremental"``),
  see :mod:`repokit.release.incremental_version`;
- a file the backend reads: hatch ``[tool.hatch.version] path``, setuptools
  ``[tool.setuptools.dynamic] version = {attr = ...}`` or ``{file = ...}``, pdm
  ``[tool.pdm.version] source = "file"``, flit's module ``__version__``, and
  ``setup.cfg`` ``[metadata] version`` (a value, ``attr:`` or ``file:``), and with no
  ``[project]`` table, setup.py's ``version="X"`` or the ``__version__`` of the file it reads;
- the tags (``scm``): setuptools-scm, hatch-vcs, pdm-backend ``source = "scm"``,
  versioningit and the other plugins that compute the version from the last tag. The version
  is the last release tag's, and a release writes no version anywhere: the tag is the version.

Every file is edited byte for byte: only the version's characters change.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repokit.config import PYPROJECT, Config, is_project
from repokit.edits import FileEdit
from repokit.errors import VersionError
from repokit.release import cargo, incremental_version
from repokit.release.versioning import parse

if TYPE_CHECKING:
    from repokit.gitrepo import Repo

#: Build requirements and tool tables that compute the version from git tags.
SCM_REQUIREMENTS = (
    "setuptools-scm",
    "setuptools_scm",
    "hatch-vcs",
    "versioningit",
    "uv-dynamic-versioning",
    "poetry-dynamic-versioning",
    "dunamai",
)
SCM_TABLES = (
    "setuptools_scm",
    "versioningit",
    "poetry-dynamic-versioning",
    "uv-dynamic-versioning",
)
#: The version repokit starts from when the tags are the source and there is no tag yet.
FIRST_SCM_VERSION = "0.0.0"

_VERSION_KEY = re.compile(r"""^([ \t]*version[ \t]*=[ \t]*)(?P<q>"|')(?P<value>[^"'\r\n]*)(?P=q)""")
_TABLE_HEADER = re.compile(r"^[ \t]*\[(?!\[)(?P<name>[^\]]*)\][ \t]*(#.*)?$")
_CFG_VERSION = re.compile(r"^version[ \t]*[=:][ \t]*(?P<value>[^\s#;]+)[ \t]*\r?$", re.MULTILINE)
_CFG_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\][ \t]*\r?$", re.MULTILINE)


def assignment(name: str) -> re.Pattern[str]:
    """``name = "X.Y.Z"`` (optionally ``name: str = ...``) at the start of a line."""
    return re.compile(
        rf"""^(?P<lead>[ \t]*{re.escape(name)}[ \t]*(?::[ \t]*[A-Za-z_.]+[ \t]*)?=[ \t]*)"""
        r"""(?P<q>"|')(?P<value>[^"'\r\n]*)(?P=q)""",
        re.MULTILINE,
    )


_DUNDER = assignment("__version__")
_ANY_ASSIGNMENT = re.compile(
    r"""^(?P<lead>[ \t]*(?:__version__|VERSION|version)[ \t]*(?::[ \t]*str[ \t]*)?=[ \t]*)"""
    r"""(?P<q>"|')(?P<value>[^"'\r\n]*)(?P=q)""",
    re.MULTILINE,
)


@dataclass(frozen=True)
class VersionSource:
    """Where the version is: its kind, the raw text now, and how to name it to a user."""

    #: "static", "file", "setup.cfg", "cargo" (maturin's Cargo.toml), "incremental" or "scm"
    kind: str
    raw: str
    where: str
    path: Path | None = None
    table: tuple[str, ...] = ()
    #: For a file: the variable holding the version; None when the file is the version.
    variable: str | None = None

    @property
    def field(self) -> str:
        return ".".join(self.table) + ".version" if self.table else self.where

    @property
    def writes_version(self) -> bool:
        """False when the tags are the version: a release writes no version into any file."""
        return self.kind != "scm"


def load_pyproject(config: Config) -> dict[str, Any]:
    """The parsed pyproject.toml; empty for a project without one (setup.cfg or setup.py)."""
    path = config.pyproject
    if not path.is_file() and is_project(config.root):
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: no pyproject.toml here"
        raise VersionError(msg, hint="run repokit from the root of a Python project") from None
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: invalid TOML: {error}"
        raise VersionError(msg, hint="fix the syntax at that line and try again") from None


def read_source(config: Config, repo: Repo | None = None) -> VersionSource:
    """The project's version source and its current value (checked to be PEP 440)."""
    source = locate(load_pyproject(config), config, repo)
    if source.kind != "scm":
        parse(source.raw, f"{config.pyproject if source.table else source.where}")
    return source


def read_version(config: Config, repo: Repo | None = None) -> str:
    """The project's current version, wherever it is kept."""
    return read_source(config, repo).raw


def locate(data: dict[str, Any], config: Config, repo: Repo | None = None) -> VersionSource:
    """Find the version in parsed pyproject ``data`` of ``config``'s project."""
    path = config.pyproject
    project = _table(data, "project")
    tool = _table(data, "tool")
    poetry = _table(tool, "poetry")
    if isinstance(project.get("version"), str):
        return VersionSource(
            "static", project["version"], f"{PYPROJECT} [project]", path, ("project",)
        )
    dynamic = "version" in project.get("dynamic", [])
    if isinstance(poetry.get("version"), str) and not _uses_scm(data):
        raw = poetry["version"]
        return VersionSource("static", raw, f"{PYPROJECT} [tool.poetry]", path, ("tool", "poetry"))
    if not dynamic and not project:
        cfg = _setup_cfg(config)
        if cfg is not None:
            return cfg
    if _uses_scm(data):
        return _scm_source(data, config, repo)
    if incremental_version.uses_incremental(data):
        found_call = incremental_version.locate(config.root, data)
        name = Path(os.path.relpath(found_call.path, config.root)).as_posix()
        return VersionSource(
            "incremental", found_call.raw, f"{name} (incremental)", found_call.path
        )
    found = _backend_file(data, config)
    if found is not None:
        return found
    if dynamic and cargo.is_maturin(data):
        crate = cargo.locate(config.root, data)
        name = Path(os.path.relpath(crate.manifest, config.root)).as_posix()
        where = f"{name} [{'.'.join(crate.table)}] (maturin)"
        return VersionSource("cargo", crate.raw, where, crate.manifest, crate.table)
    cfg = _setup_cfg(config)
    if cfg is not None:
        return cfg
    legacy = None if project else _setup_py(config)
    if legacy is not None:
        return legacy
    if dynamic:
        msg = (
            f"{path}: [project] declares the version dynamic, and repokit cannot tell "
            "where the build backend reads it"
        )
        hint = (
            "use [tool.hatch.version] path, [tool.setuptools.dynamic] version = {attr = ...}, "
            "maturin with the version in Cargo.toml, "
            'setuptools-scm/hatch-vcs (version from the tags), or a static version = "X.Y.Z"'
        )
        raise VersionError(msg, hint=hint)
    msg = f"{path}: no version under [project] or [tool.poetry]"
    raise VersionError(msg, hint='add version = "0.1.0" under [project]')


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _uses_scm(data: dict[str, Any]) -> bool:
    tool = _table(data, "tool")
    if _table(tool, "hatch").get("version", {}).get("source") == "vcs":
        return True
    if _table(_table(tool, "pdm"), "version").get("source") == "scm":
        return True
    if any(name in tool for name in SCM_TABLES):
        return True
    requires = _table(data, "build-system").get("requires", [])
    names = [re.split(r"[<>=!~;\[ ]", str(item), maxsplit=1)[0].lower() for item in requires]
    return any(name in SCM_REQUIREMENTS for name in names)


def _scm_source(data: dict[str, Any], config: Config, repo: Repo | None) -> VersionSource:
    from repokit import gitrepo
    from repokit.release.conventions import last_release_tag, tag_version

    plugin = _scm_plugin(data)
    repo = repo or gitrepo.open_repo(config.root)
    tag = last_release_tag(repo, config.tag_format)
    if tag is None:
        where = f"the tags ({plugin}; no release tag yet)"
        return VersionSource("scm", FIRST_SCM_VERSION, where)
    prefix, _, suffix = config.tag_format.partition("{version}")
    raw = tag[len(prefix) :].removesuffix(suffix) if suffix else tag[len(prefix) :]
    if tag_version(tag, config.tag_format) is None:
        raw = FIRST_SCM_VERSION
    return VersionSource("scm", raw, f"tag {tag} ({plugin})")


def _scm_plugin(data: dict[str, Any]) -> str:
    tool = _table(data, "tool")
    if _table(tool, "hatch").get("version", {}).get("source") == "vcs":
        return "hatch-vcs"
    if _table(_table(tool, "pdm"), "version").get("source") == "scm":
        return "pdm-backend scm"
    for name in SCM_TABLES:
        if name in tool:
            return name.replace("_", "-")
    return "a version-from-tags build plugin"


def _backend_file(data: dict[str, Any], config: Config) -> VersionSource | None:
    """The file a build backend reads the version from, when the project names one."""
    tool = _table(data, "tool")
    hatch_path = _table(_table(tool, "hatch"), "version").get("path")
    if isinstance(hatch_path, str):
        return _file_source(config, hatch_path, "[tool.hatch.version] path", None)
    pdm = _table(_table(tool, "pdm"), "version")
    if pdm.get("source") == "file" and isinstance(pdm.get("path"), str):
        return _file_source(config, pdm["path"], '[tool.pdm.version] source = "file"', None)
    dynamic = _table(_table(_table(tool, "setuptools"), "dynamic"), "version")
    if isinstance(dynamic.get("attr"), str):
        package_dir = _table(_table(tool, "setuptools"), "package-dir").get("", None)
        path, variable = _attr_file(config.root, dynamic["attr"], package_dir)
        return _file_source(config, path, "[tool.setuptools.dynamic] version attr", variable)
    if isinstance(dynamic.get("file"), str | list):
        name = dynamic["file"] if isinstance(dynamic["file"], str) else dynamic["file"][0]
        return _file_source(config, name, "[tool.setuptools.dynamic] version file", None)
    backend = str(_table(data, "build-system").get("build-backend", ""))
    if backend.startswith("flit") and "name" in _table(data, "project"):
        module = (
            _table(_table(tool, "flit"), "module").get("name") or _table(data, "project")["name"]
        )
        module = str(module).replace("-", "_")
        for base in ("src/", ""):
            for relative in (f"{base}{module}/__init__.py", f"{base}{module}.py"):
                if (config.root / relative).is_file():
                    return _file_source(
                        config, relative, "flit: the module's __version__", "__version__"
                    )
    return None


def _attr_file(
    root: Path,
    attr: str,
    package_dir: object,
    setting: str = "[tool.setuptools.dynamic] version attr",
) -> tuple[str, str]:
    module, _, variable = attr.rpartition(".")
    parts = module.split(".")
    bases = [str(package_dir)] if isinstance(package_dir, str) else []
    bases += ["src", "."]
    for base in bases:
        for candidate in (
            Path(base, *parts, "__init__.py"),
            Path(base, *parts[:-1], f"{parts[-1]}.py"),
        ):
            if (root / candidate).is_file():
                return candidate.as_posix().removeprefix("./"), variable
    if setting.startswith("setup.cfg"):
        where = f"{root / 'setup.cfg'}{setting.removeprefix('setup.cfg')}"
    else:
        where = f"{root / PYPROJECT}: {setting}"
    msg = f"{where}: module {module} not found"
    raise VersionError(msg, hint="check the attr: path and the package folder")


def _file_source(config: Config, name: str, setting: str, variable: str | None) -> VersionSource:
    path = config.root / name
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        msg = f"{path}: the version file named by {setting} cannot be read"
        raise VersionError(msg, hint=f"create it, or fix {setting}") from None
    where = f"{name} ({setting})"
    pattern = assignment(variable) if variable else _ANY_ASSIGNMENT
    found = pattern.search(text)
    if found is not None:
        kept = variable or re.sub(r"[\s:=].*", "", found["lead"].strip())
        return VersionSource("file", found["value"], where, path, variable=kept)
    if variable is None and text.strip() and "\n" not in text.strip():
        return VersionSource("file", text.strip(), where, path)
    msg = f"{path}: no version assignment found (named by {setting})"
    raise VersionError(msg, hint='write it on its own line as __version__ = "X.Y.Z"')


def setup_cfg_value(root: Path, key: str, section: str = "metadata") -> str | None:
    """``key`` under ``[section]`` of ``root``'s setup.cfg, as setuptools reads it; None when
    the file, the section or the key is missing or the file cannot be parsed."""
    path = root / "setup.cfg"
    if not path.is_file():
        return None
    import configparser  # only setup.cfg projects need it: kept out of every start

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8"))
    except (configparser.Error, UnicodeDecodeError):
        return None
    value = parser.get(section, key, fallback=None)
    return value.strip() if value is not None else None


def _setup_cfg(config: Config) -> VersionSource | None:
    value = setup_cfg_value(config.root, "version")
    if value is None:
        return None
    setting = f"setup.cfg [metadata] version = {value}"
    if value.startswith("attr:"):
        package_dir = _cfg_package_dir(config.root)
        target, variable = _attr_file(config.root, value[5:].strip(), package_dir, setting)
        return _file_source(config, target, setting, variable)
    if value.startswith("file:"):
        return _file_source(config, value[5:].strip(), setting, None)
    return VersionSource(
        "setup.cfg", value, "setup.cfg [metadata] version", config.root / "setup.cfg"
    )


def _cfg_package_dir(root: Path) -> str | None:
    """The root package folder of setup.cfg's ``[options] package_dir`` (``= src``)."""
    value = setup_cfg_value(root, "package_dir", "options") or ""
    for line in value.splitlines():
        name, _, folder = line.partition("=")
        if not name.strip() and folder.strip():
            return folder.strip()
    return None


_SETUP_VERSION = assignment("version")
_QUOTED_PY = re.compile(r"""["'](?P<name>[\w./-]+\.py)["']""")


def _setup_py(config: Config) -> VersionSource | None:
    """The version of a project built by its setup.py: ``version="X"`` in the call, or the
    ``__version__`` of a Python file setup.py names (certifi reads its package's)."""
    path = config.root / "setup.py"
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    found = _SETUP_VERSION.search(text)
    if found is not None:
        return VersionSource(
            "file", found["value"], "setup.py (setup version=)", path, variable="version"
        )
    for named in _QUOTED_PY.finditer(text):
        name = named["name"].removeprefix("./")
        target = config.root / name
        if target.is_file() and _DUNDER.search(
            target.read_text(encoding="utf-8", errors="replace")
        ):
            return _file_source(config, name, "setup.py reads it", "__version__")
    return None


# --- writing -------------------------------------------------------------------------------


def source_edit(config: Config, source: VersionSource, new_version: str) -> FileEdit | None:
    """The edit that writes ``new_version`` where the version lives; None for tags."""
    if source.kind == "scm" or source.path is None:
        return None
    if source.kind == "incremental":
        return incremental_version.edit(incremental_version.read(source.path), new_version)
    before = source.path.read_bytes()
    text = before.decode("utf-8")
    if source.kind in ("static", "cargo"):
        start, end = _version_span(text, source.table)
        after = text[:start] + new_version + text[end:]
        _verify_only_version_changed(text, after, source.table, source.path)
        return FileEdit(source.path, before, after.encode("utf-8"))
    if source.kind == "setup.cfg":
        span = _cfg_span(text)
    elif source.variable is not None:
        match = assignment(source.variable).search(text)
        span = (match.start("value"), match.end("value")) if match else None
    else:
        start = text.find(source.raw)
        span = (start, start + len(source.raw)) if start >= 0 else None
    if span is None:
        msg = f"{source.path}: cannot find the version {source.raw} to change"
        raise VersionError(msg, hint="write it on its own line")
    start, end = span
    return FileEdit(source.path, before, (text[:start] + new_version + text[end:]).encode())


def _cfg_span(text: str) -> tuple[int, int] | None:
    sections = list(_CFG_SECTION.finditer(text))
    for index, header in enumerate(sections):
        if header["name"].strip() != "metadata":
            continue
        end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
        found = _CFG_VERSION.search(text, header.end(), end)
        if found:
            return found.start("value"), found.end("value")
    return None


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


def version_edits(config: Config, new_version: str, repo: Repo | None = None) -> list[FileEdit]:
    """Every edit setting ``new_version``: where the version lives, then the version files."""
    from repokit.release import version_files

    source = read_source(config, repo)
    first = source_edit(config, source, new_version)
    rest = version_files.edits(config, source.raw, new_version)
    if source.kind == "incremental" and source.path is not None:
        call = incremental_version.read(source.path)
        files = _package_files(source.path.parent, repo)
        rest = [*incremental_version.placeholder_edits(call, new_version, files), *rest]
    if source.kind == "cargo" and source.path is not None:
        lock = cargo.lock_edit(
            cargo.CargoVersion(source.path, source.table, source.raw), new_version
        )
        rest = [lock, *rest] if lock is not None else rest
    return [first, *rest] if first is not None else rest


def _package_files(folder: Path, repo: Repo | None) -> list[Path]:
    """The files of the package ``folder``: those git tracks when there is a repository (a
    release commits only those), else every file under it."""
    if repo is None:
        return sorted(p for p in folder.rglob("*") if "__pycache__" not in p.parts)
    from repokit import gitrepo

    top = gitrepo.work_tree(repo)
    under = Path(os.path.relpath(folder, top)).as_posix()
    return [folder / name for name in gitrepo.tracked_files(repo, under)]


def project_name(config: Config) -> str:
    """The distribution name from pyproject.toml ([project] or [tool.poetry]), or without
    either from setup.cfg's ``[metadata] name``."""
    data = load_pyproject(config)
    name = _table(data, "project").get("name") or _table(_table(data, "tool"), "poetry").get("name")
    if not name and not data.get("project"):
        name = setup_cfg_value(config.root, "name")
    if not isinstance(name, str) or not name:
        msg = f"{config.pyproject}: no project name"
        raise VersionError(msg, hint='add name = "..." under [project]')
    return name


def project_names(config: Config) -> tuple[str, ...]:
    """The names a project's tags may carry: its distribution name and its folder's name."""
    try:
        data = load_pyproject(config)
    except VersionError:
        return (config.root.name,)
    name = _table(data, "project").get("name") or _table(_table(data, "tool"), "poetry").get("name")
    if not name and not data.get("project"):
        name = setup_cfg_value(config.root, "name")
    return tuple(n for n in (name, config.root.name) if isinstance(n, str) and n)
