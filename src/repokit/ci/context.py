"""What a run knows about itself: the ``github`` context, the event payload, the secrets.

The values come from the repository as a runner would see them for the event: for a pull
request, base is the default branch and head the current branch, with their SHAs.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.ci.merge import Merge, pull_request_merge

_SECRET_REF = re.compile(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)")


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def default_branch(root: Path) -> str:
    """origin's HEAD branch, else main or master, whichever exists, else main."""
    remote_head = _git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    if remote_head:
        return remote_head.split("/", 1)[-1]
    for name in ("main", "master"):
        if _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"):
            return name
    return "main"


@dataclass(frozen=True)
class RunInfo:
    """The ``github`` context of one run, shared by its jobs, and its event payload."""

    github: Mapping[str, Any]
    event: Mapping[str, Any]
    merge: Merge | None = None  # a pull request's merge commit, which the jobs check out

    @property
    def run_id(self) -> str:
        return str(self.github["run_id"])


def run_info(
    root: Path, event_name: str = "pull_request", inputs: Mapping[str, Any] = {}
) -> RunInfo:
    branch = _git(root, "symbolic-ref", "--quiet", "--short", "HEAD") or "HEAD"
    remote = _git(root, "remote", "get-url", "origin")
    match = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?/?$", remote)
    repository = match.group(1) if match else f"local/{root.name}"
    sha = _git(root, "rev-parse", "HEAD")
    base = default_branch(root)
    base_sha = next(
        (
            found
            for name in (base, f"origin/{base}")  # a clone may have only origin's branch
            if (found := _git(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"))
        ),
        sha,
    )
    run_id = str(int(time.time() * 1000))
    repo = {
        "full_name": repository,
        "name": repository.split("/")[-1],
        "owner": {"login": repository.split("/")[0]},
        "default_branch": base,
    }
    github: dict[str, Any] = {
        "ref": f"refs/heads/{branch}",
        "ref_name": branch,
        "ref_type": "branch",
        "sha": sha,
        "repository": repository,
        "repository_owner": repository.split("/")[0],
        "event_name": event_name,
        "run_id": run_id,
        "run_number": "1",
        "run_attempt": "1",
        "actor": getpass.getuser(),
        "triggering_actor": getpass.getuser(),
        "server_url": "https://github.com",
        "api_url": "https://api.github.com",
        "graphql_url": "https://api.github.com/graphql",
        "base_ref": "",
        "head_ref": "",
        "token": "",
    }
    event: dict[str, Any] = {"repository": repo, "sender": {"login": getpass.getuser()}}
    merge = None
    if event_name in ("pull_request", "pull_request_target"):
        number = int(_git(root, "rev-list", "--count", "HEAD") or "1")
        github |= {"ref": f"refs/pull/{number}/merge", "ref_name": f"{number}/merge"}
        if event_name == "pull_request":  # pull_request_target runs on the base branch
            merge = pull_request_merge(root, base_sha, sha)
        if merge is not None and merge.sha:
            github["sha"] = merge.sha
        github |= {"base_ref": base, "head_ref": branch}
        event |= {
            "action": "synchronize",
            "number": number,
            "pull_request": {
                "number": number,
                "draft": False,
                "labels": [],
                "title": _git(root, "log", "-1", "--format=%s"),
                "base": {"ref": base, "sha": base_sha, "repo": repo},
                "head": {"ref": branch, "sha": sha, "repo": repo},
                "merge_commit_sha": merge.sha if merge else None,
            },
        }
    elif event_name == "push":
        event |= {"ref": github["ref"], "after": sha, "before": base_sha}
    elif event_name == "workflow_dispatch":
        event |= {"inputs": dict(inputs), "ref": github["ref"]}
    github["event"] = event
    return RunInfo(github=github, event=event, merge=merge)


def write_event(info: RunInfo, path: Path) -> Path:
    path.write_text(json.dumps(info.event, indent=2), encoding="utf-8")
    return path


def secrets_of(text: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``secrets.X`` for each X the workflow names, read from the environment variable X.

    An unset secret is empty, as on a fork's pull request; ``GITHUB_TOKEN`` is always there.
    """
    env = os.environ if environ is None else environ
    names = set(secret_names(text)) | {"GITHUB_TOKEN"}
    return {name: env.get(name, "") for name in sorted(names)}


def secret_names(text: str) -> list[str]:
    """The secrets ``text`` reads, in order: ``secrets.X``, and ``github.token`` as
    ``GITHUB_TOKEN``."""
    names = _SECRET_REF.findall(text)
    if "github.token" in text:
        names.append("GITHUB_TOKEN")
    return list(dict.fromkeys(names))
