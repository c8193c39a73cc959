"""One workspace path for every job, as on GitHub's Linux runners, without jobs sharing files.

Every job of a run sees its folder (``HOME``, and inside it ``work/<repo>/<repo>`` and
``work/_temp``) at the same path, the run's *view*. Each process of a job starts in a
private mount namespace of its own in which the job's real folder is bind-mounted on the
view, so jobs run in parallel and none sees another's files there. Where the system allows
no mount namespace, jobs run one after another and the view is a symbolic link to the
running job's folder.

What the system allows is found by trying it, once per process:

- as root, ``unshare --mount`` (a mount namespace needs ``CAP_SYS_ADMIN``);
- as another user, ``unshare --mount --map-root-user`` (a user namespace in which that
  user is root), the bind mount made there, then ``unshare --user --map-user=UID`` so the
  job's processes run as the user again, not as root.

A container without ``CAP_SYS_ADMIN``, a kernel with user namespaces off
(``user.max_user_namespaces = 0``, AppArmor's ``restrict_unprivileged_userns``) or a
missing ``unshare`` makes the try fail: its message is the plan's reason.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Run by ``sh -c`` inside the new namespace: mount the job's folder on the view, enter the
#: working directory there, then run the command (with ``$4`` and more, the command that
#: gives the user back their own uid).
#: With ``$4``, a copy of ``/etc/passwd`` is mounted on it, whose entry for the user has the
#: job's folder as home: a process that clears its environment (``HOME`` gone) and asks for
#: the home directory (``os.path.expanduser``) gets the job's, as on a runner.
_ENTER = (
    'mount --bind "$1" "$2" && { [ -z "$4" ] || mount --bind "$4" /etc/passwd; }'
    ' && cd "$3" && shift 4 && exec "$@"'
)


@dataclass(frozen=True)
class Isolation:
    """How this machine keeps jobs that share a path apart: ``prefix`` starts a process
    in a private mount namespace; empty when the system allows none (``reason`` says why)."""

    prefix: tuple[str, ...]
    back_to_user: tuple[str, ...]
    reason: str

    @property
    def private(self) -> bool:
        return bool(self.prefix)


def command_in(
    isolation: Isolation,
    command: list[str],
    real: Path,
    view: Path,
    cwd: str,
    passwd: Path | None = None,
) -> list[str]:
    """``command`` started with ``real`` mounted on ``view``, in ``cwd`` (a path under the
    view), and ``passwd`` on ``/etc/passwd``; unchanged where the system allows no namespace."""
    if not isolation.private:
        return command
    inner = [*isolation.back_to_user, *command]
    mounts = [str(real), str(view), cwd, str(passwd or "")]
    return [*isolation.prefix, "sh", "-c", _ENTER, "job", *mounts, *inner]


def passwd_with_home(home: Path, target: Path, source: Path = Path("/etc/passwd")) -> Path | None:
    """A copy of ``source`` at ``target`` in which the user's entry has ``home`` as home
    directory; None when ``source`` cannot be read."""
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    uid = str(os.getuid())
    for number, line in enumerate(lines):
        fields = line.split(":")
        if len(fields) == 7 and fields[2] == uid:
            fields[5] = str(home)
            lines[number] = ":".join(fields)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def seen(path: Path, real: Path, view: Path) -> Path:
    """The path a job's process sees for ``path``, a path of its real folder."""
    try:
        return view / path.relative_to(real)
    except ValueError:
        return path


def actual(path: str | Path, real: Path, view: Path) -> Path:
    """The real path behind ``path`` as a job's process wrote it (under the view or not)."""
    found = Path(path)
    try:
        return real / found.relative_to(view)
    except ValueError:
        return found


@functools.cache
def detect() -> Isolation:
    """Try a private mount namespace with a bind mount, as root or through a user namespace."""
    unshare, mount = shutil.which("unshare"), shutil.which("mount")
    if unshare is None or mount is None:
        return Isolation((), (), "no unshare command here (util-linux)")
    if os.geteuid() == 0:
        prefix: tuple[str, ...] = (unshare, "--mount")
        back: tuple[str, ...] = ()
    else:
        prefix = (unshare, "--mount", "--map-root-user")
        uid, gid = os.getuid(), os.getgid()
        back = (unshare, "--user", f"--map-user={uid}", f"--map-group={gid}", "--")
    candidate = Isolation(prefix, back, "")
    with tempfile.TemporaryDirectory(prefix="repokit-ns-") as folder:
        real, view = Path(folder) / "real", Path(folder) / "view"
        real.mkdir()
        view.mkdir()
        (real / "mounted").touch()
        probe = command_in(candidate, ["test", "-e", "mounted"], real, view, str(view))
        try:
            done = subprocess.run(probe, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as error:
            return Isolation((), (), f"{' '.join(prefix[:2])} failed: {error}")
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["no message"])[-1]
        how = " ".join(Path(p).name if i == 0 else p for i, p in enumerate(prefix))
        return Isolation((), (), f"{how} is not allowed here ({said})")
    return candidate
