"""The live state of a repository in governance's model, read through repokit.github.

Reading an in-sync repository costs two requests (the repository, which carries its topics,
and each branch's protection, which carries its required signatures) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from repokit.governance.plan import LiveBranch, normalize_protection

if TYPE_CHECKING:
    from repokit.github import GitHub


@dataclass(frozen=True)
class LiveState:
    repository: Mapping[str, Any]
    topics: list[str]
    branches: Mapping[str, LiveBranch]


def live_branch(data: Mapping[str, Any] | None) -> LiveBranch:
    """GET protection's answer (None: not protected) as a :class:`LiveBranch`."""
    if data is None:
        return LiveBranch(protection=None, required_signatures=False)
    signatures = data.get("required_signatures")
    enabled = bool(signatures.get("enabled")) if isinstance(signatures, Mapping) else False
    return LiveBranch(protection=normalize_protection(data), required_signatures=enabled)


def read(github: GitHub, branches: list[str]) -> LiveState:
    """The repository, its topics and the protection of ``branches``."""
    raw = github.repo.raw_data
    return LiveState(
        repository=raw,
        topics=list(raw.get("topics") or []),
        branches={name: live_branch(github.protection(name)) for name in branches},
    )
