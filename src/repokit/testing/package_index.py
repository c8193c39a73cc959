"""A real local package index: pypiserver on 127.0.0.1, for tests and ``make demo``.

Uploads need no password (any credentials are accepted); packages live in a temporary
directory that goes away with the server.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PackageIndex:
    """``with PackageIndex() as index:``: ``index.url`` takes uploads, ``index.simple`` serves."""

    def __init__(self) -> None:
        self.port = free_port()
        self.packages = Path(tempfile.mkdtemp(prefix="repokit-index-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def simple(self) -> str:
        return f"{self.url}simple/"

    def start(self) -> PackageIndex:
        command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p"]
        command += [str(self.port), "-a", ".", "-P", ".", "--overwrite", str(self.packages)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.simple, timeout=1):  # noqa: S310 - loopback
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        msg = "the local package index (pypiserver) did not start"
        raise RuntimeError(msg)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
        shutil.rmtree(self.packages, ignore_errors=True)

    def __enter__(self) -> PackageIndex:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def install(requirement: str, index: str, venv: Path) -> Path:
    """Install ``requirement`` from the ``index`` alone into a new venv; its python."""
    import os

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    env = {k: v for k, v in os.environ.items() if k != "PIP_FIND_LINKS"}  # this index only
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
    subprocess.run([*command, "--index-url", index, requirement], check=True, env=env)
    return python
