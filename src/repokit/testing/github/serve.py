"""``repokit serve-github``: the emulator with one repository as GitHub creates it.

For an admin trying a settings file without a token: the repository starts in GitHub's
default state (vulnerability alerts and automated fixes off, no branch protection, the
nine default labels, the creator its admin), and the lines printed point repokit at it.
"""

from __future__ import annotations

import re
import secrets

from repokit.github_defaults import LABELS
from repokit.testing.github.server import GitHubEmulator
from repokit.testing.github.state import Label

#: The user the printed token acts as: the owner of the organization holding the repository.
ADMIN = "admin"
#: GitHub's rules for an owner and a repository name.
SLUG = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


def seed_new_repository(emulator: GitHubEmulator, slug: str) -> str:
    """Create ``slug`` in GitHub's default state; the admin's token, to paste."""
    owner, name = slug.split("/", 1)
    token = f"emulator-{secrets.token_hex(12)}"
    with emulator.lock:
        emulator.add_org(owner, owners=[ADMIN])
        repo = emulator.add_repo(owner, name)  # its admin: the organization's owner
        if not repo.labels:  # GitHub's nine, unless the emulator made them already
            repo.labels = [Label(emulator.new_id(), n, c, d) for n, c, d in LABELS]
        emulator.add_token(token, ADMIN)
    return token


def paste_lines(url: str, token: str, slug: str) -> list[str]:
    """The shell lines that point repokit (and PyGithub, gh) at the emulator."""
    return [
        f"export GITHUB_API_URL={url}",
        f"export GITHUB_TOKEN={token}",
        f"export GITHUB_REPOSITORY={slug}",
    ]
