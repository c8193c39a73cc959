"""Apply settings files twice to the GitHub emulator and print whether each converged.

For each settings file, the script serves the GitHub emulator on 127.0.0.1 with the
repository in GitHub's default state (as ``repokit serve-github`` does), runs

    repokit governance --yes --config FILE

twice with GITHUB_API_URL, GITHUB_TOKEN and GITHUB_REPOSITORY pointed at it, and prints one
row per file: the writes of the first run (or the line it refused with), the writes of the
second run, and whether the file converged (both runs succeeded, the second wrote nothing).

A FILE is a path, or OWNER/REPO for ``FOLDER/OWNER__REPO.yml`` (``--folder``, default the
current one). The repository is OWNER/REPO when the file is named ``OWNER__REPO.yml``, else
``acme/<file name>``. OWNER is a user, who holds the token, unless the file uses what only
an organization's repository has (teams; push, dismissal or bypass restrictions): then it
is an organization, whose owner holds the token.

Only what a real repository of that file would have is created:

- branches: ``OWNER__REPO.branches`` beside the file lists the real repository's branches,
  one a line, the default branch first (``git for-each-ref --format='%(refname:short)'
  refs/heads`` of a clone). Without it, the default branch is the file's
  ``repository.default_branch`` (else ``main``) and every branch the file protects by a
  plain name exists (a pattern such as ``release/*`` names no branch): a file in use names
  branches that exist, or it would fail on GitHub too.
- accounts: the users and teams the file names (collaborators, teams, protection
  restrictions, dismissal restrictions, bypass allowances) exist, with no access to the
  repository; nothing else does (environment reviewers given by id do not).

Usage: python scripts/try_settings_files.py [--repokit PATH] [--folder DIR] FILE...
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from repokit.testing.github import GitHubEmulator
from repokit.testing.github.serve import ADMIN, paste_lines

GLOB = re.compile(r"[*?\[\]{}]")


@dataclass
class Row:
    name: str
    first: str = "?"
    second: str = "-"
    converged: bool = False


@dataclass
class Accounts:
    users: set[str]
    teams: set[str]
    #: Whether the file uses what only an organization's repository has (teams, restrictions).
    organization: bool


def settings_file(argument: str, folder: Path) -> tuple[Path, str]:
    """The file to apply and the repository to create for it."""
    path = Path(argument)
    if not path.exists() and re.fullmatch(r"[\w.-]+/[\w.-]+", argument):
        path = folder / f"{argument.replace('/', '__')}.yml"
    owner, sep, name = path.stem.partition("__")
    return path, f"{owner}/{name}" if sep else f"acme/{path.stem}"


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def items(section: Any) -> list[Any]:
    """A list section's entries, written as a list or as probot's ``{items: [...]}``."""
    if isinstance(section, dict):
        section = section.get("items")
    return section if isinstance(section, list) else []


def names(value: Any) -> Iterable[str]:
    return (str(v) for v in value if isinstance(v, str | int)) if isinstance(value, list) else ()


def named_accounts(data: dict[str, Any]) -> Accounts:
    """The users and teams the file names, wherever GitHub looks them up."""
    users = {
        str(c.get("username")) for c in items(data.get("collaborators")) if isinstance(c, dict)
    }
    teams = {str(t.get("name")) for t in items(data.get("teams")) if isinstance(t, dict)}
    organization = False
    for branch in items(data.get("branches")):
        protection = branch.get("protection") if isinstance(branch, dict) else None
        if not isinstance(protection, dict):
            continue
        reviews = protection.get("required_pull_request_reviews")
        groups = [protection.get("restrictions")]
        if isinstance(reviews, dict):
            groups += [reviews.get("dismissal_restrictions")]
            groups += [reviews.get("bypass_pull_request_allowances")]
        for group in groups:
            if isinstance(group, dict):
                organization = True
                users.update(names(group.get("users")))
                teams.update(names(group.get("teams")))
    teams -= {"None"}
    return Accounts(users - {"None"}, teams, organization or bool(teams))


def branches(path: Path, data: dict[str, Any]) -> tuple[str, list[str]]:
    """The default branch and the others, from the ``.branches`` file or from the settings."""
    listed = path.with_suffix(".branches")
    if listed.exists():
        lines = [line.strip() for line in listed.read_text().splitlines() if line.strip()]
        if lines:
            return lines[0], lines[1:]
    repository = data.get("repository")
    default = "main"
    if isinstance(repository, dict) and isinstance(repository.get("default_branch"), str):
        default = repository["default_branch"]
    protected = (b.get("name") for b in items(data.get("branches")) if isinstance(b, dict))
    others = [str(n) for n in protected if isinstance(n, str) and not GLOB.search(n)]
    return default, [n for n in others if n not in (default, "default")]


def seeded(slug: str, path: Path) -> tuple[GitHubEmulator, str]:
    """The emulator with ``slug`` as GitHub creates it, and the admin's token."""
    owner, name = slug.split("/", 1)
    data = read_yaml(path)
    default, others = branches(path, data)
    accounts = named_accounts(data)
    github = GitHubEmulator()
    token = f"emulator-{secrets.token_hex(12)}"
    admin = owner  # a user's repository, created by that user, unless the file uses what
    if accounts.organization:  # only an organization has (teams, restrictions)
        github.add_org(owner, owners=[ADMIN])
        admin = ADMIN
    github.create_repo(owner, name, creator=admin, default_branch=default, branches=others)
    for login in sorted(accounts.users):
        github.add_user(login)
    for team in sorted(accounts.teams):
        github.add_team(owner, team.rsplit("/", 1)[-1])
    github.add_token(token, admin)
    return github, token


def run(repokit: str, path: Path, env: dict[str, str], work: Path) -> tuple[int, str]:
    command = [
        str(Path(repokit).resolve()) if os.sep in repokit else repokit,
        "governance",
        "--yes",
        "--config",
        str(path.resolve()),
    ]
    done = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    at = next((i for i, line in enumerate(errors) if line.startswith("error:")), None)
    if at is None:
        return done.returncode, errors[-1] if errors and done.returncode else ""
    refusal = errors[at]
    if refusal.endswith(":") and at + 1 < len(errors):  # "N problem(s):": the first one
        refusal += " " + errors[at + 1].strip()
    return done.returncode, refusal


def try_one(repokit: str, path: Path, slug: str) -> Row:
    row = Row(slug)
    github, token = seeded(slug, path)
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env["NO_COLOR"] = "1"
    with github, tempfile.TemporaryDirectory(prefix="settings-trial-") as work:
        subprocess.run(["git", "init", "--quiet", work], check=True)  # repokit runs in a clone
        for line in paste_lines(github.url, token, slug):
            key, value = line.removeprefix("export ").split("=", 1)
            env[key] = value
        code, refusal = run(repokit, path, env, Path(work))
        first = len(github.writes())
        if code != 0:
            row.first = f"{first} then {refusal}" if first else refusal
            return row
        row.first = str(first)
        github.clear_log()
        code, refusal = run(repokit, path, env, Path(work))
        row.second = str(len(github.writes())) if code == 0 else refusal
        row.converged = code == 0 and not github.writes()
    return row


def print_table(rows: Sequence[Row]) -> None:
    header = ("file", "first run", "second run", "converged")
    cells = [(r.name, r.first, r.second, "yes" if r.converged else "no") for r in rows]
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(3)]
    for cell in [header, *cells]:
        print("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=False)) + "  " + cell[3])
    done = sum(r.converged for r in rows)
    print(f"converged: {done} of {len(rows)} ({100 * done / max(len(rows), 1):.0f}%)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--folder", type=Path, default=Path())
    parser.add_argument("--repokit", default=shutil.which("repokit") or "repokit")
    args = parser.parse_args(argv)
    rows = []
    for argument in args.files:
        path, slug = settings_file(argument, args.folder)
        if not path.is_file():
            print(f"error: {argument}: no such settings file", file=sys.stderr)
            return 2
        rows.append(try_one(args.repokit, path, slug))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
