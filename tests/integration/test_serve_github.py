"""``repokit serve-github``: start it, paste its lines, apply a settings file, stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from repokit.testing.sandbox import Sandbox

BIN = Path(sys.executable).parent
SETTINGS = (
    "repository:\n  delete_branch_on_merge: true\n"
    "labels:\n  - {name: bug, color: b60205}\n  - {name: triage, color: fbca04}\n"
)


def start(*args: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """The server as a user starts it, and the variables its printed lines export."""
    server = subprocess.Popen(
        [str(BIN / "repokit"), "serve-github", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    exported: dict[str, str] = {}
    for line in server.stdout:
        if line.strip().startswith("export "):
            name, _, value = line.strip().removeprefix("export ").partition("=")
            exported[name] = value
        if line.startswith("serving until Ctrl-C"):
            return server, exported
    server.wait(timeout=10)
    pytest.fail(f"serve-github ended early ({server.returncode}): {server.stderr.read()}")


def repokit(root: Path, exported: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``repokit <args>`` in a shell where the printed lines were pasted."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update(exported, GH_CONFIG_DIR=str(root / ".no-gh"))
    return subprocess.run(
        [str(BIN / "repokit"), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_an_admin_tries_a_settings_file_with_no_token(sandbox: Sandbox, stop: int) -> None:
    sandbox.commit("chore: settings", {"governance/settings.yml": SETTINGS})
    server, exported = start("acme/widget")
    try:
        assert set(exported) == {"GITHUB_API_URL", "GITHUB_TOKEN", "GITHUB_REPOSITORY"}
        assert exported["GITHUB_API_URL"].startswith("http://127.0.0.1:")
        assert exported["GITHUB_REPOSITORY"] == "acme/widget"

        fresh = repokit(sandbox.work, exported, "governance.export", "--output", "-")
        assert fresh.returncode == 0, fresh.stderr
        assert "# Every setting is at GitHub's default: nothing to hold yet.\n" in fresh.stdout
        assert "labels" not in fresh.stdout and "collaborators" not in fresh.stdout

        first = repokit(sandbox.work, exported, "governance", "--yes")
        assert first.returncode == 0, first.stdout + first.stderr
        assert "delete_branch_on_merge" in first.stdout
        assert "update labels bug" in first.stdout, "GitHub's default bug label is there"
        assert "create labels triage" in first.stdout
        assert "unmanaged labels (kept; --prune removes them): documentation" in first.stdout
        second = repokit(sandbox.work, exported, "governance", "--yes")
        assert second.returncode == 0, second.stdout + second.stderr
        assert "no changes" in second.stdout
    finally:
        server.send_signal(stop)
        out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
    assert err == "" and out.endswith("stopped\n")
    port = int(exported["GITHUB_API_URL"].rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass


def test_a_port_in_use_is_refused_with_a_hint() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(BIN / "repokit"), "serve-github", "acme/widget", "--port", str(port)],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
            timeout=30,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "hint: " in done.stderr
