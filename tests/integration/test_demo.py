"""``make demo`` tells the whole story: released, published, installed, announced, governed."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path


def test_demo_tells_the_whole_story() -> None:
    command = [sys.executable, "-m", "repokit.testing.demo", "--keep"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "released 0.2.0: tag v0.2.0, pushed to origin" in out
    assert "done: demo-greeter 0.2.0 uploaded to http://127.0.0.1:" in out
    assert "## [0.2.0] - " in out
    assert re.search(r"^[0-9a-f]{40}\trefs/tags/v0\.2\.0$", out, re.MULTILINE)
    assert "\ndemo-greeter 0.2.0\n" in out  # installed from the local index and imported
    assert "release v0.2.0: demo_greeter-0.2.0-py3-none-any.whl" in out
    assert "applied 4 request(s); read back: the live settings match" in out
    assert "demo/greeter: no changes" in out
    assert "demo-token-for-the-emulator" not in out + result.stderr
    sandbox = re.search(r"^servers stopped; the sandbox is (\S+)$", out, re.MULTILINE)
    assert sandbox, out
    remote = Path(sandbox.group(1)) / "demo-greeter" / "remote.git"
    tags = subprocess.run(
        ["git", "ls-remote", "--tags", str(remote)], capture_output=True, text=True, check=True
    ).stdout
    assert "refs/tags/v0.2.0" in tags
    shutil.rmtree(sandbox.group(1))
