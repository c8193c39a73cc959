"""``repokit checks`` and ``workflows.enable|disable`` on a copy of this repository's workflows."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPOKIT = str(Path(sys.executable).parent / "repokit")
ROOT = Path(__file__).resolve().parents[2]


def repokit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPOKIT, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_checks_follow_the_switch_and_disable_restores_the_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / ".github" / "workflows", tmp_path / ".github" / "workflows")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n')
    pr = tmp_path / ".github" / "workflows" / "pr.yml"
    original = pr.read_bytes()

    before = json.loads(repokit(tmp_path, "checks", "--json").stdout)
    pr_checks = [c for c in before if c["workflow"] == "pr.yml"]
    assert [c["name"] for c in pr_checks] == ["quality", "unit-tests", "framework-tests"]
    assert not any(c["reports_on_pull_requests"] for c in pr_checks)

    enabled = repokit(tmp_path, "workflows.enable", "--workflow", "pr")
    assert enabled.returncode == 0, enabled.stderr
    assert "+  pull_request:" in enabled.stdout
    after = json.loads(repokit(tmp_path, "checks", "--json").stdout)
    assert all(c["reports_on_pull_requests"] for c in after if c["workflow"] == "pr.yml")
    assert not any(c["reports_on_pull_requests"] for c in after if c["workflow"] != "pr.yml")

    assert repokit(tmp_path, "workflows.disable", "--workflow", "pr").returncode == 0
    assert pr.read_bytes() == original
