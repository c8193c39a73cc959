"""The runner's toolbox: a working pip on every Python offered, pipx, and setup-python's
interpreter first for pip and uv, as on GitHub."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ci_project import TOOL_CACHE, ci, project, summary_row
from ci_project import wheel as make_wheel

from repokit.ci import python

HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.parametrize("short", python.installed_versions())
def test_the_pip_of_a_job_works_on_every_python_offered(
    short: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPOKIT_TOOL_CACHE", TOOL_CACHE)
    interpreter = python.find(short)
    assert interpreter is not None
    venv = python.make_venv(interpreter, tmp_path / "venv")
    wheel = make_wheel(tmp_path, "hello", {"hello.py": b"WORD = 'hello'\n"})
    install = [str(venv / "bin" / "pip"), "install", "--no-index", "--no-compile", str(wheel)]
    done = subprocess.run(install, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    probe = "import hello, sys; print(hello.WORD, sys.prefix)"
    used = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe], capture_output=True, text=True
    )
    assert used.stdout.split() == ["hello", str(venv)]


def test_an_interpreter_too_old_for_pip_is_not_offered_and_the_plan_says_why(
    tmp_path: Path,
) -> None:
    assert python.not_offered_reason((2, 7, 18)) == (
        "Python 2.7 has no venv module, and repokit gives every job a venv"
    )
    assert python.not_offered_reason((3, 4, 10)) == (
        "its newest pip (19.1.1) is older than 19.3, the oldest pip repokit runs"
    )
    assert python.not_offered_reason((3, 5, 10)) is None
    if not python.installed_too_old():
        return
    old = python.installed_too_old()[0].short
    root = project(
        tmp_path,
        "jobs:\n  old:\n    steps:\n      - uses: actions/setup-python@v5\n"
        f"        with: {{python-version: '{old}'}}\n",
    )
    listed = ci(root, "--list")
    assert f"skipped: Python {old} is installed here but not offered: " in listed.stdout


def test_pipx_is_on_the_path_and_keeps_its_installs_in_the_job(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "jobs:\n  tools:\n    steps:\n"
        '      - run: pipx --version && echo "HOME=$PIPX_HOME BIN=$PIPX_BIN_DIR"\n',
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary_row(result.stdout, "tools")[1] == "passed"
    line = next(x for x in result.stdout.splitlines() if x.startswith("[tools] HOME="))
    assert str(Path.home()) not in line and "/pipx BIN=" in line


def test_after_setup_python_uv_and_pip_use_its_interpreter(tmp_path: Path) -> None:
    # not the newest, which uv would find by itself, nor the one every job has anyway
    versions = python.installed_versions()
    fits = [v for v in versions[:-1] if v != HERE and tuple(map(int, v.split("."))) >= (3, 8)]
    other = fits[-1] if fits else HERE
    probe = "import sys; print('%d.%d' % sys.version_info[:2])"
    root = project(
        tmp_path,
        "jobs:\n  uv:\n    steps:\n      - uses: actions/setup-python@v5\n"
        f"        with: {{python-version: '{other}'}}\n"
        "      - uses: astral-sh/setup-uv@v6\n"
        '      - run: uv venv "$RUNNER_TEMP/made" && "$RUNNER_TEMP/made/bin/python" -c'
        f' "{probe}" | sed s/^/UV-VENV=/\n'
        f'      - run: uv run --no-project python -c "{probe}" | sed s/^/UV-RUN=/\n'
        "      - run: pip --version | sed 's/.*(python /PIP=/'\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"[uv] UV-VENV={other}" in result.stdout
    assert f"[uv] UV-RUN={other}" in result.stdout
    assert f"[uv] PIP={other})" in result.stdout
