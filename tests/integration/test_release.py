"""``repokit release`` on real repositories with real bare remotes: all or nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from repokit.testing.sandbox import Sandbox, git

REPOKIT = str(Path(sys.executable).parent / "repokit")


def release(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REPOKIT, "release", *args],
        cwd=sandbox.work,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def assert_refused(sandbox: Sandbox, result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "\nhint: " in result.stderr
    for word in words:
        assert word in result.stderr


def test_minor_release_bumps_writes_commits_tags_and_pushes(sandbox: Sandbox) -> None:
    result = release(sandbox, "--bump", "minor", "--yes")
    assert result.returncode == 0, result.stderr
    assert "released 0.2.0: tag v0.2.0, pushed to origin" in result.stdout

    work = sandbox.work
    assert 'version = "0.2.0"' in (work / "pyproject.toml").read_text()
    assert '__version__ = "0.2.0"' in (work / "src/demo_greeter/__init__.py").read_text()
    changelog = (work / "CHANGELOG.md").read_text()
    assert "## [0.2.0] - " in changelog
    assert "- **greet:** trim spaces around the name" in changelog
    assert sandbox.git("log", "-1", "--format=%s") == "chore: bump version to 0.2.0"
    assert sandbox.git("status", "--porcelain", "--ignored") == ""

    # an annotated tag on the release commit, carrying the changelog section
    assert sandbox.git("cat-file", "-t", "v0.2.0") == "tag"
    message = sandbox.git("tag", "-l", "--format=%(contents)", "v0.2.0")
    assert message.startswith("## [0.2.0] - ")
    assert "### Features" in message
    head = sandbox.git("rev-parse", "HEAD")
    remote = sandbox.remote_refs()
    assert remote["refs/heads/main"] == head
    assert remote["refs/tags/v0.2.0^{}"] == head


def test_dry_run_shows_the_plan_and_changes_nothing(sandbox: Sandbox) -> None:
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    result = release(sandbox, "--bump", "minor", "--dry-run")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "release 0.1.0 -> 0.2.0, tag v0.2.0" in out
    assert "--- a/pyproject.toml\n+++ b/pyproject.toml\n" in out
    assert '-version = "0.1.0"\n+version = "0.2.0"\n' in out
    assert "+++ b/CHANGELOG.md" in out
    assert "git push --atomic origin refs/heads/main refs/tags/v0.2.0" in out
    assert "dry run: nothing was changed" in out
    assert sandbox.state() == before
    assert sandbox.remote_refs() == remote_before


def test_no_push_keeps_the_tag_local(sandbox: Sandbox) -> None:
    remote_before = sandbox.remote_refs()
    result = release(sandbox, "--bump", "patch", "--no-push", "--yes")
    assert result.returncode == 0, result.stderr
    assert sandbox.git("tag", "--list", "v0.1.1") == "v0.1.1"
    assert sandbox.remote_refs() == remote_before


def test_first_release_takes_the_whole_history(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(tag_initial=False)
    result = release(sandbox, "--bump", "minor", "--yes")
    assert result.returncode == 0, result.stderr
    changelog = (sandbox.work / "CHANGELOG.md").read_text()
    assert "5 commit(s) since the first commit" in result.stdout  # the very first counts
    assert "- greet people by name" in changelog
    assert "refs/tags/v0.2.0" in sandbox.remote_refs()


def test_auto_and_prerelease_bumps(sandbox: Sandbox) -> None:
    result = release(sandbox, "--bump", "prerelease", "--pre", "rc", "--yes")
    assert result.returncode == 0, result.stderr
    assert "refs/tags/v0.1.1rc1" in sandbox.remote_refs()
    sandbox.commit("feat!: greet in every language")
    sandbox.push()
    result = release(sandbox, "--bump", "auto", "--yes")
    assert result.returncode == 0, result.stderr
    # a breaking change while the major version is 0 gives a minor release
    assert "refs/tags/v0.2.0" in sandbox.remote_refs()


def test_nothing_to_release_is_refused_unless_allowed(sandbox: Sandbox) -> None:
    assert release(sandbox, "--bump", "patch", "--yes").returncode == 0
    before = sandbox.state()
    result = release(sandbox, "--bump", "patch", "--yes")
    assert_refused(sandbox, result, "no commits since v0.1.1")
    assert sandbox.state() == before
    assert release(sandbox, "--bump", "patch", "--yes", "--allow-empty").returncode == 0
    assert "refs/tags/v0.1.2" in sandbox.remote_refs()


def test_bad_arguments_exit_2(sandbox: Sandbox) -> None:
    for args in (["--bump", "huge"], [], ["--bump", "prerelease", "--pre", "gamma"]):
        result = release(sandbox, *args, "--dry-run")
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr


# --- every failure leaves the repository and the remote exactly as they were ---------------


def test_push_rejected_by_a_hook_undoes_tag_commit_and_files(sandbox: Sandbox) -> None:
    hook = sandbox.remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'releases are frozen today' >&2\nexit 1\n")
    hook.chmod(0o755)
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "error: push: ", "pre-receive hook declined")
    assert "undone: tag" in result.stdout and "undone: commit" in result.stdout
    assert sandbox.state() == before
    assert sandbox.remote_refs() == remote_before


def test_tag_already_on_the_remote(sandbox: Sandbox) -> None:
    sandbox.git("push", "-q", "origin", "HEAD:refs/tags/v0.2.0")
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "tag v0.2.0 already exists on origin")
    assert sandbox.state() == before
    assert sandbox.remote_refs() == remote_before


def test_remote_ahead_is_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    other = tmp_path / "other"
    git("clone", "-q", str(sandbox.remote), str(other), cwd=tmp_path)
    (other / "extra.txt").write_text("from a colleague\n")
    git("add", "-A", cwd=other)
    git("commit", "-q", "-m", "fix: a colleague's fix", cwd=other)
    git("push", "-q", "origin", "main", cwd=other)
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "behind origin/main")
    assert {k: v for k, v in sandbox.state().items() if k != "refs"} == {
        k: v for k, v in before.items() if k != "refs"
    }
    assert sandbox.remote_refs() == remote_before


def test_dirty_tree_is_refused(sandbox: Sandbox) -> None:
    (sandbox.work / "notes.txt").write_text("not committed\n")
    before = sandbox.state()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "uncommitted changes: notes.txt")
    assert sandbox.state() == before


def test_package_that_fails_to_build(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(backend="setuptools")
    sandbox.commit(
        "build: break the build", {"setup.py": "raise SystemExit('broken on purpose')\n"}
    )
    sandbox.push()
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "error: build: the package did not build")
    assert "undone: write files" in result.stdout
    assert sandbox.state() == before
    assert sandbox.remote_refs() == remote_before


def test_failing_pre_release_command(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(pyproject_extra='pre_release_command = "echo checking; exit 3"\n')
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "pre_release_command", "exit 3")
    assert "checking" in result.stdout
    assert sandbox.state() == before
    assert sandbox.remote_refs() == remote_before


def test_no_terminal_and_no_yes_refuses_instead_of_hanging(sandbox: Sandbox) -> None:
    before = sandbox.state()
    result = release(sandbox, "--bump", "minor")
    assert_refused(sandbox, result, "no terminal", "--yes")
    assert sandbox.state() == before


SLOW_BACKEND = '''\
"""A build backend that stops in the middle of the build, for the Ctrl-C test."""
import os
import shutil
import time
from pathlib import Path

from setuptools import build_meta as _real
from setuptools.build_meta import *  # noqa: F403


def build_sdist(sdist_directory, config_settings=None):
    Path(os.environ["RELEASE_TEST_MARKER"]).write_text(str(os.getpid()))
    time.sleep(60)
    return _real.build_sdist(sdist_directory, config_settings)
'''


@pytest.mark.parametrize(
    "interrupt",
    [
        lambda pid: os.killpg(pid, signal.SIGINT),  # what a terminal does on Ctrl-C
        lambda pid: os.kill(pid, signal.SIGTERM),  # what timeout(1) or a cancelled CI job does
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_ctrl_c_during_the_build_undoes_everything(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path, interrupt: Callable[[int], None]
) -> None:
    sandbox = make_sandbox(backend="setuptools")
    pyproject = (sandbox.work / "pyproject.toml").read_text()
    pyproject = pyproject.replace(
        'build-backend = "setuptools.build_meta"',
        'build-backend = "slow_backend"\nbackend-path = ["."]',
    )
    sandbox.commit(
        "build: a slow backend", {"pyproject.toml": pyproject, "slow_backend.py": SLOW_BACKEND}
    )
    sandbox.push()
    before, remote_before = sandbox.state(), sandbox.remote_refs()
    marker = tmp_path / "building"
    process = subprocess.Popen(
        [REPOKIT, "release", "--bump", "minor", "--yes"],
        cwd=sandbox.work,
        env={**os.environ, "RELEASE_TEST_MARKER": str(marker)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for _ in range(600):  # the build starts within seconds; give up after a minute
        if marker.exists() or process.poll() is not None:
            break
        time.sleep(0.1)
    assert marker.exists(), process.communicate()
    interrupt(process.pid)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "interrupted during build" in err
    backend = Path("/proc") / marker.read_text()
    for _ in range(50):  # killed with its process group; gone once reaped
        try:
            if "\tZ" in (backend / "status").read_text():
                break
        except OSError:  # no such process
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the build backend outlived the interrupted release")
    assert sandbox.state() == before
    assert sandbox.remote_refs() == remote_before


@pytest.mark.parametrize("remote_url", ["/nonexistent/remote.git"])
def test_unreachable_remote_is_refused(sandbox: Sandbox, remote_url: str) -> None:
    sandbox.git("remote", "set-url", "origin", remote_url)
    before = sandbox.state()
    result = release(sandbox, "--bump", "minor", "--yes")
    assert_refused(sandbox, result, "cannot fetch main from origin")
    assert sandbox.state() == before


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen for a signing key")
def test_sign_signs_the_commit_and_the_tag(sandbox: Sandbox, tmp_path: Path) -> None:
    key = tmp_path / "signing-key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "release", "-f", str(key)],
        check=True,
    )
    public = (tmp_path / "signing-key.pub").read_text().strip()
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f"maintainer@example.com {public}\n")
    sandbox.git("config", "gpg.format", "ssh")
    sandbox.git("config", "user.signingkey", str(key))
    sandbox.git("config", "gpg.ssh.allowedSignersFile", str(allowed))
    result = release(sandbox, "--bump", "minor", "--sign", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(signed)" in result.stdout
    sandbox.git("verify-commit", "HEAD")  # raises unless the signature is good
    sandbox.git("verify-tag", "v0.2.0")
    assert "refs/tags/v0.2.0" in sandbox.remote_refs()
