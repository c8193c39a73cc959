"""``repokit version`` as users run it, in a real project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from repokit.testing.sandbox import Sandbox

REPOKIT = str(Path(sys.executable).parent / "repokit")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPOKIT, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_prints_the_current_and_next_versions(sandbox: Sandbox) -> None:
    assert run(sandbox.work, "version").stdout == "0.1.0\n"
    assert run(sandbox.work, "version", "--next", "minor").stdout == "0.2.0\n"
    assert (
        run(sandbox.work, "version", "--next", "prerelease", "--pre", "rc").stdout == "0.1.1rc1\n"
    )
    # the sandbox's history has features and no breaking change
    assert run(sandbox.work, "version", "--next", "auto").stdout == "0.2.0\n"
    assert sandbox.git("status", "--porcelain") == ""


def test_a_dynamic_version_is_refused_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndynamic = ["version"]\n')
    result = run(tmp_path, "version")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "\nhint: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_bump_is_a_usage_error(sandbox: Sandbox) -> None:
    result = run(sandbox.work, "version", "--next", "bogus")
    assert result.returncode == 2
    assert "'bogus' is not a bump" in result.stderr
