"""The command a ``run:`` step's script runs with: GitHub's shells, GitHub's flags.

No ``shell:`` is ``bash -e {0}`` (no pipefail); ``shell: bash`` adds ``--noprofile --norc
-o pipefail``; ``sh`` is ``sh -e {0}``; ``python`` is the ``python`` on the job's PATH (its
own environment's); any other value is a command template with ``{0}``.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from repokit.errors import WorkflowError


def shell_command(shell: str | None, script: Path, path: str) -> list[str]:
    name = str(script)
    if shell is None:
        return ["bash", "-e", name]
    named = {
        "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", name],
        "sh": ["sh", "-e", name],
        "python": [shutil.which("python", path=path) or "python3", name],
    }
    if shell in named:
        return named[shell]
    if "{0}" in shell:
        return [part.replace("{0}", name) for part in shlex.split(shell)]
    if shell in ("pwsh", "powershell", "cmd"):
        msg = f"shell {shell!r} is a Windows shell, not available here"
        raise WorkflowError(msg, hint="run this job on Windows, or use bash")
    msg = f"shell {shell!r} is not available here"
    raise WorkflowError(msg, hint="use bash, sh, python or a command with {0}")
