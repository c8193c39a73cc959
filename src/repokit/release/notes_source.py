"""Where a release's notes come from: news fragments, the maintainer's own words, or commits.

``fragments`` when towncrier is configured or a fragments folder is there; ``curated`` when
the changelog's recent sections are written by hand (no commit hashes, no commit links) and
it has an unreleased section; else ``commits``. ``[tool.repokit] changelog_source`` or
``--changelog-source`` decides instead; ``none`` writes no notes at all.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from repokit.config import NOTES_SOURCES, Config
from repokit.errors import UsageError
from repokit.release import unreleased_section
from repokit.release.changelog_locate import locate, relative
from repokit.release.conventions import Convention
from repokit.release.fragments import TowncrierConfig, fragments_folder, read_config

SOURCES = NOTES_SOURCES
#: How many of the newest release sections are read to tell hand-written notes.
RECENT = 3
_COMMIT_HASH = re.compile(r"(?<![\w/#-])(?:\(|\[|`)?[0-9a-f]{7,40}(?:\)|\]|`)(?![\w-])")
_COMMIT_LINK = re.compile(r"/commits?/[0-9a-f]{7,40}")


@dataclass(frozen=True)
class NotesSource:
    """The source of the notes and where that answer came from."""

    kind: str
    where: str


def decide(
    *,
    override: str | None,
    configured: str | None,
    towncrier: TowncrierConfig | None,
    folder: Path | None,
    changelog: str | None,
    changelog_name: str,
) -> NotesSource:
    """The notes source; see the module's docstring. ``changelog`` is the file's text."""
    if override is not None:
        check(override, "--changelog-source")
        return NotesSource(override, "--changelog-source")
    if configured:
        return NotesSource(configured, "[tool.repokit] changelog_source")
    if towncrier is not None:
        return NotesSource("fragments", f"towncrier is configured in {towncrier.where}")
    if folder is not None:
        return NotesSource("fragments", f"news fragments in {folder.name}/")
    if changelog and hand_written(changelog):
        return NotesSource(
            "curated", f"{changelog_name}: hand-written releases and an unreleased section"
        )
    return NotesSource("commits", "default: no fragments, no hand-written unreleased notes")


def check(value: str, where: str) -> str:
    if value not in SOURCES:
        msg = f"{where}: {value!r} is not a notes source"
        raise UsageError(msg, hint=f"choose one of: {', '.join(SOURCES)}")
    return value


def hand_written(text: str) -> bool:
    """Whether the changelog keeps an unreleased section over hand-written releases."""
    found = unreleased_section.find(text)
    if found is None:
        return False
    sections = [found.body, *unreleased_section.release_sections(text)[:RECENT]]
    if len(sections) == 1 and not found.body.strip():
        return False  # nothing written yet, by hand or not
    return not any(_COMMIT_HASH.search(body) or _COMMIT_LINK.search(body) for body in sections)


def resolve(
    config: Config,
    repository_root: Path | None,
    package_names: tuple[str, ...],
    override: str | None = None,
) -> tuple[Config, tuple[Convention, ...]]:
    """``config`` with its changelog file and notes source decided, and where each came from.

    ``changelog_file`` becomes the file found (relative to the project's folder) and
    ``changelog_source`` the source; see :func:`decide` and
    :func:`repokit.release.changelog_locate.locate`.
    """
    towncrier = read_config(config.root)
    folder = fragments_folder(config.root) if towncrier is None else None
    configured = config.changelog_source
    uses_towncrier = (
        towncrier is not None and (override or configured or "fragments") == "fragments"
    )
    located = locate(
        config.root,
        configured=config.changelog_file,
        towncrier_file=towncrier.news_file if uses_towncrier and towncrier else None,
        package_names=package_names,
        repository_root=repository_root,
    )
    text = _read(located.path)
    name = relative(located.path, config.root)
    source = decide(
        override=override,
        configured=configured,
        towncrier=towncrier,
        folder=folder,
        changelog=text,
        changelog_name=name,
    )
    resolved = dataclasses.replace(config, changelog_file=name, changelog_source=source.kind)
    conventions = (
        Convention("changelog", name, located.where),
        Convention("notes", source.kind, source.where),
    )
    return resolved, conventions


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
