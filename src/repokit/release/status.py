"""Where a release stands: version, tag here and on the remote, package on the index, GitHub."""

from __future__ import annotations

from dataclasses import dataclass

from repokit.config import Config


@dataclass(frozen=True)
class Item:
    what: str
    state: str  # "done", "missing" or "unknown"
    detail: str


def release_status(config: Config) -> list[Item]:
    """The same checks the release makes, read again: each done, missing, or unknown (why)."""
    from repokit import gitrepo
    from repokit.errors import RepokitError
    from repokit.release.publish import PYPI_UPLOAD, files_on_index, simple_url
    from repokit.release.sources import project_name, read_version

    repo = gitrepo.open_repo(config.root)
    version = read_version(config, repo)
    name = project_name(config)
    tag = config.tag_for(version)
    items = [Item("version in pyproject.toml", "done", f"{name} {version}")]
    local = gitrepo.tag_exists(repo, tag)
    items.append(Item(f"tag {tag}", "done" if local else "missing", "in this repository"))
    try:
        remote = gitrepo.remote_tag_exists(repo, config.remote, tag)
        items.append(Item(f"tag {tag} on {config.remote}", "done" if remote else "missing", ""))
    except RepokitError as error:
        items.append(Item(f"tag {tag} on {config.remote}", "unknown", error.message))
    upload = config.package_index_url or PYPI_UPLOAD
    files = files_on_index(simple_url(upload), name)
    if files is None:
        items.append(Item("package on the index", "unknown", f"{simple_url(upload)} unreachable"))
    else:
        mine = sorted(f for f in files if f"-{version}" in f)
        items.append(
            Item("package on the index", "done" if mine else "missing", ", ".join(mine) or upload)
        )
    items.append(_github_release(config, tag))
    return items


def _github_release(config: Config, tag: str) -> Item:
    from repokit.errors import RepokitError
    from repokit.github import GitHub, repository_slug, token_or_none

    what = f"GitHub release {tag}"
    if token_or_none() is None:
        return Item(what, "unknown", "no GITHUB_TOKEN or GH_TOKEN")
    try:
        github = GitHub(repository_slug(config.root, None, config.remote))
        import github as pygithub

        def find() -> str | None:
            try:
                return str(github.repo.get_release(tag).html_url)
            except pygithub.UnknownObjectException:
                return None

        url = github.call(f"read the release of {tag}", find)
    except RepokitError as error:
        return Item(what, "unknown", error.message)
    return Item(what, "done" if url else "missing", url or "")
