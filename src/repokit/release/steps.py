"""The steps of a release: each does one change and can undo it exactly.

The runner in :mod:`repokit.release.plan` does them in order and, on failure or Ctrl-C,
undoes the ones done in reverse.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from repokit import gitrepo
from repokit.edits import FileEdit

if TYPE_CHECKING:
    from repokit.gitrepo import Repo


class Step(Protocol):
    """One change of a release: what it does, doing it, and undoing it exactly."""

    name: str

    def describe(self) -> str: ...

    def do(self) -> None: ...

    def undo(self) -> None: ...


@dataclass
class WriteFiles:
    edits: list[FileEdit]
    root: Path
    name: str = "write files"
    _applied: list[FileEdit] = field(default_factory=list)

    def describe(self) -> str:
        written = [e for e in self.edits if e.after is not None]
        removed = [e for e in self.edits if e.after is None]
        text = "write " + ", ".join(_shown(e.path, self.root) for e in written)
        if removed:
            text += f"; remove {len(removed)} consumed news fragment(s)"
        return text

    def do(self) -> None:
        for edit in self.edits:
            self._applied.append(edit)
            edit.apply()

    def undo(self) -> None:
        for edit in reversed(self._applied):
            edit.revert()
        self._applied.clear()


@dataclass
class BuildAndCheck:
    """Build from the tracked files (with the new version written) and check the result."""

    root: Path
    repo: Repo
    isolation: bool = True
    files: list[FileEdit] = field(default_factory=list)
    #: Extra environment for the backend: the version, when it is computed from the tags.
    env: dict[str, str] = field(default_factory=dict)
    name: str = "build"
    outdir: Path | None = None

    def describe(self) -> str:
        return "build sdist and wheel from the tracked files, then twine check --strict"

    def do(self) -> None:
        from repokit.release.build import build_and_check

        tracked = set(gitrepo.tracked_files(self.repo, gitrepo.subdir(self.repo, self.root)))
        for edit in self.files:
            name = _shown(edit.path, self.root)
            if edit.after is None:
                tracked.discard(name)
            elif not name.startswith("../"):
                tracked.add(name)
        self.outdir = Path(tempfile.mkdtemp(prefix="repokit-build-"))
        build_and_check(
            self.root, self.outdir, isolation=self.isolation, files=sorted(tracked), env=self.env
        )

    def undo(self) -> None:
        if self.outdir is not None:
            shutil.rmtree(self.outdir, ignore_errors=True)
            self.outdir = None


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (``../docs/x.md`` for a file beside the project)."""
    return Path(os.path.relpath(path, root)).as_posix()


@dataclass
class Commit:
    repo: Repo
    paths: list[str]
    message: str
    sign: bool = False
    name: str = "commit"
    _before: str | None = None

    def describe(self) -> str:
        return f"commit {self.message!r}" + (" (signed)" if self.sign else "")

    def do(self) -> None:
        self._before = gitrepo.head_sha(self.repo)
        try:
            gitrepo.commit_paths(self.repo, self.paths, self.message, sign=self.sign)
        except BaseException:
            self.undo()  # a hook or signing failure may leave the index staged
            raise

    def undo(self) -> None:
        if self._before is not None:
            gitrepo.reset_mixed(self.repo, self._before)


@dataclass
class Tag:
    repo: Repo
    tag: str
    message: str
    sign: bool = False
    name: str = "tag"
    _made: bool = False

    def describe(self) -> str:
        kind = "signed" if self.sign else "annotated"
        return f"create the {kind} tag {self.tag} (its message: the changelog section)"

    def do(self) -> None:
        gitrepo.create_tag(self.repo, self.tag, self.message, sign=self.sign)
        self._made = True

    def undo(self) -> None:
        if self._made:
            gitrepo.delete_tag(self.repo, self.tag)
            self._made = False


@dataclass
class Push:
    repo: Repo
    remote: str
    branch: str
    tag: str
    name: str = "push"

    def describe(self) -> str:
        return f"push {self.branch} and {self.tag} to {self.remote} in one atomic push"

    def do(self) -> None:
        gitrepo.push_atomic(self.repo, self.remote, self.branch, self.tag)

    def undo(self) -> None:
        """An atomic push that failed pushed nothing; one that succeeded is the last step."""
