"""Temporary git repositories with a workflow, and ``repokit ci`` run in them as a user would."""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPOKIT = str(Path(sys.executable).parent / "repokit")
#: One tool cache for every test: uv and pip are installed into it once, then reused.
TOOL_CACHE = str(Path(tempfile.gettempdir()) / "repokit-tests-tool-cache")


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    done = subprocess.run(["git", *identity, *args], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def project(tmp_path: Path, workflow: str, *, name: str = "w.yml", header: str = "") -> Path:
    """A git repository (one commit on main) whose only workflow is ``workflow``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n')
    directory = tmp_path / ".github" / "workflows"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text((header or "on: workflow_dispatch\n") + workflow)
    git(tmp_path, "init", "--quiet", "--initial-branch", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "--quiet", "-m", "start")
    return tmp_path


def ci(
    root: Path,
    *args: str,
    env: dict[str, str] | None = None,
    workflow: str | None = "w",
    verbose: bool = True,
) -> subprocess.CompletedProcess[str]:
    """``repokit ci`` in ``root``; ``--verbose`` unless told not, so steps' output shows."""
    chosen = ["--workflow", workflow] if workflow else []
    loud = ["--verbose"] if verbose else []
    return subprocess.run(
        [REPOKIT, "ci", *chosen, *loud, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "REPOKIT_TOOL_CACHE": TOOL_CACHE, **(env or {})},
        check=False,
    )


def summary_row(output: str, job: str) -> list[str]:
    """The summary table's cells for ``job``: [job, result, duration, log / reason...]; the
    words of the row's wrapped lines (they start with spaces) are added to its last cell."""
    lines = output.split("\njob ", 1)[1].splitlines()
    for number, line in enumerate(lines):
        if line.startswith(job + "  "):
            words = line[len(job) :].split()
            for more in lines[number + 1 :]:
                if not more.startswith(" "):
                    break
                words += more.split()
            return [line[: len(job)], *words]
    raise AssertionError(f"no row for {job} in:\n{output}")


def wheel(folder: Path, name: str, files: dict[str, bytes]) -> Path:
    """A pure-Python wheel of ``name`` 1.0 holding ``files`` (its dist-info added)."""
    info = f"{name}-1.0.dist-info"
    files = {
        **files,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = ""
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record += f"{path},sha256={digest},{len(data)}\n"
    files[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    target = folder / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(target, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return target


#: An in-tree build backend: sdist and wheel of the package ``tiny`` with no download, so
#: a build takes a second. Its metadata is the file METADATA.in beside it.
_BACKEND = """
import base64, hashlib, io, os, tarfile, zipfile
from pathlib import Path

META = Path("METADATA.in").read_text()
WHEEL = b"Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"


def build_sdist(directory, config_settings=None):
    with tarfile.open(os.path.join(directory, "tiny-1.0.tar.gz"), "w:gz") as sdist:
        for name in ("pyproject.toml", "backend.py", "METADATA.in", "tiny.py"):
            sdist.add(name, "tiny-1.0/" + name)
        info = tarfile.TarInfo("tiny-1.0/PKG-INFO")
        info.size = len(META.encode())
        sdist.addfile(info, io.BytesIO(META.encode()))
    return "tiny-1.0.tar.gz"


def build_wheel(directory, config_settings=None, metadata_directory=None):
    files = {
        "tiny.py": Path("tiny.py").read_bytes(),
        "tiny-1.0.dist-info/METADATA": META.encode(),
        "tiny-1.0.dist-info/WHEEL": WHEEL,
    }
    record = ""
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
        record += f"{name},sha256={digest.decode()},{len(data)}\\n"
    files["tiny-1.0.dist-info/RECORD"] = (record + "tiny-1.0.dist-info/RECORD,,\\n").encode()
    with zipfile.ZipFile(os.path.join(directory, "tiny-1.0-py3-none-any.whl"), "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    return "tiny-1.0-py3-none-any.whl"
"""


def tiny_package(
    root: Path, *, readme: str, readme_type: str | None, pythons: tuple[str, ...] = ("3.12",)
) -> None:
    """The package ``tiny`` 1.0 in ``root``, built by an in-tree backend (nothing downloaded)."""
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    )
    (root / "backend.py").write_text(_BACKEND)
    (root / "tiny.py").write_text("X = 1\n")
    lines = ["Metadata-Version: 2.1", "Name: tiny", "Version: 1.0"]
    lines += [f"Classifier: Programming Language :: Python :: {v}" for v in pythons]
    lines += [f"Description-Content-Type: {readme_type}"] if readme_type else []
    (root / "METADATA.in").write_text("\n".join(lines) + "\n\n" + readme)
