"""A planned change to one file: its bytes before and after, a diff, apply and revert.

Versioning and the changelog produce FileEdits; the release plan shows their diffs
for ``--dry-run`` and applies them, and reverts them byte for byte on failure.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileEdit:
    """``path`` goes from ``before`` (None: the file does not exist yet) to ``after``.

    ``after`` None removes the file (a news fragment a release consumes).
    """

    path: Path
    before: bytes | None
    after: bytes | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, root: Path | None = None) -> str:
        """A unified diff (``--- a/path`` / ``+++ b/path``) of the edit, empty when unchanged."""
        name = Path(os.path.relpath(self.path, root)).as_posix() if root else self.path.as_posix()
        old = (self.before or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
        new = (self.after or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile=f"a/{name}" if self.before is not None else "/dev/null",
            tofile=f"b/{name}" if self.after is not None else "/dev/null",
        )
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        if not text and self.changed:  # an empty file made or removed: the headers say it
            before = f"a/{name}" if self.before is not None else "/dev/null"
            after = f"b/{name}" if self.after is not None else "/dev/null"
            text = f"--- {before}\n+++ {after}\n"
        return text

    def apply(self) -> None:
        if self.after is None:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(self.after)

    def revert(self) -> None:
        """Put the file back exactly as it was (remove it if it did not exist)."""
        if self.before is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(self.before)
