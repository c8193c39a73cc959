"""The version of a maturin project: Cargo.toml's, and its entry in Cargo.lock.

With ``build-backend = "maturin"`` and ``dynamic = ["version"]``, maturin takes the
version from the crate's manifest (Cargo.toml, or ``[tool.maturin] manifest-path``):
``[package] version``, or with ``version.workspace = true`` the workspace's
``[workspace.package] version``. Cargo.lock records the version of every crate of the
workspace (those without a ``source``): a release changes it there too, or the next
``cargo build`` would.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.edits import FileEdit
from repokit.errors import VersionError

MANIFEST = "Cargo.toml"
LOCK = "Cargo.lock"


@dataclass(frozen=True)
class CargoVersion:
    """Where the version is: the manifest, its table (``package`` or ``workspace.package``)."""

    manifest: Path
    table: tuple[str, ...]
    raw: str


def is_maturin(pyproject: dict[str, Any]) -> bool:
    """Whether the project is built by maturin."""
    backend = pyproject.get("build-system", {}).get("build-backend", "")
    return isinstance(backend, str) and backend.split(".")[0] == "maturin"


def locate(root: Path, pyproject: dict[str, Any]) -> CargoVersion:
    """The version maturin builds the project at ``root`` with."""
    maturin = pyproject.get("tool", {}).get("maturin", {})
    relative = maturin.get("manifest-path", MANIFEST) if isinstance(maturin, dict) else MANIFEST
    manifest = (root / str(relative)).resolve()
    package = _load(manifest).get("package", {})
    version = package.get("version")
    if isinstance(version, str):
        return CargoVersion(manifest, ("package",), version)
    if isinstance(version, dict) and version.get("workspace") is True:
        workspace = _workspace_manifest(manifest.parent)
        shared = _load(workspace).get("workspace", {}).get("package", {}).get("version")
        if isinstance(shared, str):
            return CargoVersion(workspace, ("workspace", "package"), shared)
    msg = f"{manifest}: no [package] version (nor a workspace version) for maturin to build with"
    raise VersionError(msg, hint='add version = "X.Y.Z" under [package] of the crate')


def lock_edit(cargo: CargoVersion, new_version: str) -> FileEdit | None:
    """The edit of Cargo.lock beside the workspace: the project's crates to ``new_version``.

    Only the crates of the workspace (no ``source`` line) at the old version change; None
    when there is no Cargo.lock or nothing in it to change.
    """
    lock = _lock_path(cargo.manifest.parent)
    if lock is None:
        return None
    names = _crate_names(cargo)
    before = lock.read_bytes()
    text = before.decode("utf-8")
    out: list[str] = []
    for block in re.split(r"(?m)^(?=\[\[package\]\])", text):
        name = re.search(r'(?m)^name = "([^"]+)"', block)
        local = re.search(r"(?m)^source = ", block) is None
        if name is not None and local and (names is None or name.group(1) in names):
            block = re.sub(
                rf'(?m)^(version = "){re.escape(cargo.raw)}(")',
                lambda m: m.group(1) + new_version + m.group(2),
                block,
                count=1,
            )
        out.append(block)
    after = "".join(out).encode("utf-8")
    return FileEdit(lock, before, after) if after != before else None


def _crate_names(cargo: CargoVersion) -> set[str] | None:
    """The crate whose version this is; None for a workspace's shared version (every member
    at that version takes it)."""
    if cargo.table != ("package",):
        return None
    name = _load(cargo.manifest).get("package", {}).get("name")
    return {name} if isinstance(name, str) else set()


def _lock_path(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        lock = candidate / LOCK
        if lock.is_file():
            return lock
        if (candidate / ".git").exists():
            break
    return None


def _workspace_manifest(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        manifest = candidate / MANIFEST
        if manifest.is_file() and "workspace" in _load(manifest):
            return manifest
        if (candidate / ".git").exists():
            break
    msg = f"{folder / MANIFEST}: version.workspace = true, but no workspace Cargo.toml above"
    raise VersionError(msg, hint="set [workspace.package] version in the workspace's Cargo.toml")


def _load(manifest: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{manifest}: not found, though maturin builds the project from it"
        hint = "set [tool.maturin] manifest-path to the crate's Cargo.toml"
        raise VersionError(msg, hint=hint) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"{manifest}: invalid TOML: {error}"
        raise VersionError(msg, hint="fix the syntax at that line and try again") from None
