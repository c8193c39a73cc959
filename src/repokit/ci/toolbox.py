"""The Python tools GitHub's Ubuntu runner image ships, on every job's PATH.

The image has pipx, and pipx-installed yamllint (its toolset lists them). Here each is the
machine's own when it has one, else a small script that installs the tool into repokit's
tool cache from the package index the first time a job calls it, then runs it. pipx keeps
what a job installs in the job's own folders (``PIPX_HOME``, ``PIPX_BIN_DIR``), as the
runner keeps it in ``/opt/pipx``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from repokit.ci import python
from repokit.errors import WorkflowError

#: command -> the package that brings it
RUNNER_TOOLS = {"pipx": "pipx", "yamllint": "yamllint"}

_SCRIPT = """#!/bin/sh
exec "{python}" -I -m repokit.ci.toolbox {name} "$@"
"""


def toolbox(machine_path: str) -> Path:
    """The folder of the runner's tools: links to the machine's, or installing scripts."""
    folder = python.tool_cache() / "toolbox"
    with python.cache_lock():
        folder.mkdir(parents=True, exist_ok=True)
        for name in RUNNER_TOOLS:
            entry = folder / name
            found = shutil.which(name, path=machine_path)
            if found:
                if not entry.is_symlink() or entry.readlink() != Path(found):
                    entry.unlink(missing_ok=True)
                    entry.symlink_to(found)
                continue
            script = _SCRIPT.format(python=sys.executable, name=name)
            if entry.is_symlink() or not entry.is_file() or entry.read_text() != script:
                entry.unlink(missing_ok=True)
                entry.write_text(script, encoding="utf-8")
                entry.chmod(0o755)
    return folder


def main(argv: list[str]) -> int:
    """Run the tool ``argv[0]`` with the rest, installing it first if need be."""
    name, args = argv[0], argv[1:]
    try:
        folder = python.tool(name, RUNNER_TOOLS[name])
    except WorkflowError as error:
        sys.stderr.write(f"repokit: {name} is not available here: {error.message}\n")
        return 127
    os.execv(folder / name, [name, *args])  # noqa: S606 - the tool replaces this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
