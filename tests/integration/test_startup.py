"""Starting repokit loads Invoke and the task modules only; heavy modules wait for their task."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("github", "build", "twine", "git", "ruamel", "tomlkit")


def test_heavy_modules_are_not_imported_at_start() -> None:
    probe = f"import sys, repokit.tasks; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


PLUGIN_PROBE = """
import sys
import pytest

def pytest_collection_finish(session):
    # pytest and what pytest itself imports (py is its shim, pygments colours its output)
    pytest_own = {"pytest", "_pytest", "pluggy", "iniconfig", "packaging", "py", "pygments"}
    allowed = set(sys.stdlib_module_names) | pytest_own | {"conftest", "test_probe"}
    outside = sorted(
        name for name in sys.modules
        if name.split(".")[0] not in allowed
        and not name.startswith(("repokit.fixtures", "_"))
        and name != "repokit"
    )
    print("OUTSIDE", outside)
"""


def test_the_pytest_plugin_imports_only_the_standard_library_and_pytest(tmp_path: Path) -> None:
    """Every project that installs repokit loads the plugin into each of its test runs."""
    (tmp_path / "conftest.py").write_text(PLUGIN_PROBE)
    (tmp_path / "test_probe.py").write_text("def test_nothing():\n    pass\n")
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "repokit.fixtures", "-q", "-s"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OUTSIDE []" in out.stdout, out.stdout
    assert "repokit.testing" not in out.stdout  # the helpers that need the extra wait for use


def test_a_closed_pipe_ends_the_listing_quietly() -> None:
    """``repokit --list | head -1``: no BrokenPipeError traceback."""
    repokit = str(Path(sys.executable).parent / "repokit")
    done = subprocess.run(
        f"{repokit} --list | head -1", shell=True, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "Subcommands:"
    assert done.stderr == ""


def test_an_unknown_option_is_a_usage_error_with_a_hint() -> None:
    repokit = str(Path(sys.executable).parent / "repokit")
    done = subprocess.run(
        [repokit, "changelog", "--no-such-flag"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: No idea what '--no-such-flag' is!",
        "hint: run 'repokit --list', or 'repokit --help <command>'",
    ]
    assert done.stdout == ""
