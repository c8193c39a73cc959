"""The Python interpreters of this machine, as a runner's tool cache sees them.

``actions/setup-python`` asks for a version; this finds it among the interpreters installed
here (pyenv's versions, uv-managed Pythons, ``python3.X`` on PATH) and makes each job a fresh
virtual environment of it, with a current pip. Tools the workflows expect on PATH (uv,
pre-commit) are installed once from the package index into repokit's tool cache.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from repokit.errors import WorkflowError

_VERSION = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
_THREADS = threading.Lock()


@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    """One writer to the tool cache at a time: across this run's jobs and other runs."""
    folder = tool_cache()
    folder.mkdir(parents=True, exist_ok=True)
    with _THREADS, (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Interpreter:
    version: tuple[int, int, int]
    path: Path

    @property
    def short(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"


def tool_cache() -> Path:
    """Where repokit keeps what it installs for jobs: ``$XDG_CACHE_HOME/repokit/ci``.

    ``REPOKIT_TOOL_CACHE`` names another folder (tests share one across their homes).
    """
    if os.environ.get("REPOKIT_TOOL_CACHE"):
        return Path(os.environ["REPOKIT_TOOL_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "repokit" / "ci"


#: The oldest Python a job is given: repokit makes each job a ``venv`` with a pip whose
#: ``pip._internal.cli.main`` it runs (pip 19.3 and later). The newest pip for Python 3.4
#: is 19.1.1, and Python 2 has no ``venv``.
OLDEST_OFFERED = (3, 5)
_NEWEST_PIP = {(2, 7): "20.3.4", (3, 3): "10.0.1", (3, 4): "19.1.1"}


def not_offered_reason(version: tuple[int, ...]) -> str | None:
    """Why an installed interpreter of ``version`` is not given to jobs; None when it is."""
    if tuple(version[:2]) >= OLDEST_OFFERED:
        return None
    short = f"{version[0]}.{version[1]}"
    if version[0] < 3:
        return f"Python {short} has no venv module, and repokit gives every job a venv"
    newest = _NEWEST_PIP.get((version[0], version[1]), "older")
    return f"its newest pip ({newest}) is older than 19.3, the oldest pip repokit runs"


@cache
def installed_too_old() -> tuple[Interpreter, ...]:
    """The interpreters found here that are too old to be offered (Python 2.7...)."""
    return tuple(i for i in _found() if not_offered_reason(i.version) is not None)


@cache
def interpreters() -> tuple[Interpreter, ...]:
    """Every CPython 3 found here that jobs can be given, newest first, one per X.Y.Z."""
    return tuple(i for i in _found() if not_offered_reason(i.version) is None)


@cache
def _found() -> tuple[Interpreter, ...]:
    found: dict[tuple[int, int, int], Path] = {}
    candidates: list[Path] = []
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    if pyenv.is_dir():
        candidates += sorted(pyenv.glob("*/bin/python3"))
        candidates += sorted(pyenv.glob("2.*/bin/python2"))
    uv_root = Path(
        os.environ.get("UV_PYTHON_INSTALL_DIR") or Path.home() / ".local/share/uv/python"
    )
    if uv_root.is_dir():
        candidates += sorted(uv_root.glob("cpython-*/bin/python3"))
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if "shims" in directory or not directory:
            continue  # pyenv's shims answer only for the selected version
        candidates += sorted(Path(directory).glob("python3.[0-9]*"))
    for candidate in candidates:
        in_pyenv = candidate.name in ("python3", "python2")
        name = candidate.parent.parent.name if in_pyenv else candidate.name
        match = _VERSION.search(name)
        if not match or "pypy" in name or not os.access(candidate, os.X_OK):
            continue
        if match.group(3) is None:
            version = _ask_version(candidate)
            if version is None:
                continue
        else:
            version = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if version[0] in (2, 3):
            found.setdefault(version, candidate)
    here = sys.version_info
    found.setdefault((here.major, here.minor, here.micro), Path(sys.base_prefix) / "bin/python3")
    return tuple(Interpreter(v, p) for v, p in sorted(found.items(), reverse=True))


def _ask_version(python: Path) -> tuple[int, int, int] | None:
    probe = "import sys; print('%d.%d.%d' % sys.version_info[:3])"
    try:
        out = subprocess.run([python, "-c", probe], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.fullmatch(out.stdout.strip())
    return (int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)) if match else None


def installed_versions() -> list[str]:
    """The X.Y versions installed here, oldest first: ``['3.10', '3.11', ...]``."""
    return sorted({i.short for i in interpreters()}, key=lambda v: tuple(map(int, v.split("."))))


def find(spec: str) -> Interpreter | None:
    """The interpreter a setup-python ``python-version`` names, or None when not installed.

    ``3.12``, ``3.12.1``, ``3.x``, ``3.13-dev``, ``>=3.10`` are understood; ``pypy`` and
    free-threaded (``3.13t``) builds are looked for only as CPython and not found.
    """
    text = str(spec).strip().lower()
    if not text or text.startswith(("pypy", "graalpy")) or text.endswith("t"):
        return None
    text = text.removesuffix("-dev").removesuffix("-beta")
    if text in ("3.x", "3", "x"):
        return interpreters()[0] if interpreters() else None
    lower = text.startswith(">=")
    match = _VERSION.search(text)
    if not match:
        return None
    wanted = (int(match.group(1)), int(match.group(2)))
    for interpreter in interpreters():
        if lower and interpreter.version[:2] >= wanted:
            return interpreter
        if interpreter.version[:2] == wanted and (
            match.group(3) is None or interpreter.version[2] == int(match.group(3))
        ):
            return interpreter
    return None


def default() -> Interpreter:
    """The interpreter repokit runs on: a job's Python when no setup-python names one."""
    here = f"{sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"
    return find(here) or interpreters()[0]


def versions_dir() -> Path:
    """A folder of ``python3.X`` links to every installed version, as a runner's tool cache.

    It goes on a job's PATH after the job's own environment, so ``tox``, ``nox`` and ``uv``
    find the versions a workflow asks them for.
    """
    folder = tool_cache() / "pythons"
    with cache_lock():
        folder.mkdir(parents=True, exist_ok=True)
        for interpreter in interpreters():
            link = folder / f"python{interpreter.short}"
            if not link.exists():
                link.unlink(missing_ok=True)
                link.symlink_to(interpreter.path)
    return folder


def version_from_file(path: Path) -> str:
    """The version a ``python-version-file`` names, read as setup-python reads it.

    pyproject.toml: the newest installed version that ``requires-python`` allows;
    ``.tool-versions``: the ``python`` line; other files: the first word.
    """
    text = path.read_text(encoding="utf-8")
    if path.name == "pyproject.toml":
        import tomllib

        from packaging.specifiers import SpecifierSet

        spec = tomllib.loads(text).get("project", {}).get("requires-python", "")
        allowed = SpecifierSet(spec)
        versions = [i for i in interpreters() if allowed.contains(".".join(map(str, i.version)))]
        return versions[0].short if versions else spec
    if path.name == ".tool-versions":
        for line in text.splitlines():
            if line.startswith("python"):
                return line.split()[1]
    words = text.split()
    return words[0] if words else ""


def newest_release(short: str) -> tuple[int, int, int] | None:
    """The newest CPython ``short`` (``3.11``) release that uv knows of, or None.

    setup-python gives a runner the newest patch release of the version asked; one
    installed here may be older, and a test can depend on a fix made in between. uv's
    list of downloads is read offline, and only from a uv already in the tool cache.
    """
    uv = tool_cache() / "tools" / "uv"
    if not (uv / ".installed").exists():
        return None
    command = [str(uv / "bin" / "uv"), "python", "list", short, "--only-downloads"]
    try:
        out = subprocess.run(
            [*command, "--output-format", "json"], capture_output=True, text=True, timeout=10
        )
        listed = json.loads(out.stdout or "[]")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    versions = [
        tuple(int(entry["version_parts"][k]) for k in ("major", "minor", "patch"))
        for entry in listed
        if isinstance(entry, dict) and entry.get("implementation") == "cpython"
    ]
    found = [v for v in versions if len(v) == 3 and f"{v[0]}.{v[1]}" == short]
    return max(found) if found else None


class NotHere(WorkflowError):
    """What the job needs is not on this machine: the job is skipped, not failed."""


_UV_DOWNLOAD_FAILED = re.compile(
    r"Failed to download `[^`]*/python-build-standalone/[^`]*/cpython-(\d+\.\d+)[.\d]*"
)


def download_gap(line: str) -> str | None:
    """What a line of a step's output says this machine lacks: uv could not download the
    Python it was asked for (GitHub's runner can), so the job cannot run here."""
    match = _UV_DOWNLOAD_FAILED.search(line)
    if match is None:
        return None
    return f"{missing_reason(match.group(1))}, and uv could not download it"


def missing_reason(spec: str) -> str:
    found = ", ".join(installed_versions()) or "none"
    match = _VERSION.search(str(spec))
    for old in installed_too_old() if match else ():
        if match and old.version[:2] == (int(match.group(1)), int(match.group(2))):
            why = not_offered_reason(old.version)
            return f"Python {spec} is installed here but not offered: {why}; offered: {found}"
    return f"Python {spec} is not installed here; found {found}"


def make_venv(interpreter: Interpreter, target: Path) -> Path:
    """A fresh virtual environment of ``interpreter`` at ``target``, with a current pip.

    pip is not installed into it (that takes seconds per job): a ``.pth`` file points at
    one unpacked copy of a current pip in the tool cache, and ``bin/pip`` runs it. A job
    that upgrades pip installs its own into the environment, which then comes first.
    """
    _run([str(interpreter.path), "-m", "venv", "--without-pip", str(target)], "create a venv")
    pip = _unpacked_pip(interpreter.short)
    purelib = next(target.glob("lib/python3*/site-packages"))
    (purelib / "_repokit_pip.pth").write_text(f"{pip}\n", encoding="utf-8")
    script = f"#!{target / 'bin' / 'python'}\nimport sys\nfrom pip._internal.cli.main import main\n"
    script += "sys.exit(main())\n"
    for name in ("pip", "pip3", f"pip{interpreter.short}"):
        path = target / "bin" / name
        path.write_text(script, encoding="utf-8")
        path.chmod(0o755)
    return target


def _unpacked_pip(short: str) -> Path:
    """The newest pip for Python ``short``, downloaded once and unpacked, then reused."""
    wheel = _pip_wheel(short)
    folder = tool_cache() / "pip" / wheel.stem
    with cache_lock():
        if not (folder / "pip").is_dir():
            import zipfile

            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(folder)
    return folder


def _pip_wheel(short: str) -> Path:
    """The newest pip wheel that supports Python ``short`` (its ``Requires-Python``),
    downloaded from the package index once, then reused: pip 26 needs 3.9, 3.8's is 25.0.1,
    3.7's 24.0, 3.6's 21.3.1."""
    directory = tool_cache() / "wheels" / f"py{short}"
    with cache_lock():
        wheels = sorted(directory.glob("pip-*.whl"))
        if not wheels:
            directory.mkdir(parents=True, exist_ok=True)
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            command += ["--only-binary=:all:", "--python-version", short]
            _run([*command, "--dest", str(directory), "pip"], f"download a pip for Python {short}")
            wheels = sorted(directory.glob("pip-*.whl"))
    return wheels[-1]


def tool(name: str, *packages: str) -> Path:
    """The ``bin`` folder of a tool installed once into repokit's tool cache (uv, pre-commit).

    ``packages`` are what the tool's environment holds (default: the package ``name``).
    """
    home = tool_cache() / "tools" / name
    installed = home / ".installed"
    with cache_lock():
        if not installed.exists():
            if home.exists():
                shutil.rmtree(home)
            _run([sys.executable, "-m", "venv", str(home)], f"create the {name} tool environment")
            install = [str(home / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            _run([*install, *(packages or (name,))], f"install {name} from the package index")
            installed.touch()
    return home / "bin"


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        last = ((result.stderr or result.stdout).strip().splitlines() or ["no output"])[-1]
        raise WorkflowError(f"cannot {what}: {last}", hint="check the package index is reachable")
