"""The built wheel installed into fresh virtual environments, as a new user gets it.

One wheel is built for the module; pip installs it (and its dependencies, from pip's
cache or the configured index) into one environment without extras and one with
``[testing]``. Without extras every command answers ``--help`` and the emulator's import
names the extra; with it, ``repokit demo`` tells the whole story. Pull requests deselect
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

    emulator = run(bin_dir / "python", "-c", "import repokit.testing.github")
    assert emulator.returncode == 1
    assert emulator.stderr.strip().splitlines()[-1] == (
        "ImportError: repokit.testing needs the extra 'testing' (openapi-schema-validator not"
        " installed): pip install 'repokit[testing]'"
    )
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
