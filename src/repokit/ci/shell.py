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


def is_login_shell(command: list[str]) -> bool:
    """Whether ``command`` starts bash as a login shell (``bash -l {0}``, ``bash --login``),
    which reads ``/etc/profile`` and the first of ``~/.bash_profile``, ``~/.bash_login`` and
    ``~/.profile``."""
    if not command or Path(command[0]).name != "bash":
        return False
    flags = command[1:-1]
    return "--login" in flags or any(
        f.startswith("-") and not f.startswith("--") and "l" in f for f in flags
    )


#: The job's ``~/.bash_profile``: GitHub's Ubuntu runner keeps a step's PATH in a login
#: shell, where Debian's ``/etc/profile`` sets PATH anew (and drops the job's Python)
LOGIN_PROFILE = """\
# written by repokit ci: a login shell (bash -l) keeps the step's PATH, as on GitHub's runner
if [ -n "${REPOKIT_STEP_PATH-}" ]; then PATH="$REPOKIT_STEP_PATH"; export PATH; fi
unset REPOKIT_STEP_PATH
if [ -f ~/.bash_login ]; then . ~/.bash_login; elif [ -f ~/.profile ]; then . ~/.profile; fi
"""


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
