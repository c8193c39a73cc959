"""One workspace path for every job, as on GitHub's Linux runners; HOME and TMPDIR per job."""

from __future__ import annotations

import os
from pathlib import Path

from ci_project import ci, git, project, summary_row

from repokit.ci.namespace import detect


def _values(output: str, tag: str, name: str) -> list[str]:
    """Every ``NAME=value`` the job ``tag`` printed, in order."""
    start = f"[{tag}] {name}="
    return [line[len(start) :] for line in output.splitlines() if line.startswith(start)]


def _three_jobs(order: Path, meet: bool) -> str:
    """cover and lint at once (each notes its start and end in ``order``; with ``meet``,
    each waits until the other has started), then combine, which reads what cover wrote."""

    def begin(me: str, other: str) -> str:
        wait = (
            f"          for i in $(seq 100); do grep -q 'start {other}' {order} && break;"
            f" sleep 0.1; done\n          grep -q 'start {other}' {order}\n"
        )
        return f"          echo start {me} >> {order}\n" + (wait if meet else "")

    return (
        "jobs:\n"
        "  cover:\n    steps:\n"
        "      - run: |\n" + begin("cover", "lint") + "          echo WS=$GITHUB_WORKSPACE\n"
        "          echo HOME=$HOME TEMP=$RUNNER_TEMP\n"
        "          touch $HOME/mine-cover && sleep 0.5 && echo SEES=$(ls $HOME | grep mine-)\n"
        '          echo "$GITHUB_WORKSPACE/src/data.txt" > paths.txt\n'
        f"          echo end cover >> {order}\n"
        "      - uses: actions/upload-artifact@v4\n"
        "        with: {name: paths, path: '${{ github.workspace }}/paths.txt'}\n"
        "  lint:\n    steps:\n"
        "      - run: |\n" + begin("lint", "cover") + "          echo WS=$GITHUB_WORKSPACE\n"
        "          touch $HOME/mine-lint && sleep 0.5 && echo SEES=$(ls $HOME | grep mine-)\n"
        f"          echo end lint >> {order}\n"
        "  combine:\n    needs: cover\n    steps:\n"
        "      - uses: actions/download-artifact@v4\n"
        "        with: {name: paths, path: '${{ runner.temp }}/got'}\n"
        "      - run: echo WS=$GITHUB_WORKSPACE"
        " && echo READ=$(cat $(cat $RUNNER_TEMP/got/paths.txt))\n"
    )


def _project_with_data(tmp_path: Path, meet: bool) -> Path:
    root = project(tmp_path / "widgets", _three_jobs(tmp_path / "order", meet))
    (root / "src").mkdir()
    (root / "src" / "data.txt").write_text("recorded\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "data")
    return root


def test_every_job_sees_one_workspace_path_and_reads_paths_another_job_recorded(
    tmp_path: Path,
) -> None:
    private = detect().private  # as root, or where user namespaces are allowed
    root = _project_with_data(tmp_path, meet=private)
    result = ci(root, "--jobs", "3")
    assert result.returncode == 0, result.stdout + result.stderr
    spaces = {tag: _values(result.stdout, tag, "WS") for tag in ("cover", "lint", "combine")}
    (workspace,) = {one for found in spaces.values() for one in found}
    assert workspace.endswith("/work/widgets/widgets")
    home, temp = _values(result.stdout, "cover", "HOME")[0].split(" TEMP=")
    assert workspace.startswith(home + "/") and temp == f"{home}/work/_temp"
    # at the same time, at the same path, each job sees only its own files
    assert _values(result.stdout, "cover", "SEES") == ["mine-cover"]
    assert _values(result.stdout, "lint", "SEES") == ["mine-lint"]
    assert _values(result.stdout, "combine", "READ") == ["recorded"]
    if private:  # cover and lint met: they ran at the same time
        assert "each job in a private mount namespace (run in parallel)" in result.stdout
    else:
        assert "the 3 job(s) run one after another" in result.stdout
    assert not Path(home).exists()  # the run's folders are removed at its end


def test_a_system_without_mount_namespaces_runs_the_jobs_one_after_another(
    tmp_path: Path,
) -> None:
    refusing = tmp_path / "bin"
    refusing.mkdir()
    unshare = refusing / "unshare"  # as in a container without CAP_SYS_ADMIN
    unshare.write_text("#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\n")
    unshare.write_text(unshare.read_text() + "exit 1\n")
    unshare.chmod(0o755)
    root = _project_with_data(tmp_path, meet=False)
    path = f"{refusing}{os.pathsep}{os.environ['PATH']}"
    result = ci(root, "--jobs", "3", env={"PATH": path})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "; no private mount namespace here, unshare --mount" in result.stdout
    assert (
        "is not allowed here (unshare: unshare failed: Operation not permitted): "
        "the 3 job(s) run one after another"
    ) in result.stdout
    spaces = {
        one for tag in ("cover", "lint", "combine") for one in _values(result.stdout, tag, "WS")
    }
    assert len(spaces) == 1
    assert _values(result.stdout, "cover", "SEES") == ["mine-cover"]
    assert _values(result.stdout, "lint", "SEES") == ["mine-lint"]
    assert _values(result.stdout, "combine", "READ") == ["recorded"]
    order = (tmp_path / "order").read_text().split("\n")
    assert order[:4] in (
        ["start cover", "end cover", "start lint", "end lint"],
        ["start lint", "end lint", "start cover", "end cover"],
    )  # never two at once


def test_a_jobs_home_and_tmpdir_are_its_own_and_the_users_are_untouched(tmp_path: Path) -> None:
    user_home, user_temp = tmp_path / "home", tmp_path / "temp"
    user_home.mkdir()
    user_temp.mkdir()
    (user_home / ".bashrc").write_text("kept\n")
    root = project(
        tmp_path / "repo",
        "jobs:\n  writes:\n    steps:\n"
        "      - run: |\n"
        "          mkdir -p ~/.cache ~/.local/share/hatch && echo x > ~/.cache/x\n"
        "          echo y > $TMPDIR/y && echo HOME=$HOME TMP=$TMPDIR\n"
        "          python -c 'import tempfile; print(\"PYTMP=\" + tempfile.gettempdir())'\n"
        "          echo PIPCACHE=$PIP_CACHE_DIR UVCACHE=$UV_CACHE_DIR\n"
        "          cat ~/.bashrc 2>/dev/null || echo NO-BASHRC\n"
        "          mkdir -p ~/.local/bin && printf 'echo LOCAL-TOOL\\n' > ~/.local/bin/mine\n"
        "          chmod +x ~/.local/bin/mine && mine\n",
    )
    environment = {"HOME": str(user_home), "TMPDIR": str(user_temp)}
    environment["XDG_CACHE_HOME"] = str(user_home / ".cache")
    result = ci(root, env=environment)
    assert result.returncode == 0, result.stdout + result.stderr
    home, temp = _values(result.stdout, "writes", "HOME")[0].split(" TMP=")
    assert temp == f"{home}/tmp" and _values(result.stdout, "writes", "PYTMP") == [temp]
    assert not home.startswith(str(user_home))
    assert "[writes] NO-BASHRC" in result.stdout  # a fresh runner's HOME
    assert "[writes] LOCAL-TOOL" in result.stdout  # ~/.local/bin is on PATH, as on GitHub
    caches = _values(result.stdout, "writes", "PIPCACHE")[0]
    assert caches.endswith("/pip-cache UVCACHE=" + caches.split(" UVCACHE=")[1])
    assert "/work/" not in caches  # one cache for every job, not in a job's HOME
    assert sorted(p.name for p in user_home.iterdir()) == [".bashrc"]
    assert list(user_temp.iterdir()) == []
    assert not Path(home).exists()
    assert summary_row(result.stdout, "writes")[1] == "passed"


def test_a_process_that_clears_its_environment_finds_the_jobs_home(tmp_path: Path) -> None:
    # theskumar/python-dotenv's IPython tests (tests/test_ipython.py at v1.2.2) clear
    # os.environ; IPython then asks for the home directory, the user's entry in /etc/passwd,
    # and wrote ~/.ipython into the user's own home
    root = project(
        tmp_path / "repo",
        "jobs:\n  cleared:\n    steps:\n"
        "      - run: |\n"
        "          echo HOME=$HOME\n"
        '          env -i "$(command -v python)" -c '
        "\"import os; print('CLEARED=' + os.path.expanduser('~'))\"\n",
    )
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    home = _values(result.stdout, "cleared", "HOME")[0]
    if detect().private:  # without a namespace, the user's own home (the plan says so)
        assert _values(result.stdout, "cleared", "CLEARED") == [home]
