"""The paths a job's processes see, and the command that starts them in a mount namespace."""

from __future__ import annotations

import os
from pathlib import Path

from repokit.ci.namespace import Isolation, actual, command_in, passwd_with_home, seen

REAL, VIEW = Path("/scratch/jobs/lint"), Path("/scratch/runner")


def test_a_path_of_the_jobs_folder_is_seen_under_the_view_and_back() -> None:
    inside = REAL / "work" / "w" / "w" / "cov.xml"
    assert seen(inside, REAL, VIEW) == Path("/scratch/runner/work/w/w/cov.xml")
    assert actual("/scratch/runner/work/w/w/cov.xml", REAL, VIEW) == inside
    assert seen(Path("/usr/bin/python3"), REAL, VIEW) == Path("/usr/bin/python3")
    assert actual("/scratch/runner-2/x", REAL, VIEW) == Path("/scratch/runner-2/x")


def test_a_command_enters_the_namespace_mounts_the_folder_then_goes_back_to_the_user() -> None:
    isolation = Isolation(("unshare", "--mount", "--map-root-user"), ("unshare", "--user"), "")
    passwd = Path("/scratch/jobs/j.passwd")
    command = command_in(isolation, ["bash", "-e", "s.sh"], REAL, VIEW, "/scratch/runner/w", passwd)
    assert command[:4] == ["unshare", "--mount", "--map-root-user", "sh"]
    assert 'mount --bind "$1" "$2" && ' in command[5]
    assert 'mount --bind "$4" /etc/passwd; } && cd "$3"' in command[5]
    assert command[6:] == [
        "job",
        str(REAL),
        str(VIEW),
        "/scratch/runner/w",
        str(passwd),
        "unshare",
        "--user",
        "bash",
        "-e",
        "s.sh",
    ]
    refused = Isolation((), (), "unshare --mount is not allowed here")
    assert command_in(refused, ["bash"], REAL, VIEW, "/w") == ["bash"]
    assert not refused.private and isolation.private


def test_the_passwd_copy_gives_the_user_the_jobs_home(tmp_path: Path) -> None:
    source = tmp_path / "passwd"
    uid = os.getuid()
    source.write_text(
        f"me:x:{uid}:{uid}:Me:/home/me:/bin/bash\nother:x:{uid + 1}:1::/home/other:/bin/sh\n"
    )
    copy = passwd_with_home(VIEW, tmp_path / "copy", source)
    assert copy is not None
    assert copy.read_text() == (
        f"me:x:{uid}:{uid}:Me:{VIEW}:/bin/bash\nother:x:{uid + 1}:1::/home/other:/bin/sh\n"
    )
    assert passwd_with_home(VIEW, tmp_path / "none", tmp_path / "missing") is None
