"""``make demo`` shows a real release on a throwaway project."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path


def test_demo_releases_and_shows_the_result() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "repokit.demo"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "released 0.2.0: tag v0.2.0, pushed to origin" in out
    assert "## [0.2.0] - " in out
    assert "chore: bump version to 0.2.0" in out
    assert re.search(r"^[0-9a-f]{40}\trefs/tags/v0\.2\.0$", out, re.MULTILINE)
    sandbox = re.search(r"the sandbox is (\S+)$", out.strip())
    assert sandbox, out
    top = Path(sandbox.group(1))
    remote = top / "demo-greeter" / "remote.git"
    tags = subprocess.run(
        ["git", "ls-remote", "--tags", str(remote)], capture_output=True, text=True, check=True
    ).stdout
    assert "refs/tags/v0.2.0" in tags
    shutil.rmtree(top)
