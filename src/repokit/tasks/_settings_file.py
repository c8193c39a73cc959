"""What the governance commands share: their common options' help, and the settings file.

``governance`` and ``codeowners`` both read the settings file the same way; this module sits
below both so that neither imports the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repokit.config import Config
    from repokit.governance.model import Settings

COMMON = {
    "config": "the settings file (default: governance/settings.yml, else .github/settings.yml)",
    "repo": "the GitHub repository as owner/name (default: from the origin remote)",
    "dry-run": "show the plan (setting, live, desired) and change nothing",
    "yes": "apply without asking (needed without a terminal)",
}
APPLY = {
    "prune": "also remove the items (labels, environments, deployment patterns, ...) "
    "the file does not list",
    "allow-lockout": "apply a protection that leaves no one able to change the branch",
    "allow-unreported-checks": "require checks even if their workflow never runs on PRs",
}
DEFAULT_FILE = "governance/settings.yml"
PROBOT_FILE = Path(".github") / "settings.yml"


def settings_path(config: Config, config_file: str | None) -> Path:
    """--config, else the configured file, else probot's .github/settings.yml if it exists."""
    if config_file:
        return Path(config_file)
    path = config.root / config.governance_file
    probot = config.root / PROBOT_FILE
    if not path.exists() and config.governance_file == DEFAULT_FILE and probot.exists():
        return probot
    return path


def read_settings(config_file: str | None, repo: str | None = None) -> tuple[Config, Settings]:
    from repokit.config import load_repository
    from repokit.governance.model import load as load_settings

    config = load_repository()
    path = settings_path(config, config_file)

    def extends(value: str) -> tuple[str, str]:
        from repokit.errors import ConfigError, GitHubError
        from repokit.github import GitHub, repository_slug
        from repokit.governance.extends import target

        owner = repository_slug(config.root, repo, config.remote).split("/", 1)[0]
        base_repo, base_path = target(value, owner)
        try:
            text = GitHub(base_repo).file_text(base_path)
        except GitHubError as error:
            msg = f"{path}: _extends: cannot read {base_repo}:{base_path}: {error.message}"
            raise ConfigError(msg, hint="check the name and the token's access to it") from None
        return text, f"{base_repo}:{base_path}"

    settings = load_settings(path, extends=extends)
    shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
    print(f"settings: {shown}" + (f" (extends {settings.extends})" if settings.extends else ""))
    return config, settings
