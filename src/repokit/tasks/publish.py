"""``inv build``, ``inv publish``, ``inv github-release`` and ``inv status``."""

from __future__ import annotations

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


def _step(text: str) -> None:
    print(f"-> {text}", flush=True)


@task()
@guarded
def build(c: Context) -> None:
    """Build sdist and wheel into a clean dist/, check them, and prove they install and import.

    Runs twine check --strict, then installs each artifact into a fresh virtual environment,
    imports the package and compares its version with pyproject.toml.
    """
    import shutil

    from repokit.config import load
    from repokit.gitrepo import open_repo, subdir, tracked_files
    from repokit.release.artifacts import verify
    from repokit.release.build import build_and_check
    from repokit.release.sources import project_name, read_version

    config = load()
    version, name = read_version(config), project_name(config)
    dist = config.root / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    _step(f"build {name} {version} from the tracked files, then twine check --strict")
    repo = open_repo(config.root)
    files = tracked_files(repo, subdir(repo, config.root))
    artifacts = build_and_check(config.root, dist, isolation=config.build_isolation, files=files)
    verify(artifacts, name, version, isolation=config.build_isolation, progress=_step)
    for artifact in artifacts:
        print(f"   dist/{artifact.name}")
    print(f"built and verified {name} {version}")


@task(
    help={
        "repository-url": "the index to upload to (default: TWINE_REPOSITORY_URL or "
        "TWINE_REPOSITORY, else [tool.repokit] package_index_url, else PyPI)",
        "repository": "a repository named in .pypirc instead",
    }
)
@guarded
def publish(c: Context, repository_url: str | None = None, repository: str | None = None) -> None:
    """Upload dist/ with twine, wheels first; refuse a version the index already has.

    Credentials come from TWINE_USERNAME/TWINE_PASSWORD, .pypirc or keyring (never printed).
    """
    from repokit.config import load
    from repokit.errors import UsageError
    from repokit.release.postrelease import dist_files
    from repokit.release.publish import choose_index
    from repokit.release.publish import publish as upload
    from repokit.release.sources import project_name, read_version

    if repository_url and repository:
        raise UsageError("give --repository-url or --repository, not both", hint="pick one")
    config = load()
    version, name = read_version(config), project_name(config)
    artifacts = dist_files(config.root, name, version)
    url, repository = choose_index(repository_url, repository, config.package_index_url)
    uploaded = upload(
        artifacts, name, version, repository_url=url, repository=repository, progress=_step
    )
    print(f"published {name} {version}: {', '.join(uploaded)}")


@task(
    name="github-release",
    help={
        "tag": "the tag to release (default: the tag of pyproject.toml's version; needed "
        "outside a Python project)",
        "draft": "create the release as a draft",
        "assets": "attach the dist/ files of this version",
    },
)
@guarded
def github_release_(
    c: Context, tag: str | None = None, draft: bool = False, assets: bool = False
) -> None:
    """Create (or update) the GitHub release of a tag, its notes the tag's changelog section.

    Running it again updates the same release. Needs GITHUB_TOKEN or GH_TOKEN; honours
    GITHUB_API_URL (GitHub Enterprise) and GITHUB_REPOSITORY.
    """
    from repokit.config import load_repository
    from repokit.errors import ConfigError, RepokitError
    from repokit.github import GitHub, repository_slug
    from repokit.gitrepo import open_repo, run_git, tag_exists
    from repokit.release.announce import github_release
    from repokit.release.conventions import tag_version
    from repokit.release.postrelease import dist_files
    from repokit.release.project import open_project
    from repokit.release.sources import project_name, read_version

    try:
        found = open_project()
    except ConfigError:
        if tag is None:
            raise
        # a repository that is not a Python project: the tag says what to release
        config = load_repository()
        repo = open_repo(config.root)
    else:
        config, repo = found.config, found.repo
        tag = tag or config.tag_for(read_version(config, repo))
    if not tag_exists(repo, tag):
        raise RepokitError(
            f"no tag {tag} in this repository", hint="git fetch --tags, or release first"
        )
    notes = run_git(repo, "tag", "--list", "--format=%(contents)", tag).strip() or tag
    tagged = tag_version(tag, config.tag_format)
    shipped = str(tagged) if tagged is not None else tag.lstrip("v")
    files = dist_files(config.root, project_name(config), shipped) if assets else []
    github = GitHub(repository_slug(config.root, None, config.remote))
    result = github_release(github, tag, notes, draft=draft, assets=files, progress=_step)
    verb = "created" if result.created else "updated"
    print(f"{verb} the GitHub release {tag}: {result.url}")


@task()
@guarded
def status(c: Context) -> None:
    """Show where the release of pyproject.toml's version stands: each part done or missing."""
    from repokit.release.project import open_project
    from repokit.release.status import release_status

    items = release_status(open_project().config)
    width = max(len(item.what) for item in items)
    for item in items:
        print(f"  {item.what.ljust(width)}  {item.state:<8} {item.detail}".rstrip())


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(build)
    namespace.add_task(publish)
    namespace.add_task(github_release_, name="github-release")
    namespace.add_task(status)
