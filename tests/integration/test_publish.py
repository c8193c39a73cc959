"""Build, publish to a real local index (pypiserver), install from it; announce on the emulator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from repokit.fixtures.github import ADMIN_TOKEN
from repokit.testing.github import GitHubEmulator
from repokit.testing.package_index import PackageIndex, free_port, install
from repokit.testing.sandbox import Sandbox

REPOKIT = str(Path(sys.executable).parent / "repokit")


@pytest.fixture
def index() -> Iterator[PackageIndex]:
    with PackageIndex() as running:
        yield running


def repokit(
    sandbox: Sandbox, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "TWINE_USERNAME": "demo", "TWINE_PASSWORD": "index-password-42"}
    return subprocess.run(
        [REPOKIT, *args],
        cwd=sandbox.work,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def installed_version(tmp_path: Path, index: PackageIndex, requirement: str) -> str:
    python = install(requirement, index.simple, tmp_path / "user-venv")
    probe = "import importlib.metadata as m; print(m.version('demo-greeter'))"
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_build_publish_and_install(sandbox: Sandbox, index: PackageIndex, tmp_path: Path) -> None:
    built = repokit(sandbox, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "install demo_greeter-0.1.0-py3-none-any.whl into a fresh environment" in built.stdout
    assert "built and verified demo-greeter 0.1.0" in built.stdout
    published = repokit(sandbox, "publish", "--repository-url", index.url)
    assert published.returncode == 0, published.stdout + published.stderr
    assert published.stdout.index(".whl") < published.stdout.index(".tar.gz")  # wheels first
    assert "index-password-42" not in published.stdout + published.stderr
    assert installed_version(tmp_path, index, "demo-greeter==0.1.0") == "0.1.0"

    on_index = sorted(p.name for p in index.packages.iterdir())
    again = repokit(sandbox, "publish", "--repository-url", index.url)
    assert again.returncode == 1
    assert "demo-greeter 0.1.0 is already on" in again.stderr
    assert sorted(p.name for p in index.packages.iterdir()) == on_index


def test_publish_takes_the_index_from_twine_environment(
    make_sandbox: Callable[..., Sandbox], index: PackageIndex
) -> None:
    # the config names an index that is down: TWINE_REPOSITORY_URL comes first
    sandbox = make_sandbox(pyproject_extra='package_index_url = "http://127.0.0.1:9/"\n')
    assert repokit(sandbox, "build").returncode == 0
    published = repokit(sandbox, "publish", env={"TWINE_REPOSITORY_URL": index.url})
    assert published.returncode == 0, published.stdout + published.stderr
    assert any(p.name.endswith(".whl") for p in index.packages.iterdir())


def test_a_wheel_missing_a_module_fails_the_build(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(backend="setuptools")
    pyproject = (sandbox.work / "pyproject.toml").read_text()
    pyproject = pyproject.replace(
        'where = ["src"]', 'where = ["src"]\nexclude = ["demo_greeter.data*"]'
    )
    sandbox.commit(
        "feat: load the greetings from a data module",
        {
            "pyproject.toml": pyproject,
            "src/demo_greeter/data/__init__.py": "GREETING = 'Hello'\n",
            "src/demo_greeter/__init__.py": (
                '"""demo."""\nfrom demo_greeter.data import GREETING\n\n__version__ = "0.1.0"\n'
            ),
        },
    )
    result = repokit(sandbox, "build")
    assert result.returncode == 1
    assert (
        "importing demo_greeter fails: ModuleNotFoundError: No module named 'demo_greeter.data'"
        in result.stderr
    )


def github(emulator: GitHubEmulator) -> dict[str, str]:
    return {
        "GITHUB_API_URL": emulator.url,
        "GITHUB_TOKEN": ADMIN_TOKEN,
        "GITHUB_REPOSITORY": "acme/widget",
        "REPOKIT_GITHUB_BACKOFF": "0",
    }


def test_release_publish_uploads_and_announces(
    make_sandbox: Callable[..., Sandbox],
    index: PackageIndex,
    github_emulator: GitHubEmulator,
    tmp_path: Path,
) -> None:
    sandbox = make_sandbox(pyproject_extra=f'package_index_url = "{index.url}"\n')
    env = github(github_emulator)
    before = repokit(sandbox, "status", env=env)
    assert re.search(r"package on the index +missing", before.stdout), before.stdout
    result = repokit(sandbox, "release", "--bump", "minor", "--publish", "--yes", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "done: demo-greeter 0.2.0 uploaded to" in result.stdout
    assert installed_version(tmp_path, index, "demo-greeter==0.2.0") == "0.2.0"
    (release,) = github_emulator.repo("acme", "widget").releases
    assert release.tag_name == "v0.2.0"
    assert release.body is not None and release.body.startswith("## [0.2.0] - ")
    dist = sorted(p.name for p in (sandbox.work / "dist").iterdir())
    assert dist == ["demo_greeter-0.2.0-py3-none-any.whl", "demo_greeter-0.2.0.tar.gz"]
    assert sorted(a.name for a in release.assets) == dist
    again = repokit(sandbox, "github-release", "--tag", "v0.2.0", "--assets", env=env)
    assert again.returncode == 0, again.stderr
    assert "updated the GitHub release v0.2.0" in again.stdout
    assert len(github_emulator.repo("acme", "widget").releases) == 1
    status = repokit(sandbox, "status", env=env)
    assert status.returncode == 0
    assert "missing" not in status.stdout and "unknown" not in status.stdout
    assert "GitHub release v0.2.0" in status.stdout


def test_publish_with_the_index_down_keeps_the_tag_and_says_how_to_finish(
    make_sandbox: Callable[..., Sandbox], github_emulator: GitHubEmulator
) -> None:
    down = f"http://127.0.0.1:{free_port()}/"
    sandbox = make_sandbox(pyproject_extra=f'package_index_url = "{down}"\n')
    result = repokit(
        sandbox, "release", "--bump", "minor", "--publish", "--yes", env=github(github_emulator)
    )
    assert result.returncode == 1
    assert (
        "released v0.2.0 (tag v0.2.0 pushed to origin), but cannot reach the index" in result.stderr
    )
    finish = f"repokit publish --repository-url {down} && repokit github-release --tag v0.2.0"
    assert f"finish with: {finish} --assets" in result.stderr
    assert "refs/tags/v0.2.0" in sandbox.remote_refs()  # the public tag stays
    assert github_emulator.repo("acme", "widget").releases == []
