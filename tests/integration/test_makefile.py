"""The Makefile reaches every job of the PR workflow through ``inv ci``, repeating none of it."""

from __future__ import annotations

import re
from pathlib import Path

from repokit.ci.model import load_workflow

ROOT = Path(__file__).resolve().parents[2]


def test_every_pr_job_is_reachable_from_make() -> None:
    makefile = (ROOT / "Makefile").read_text()
    workflow = load_workflow(ROOT / ".github" / "workflows" / "pr.yml")
    assert re.search(r"^ci: setup\n\t\$\(BIN\)/inv ci --workflow pr$", makefile, re.MULTILINE)
    for job in workflow.jobs:
        assert re.search(
            rf"^{re.escape(job)}: setup\n\t\$\(BIN\)/inv ci --workflow pr --job {re.escape(job)}$",
            makefile,
            re.MULTILINE,
        ), job


def test_the_makefile_repeats_no_workflow_command() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        for job in load_workflow(path).jobs.values():
            for step in job.steps:
                for line in (step.run or "").splitlines():
                    command = line.strip()
                    if command and not command.startswith(("make ", "echo ")):
                        assert command not in makefile, (path.name, command)
