"""Prove the built package works: install each artifact into a fresh environment and import it.

A wheel missing a module or a data file fails here, not on the index. The wheel is
installed as it is; the sdist is built into a wheel first (as pip would on a user's machine).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import Version

from repokit.errors import RepokitError

log = logging.getLogger(__name__)


class ArtifactError(RepokitError):
    """A built artifact does not install, import, or report the right version."""


def top_level_packages(wheel: Path) -> list[str]:
    """The importable top-level names a wheel installs."""
    names: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            first = name.split("/", 1)[0]
            if first.endswith((".dist-info", ".data")) or not name.endswith(".py"):
                continue
            names.add(first.removesuffix(".py"))
    return sorted(names)


def verify(
    artifacts: list[Path],
    name: str,
    version: str,
    *,
    isolation: bool = True,
    progress: Callable[[str], None] = log.info,
) -> None:
    """Install each artifact in a new virtual environment; import it; compare its version."""
    for artifact in artifacts:
        with tempfile.TemporaryDirectory(prefix="repokit-verify-") as temp:
            wheel = artifact
            if artifact.name.endswith(".tar.gz"):
                progress(f"build a wheel from {artifact.name}")
                wheel = _wheel_from_sdist(artifact, Path(temp) / "wheels", isolation)
            progress(f"install {artifact.name} into a fresh environment and import it")
            _check(wheel, artifact.name, Path(temp) / "venv", name, version)


def _wheel_from_sdist(sdist: Path, target: Path, isolation: bool) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(target)]
    if not isolation:
        command.append("--no-build-isolation")
    _run([*command, str(sdist)], f"{sdist.name} does not build into a wheel")
    wheels = sorted(target.glob("*.whl"))
    if not wheels:
        raise ArtifactError(f"{sdist.name}: no wheel was built from it", hint="check the sdist")
    return wheels[0]


def _check(wheel: Path, label: str, venv: Path, name: str, version: str) -> None:
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "cannot create a venv")
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    _run([*install, "--no-deps", "--no-index", str(wheel)], f"{label} does not install")
    modules = top_level_packages(wheel)
    if not modules:
        raise ArtifactError(f"{label}: installs no Python module", hint="check the package layout")
    probe = (
        "import importlib, importlib.metadata, sys\n"
        f"for module in {modules!r}:\n"
        "    importlib.import_module(module)\n"
        f"print(importlib.metadata.version({canonicalize_name(name)!r}))\n"
    )
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        msg = f"{label}: installed, but importing {', '.join(modules)} fails: {last}"
        raise ArtifactError(msg, hint="a module or data file is missing from the package")
    installed = result.stdout.strip()
    if Version(installed) != Version(version):
        msg = f"{label}: installs version {installed}, but pyproject.toml says {version}"
        raise ArtifactError(msg, hint="rebuild from a clean tree (inv build cleans dist/)")


def _run(command: list[str], failure: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = ((result.stderr or result.stdout).strip().splitlines() or ["no output"])[-1]
        raise ArtifactError(f"{failure}: {last}", hint="see the message; nothing was published")
