"""Build the package and check it: sdist and wheel with ``build``, then ``twine check --strict``.

The build runs on a copy of the files git tracks, in a temporary directory: the work tree
gets no ``build/`` or ``*.egg-info`` litter, and a file the package needs but git does not
track fails here instead of on the index. Both tools run as subprocesses of the current
interpreter, in a process group of their own: when the release is interrupted (Ctrl-C,
SIGTERM) the whole group is killed, the build backend's own subprocesses with it, so that
nothing goes on writing into the folders the rollback removes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from repokit.errors import RepokitError

log = logging.getLogger(__name__)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class PackagingError(RepokitError):
    """The package did not build, or its metadata did not pass the check."""


def build(
    root: Path,
    outdir: Path,
    *,
    isolation: bool = True,
    files: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> list[Path]:
    """Build sdist and wheel of the project at ``root`` into ``outdir``; the files made.

    With ``files`` (paths relative to ``root``, e.g. what git tracks) the build runs on a
    copy of just those files, so nothing is written into ``root``.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    source = root if files is None else _copy(root, files, outdir / "source")
    command = [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(outdir)]
    if not isolation:
        command.append("--no-isolation")
    log.info("building %s", root)
    try:
        _run(
            [*command, str(source)],
            source,
            "the package did not build",
            "fix the build error",
            env=env,
        )
    finally:
        if source != root:
            shutil.rmtree(source, ignore_errors=True)
    artifacts = sorted(p for p in outdir.iterdir() if p.suffix in (".whl", ".gz"))
    if not artifacts:
        msg = "the build made no sdist or wheel"
        raise PackagingError(msg, hint="check [build-system] in pyproject.toml")
    return artifacts


def check(artifacts: list[Path], root: Path) -> None:
    """``twine check --strict`` over ``artifacts``: metadata and README must render on PyPI."""
    command = [sys.executable, "-m", "twine", "check", "--strict", *map(str, artifacts)]
    _run(
        command,
        root,
        "twine check --strict failed",
        "fix the package metadata (readme, description) that twine names above",
    )


def build_and_check(
    root: Path,
    outdir: Path,
    *,
    isolation: bool = True,
    files: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> list[Path]:
    """Build, then check; ``env`` adds variables for the build backend (a pretend version)."""
    artifacts = build(root, outdir, isolation=isolation, files=files, env=env)
    check(artifacts, root)
    return artifacts


def _copy(root: Path, files: list[str], target: Path) -> Path:
    for name in files:
        origin = root / name
        if origin.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, destination)
    return target


def _run(
    command: list[str], cwd: Path, failure: str, hint: str, env: dict[str, str] | None = None
) -> None:
    env = {**os.environ, "NO_COLOR": "1", "PY_COLORS": "0", **(env or {})}
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate()
    except BaseException:  # interrupted: the tool and whatever it started stop here
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    if process.returncode != 0:
        output = _ANSI.sub("", stdout + stderr).strip().splitlines()
        problems = [
            " ".join(line.split())
            for line in output
            if line.lstrip().startswith(("ERROR", "WARNING", "error:"))
        ]
        reason = "; ".join(problems[:2]) or (output[-1].strip() if output else "")
        reason = reason or f"exit {process.returncode}"
        log.error("%s\n%s", failure, "\n".join(output[-30:]))
        msg = f"{failure}: {reason}"
        raise PackagingError(msg, hint=hint)
