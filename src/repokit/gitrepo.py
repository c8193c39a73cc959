"""The git adapter: small functions over GitPython that return parsed values.

Everything repokit does to a repository goes through here. Commands run through
GitPython's command wrapper (one ``git`` process per call), never object by object,
so that long histories stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from repokit.errors import GitError

if TYPE_CHECKING:
    from collections.abc import Iterator

    import git


def open_repo(root: Path | str) -> git.Repo:
    """The repository whose work tree is ``root``, or a GitError saying it is not one."""
    import git

    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        msg = f"{root}: not a git repository"
        raise GitError(
            msg, hint="run repokit at the top of a git work tree ('git init' first)"
        ) from None


def run_git(repo: git.Repo, *args: str) -> str:
    """Run ``git <args>`` in ``repo`` and return its stdout (stripped); GitError on failure."""
    import git

    try:
        return str(repo.git.execute(["git", *args], strip_newline_in_stdout=True))
    except git.GitCommandError as error:
        stderr = (error.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
        msg = f"git {args[0]} failed: {stderr or error}"
        raise GitError(msg, hint="see git's message above") from None


def log_text(repo: git.Repo, rev_range: str | None, fmt: str) -> str:
    """The raw output of one ``git log --format=<fmt>`` over ``rev_range`` (all of HEAD if None)."""
    args = ["log", f"--format={fmt}", "--no-color"]
    args.append(rev_range or "HEAD")
    if not has_commits(repo):
        return ""
    return run_git(repo, *args)


def has_commits(repo: git.Repo) -> bool:
    try:
        repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "HEAD"])
    except Exception:  # any failure here means there is no HEAD yet
        return False
    return True


def last_tag(repo: git.Repo, glob: str, rev: str = "HEAD") -> str | None:
    """The nearest tag matching ``glob`` reachable from ``rev``; None before the first release."""
    import git

    if not has_commits(repo):
        return None
    try:
        out = repo.git.execute(["git", "describe", "--tags", "--abbrev=0", "--match", glob, rev])
    except git.GitCommandError:
        return None
    return str(out).strip() or None


def resolve_commit(repo: git.Repo, ref: str) -> str | None:
    """The full hash of the commit ``ref`` names, or None when it names no commit."""
    import git

    try:
        out = repo.git.execute(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
    except git.GitCommandError:
        return None
    return str(out).strip() or None


def remote_url(repo: git.Repo, remote: str) -> str | None:
    """The fetch URL of ``remote`` as configured, or None when there is no such remote."""
    import git

    try:
        out = repo.git.execute(["git", "remote", "get-url", remote])
    except git.GitCommandError:
        return None
    return str(out).strip() or None


def log_pieces(repo: git.Repo, rev_range: str | None, fmt: str, record_start: str) -> Iterator[str]:
    """The output of one ``git log --format=<fmt>`` over ``rev_range``, read as git writes it.

    ``fmt`` must open every record with ``record_start`` (a character no message holds, such
    as ``%x1e``). Each piece holds whole records only, so the caller can parse the history
    while git is still walking it: on a long history the parsing then costs next to no time.
    """
    import os

    import git

    if not has_commits(repo):
        return
    # Signatures would print among the records; the encoding is what the decoding expects.
    args = [
        "git",
        "log",
        f"--format={fmt}",
        "--no-color",
        "--no-show-signature",
        "--encoding=UTF-8",
    ]
    process = repo.git.execute([*args, rev_range or "HEAD"], as_process=True)
    stdout = process.proc.stdout if process.proc is not None else None
    if stdout is None:  # pragma: no cover - GitPython always pipes stdout
        msg = "git log failed: no output stream"
        raise GitError(msg, hint="check that git runs in this repository")
    marker = record_start.encode()
    pending = b""
    while chunk := os.read(stdout.fileno(), 1 << 20):
        pending += chunk
        cut = pending.rfind(marker)
        if cut > 0:
            yield pending[:cut].decode("utf-8", errors="replace")
            pending = pending[cut:]
    try:
        process.wait()
    except git.GitCommandError as error:
        stderr = (error.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
        msg = f"git log failed: {stderr or error}"
        raise GitError(msg, hint="see git's message above") from None
    if pending:
        yield pending.decode("utf-8", errors="replace")
