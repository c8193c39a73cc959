"""``inv governance.export``: write a settings file from the live repository."""

from __future__ import annotations

from pathlib import Path

from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    help={
        "output": "the file to write (default: governance/settings.yml); '-' prints it",
        "force": "overwrite the file if it exists",
        "repo": "the GitHub repository as owner/name (default: from the origin remote)",
    }
)
@guarded
def export(
    c: Context, output: str | None = None, force: bool = False, repo: str | None = None
) -> None:
    """Write a settings file that describes the live repository, every section.

    How an admin adopts repokit on an existing repository: applied right away, the file is
    "no changes". What is at GitHub's default is left out; the rules of an existing
    CODEOWNERS are kept; what the token cannot read is a comment in the file.
    """
    from repokit.config import load_repository
    from repokit.errors import PreflightError
    from repokit.github import GitHub, repository_slug
    from repokit.governance.export import export as exported

    config = load_repository()
    slug = repository_slug(config.root, repo, config.remote)
    target = Path(output) if output else config.root / config.governance_file
    if output != "-" and target.exists() and not force:
        raise PreflightError(
            f"{target} exists: refusing to overwrite it",
            hint="pass --force, or --output another file ('-' prints it)",
        )
    from repokit.governance.codeowners import existing_rules

    print(f"reading {slug} ...", flush=True)
    rules, source = existing_rules(config.root)
    text = exported(GitHub(slug), rules, source)
    if output == "-":
        print(text, end="")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}: apply it with 'inv governance' (it changes nothing as it is)")
