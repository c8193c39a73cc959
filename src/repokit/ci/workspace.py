"""Each job's own copy of the working tree, as the user has it: a fresh runner's checkout.

A job gets a ``git clone --shared`` of the repository (its own ``.git``, history and tags,
objects borrowed from the user's repository, nothing copied), checked out at HEAD, then the
user's uncommitted changes on top: modified and untracked files that are not ignored are
copied, deleted ones deleted. For a pull request the checkout is its merge commit (see
:mod:`repokit.ci.merge`), as on GitHub; a checkout's ``ref:`` names another commit.
Whatever the job does (``mv``, ``git clean``, ``pip uninstall``) happens in that copy; the
user's tree and the other jobs' copies never change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from repokit.ci.merge import Merge, make
from repokit.errors import WorkflowError

#: Files are written by several checkout workers at once: on a loaded disk each new file
#: waits on the file system's journal more than on the CPU, so the workers are more than
#: the cores (git's own default is one worker, i.e. no parallel checkout).
_CHECKOUT_WORKERS = max(8, 2 * (os.cpu_count() or 1))
#: Parallel checkout pays off from a few hundred files; below, one process is quicker.
_PARALLEL_FROM_FILES = 200


def _git(root: Path, *args: str, config: dict[str, str] | None = None) -> str:
    options = [part for item in (config or {}).items() for part in ("-c", "=".join(item))]
    result = subprocess.run(
        ["git", *options, *args], cwd=root, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise WorkflowError(
            f"git {args[0]} in {root}: {last}", hint="run inv ci in a git repository"
        )
    return result.stdout


def changes(root: Path) -> tuple[list[str], list[str]]:
    """The user's uncommitted changes: (files to copy, files deleted), relative to ``root``."""
    listed = _git(root, "ls-files", "-z", "--modified", "--others", "--exclude-standard")
    deleted = set(_git(root, "ls-files", "-z", "--deleted").split("\0")) - {""}
    copied = [name for name in dict.fromkeys(listed.split("\0")) if name and name not in deleted]
    return copied, sorted(deleted)


def create(
    root: Path, target: Path, *, merge: Merge | None = None, commit: str | None = None
) -> Path:
    """``target`` as a fresh checkout of ``root`` with the user's uncommitted changes.

    With ``merge``, the checkout is the pull request's merge commit (the changes on top);
    with ``commit``, exactly that commit, detached, without the user's changes.
    """
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    if found.returncode == 0:
        subprocess.run(
            ["git", "clone", "--quiet", "--shared", "--no-checkout", str(root), str(target)],
            check=True,
            capture_output=True,
        )
        head = found.stdout.strip()
        branch = _git(root, "branch", "--show-current").strip()
        checkout = ["checkout", "--quiet", "-B", branch, head] if branch else ["checkout", head]
        merged = make(target, merge.base, merge.head) if merge and merge.sha else None
        if commit or merged:
            checkout = ["checkout", "--quiet", "--detach", commit or merged or head]
        parallel = {
            "checkout.workers": str(_CHECKOUT_WORKERS),
            "checkout.thresholdForParallelism": str(_PARALLEL_FROM_FILES),
        }
        _git(target, *checkout, config=parallel)
        origin = subprocess.run(
            ["git", "remote", "get-url", "origin"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        if origin:
            _git(target, "remote", "set-url", "origin", origin)
    else:
        target.mkdir(parents=True)
        _git(target, "init", "--quiet")
    if commit:
        return target
    copied, deleted = changes(root)
    for name in copied:
        source, destination = root / name, target / name
        if source.is_symlink() or source.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            if destination.exists() or destination.is_symlink():
                destination.unlink()
            shutil.copy2(source, destination, follow_symlinks=False)
    for name in deleted:
        (target / name).unlink(missing_ok=True)
    return target


def add_submodules(root: Path, target: Path, *, recursive: bool) -> list[str]:
    """Check out ``target``'s submodules from the user's own clones of them (no network).

    Returns the submodules the user has not cloned: they cannot be checked out here.
    """
    listed = subprocess.run(
        ["git", "config", "--file", ".gitmodules", "--get-regexp", r"^submodule\..*\.path$"],
        cwd=target,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    missing: list[str] = []
    for line in listed:
        key, _, path = line.partition(" ")
        name = key.removeprefix("submodule.").removesuffix(".path")
        source = root / path
        if not (source / ".git").exists():
            missing.append(path)
            continue
        _git(target, "config", f"submodule.{name}.url", str(source))
        update = ["-c", "protocol.file.allow=always", "submodule", "update", "--init", "--", path]
        _git(target, *update)
        if recursive:
            add_submodules(source, target / path, recursive=True)
    return missing
