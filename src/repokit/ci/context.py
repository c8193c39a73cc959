"""The contexts expressions read: ``github`` from the repository, ``secrets`` from env vars."""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


class Secrets(Mapping[str, str]):
    """``secrets.X`` reads the environment variable X; unset secrets are empty, as on forks."""

    def __getitem__(self, key: str) -> str:
        return os.environ.get(key, "")

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def items(self) -> Any:
        return [(key, value) for key, value in os.environ.items()]


def github_context(root: Path) -> dict[str, Any]:
    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    branch = git("symbolic-ref", "--quiet", "--short", "HEAD") or "HEAD"
    remote = git("remote", "get-url", "origin")
    match = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?$", remote)
    return {
        "ref": f"refs/heads/{branch}",
        "ref_name": branch,
        "ref_type": "branch",
        "sha": git("rev-parse", "HEAD"),
        "repository": match.group(1) if match else root.name,
        "repository_owner": (match.group(1).split("/")[0] if match else ""),
        "workspace": str(root),
        "event_name": "workflow_dispatch",
        "run_id": str(int(time.time())),
        "run_number": "1",
        "run_attempt": "1",
        "actor": getpass.getuser(),
        "server_url": "https://github.com",
        "api_url": "https://api.github.com",
        "event": {},
    }
