"""After the push: publish the package and announce the release, or say how to finish.

Once the tag is public it stays: if publishing or the GitHub release fails, the error says
what was done and gives the exact commands that finish the release.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from repokit.errors import RepokitError
from repokit.release.plan import ReleasePlan
from repokit.release.steps import BuildAndCheck


def dist_files(root: Path, name: str, version: str) -> list[Path]:
    """The wheel and sdist of ``name`` ``version`` in dist/."""
    from packaging.utils import canonicalize_name

    canonical = canonicalize_name(name)
    prefixes = (f"{canonical}-{version}", f"{canonical.replace('-', '_')}-{version}")
    return sorted(
        p
        for p in (root / "dist").glob("*")
        if p.name.lower().startswith(prefixes) and p.name.endswith((".whl", ".tar.gz"))
    )


def keep_artifacts(plan: ReleasePlan) -> list[Path]:
    """Copy what the release built into a clean dist/ and return the copies."""
    build = next(step for step in plan.steps if isinstance(step, BuildAndCheck))
    dist = plan.config.root / "dist"
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir()
    built = [p for p in (build.outdir or dist).iterdir() if p.is_file()] if build.outdir else []
    return [Path(shutil.copy2(p, dist / p.name)) for p in built]


def publish_and_announce(
    plan: ReleasePlan, name: str, *, progress: Callable[[str], None]
) -> list[str]:
    """Upload the release's package and create its GitHub release; lines saying what was done."""
    from repokit.github import GitHub, repository_slug
    from repokit.release.announce import github_release
    from repokit.release.publish import choose_index, publish, shown_index

    config, version, tag = plan.config, plan.version, plan.tag
    done = [f"tag {tag} pushed to {config.remote}"]
    url, repository = choose_index(None, None, config.package_index_url)
    where = shown_index(url, repository)
    url_flag = f" --repository-url {where}" if url else ""
    url_flag = f" --repository {repository}" if repository else url_flag
    finish = [
        f"repokit publish{url_flag}",
        f"repokit github-release --tag {tag} --assets",
    ]
    try:
        artifacts = keep_artifacts(plan)
        publish(
            artifacts, name, version, repository_url=url, repository=repository, progress=progress
        )
        done.append(f"{name} {version} uploaded to {where}")
        finish.pop(0)
        slug = repository_slug(config.root, None, config.remote)
        announced = github_release(
            GitHub(slug), tag, plan.section, assets=artifacts, progress=progress
        )
        done.append(f"GitHub release {announced.url}")
    except RepokitError as error:
        steps = " && ".join(finish)
        msg = f"released {tag} ({'; '.join(done)}), but {error.message}"
        hint = f"the tag is public and stays; finish with: {steps}"
        raise RepokitError(msg, hint=hint) from None
    return done
