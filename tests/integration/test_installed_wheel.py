"""The built wheel installed into fresh virtual environments, as a new user gets it.

One wheel is built for the module; pip installs it (and its dependencies, from pip's
cache or the configured index) into one environment without extras and one with
``[testing]``. Without extras every command answers ``--help``, ``import repokit.testing``
is one ImportError naming the extra and pytest runs with the plugin loaded; with it,
``repokit demo`` tells the whole story and the plugin's fixtures work. Pull requests deselect
them (marker ``wheel``); the Integration Tests workflow runs them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.wheel]


def run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = run(sys.executable, "-m", "build", "--wheel", "--outdir", out, ROOT)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    (found,) = out.glob("repokit-*.whl")
    return found


def environment(parent: Path, requirement: str) -> Path:
    """A fresh virtual environment with ``requirement`` installed; returns its bin folder."""
    venv.EnvBuilder(with_pip=True).create(parent / "venv")
    bin_dir = parent / "venv" / "bin"
    done = run(bin_dir / "python", "-m", "pip", "install", "--quiet", requirement)
    assert done.returncode == 0, done.stderr[-3000:]
    return bin_dir


def test_a_plain_install_runs_every_commands_help(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bin_dir = environment(tmp_path_factory.mktemp("plain"), str(wheel))
    listing = run(bin_dir / "repokit", "--list", "--list-format", "json")
    assert listing.returncode == 0, listing.stderr

    def names(collection: dict[str, object], prefix: str = "") -> list[str]:
        tasks = [prefix + str(t["name"]) for t in collection["tasks"]]  # type: ignore[attr-defined]
        for sub in collection["collections"]:  # type: ignore[attr-defined]
            tasks += names(sub, f"{prefix}{sub['name']}.")
        return tasks

    commands = names(json.loads(listing.stdout))
    assert {"init", "demo", "release.release", "governance.governance", "ci"} <= set(commands)
    for command in commands:
        done = run(bin_dir / "repokit", "--help", command)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        assert "Traceback" not in done.stderr

    for module in ("repokit.testing", "repokit.testing.github"):
        imported = run(bin_dir / "python", "-c", f"import {module}")
        assert imported.returncode == 1, module
        errors = [line for line in imported.stderr.splitlines() if line.startswith("ImportError")]
        assert errors == [
            "ImportError: repokit.testing needs the extra 'testing' (openapi-schema-validator,"
            " pypiserver, vcrpy not installed): pip install 'repokit[testing]'"
        ], imported.stderr
    demo = run(bin_dir / "repokit", "demo")
    assert demo.returncode == 1
    assert demo.stderr.startswith("error: repokit demo needs the extra 'testing'")
    assert "hint: pip install 'repokit[testing]'" in demo.stderr


def test_with_the_testing_extra_repokit_demo_passes(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    bin_dir = environment(tmp_path_factory.mktemp("testing"), f"{wheel}[testing]")
    done = run(bin_dir / "repokit", "demo", cwd=tmp_path_factory.mktemp("elsewhere"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "no changes; the live settings match settings.yml" in done.stdout
    assert done.stdout.rstrip().endswith("the sandbox is removed (--keep keeps it)")


PLAIN_TEST = """
def test_plain(request, llm_mode, llm_usage):
    assert request.config.pluginmanager.hasplugin("repokit")
    assert llm_mode == "cached"
"""

FIXTURES_TEST = """
def test_fixtures(github_client, github_env, llm_usage, llm_mode):
    assert github_client.get_repo("acme/widget").name == "widget"
    llm_usage.record("openai", "gpt-4o-mini", 3, 4)
    assert llm_mode == "cached"
"""


def test_pytest_loads_the_plugin_with_and_without_the_extra(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The plugin loads into a plain install's test run; its fixtures work with the extra."""
    plain = environment(tmp_path_factory.mktemp("plain-pytest"), str(wheel))
    assert run(plain / "python", "-m", "pip", "install", "--quiet", "pytest").returncode == 0
    project = tmp_path_factory.mktemp("plain-project")
    (project / "test_plain.py").write_text(PLAIN_TEST)
    done = run(plain / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
    assert "rror" not in done.stderr

    extra = environment(tmp_path_factory.mktemp("extra-pytest"), f"{wheel}[testing]")
    assert run(extra / "python", "-m", "pip", "install", "--quiet", "pytest").returncode == 0
    project = tmp_path_factory.mktemp("extra-project")
    (project / "test_fixtures.py").write_text(FIXTURES_TEST)
    done = run(extra / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
    report = json.loads((project / "test-reports" / "llm-usage.json").read_text())
    assert report["totals"]["calls"] == 1
