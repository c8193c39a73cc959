"""Starting repokit loads Invoke and the task modules only; heavy modules wait for their task."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("github", "build", "twine", "git", "ruamel", "tomlkit")


def test_heavy_modules_are_not_imported_at_start() -> None:
    probe = f"import sys, repokit.tasks; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
