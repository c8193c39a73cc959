"""The GitHub release of a tag, its notes the tag's changelog section; run twice, one release."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from repokit.github import GitHub

if TYPE_CHECKING:
    from github.GitRelease import GitRelease

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Announced:
    url: str
    created: bool
    uploaded: tuple[str, ...]
    kept: tuple[str, ...]


def is_prerelease(tag: str) -> bool:
    try:
        return Version(tag.lstrip("v")).is_prerelease
    except InvalidVersion:
        return False


def github_release(
    github: GitHub,
    tag: str,
    notes: str,
    *,
    draft: bool = False,
    assets: list[Path] | None = None,
    progress: Callable[[str], None] = log.info,
) -> Announced:
    """Create the release of ``tag``, or update the one that exists; attach ``assets``."""
    import github as pygithub

    repo = github.repo
    prerelease = is_prerelease(tag)

    def existing() -> GitRelease | None:
        try:
            return repo.get_release(tag)
        except pygithub.UnknownObjectException:
            return None

    found = github.call(f"read the release of {tag}", existing)
    if found is None:
        progress(f"create the GitHub release {tag}")
        release = github.call(
            f"create the release of {tag}",
            lambda: repo.create_git_release(tag, tag, notes, draft=draft, prerelease=prerelease),
        )
        created = True
    else:
        release = found
        progress(f"update the GitHub release {tag}")
        github.call(
            f"update the release of {tag}",
            lambda: release.update_release(tag, notes, draft=draft, prerelease=prerelease),
        )
        created = False
    attached = {a.name for a in github.call("read the assets", lambda: list(release.get_assets()))}
    uploaded, kept = [], []
    for path in assets or []:
        if path.name in attached:
            kept.append(path.name)
            continue
        progress(f"attach {path.name}")
        github.call(f"attach {path.name}", _uploader(release, path))
        uploaded.append(path.name)
    return Announced(release.html_url, created, tuple(uploaded), tuple(kept))


def _uploader(release: GitRelease, path: Path) -> Callable[[], object]:
    return lambda: release.upload_asset(str(path), name=path.name)
