"""``repokit ci`` runs small workflow files in temporary projects, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPOKIT = str(Path(sys.executable).parent / "repokit")


def project(tmp_path: Path, workflow: str) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n')
    directory = tmp_path / ".github" / "workflows"
    directory.mkdir(parents=True)
    (directory / "w.yml").write_text("on: workflow_dispatch\n" + workflow)
    return tmp_path


def ci(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REPOKIT, "ci", "--workflow", "w", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_a_passing_job_and_its_log(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "env: {WHO: world}\njobs:\n  hello:\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        '      - run: echo "hello $WHO from ${{ github.event_name }}"\n'
        "      - uses: someone/unknown-action@v1\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[hello] hello world from workflow_dispatch" in result.stdout
    assert "someone/unknown-action@v1: skipped (no local equivalent)" in result.stdout
    assert "jobs: 1 passed, 0 failed, 0 skipped" in result.stdout
    log = (root / ".ci-artifacts" / "hello.log").read_text()
    assert "hello world from workflow_dispatch" in log


def test_a_failing_step_fails_the_job_and_the_run(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  broken:\n    steps:\n"
        "      - run: echo before; exit 3\n"
        "      - run: echo never\n"
        "      - if: failure()\n        run: echo cleaning up\n"
        "  after:\n    needs: broken\n    steps: [{run: echo never either}]\n",
    )
    result = ci(root)
    assert result.returncode == 1
    assert "error: w.yml: 1 job(s) failed: broken" in result.stderr
    assert "[broken] before" in result.stdout
    assert "[broken] never" not in result.stdout
    assert "[after]" not in result.stdout
    assert "[broken] cleaning up" in result.stdout
    assert "after: skipped (needs broken, which did not pass)" in result.stdout


STAMP = """\
import pathlib, sys, time
name = sys.argv[1]
pathlib.Path(name + ".start").write_text(repr(time.time()))
time.sleep(1.5)
pathlib.Path(name + ".end").write_text(repr(time.time()))
"""


def test_independent_jobs_run_at_the_same_time(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  a: {steps: [{run: python stamp.py a}]}\n"
        "  b: {steps: [{run: python stamp.py b}]}\n"
        "  c: {needs: [a, b], steps: [{run: python stamp.py c}]}\n",
    )
    (root / "stamp.py").write_text(STAMP)
    result = ci(root, "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr

    def span(name: str) -> tuple[float, float]:
        return float((root / f"{name}.start").read_text()), float(
            (root / f"{name}.end").read_text()
        )

    (a0, a1), (b0, b1), (c0, _) = span("a"), span("b"), span("c")
    assert a0 < b1 and b0 < a1  # a and b overlapped
    assert c0 > max(a1, b1)  # c waited for both


def test_a_service_that_is_not_there_is_skipped_with_the_reason(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  db:\n    services: {neo4j: {image: 'neo4j:5.26'}}\n    steps:\n"
        "      - env: {NEO4J_TEST_URI: 'bolt://localhost:7687'}\n"
        "        run: echo using $NEO4J_TEST_URI\n",
    )
    result = ci(root, env={"NEO4J_TEST_URI": ""})
    assert result.returncode == 0
    assert "db: skipped (service neo4j is not started locally; set NEO4J_TEST_URI" in result.stdout
    assert ci(root, "--strict", env={"NEO4J_TEST_URI": ""}).returncode == 1
    provided = ci(root, env={"NEO4J_TEST_URI": "bolt://db.example:7687"})
    assert provided.returncode == 0
    assert "[db] using bolt://localhost:7687" in provided.stdout  # the job's own env wins


def test_artifacts_are_copied(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  build:\n    steps:\n"
        "      - run: mkdir -p out && echo data > out/report.txt\n"
        "      - uses: actions/upload-artifact@v4\n        with: {name: reports, path: out/}\n"
        "  use:\n    needs: build\n    steps:\n"
        "      - uses: actions/download-artifact@v4\n        with: {name: reports, path: got}\n"
        "      - run: cat got/out/report.txt\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (root / ".ci-artifacts/build/reports/out/report.txt").read_text() == "data\n"
    assert "[use] data" in result.stdout


def test_secrets_never_show(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  s:\n    steps:\n"
        "      - env: {TOKEN: '${{ secrets.DEPLOY_TOKEN }}'}\n"
        '        run: echo "token=$TOKEN" && echo "again ${{ secrets.DEPLOY_TOKEN }}"\n',
    )
    result = ci(root, env={"DEPLOY_TOKEN": "s3cr3t-value-123"})
    assert result.returncode == 0, result.stderr
    assert "s3cr3t-value-123" not in result.stdout + result.stderr
    assert "token=***" in result.stdout
    assert "s3cr3t-value-123" not in (root / ".ci-artifacts" / "s.log").read_text()


def test_env_and_outputs_pass_between_steps(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  pass:\n    steps:\n"
        "      - id: first\n        run: |\n"
        '          echo "GREETING=hi" >> "$GITHUB_ENV"\n'
        '          echo "answer=42" >> "$GITHUB_OUTPUT"\n'
        "          mkdir -p tools && printf '#!/bin/sh\\necho tool ran\\n' > tools/mytool\n"
        '          chmod +x tools/mytool && echo "$PWD/tools" >> "$GITHUB_PATH"\n'
        '      - run: echo "$GREETING ${{ steps.first.outputs.answer }}" && mytool\n'
        "      - if: steps.first.outputs.answer == '42'\n        run: echo condition held\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[pass] hi 42" in result.stdout
    assert "[pass] tool ran" in result.stdout
    assert "[pass] condition held" in result.stdout


def test_list_shows_the_plan_and_runs_nothing(tmp_path: Path) -> None:
    root = project(tmp_path, "jobs:\n  a:\n    steps: [{run: touch ran}]\n")
    result = ci(root, "--list")
    assert result.returncode == 0
    assert "  a" in result.stdout
    assert not (root / "ran").exists()


def test_unknown_workflow_and_job_are_clear_errors(tmp_path: Path) -> None:
    root = project(tmp_path, "jobs:\n  a:\n    steps: []\n")
    result = subprocess.run(
        [REPOKIT, "ci", "--workflow", "nope"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 1 and "no workflow 'nope'" in result.stderr
    result = ci(root, "--job", "zzz")
    assert result.returncode == 1 and "no job 'zzz'" in result.stderr
    assert "Traceback" not in result.stderr
