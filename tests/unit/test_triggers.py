"""``workflows.enable`` and ``disable`` edit the on: block and round-trip byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.ci.switch import disable, enable
from repokit.errors import WorkflowError

MANUAL = """\
name: PR Validation

on:
  # DISABLED: Uncomment when ready for automated CI
  # pull_request:
  #   branches: [main]
  # schedule:
  #   - cron: '0 2 * * *'  # 2 AM UTC daily
  workflow_dispatch:  # Manual trigger only for now

jobs:
  a:
    runs-on: ubuntu-latest  # keep me
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_enable_then_disable_restores_the_bytes(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "pr.yml"
    original = MANUAL.replace("\n", newline).encode()
    path.write_bytes(original)
    edit = enable(path)
    edit.apply()
    text = path.read_bytes().decode()
    assert f"  pull_request:{newline}    branches: [main]{newline}" in text
    assert f"  schedule:{newline}    - cron: '0 2 * * *'  # 2 AM UTC daily{newline}" in text
    assert "# ENABLED" in text and "# DISABLED" not in text
    assert text.count(newline) == original.decode().count(newline)
    assert not enable(path).changed  # enabling twice changes nothing
    disable(path).apply()
    assert path.read_bytes() == original
    assert not disable(path).changed


def test_a_file_without_the_marker_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ci.yml"
    path.write_text("on:\n  push:\njobs: {}\n")
    with pytest.raises(WorkflowError) as info:
        enable(path)
    assert "DISABLED" in info.value.message
