"""The git adapter: small functions that run ``git`` and return parsed values.

Everything repokit does to a repository goes through here, one ``git`` process per call
(plain :mod:`subprocess`: no git library to import, so commands start fast). Messages are
asked in English (``LC_ALL=C``), as the few that are read for their meaning expect.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from repokit.errors import GitError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

#: How much of git's output one read takes; the pipe is widened to it where Linux allows.
_READ_SIZE = 1 << 20


@dataclass(frozen=True)
class Repo:
    """A git work tree: the folder its commands run in."""

    root: Path


@dataclass(frozen=True)
class _Done:
    """What one git command left: its exit status and its output, decoded."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}
    if extra:
        env.update(extra)
    return env


def _git(repo: Repo | Path, *args: str, env: Mapping[str, str] | None = None) -> _Done:
    """Run ``git <args>`` in ``repo`` (a repository or a folder) and wait for it."""
    cwd = repo.root if isinstance(repo, Repo) else repo
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=_environment(env),
        check=False,
    )
    out = done.stdout.decode("utf-8", errors="replace")
    return _Done(done.returncode, out, done.stderr.decode("utf-8", errors="replace"))


def open_repo(root: Path | str) -> Repo:
    """The repository whose work tree holds ``root`` (its top or any folder below it)."""
    try:
        done = _git(Path(root), "rev-parse", "--show-toplevel")
    except OSError:  # the folder does not exist
        done = _Done(128, "", "")
    top = done.stdout.strip()
    if not done.ok or not top:
        msg = f"{root}: not inside a git repository"
        raise GitError(msg, hint="run repokit inside a git work tree ('git init' first)")
    return Repo(Path(top).resolve())


def work_tree(repo: Repo) -> Path:
    """The top folder of the repository's work tree."""
    return repo.root


def subdir(repo: Repo, folder: Path) -> str | None:
    """``folder`` relative to the top of the work tree (posix); None when it is the top."""
    relative = folder.resolve().relative_to(work_tree(repo)).as_posix()
    return None if relative == "." else relative


def run_git(repo: Repo, *args: str) -> str:
    """Run ``git <args>`` in ``repo`` and return its stdout (stripped); GitError on failure."""
    return _checked(_git(repo, *args), args)


def _checked(done: _Done, args: Sequence[str]) -> str:
    """The stdout of the finished ``git <args>`` (its last newline off); GitError on failure."""
    if not done.ok:
        msg = f"git {args[0]} failed: {_main_line(done.stderr) or f'exit {done.returncode}'}"
        raise GitError(msg, hint="see git's message above")
    return done.stdout.removesuffix("\n")


def has_commits(repo: Repo) -> bool:
    return _git(repo, "rev-parse", "--verify", "--quiet", "HEAD").ok


def _stripped(done: _Done) -> str | None:
    """The command's output, stripped, when it succeeded and printed something."""
    return (done.stdout.strip() or None) if done.ok else None


def resolve_commit(repo: Repo, ref: str) -> str | None:
    """The full hash of the commit ``ref`` names, or None when it names no commit."""
    return _stripped(_git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"))


def remote_url(repo: Repo, remote: str) -> str | None:
    """The fetch URL of ``remote`` as configured, or None when there is no such remote."""
    return _stripped(_git(repo, "remote", "get-url", remote))


def log_pieces(
    repo: Repo,
    rev_range: str | None,
    fmt: str,
    record_start: str,
    paths: tuple[str, ...] = (),
    *,
    no_merges: bool = False,
    max_count: int | None = None,
) -> Iterator[str]:
    """The output of ``git log --format=<fmt>`` over ``rev_range``, in pieces.

    ``fmt`` must open every record with ``record_start`` (a character no message holds, such
    as ``%x1e``); each piece holds whole records only. The pieces come while git is still
    writing (a wide pipe read as it fills), so that the caller's parsing runs beside git
    rather than after it. ``no_merges`` leaves merge commits out (git's ``--no-merges``);
    ``max_count`` keeps the newest commits only (``--max-count``).
    In a repository without commits there are no pieces.

    git's plumbing ``rev-list`` prints the same bytes as ``log`` about a tenth faster: it
    reads no ``log.*`` settings (signatures, decorations) and sets up no diff or pager.
    """
    # The encoding is what the decoding expects; no "commit <hash>" line opens a record.
    command = [
        "git",
        "rev-list",
        "--no-commit-header",
        f"--format={fmt}",
        "--encoding=UTF-8",
        *(["--no-merges"] if no_merges else []),
        *([f"--max-count={max_count}"] if max_count is not None else []),
        rev_range or "HEAD",
        *(["--", *paths] if paths else []),
    ]
    try:
        yield from _stream(repo, command, record_start.encode())
    except GitError:
        # Asked only when git fails (it has no HEAD to start from): one call less each time.
        if has_commits(repo):
            raise


def _stream(repo: Repo, command: list[str], marker: bytes) -> Iterator[str]:
    """Run ``command``, yielding its stdout cut after the last ``marker`` of each read."""
    import tempfile

    with tempfile.TemporaryFile() as errors:
        git = subprocess.Popen(
            command,
            cwd=repo.root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            # Fully buffered output: into a pipe git would otherwise flush every record.
            env=_environment({"GIT_FLUSH": "0"}),
        )
        assert git.stdout is not None
        try:
            fd = git.stdout.fileno()
            _widen_pipe(fd)
            pending = b""
            while chunk := os.read(fd, _READ_SIZE):
                pending += chunk
                cut = pending.rfind(marker)
                if cut > 0:
                    yield pending[:cut].decode("utf-8", errors="replace")
                    pending = pending[cut:]
            if git.wait() != 0:
                errors.seek(0)
                stderr = errors.read().decode("utf-8", errors="replace")
                msg = f"git log failed: {_main_line(stderr) or f'exit {git.returncode}'}"
                raise GitError(msg, hint="see git's message above")
            if pending:
                yield pending.decode("utf-8", errors="replace")
        finally:
            git.stdout.close()
            if git.poll() is None:  # the reader stopped early: git need not finish
                git.kill()
                git.wait()


def _widen_pipe(fd: int) -> None:
    """Let git write a large piece before it waits for the reader (Linux only)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _READ_SIZE)
    except (ImportError, AttributeError, OSError):  # another system, or a lower limit
        pass


# --- state and preflight -------------------------------------------------------------------


def remote_default_branch(repo: Repo, remote: str) -> str | None:
    """The branch ``remote``'s HEAD points at: the local ``refs/remotes/<remote>/HEAD``, else
    ``git ls-remote --symref``; None when neither says (no such remote, unreachable)."""
    ref = _stripped(_git(repo, "symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD")) or ""
    if ref.startswith(f"refs/remotes/{remote}/"):
        return ref.removeprefix(f"refs/remotes/{remote}/")
    if remote_url(repo, remote) is None:
        return None
    listed = _git(repo, "ls-remote", "--symref", remote, "HEAD", env={"GIT_TERMINAL_PROMPT": "0"})
    if not listed.ok:
        return None
    for line in listed.stdout.splitlines():
        if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
            return line.removeprefix("ref: refs/heads/").removesuffix("\tHEAD")
    return None


def tags_by_date(repo: Repo, *, merged: bool) -> list[str]:
    """Every tag, the most recently made (or committed, for a lightweight tag) first.

    With ``merged`` only the tags whose commit HEAD contains. No tags before the first commit.
    """
    args = ["tag", "--list", "--sort=-creatordate", "--format=%(refname:strip=2)"]
    if not merged:
        return run_git(repo, *args).splitlines() if has_commits(repo) else []
    done = _git(repo, *args, "--merged=HEAD")
    if not done.ok and not has_commits(repo):  # asked only when git fails: no HEAD yet
        return []
    return _checked(done, args).splitlines()


def tag_dates(repo: Repo) -> list[tuple[str, str]]:
    """(tag, YYYY-MM-DD of its making) of every tag, the most recent first."""
    out = run_git(
        repo,
        "for-each-ref",
        "refs/tags",
        "--sort=-creatordate",
        "--format=%(refname:strip=2)%09%(creatordate:short)",
    )
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if "\t" in line]  # type: ignore[misc]


def is_shallow(repo: Repo) -> bool:
    """Whether the clone holds only part of the history (``git clone --depth``)."""
    return run_git(repo, "rev-parse", "--is-shallow-repository") == "true"


def unshallow(repo: Repo, remote: str) -> None:
    """Fetch the rest of the history (and the tags) from ``remote``."""
    run_git(repo, "fetch", "--quiet", "--unshallow", "--tags", remote)


def head_sha(repo: Repo) -> str | None:
    return resolve_commit(repo, "HEAD")


def head_commit_time(repo: Repo) -> str | None:
    """The commit time of HEAD in seconds since the epoch (``SOURCE_DATE_EPOCH``), or None."""
    return _stripped(_git(repo, "log", "-1", "--pretty=%ct"))


def current_branch(repo: Repo) -> str | None:
    """The branch HEAD is on, or None when HEAD is detached."""
    return _stripped(_git(repo, "symbolic-ref", "--quiet", "--short", "HEAD"))


def uncommitted(repo: Repo) -> list[str]:
    """Paths with changes not committed, untracked files included and ignored ones not."""
    out = run_git(repo, "status", "--porcelain", "--untracked-files=all")
    return [line[3:] for line in out.splitlines() if line.strip()]


def fetch_branch(repo: Repo, remote: str, branch: str) -> bool:
    """Fetch ``branch`` from ``remote`` into its tracking ref; False when the remote lacks it."""
    refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    done = _git(repo, "fetch", "--quiet", "--no-tags", remote, refspec)
    if done.ok:
        return True
    stderr = done.stderr.strip()
    if "couldn't find remote ref" in stderr:
        return False
    msg = f"cannot fetch {branch} from {remote}: {_first_line(stderr) or f'exit {done.returncode}'}"
    raise GitError(msg, hint=f"check that the remote '{remote}' is reachable")


def ahead_behind(repo: Repo, local: str, upstream: str) -> tuple[int, int]:
    """How many commits ``local`` has that ``upstream`` lacks, and the other way round."""
    out = run_git(repo, "rev-list", "--left-right", "--count", f"{local}...{upstream}")
    ahead, behind = out.split()
    return int(ahead), int(behind)


def tag_exists(repo: Repo, tag: str) -> bool:
    return resolve_commit(repo, f"refs/tags/{tag}") is not None


def contains(repo: Repo, ref: str, head: str = "HEAD") -> bool:
    """Whether ``head``'s history contains the commit ``ref`` names."""
    return _git(repo, "merge-base", "--is-ancestor", f"{ref}^{{commit}}", head).ok


def commit_line(repo: Repo, ref: str) -> str:
    """``<short hash> <subject>`` of the commit ``ref`` names."""
    return run_git(repo, "log", "-1", "--format=%h %s", f"{ref}^{{commit}}").strip()


def remote_tag_exists(repo: Repo, remote: str, tag: str) -> bool:
    done = _git(repo, "ls-remote", "--tags", remote, f"refs/tags/{tag}")
    if not done.ok:
        reason = _first_line(done.stderr) or f"exit {done.returncode}"
        msg = f"cannot list the tags of {remote}: {reason}"
        raise GitError(msg, hint=f"check that the remote '{remote}' is reachable")
    return bool(done.stdout.strip())


def commits_between(repo: Repo, since: str | None, paths: tuple[str, ...] = ()) -> int:
    """The number of commits in ``since..HEAD`` (all of HEAD's history when None) that
    touch ``paths`` (any commit when empty)."""
    if not has_commits(repo):
        return 0
    pathspec = ["--", *paths] if paths else []
    rev = f"{since}..HEAD" if since else "HEAD"
    return int(run_git(repo, "rev-list", "--count", rev, *pathspec))


# --- changes, each with its undo -----------------------------------------------------------


def commit_paths(repo: Repo, paths: list[str], message: str, *, sign: bool) -> str:
    """Stage ``paths`` and commit them with ``message``; the new commit's hash."""
    run_git(repo, "add", "--", *paths)
    args = ["commit", "--quiet", "--cleanup=verbatim", "-m", message]
    if sign:
        args.append("--gpg-sign")
    run_git(repo, *args, "--", *paths)
    return run_git(repo, "rev-parse", "HEAD")


def reset_mixed(repo: Repo, sha: str) -> None:
    """Move the branch back to ``sha`` and reset the index to it; the files stay as they are."""
    run_git(repo, "reset", "--quiet", "--mixed", sha)


def create_tag(repo: Repo, tag: str, message: str, *, sign: bool) -> None:
    """An annotated (or signed) tag on HEAD whose message is ``message``, kept verbatim."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as file:
        file.write(message)
    try:
        run_git(
            repo,
            "tag",
            "--sign" if sign else "--annotate",
            "--cleanup=verbatim",
            "--file",
            file.name,
            tag,
        )
    finally:
        Path(file.name).unlink(missing_ok=True)


def delete_tag(repo: Repo, tag: str) -> None:
    run_git(repo, "tag", "--delete", tag)


def push_atomic(repo: Repo, remote: str, branch: str, tag: str) -> None:
    """Push ``branch`` and ``tag`` in one atomic push: both arrive, or neither does."""
    refs = [f"refs/heads/{branch}:refs/heads/{branch}", f"refs/tags/{tag}:refs/tags/{tag}"]
    done = _git(repo, "push", "--atomic", "--quiet", remote, *refs)
    if not done.ok:
        reason = _push_reason(done.stderr.strip()) or f"exit {done.returncode}"
        msg = f"{remote} refused the push: {reason}"
        raise GitError(msg, hint="nothing was pushed; fix the cause and release again")


def _push_reason(stderr: str) -> str:
    """Git's per-ref verdict (`` ! [remote rejected] ... (why)``) and what the remote said."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    verdicts = [line.lstrip("! ").strip() for line in lines if line.startswith("!")]
    said = [line.removeprefix("remote:").strip() for line in lines if line.startswith("remote:")]
    reason = "; ".join(verdicts) or (lines[-1] if lines else "")
    said = [part for part in said if part]
    return f"{reason} (remote: {' '.join(said)})" if said else reason


def _main_line(text: str) -> str:
    """The line of git's message that says what went wrong (its first ``fatal:``)."""
    lines = [line.strip().strip("'") for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else ""


def _first_line(text: str) -> str:
    for line in text.replace("stderr:", "").splitlines():
        line = line.strip().strip("'")
        if line:
            return line
    return ""


def tracked_files(repo: Repo, under: str | None = None) -> list[str]:
    """Every path git tracks (as the index has them), relative to the top of the work tree;
    with ``under`` (a folder relative to the top) the paths in it, relative to that folder."""
    if under is None:
        out = run_git(repo, "ls-files", "-z", "--cached")
        return [path for path in out.split("\0") if path]
    out = run_git(repo, "ls-files", "-z", "--cached", "--", under)
    prefix = under.rstrip("/") + "/"
    return [path.removeprefix(prefix) for path in out.split("\0") if path.startswith(prefix)]
