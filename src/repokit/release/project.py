"""The project a command acts on: its folder, its repository and its conventions.

The project is the nearest folder upward holding a pyproject.toml, or without one a setup.cfg
with ``[metadata]`` or a setup.py (or ``--project PATH``);
the repository is git's, wherever its root is. A project below the root (a monorepo's
``packages/a``) is released on its own: its changelog covers only the commits that touch
its folder, and its tags follow its own family (``a-v1.2.3``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from repokit import gitrepo
from repokit.config import PYPROJECT, Config, is_project, load
from repokit.errors import ConfigError
from repokit.release.conventions import Convention, resolve

if TYPE_CHECKING:
    from repokit.gitrepo import Repo


@dataclass(frozen=True)
class Project:
    """A project with its conventions resolved (``config.branch`` and ``config.tag_format``)."""

    config: Config
    repo: Repo
    conventions: tuple[Convention, ...]

    @property
    def subdir(self) -> str | None:
        """The project's folder relative to the repository root; None at the root."""
        return gitrepo.subdir(self.repo, self.config.root)

    @property
    def paths(self) -> tuple[str, ...]:
        """The pathspecs that limit the history to this project (none at the root)."""
        return (self.subdir,) if self.subdir else ()

    def explain(self) -> list[str]:
        lines = [f"project: {self.config.root}"]
        lines += [f"{c.name}: {c.value}  ({c.source})" for c in self.conventions]
        return lines


def find_root(start: Path | str = ".", project: str | None = None) -> Path:
    """The project folder: ``project`` if given, else the nearest with a pyproject.toml (or
    a setup.cfg or setup.py alone)."""
    if project is not None:
        root = Path(project).resolve()
        if not is_project(root):
            msg = f"--project {project}: no {PYPROJECT} there"
            raise ConfigError(msg, hint="give the folder that holds the project's pyproject.toml")
        return root
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
        if (folder / ".git").exists():
            break
    msg = f"{here}: no {PYPROJECT} here or in any folder above (within the repository)"
    raise ConfigError(msg, hint="run repokit inside a Python project, or pass --project PATH")


def open_project(
    project: str | None = None,
    start: Path | str = ".",
    *,
    fetch_history: bool = False,
    progress: Callable[[str], None] | None = None,
    changelog_source: str | None = None,
) -> Project:
    """Load the project's config, open its repository and resolve its conventions.

    With ``fetch_history`` a shallow clone first fetches the rest of its history and tags.
    ``changelog_source`` (``--changelog-source``) overrides where the notes come from.
    """
    from repokit.release import notes_source
    from repokit.release.sources import project_names

    config = load(find_root(start, project))
    repo = gitrepo.open_repo(config.root)
    if fetch_history and gitrepo.is_shallow(repo):
        if progress is not None:
            progress(f"fetching the whole history and the tags from {config.remote} ...")
        gitrepo.unshallow(repo, config.remote)
    names = project_names(config)
    resolved = resolve(config, repo, names)
    notes_config, notes = notes_source.resolve(
        resolved.config, gitrepo.work_tree(repo), names, changelog_source
    )
    return Project(notes_config, repo, (*resolved.conventions, *notes))
