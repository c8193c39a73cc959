"""Each job on a fresh runner of its own: its own tree, its own Python, GitHub's variables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ci_project import TOOL_CACHE, ci, git, project, summary_row

from repokit.ci import python


def test_jobs_that_would_damage_each_other_do_not(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n"
        "  wrecker:\n    steps:\n"
        "      - run: rm -rf src && pip uninstall -y six; sleep 1; mv ${{ github.workspace }}"
        " ${{ runner.temp }}/moved\n"
        "  reader:\n    steps:\n"
        "      - run: pip install --quiet six && sleep 2 && cat src/data.txt draft.txt"
        " && python -c 'import six'\n",
    )
    (root / "src").mkdir()
    (root / "src" / "data.txt").write_text("committed\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "data")
    (root / "draft.txt").write_text("uncommitted\n")  # untracked: the jobs see it too
    before = git(root, "status", "--porcelain")
    result = ci(root, "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[reader] committed" in result.stdout and "[reader] uncommitted" in result.stdout
    assert (root / "src" / "data.txt").read_text() == "committed\n"
    assert (root / ".git").is_dir()
    assert git(root, "status", "--porcelain") == before  # .ci-artifacts/ ignores itself


def test_the_callers_activations_do_not_leak_and_githubs_variables_are_set(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        "jobs:\n  env:\n    steps:\n"
        "      - run: |\n"
        "          echo VENV=${VIRTUAL_ENV:-none} PYPATH=${PYTHONPATH:-none}"
        " NOPYC=${PYTHONDONTWRITEBYTECODE:-none} UVPY=${UV_PYTHON:-none}\n"
        "          echo CI=$CI GA=$GITHUB_ACTIONS EV=$GITHUB_EVENT_NAME BASE=$GITHUB_BASE_REF\n"
        "          echo REPO=$GITHUB_REPOSITORY ARCH=$RUNNER_ARCH RUN=$GITHUB_RUN_ID"
        " CTX=${{ github.run_id }}\n"
        '          echo WS=$([ "$GITHUB_WORKSPACE" = "$PWD" ] && echo same)\n'
        "          python -c 'import sys; print(\"PREFIX\", sys.prefix)'\n"
        '          python -c \'import json,os; e=json.load(open(os.environ["GITHUB_EVENT_PATH"]));'
        ' print("EVENT", e["pull_request"]["base"]["ref"], e["pull_request"]["head"]["ref"])\'\n',
    )
    git(root, "remote", "add", "origin", "https://github.com/acme/widgets.git")
    git(root, "checkout", "-qb", "feature")
    caller_venv = str(Path(sys.prefix))
    env = {
        "VIRTUAL_ENV": caller_venv,
        "PYTHONPATH": "/somewhere",
        "PYTHONDONTWRITEBYTECODE": "1",
        "UV_PYTHON": f"{caller_venv}/bin/python",
        "PATH": f"{caller_venv}/bin{os.pathsep}{os.environ['PATH']}",
    }
    result = ci(root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[env] VENV=none PYPATH=none NOPYC=none UVPY=none" in result.stdout
    assert "[env] CI=true GA=true EV=pull_request BASE=main" in result.stdout
    line = next(x for x in result.stdout.splitlines() if x.startswith("[env] REPO="))
    assert "REPO=acme/widgets ARCH=X64" in line or "ARCH=ARM64" in line
    run_id = line.split("RUN=")[1].split()[0]
    assert line.endswith(f"CTX={run_id}")
    assert "[env] WS=same" in result.stdout
    prefix = next(x for x in result.stdout.splitlines() if "PREFIX" in x).split()[-1]
    assert prefix not in (sys.prefix, sys.base_prefix)  # the job's own environment
    assert "[env] EVENT main feature" in result.stdout


def test_setup_python_under_matrix_all_runs_each_installed_version(tmp_path: Path) -> None:
    versions = python.installed_versions()
    assert len(versions) >= 2, "this test needs two Python versions installed"
    two = versions[-2:]
    root = project(
        tmp_path,
        "jobs:\n  test:\n    strategy:\n      matrix:\n"
        f"        pyver: ['{two[0]}', '{two[1]}', '3.99']\n    steps:\n"
        "      - uses: actions/setup-python@v5\n"
        "        with: {python-version: '${{ matrix.pyver }}'}\n"
        "      - run: python -c 'import sys; print(\"RUNS\", sys.version_info[:2])'"
        " && pip --version\n",
    )
    result = ci(root, "--matrix", "all")
    assert result.returncode == 0, result.stdout + result.stderr
    for version in two:
        major, minor = version.split(".")
        assert f"RUNS ({major}, {minor})" in result.stdout
        assert summary_row(result.stdout, f"test ({version})")[1] == "passed"
    missing = " ".join(summary_row(result.stdout, "test (3.99)"))
    assert "skipped" in missing and "Python 3.99 is not installed here; found" in missing
    one = ci(root)  # without --matrix all: one combination, that runs here
    assert one.returncode == 0 and "RUNS" in one.stdout
    assert "combination" in ci(root, "--list").stdout


def test_setup_uv_puts_uv_on_path(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  uv:\n    steps:\n"
        "      - uses: astral-sh/setup-uv@v6\n"
        "      - run: uv --version && uv pip install --system --quiet six"
        " && python -c 'import six, sys; print(\"SIX\", sys.prefix)'\n"
        "      - run: uv venv -q && uv pip install -q six && .venv/bin/python -c 'import six'\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[uv] uv " in result.stdout
    prefix = next(x for x in result.stdout.splitlines() if "SIX" in x).split()[-1]
    assert prefix not in (sys.prefix, sys.base_prefix)  # --system went into the job's env
    assert summary_row(result.stdout, "uv")[1] == "passed"


def test_artifacts_as_github_stores_them(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  build:\n    strategy:\n      matrix:\n        n: [a, b]\n    steps:\n"
        "      - run: mkdir -p dist && echo ${{ matrix.n }} > dist/${{ matrix.n }}.whl\n"
        "      - uses: actions/upload-artifact@v4\n"
        "        with: {name: 'dist-${{ matrix.n }}', path: 'dist/*'}\n"
        "  use:\n    needs: build\n    steps:\n"
        "      - uses: actions/download-artifact@v4\n"
        "        with: {pattern: 'dist-*', merge-multiple: true, path: got}\n"
        "      - uses: actions/download-artifact@v4\n        with: {path: all}\n"
        "      - run: ls got all/dist-a && cat got/a.whl\n"
        "      - uses: actions/download-artifact@v4\n        with: {name: nope}\n",
    )
    result = ci(root, "--matrix", "all")
    assert "[use] a.whl" in result.stdout and "[use] b.whl" in result.stdout
    assert "no artifact 'nope' in this run" in result.stdout
    assert result.returncode == 1  # the missing artifact fails its step
    (run,) = [p for p in (root / ".ci-artifacts").iterdir() if p.is_dir()]
    assert (run / "artifacts" / "dist-a" / "a.whl").read_text() == "a\n"  # no dist/ prefix
    assert (root / ".ci-artifacts" / ".gitignore").read_text() == "*\n"
    (root / ".github/workflows/later.yml").write_text(
        "on: push\njobs:\n  late:\n    steps:\n"
        "      - uses: actions/download-artifact@v4\n        with: {name: dist-a}\n"
    )
    second = ci(root, workflow="later")  # a later run does not see the first run's artifacts
    assert "no artifact 'dist-a' in this run" in second.stdout and second.returncode == 1


def test_a_python_version_file_naming_a_missing_version_skips_the_job(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  j:\n    steps:\n      - uses: actions/setup-python@v5\n"
        "        with: {python-version-file: .python-version}\n      - run: echo RAN\n",
    )
    (root / ".python-version").write_text("3.99\n")
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    row = " ".join(summary_row(result.stdout, "j"))
    assert "skipped" in row and "Python 3.99 is not installed here" in row
    assert "[j] RAN" not in result.stdout


def _newest_uv_lists(uv: Path, short: str) -> tuple[int, ...] | None:
    listed = subprocess.run(
        [str(uv), "python", "list", short, "--only-downloads"], capture_output=True, text=True
    ).stdout.split()
    prefix = f"cpython-{short}."
    found = [tuple(map(int, w.split("-")[1].split("."))) for w in listed if w.startswith(prefix)]
    return max(found) if found else None


def test_setup_python_says_when_githubs_runner_has_a_newer_patch_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPOKIT_TOOL_CACHE", TOOL_CACHE)
    uv = python.tool("uv") / "uv"
    behind = [
        (i, newest)
        for i in python.interpreters()
        if (newest := _newest_uv_lists(uv, i.short)) and newest > i.version
    ]
    installed, newest = behind[0] if behind else (python.interpreters()[0], None)
    root = project(
        tmp_path,
        "jobs:\n  py:\n    steps:\n      - uses: actions/setup-python@v5\n"
        f"        with: {{python-version: '{installed.short}'}}\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    if newest is None:
        assert "GitHub's runner would have" not in result.stdout
        return
    shown, here = ".".join(map(str, newest)), ".".join(map(str, installed.version))
    assert f"[py] note: GitHub's runner would have Python {shown}, the newest" in result.stdout
    assert f"{here} here may lack its fixes (install {shown} to match)" in result.stdout
