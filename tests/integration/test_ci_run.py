"""``repokit ci`` runs small workflow files in temporary projects, as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from ci_project import REPOKIT, TOOL_CACHE, ci, git, project, summary_row


def test_a_passing_job_and_its_log(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "env: {WHO: world}\njobs:\n  hello:\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        '      - run: echo "hello $WHO from ${{ github.event_name }}"\n'
        "      - uses: someone/unknown-action@v1\n",
    )
    result = ci(root, "--event", "workflow_dispatch")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[hello] hello world from workflow_dispatch" in result.stdout
    assert "someone/unknown-action@v1: skipped (no local equivalent)" in result.stdout
    # a skipped action never shows as passed: the job is partial, and the step is named
    row = summary_row(result.stdout, "hello")
    assert row[1] == "partial" and "not mirrored: uses someone/unknown-action@v1" in " ".join(row)
    assert "jobs: 0 passed, 0 failed, 1 partial, 0 skipped" in result.stdout
    (log,) = (root / ".ci-artifacts").glob("*/logs/hello.log")
    assert "hello world from workflow_dispatch" in log.read_text()
    strict = ci(root, "--strict")
    assert strict.returncode == 1 and "1 job(s) failed: hello" in strict.stderr


def test_a_job_whose_only_work_is_a_skipped_action_is_skipped(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  publish:\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: pypa/gh-action-pypi-publish@release/v1\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    row = summary_row(result.stdout, "publish")
    assert row[1] == "skipped"
    assert "nothing ran here: uses pypa/gh-action-pypi-publish@release/v1" in " ".join(row)
    assert "passed" not in " ".join(row)


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
    assert "error: 1 job(s) failed: broken" in result.stderr
    assert "[broken] before" in result.stdout
    assert "[broken] never" not in result.stdout
    assert "[after]" not in result.stdout
    assert "[broken] cleaning up" in result.stdout
    assert "after: skipped (needs broken, which failed)" in result.stdout


STAMP = """\
import os, pathlib, sys, time
name = os.path.join(os.environ["STAMPS"], sys.argv[1])
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
    (tmp_path / "stamps").mkdir()
    result = ci(root, "--jobs", "2", env={"STAMPS": str(tmp_path / "stamps")})
    assert result.returncode == 0, result.stdout + result.stderr

    def span(name: str) -> tuple[float, float]:
        stamps = tmp_path / "stamps"
        return float((stamps / f"{name}.start").read_text()), float(
            (stamps / f"{name}.end").read_text()
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
    assert "db: skipped (service neo4j is not started here; set NEO4J_TEST_URI" in result.stdout
    assert ci(root, "--strict", env={"NEO4J_TEST_URI": ""}).returncode == 1
    provided = ci(root, env={"NEO4J_TEST_URI": "bolt://db.example:7687"})
    assert provided.returncode == 0
    assert "[db] using bolt://localhost:7687" in provided.stdout  # the job's own env wins


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
    (log,) = (root / ".ci-artifacts").glob("*/logs/s.log")
    assert "s3cr3t-value-123" not in log.read_text()


def test_to_json_of_secrets_is_masked_not_a_traceback(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  s:\n    steps:\n"
        "      - run: echo '${{ toJSON(secrets) }}' && echo '${{ secrets.API_KEY }}'\n",
    )
    result = ci(root, env={"API_KEY": "k3y-value-456"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert '"API_KEY": "***"' in result.stdout and "k3y-value-456" not in result.stdout


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
    assert result.returncode == 2 and "no workflow 'nope'" in result.stderr
    result = ci(root, "--job", "zzz")
    assert result.returncode == 2 and "no job 'zzz'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_workflow_that_cannot_run_is_exit_2_naming_the_file_and_line(tmp_path: Path) -> None:
    root = project(tmp_path, "jobs:\n  a:\n    steps: [{run: echo}]\n")
    (root / ".github/workflows/w.yml").write_text("on: push\njobs:\n  a: {steps: [\n")
    result = ci(root)
    assert result.returncode == 2
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert "w.yml:" in line and "invalid YAML" in line
    assert "Traceback" not in result.stderr


def test_outside_a_git_repository_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([REPOKIT, "ci"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 2 and "not a git repository" in result.stderr


def test_sigterm_stops_the_jobs_and_removes_the_scratch_folder(tmp_path: Path) -> None:
    """What ``timeout`` or a CI runner cancelling does: the run ends as after Ctrl-C."""
    marker = tmp_path / "started"
    root = project(
        tmp_path / "project",
        f"jobs:\n  long:\n    steps:\n      - run: touch {marker} && sleep 87.5\n",
    )
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "REPOKIT_TOOL_CACHE": TOOL_CACHE}
    process = subprocess.Popen(
        [REPOKIT, "ci", "--workflow", "w"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(600):  # the job starts within seconds; give up after a minute
        if marker.exists() or process.poll() is not None:
            break
        time.sleep(0.1)
    assert marker.exists(), process.communicate()
    process.send_signal(signal.SIGTERM)  # to repokit alone, as timeout(1) sends it
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert list(scratch.glob("repokit-ci-*")) == []
    assert not _running("sleep\x0087.5"), "the job's process outlived the run"


def _running(command_line: str) -> bool:
    """Whether a process of this machine runs ``command_line`` (arguments joined by NUL)."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if command_line in cmdline.read_text(errors="replace"):
                return True
        except OSError:  # the process ended while we looked
            continue
    return False


def test_a_step_failing_after_an_action_not_mirrored_makes_the_job_partial(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  lint:\n    steps:\n"
        "      - name: Install just\n        uses: extractions/setup-just@v2\n"
        "      - run: just lint\n"
        "  tests:\n    steps:\n"
        "      - run: exit 1\n"
        "      - if: always()\n        uses: codecov/codecov-action@v5\n",
    )
    result = ci(root)
    lint = " ".join(summary_row(result.stdout, "lint"))
    assert summary_row(result.stdout, "lint")[1] == "partial"
    assert "after an action not mirrored: Install just (extractions/setup-just@v2)" in lint
    tests = " ".join(summary_row(result.stdout, "tests"))
    assert summary_row(result.stdout, "tests")[1] == "failed"  # the failure came first
    assert "not mirrored: uses codecov/codecov-action@v5" in tests
    assert result.returncode == 1 and "1 job(s) failed: tests" in result.stderr


def test_jobs_of_the_same_name_in_two_workflows_each_have_their_own_folder(tmp_path: Path) -> None:
    # simonw/sqlite-utils (4.2.1): a job `test` in test.yml, test-coverage.yml and
    # test-sqlite-support.yml, all started by a pull request
    root = project(
        tmp_path,
        "jobs:\n  test:\n    steps: [{run: echo one > ~/mine && sleep 1}]\n",
        name="a.yml",
        header="on: pull_request\n",
    )
    directory = root / ".github" / "workflows"
    (directory / "b.yml").write_text(
        "on: pull_request\njobs:\n  test:\n    steps: [{run: echo two > ~/mine && sleep 1}]\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "two workflows")
    result = ci(root, workflow=None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "repokit error" not in result.stdout
    assert "jobs: 2 passed, 0 failed" in result.stdout
