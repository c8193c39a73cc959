"""``inv codeowners``: .github/CODEOWNERS written from the settings file, or checked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded
from repokit.tasks._settings_file import COMMON, read_settings

if TYPE_CHECKING:
    from repokit.governance.model import CodeownersRule


@task(
    help={
        "check": "fail when CODEOWNERS does not hold the settings file's rules, in order",
        "config": COMMON["config"],
    }
)
@guarded
def codeowners(c: Context, check: bool = False, config: str | None = None) -> None:
    """Write .github/CODEOWNERS from codeowners: in governance/settings.yml (or --check it).

    Owners must be @user, @org/team or an email. Patterns that match no tracked file are
    warned about. With a GitHub token, owners and teams are checked on GitHub too.
    """
    from repokit.errors import ConfigError, RepokitError
    from repokit.governance import codeowners as co

    configuration, settings = read_settings(config)
    if settings.codeowners is None:
        raise ConfigError(
            f"{settings.path}: no codeowners: list", hint="add codeowners: [{pattern, owners}]"
        )
    source = (
        settings.path.relative_to(configuration.root).as_posix()
        if settings.path.is_relative_to(configuration.root)
        else settings.path.name
    )
    co.validate(settings.codeowners, str(settings.path))
    text = co.render(settings.codeowners, source)
    for rule in _unmatched(configuration.root, settings.codeowners):
        print(f"warning: {settings.path}:{rule.line}: {rule.pattern} matches no tracked file")
    _check_on_github(configuration.root, settings.codeowners, configuration.remote)
    # the file GitHub reads (.github/, the root, docs/): an existing one is kept in its place
    found = co.read_existing(configuration.root)
    place, current = found if found is not None else (co.PATH, None)
    if check:
        # read as GitHub reads it: the rules it holds, in order, must be the file's
        wanted = [(r.pattern, r.owners) for r in settings.codeowners]
        held = [(r.pattern, r.owners) for r in co.parse(current or "")]
        if current is None or held != wanted:
            problems = co.problems(co.parse(current or ""), str(place))
            said = f" ({problems[0]})" if problems else ""
            raise RepokitError(
                f"{place.as_posix()} is stale: it differs from what {source} renders{said}",
                hint="run 'inv codeowners' and commit the file",
            )
        same = "" if current == text else " (the same rules; its comments are its own)"
        print(f"{place.as_posix()} is up to date{same}")
        return
    if current == text:
        print(f"{place.as_posix()} is up to date")
        return
    target = configuration.root / place
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {place.as_posix()} ({len(settings.codeowners)} rules)")


def _unmatched(root: Path, rules: Sequence[CodeownersRule]) -> list[CodeownersRule]:
    from repokit.errors import GitError
    from repokit.gitrepo import open_repo, tracked_files
    from repokit.governance.codeowners import unmatched

    try:
        files = tracked_files(open_repo(root))
    except GitError:
        return []
    return unmatched(rules, files)


def _check_on_github(root: Path, rules: Sequence[CodeownersRule], remote: str) -> None:
    from repokit.errors import RepokitError
    from repokit.github import GitHub, repository_slug, token_or_none

    if token_or_none() is None:
        return
    try:
        slug = repository_slug(root, None, remote)
    except RepokitError:
        return
    github = GitHub(slug)
    owners = sorted({owner for rule in rules for owner in rule.owners})
    problems = [p for owner in owners if (p := github.owner_problem(owner))]
    for error in github.codeowners_errors():
        problems.append(f"GitHub: line {error.get('line')}: {error.get('message', error)}")
    if problems:
        raise RepokitError(
            f"CODEOWNERS owners on {slug}: " + "; ".join(problems),
            hint="fix the owners in the settings file (teams need write access)",
        )
