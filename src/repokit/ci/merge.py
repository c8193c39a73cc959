"""The pull request's merge commit, ``refs/pull/N/merge``, as GitHub builds it.

For ``pull_request`` GitHub checks out a merge commit: its first parent the base branch's
tip, its second the pull request's head, its tree the two merged (``git checkout HEAD^2``
in a workflow gives the head back). The commit is made here the same way, with a fixed
author, committer and date, so every job's copy of it has the same SHA as ``github.sha``.
Nothing is written into the user's repository: the SHA is computed in a throwaway object
folder, and each job makes the commit again in its own clone.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: GitHub's merge commits are made by "GitHub <noreply@github.com>".
_IDENTITY = {
    "GIT_AUTHOR_NAME": "GitHub",
    "GIT_AUTHOR_EMAIL": "noreply@github.com",
    "GIT_COMMITTER_NAME": "GitHub",
    "GIT_COMMITTER_EMAIL": "noreply@github.com",
}


@dataclass(frozen=True)
class Merge:
    """The merge of ``head`` into ``base``: ``sha`` when it merges cleanly, else a note."""

    base: str
    head: str
    sha: str | None
    note: str | None = None


class MergeUnavailable(Exception):
    """This git cannot build a merge commit without a work tree (``merge-tree --write-tree``
    came with git 2.38)."""


def _git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def make(cwd: Path, base: str, head: str, objects: Path | None = None) -> str | None:
    """The merge commit of ``head`` into ``base`` made in ``cwd``; None when they conflict.

    With ``objects``, new objects go there and the repository's own are only read.
    """
    env = dict(os.environ)
    if objects is not None:
        common = _git(cwd, env, "rev-parse", "--path-format=absolute", "--git-common-dir")
        env["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = str(Path(common.stdout.strip()) / "objects")
        env["GIT_OBJECT_DIRECTORY"] = str(objects)
    date = _git(cwd, env, "show", "-s", "--format=%ct", head).stdout.strip() or "0"
    env |= _IDENTITY | {"GIT_AUTHOR_DATE": f"@{date} +0000", "GIT_COMMITTER_DATE": f"@{date} +0000"}
    tree = _git(cwd, env, "merge-tree", "--write-tree", base, head)
    if tree.returncode == 1:  # git's answer for a merge with conflicts
        return None
    if tree.returncode != 0:
        raise MergeUnavailable((tree.stderr.strip().splitlines() or ["no output"])[-1])
    message = f"Merge {head} into {base}"
    tree_sha = tree.stdout.split()[0]
    commit = _git(cwd, env, "commit-tree", tree_sha, "-p", base, "-p", head, "-m", message)
    return commit.stdout.strip() if commit.returncode == 0 else None


def pull_request_merge(root: Path, base: str, head: str) -> Merge | None:
    """The merge a pull request from ``head`` into ``base`` would run on, or None.

    None when there is nothing to merge (the base's tip is the head: a run on the default
    branch itself). Conflicts give a Merge without a SHA: GitHub would run no
    ``pull_request`` workflow until they are resolved; here the jobs run on the head.
    """
    if not base or not head or base == head:
        return None
    with tempfile.TemporaryDirectory(prefix="repokit-merge-") as objects:
        try:
            sha = make(root, base, head, Path(objects))
        except MergeUnavailable as error:
            note = (
                f"the merge commit GitHub would test cannot be built with this git ({error}; "
                "git 2.38 or later builds it): the jobs here run on the branch's head"
            )
            return Merge(base, head, None, note)
    if sha is None:
        note = (
            "the branch conflicts with the base branch: GitHub runs no pull_request workflow "
            "until that is resolved; the jobs here run on the branch's head"
        )
        return Merge(base, head, None, note)
    return Merge(base, head, sha)
