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
    """The repository whose work tree holds ``root`` (its top or any folder below it)."""
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        msg = f"{root}: not inside a git repository"
        raise GitError(msg, hint="run repokit inside a git work tree ('git init' first)") from None


def work_tree(repo: git.Repo) -> Path:
    """The top folder of the repository's work tree."""
    return Path(str(repo.working_tree_dir)).resolve()


def subdir(repo: git.Repo, folder: Path) -> str | None:
    """``folder`` relative to the top of the work tree (posix); None when it is the top."""
    relative = folder.resolve().relative_to(work_tree(repo)).as_posix()
    return None if relative == "." else relative


def run_git(repo: git.Repo, *args: str) -> str:
    """Run ``git <args>`` in ``repo`` and return its stdout (stripped); GitError on failure."""
    import git

    try:
        return str(repo.git.execute(["git", *args], strip_newline_in_stdout=True))
    except git.GitCommandError as error:
        stderr = (error.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
        msg = f"git {args[0]} failed: {_main_line(stderr) or error}"
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


def log_pieces(
    repo: git.Repo,
    rev_range: str | None,
    fmt: str,
    record_start: str,
    paths: tuple[str, ...] = (),
) -> Iterator[str]:
    """The output of one ``git log --format=<fmt>`` over ``rev_range``, in pieces.

    ``fmt`` must open every record with ``record_start`` (a character no message holds, such
    as ``%x1e``); each piece holds whole records only. git writes into a temporary file, not
    a pipe: on a long history it then runs at full speed, as a bare ``git log`` does, and
    the pieces are read back in a few large reads.
    """
    import subprocess
    import tempfile

    if not has_commits(repo):
        return
    # Signatures would print among the records; the encoding is what the decoding expects.
    command = [
        "git",
        "log",
        f"--format={fmt}",
        "--no-color",
        "--no-show-signature",
        "--encoding=UTF-8",
        rev_range or "HEAD",
        *(["--", *paths] if paths else []),
    ]
    marker = record_start.encode()
    with tempfile.TemporaryFile() as output:
        done = subprocess.run(
            command, cwd=work_tree(repo), stdout=output, stderr=subprocess.PIPE, check=False
        )
        if done.returncode != 0:
            stderr = done.stderr.decode("utf-8", errors="replace")
            msg = f"git log failed: {_main_line(stderr) or f'exit {done.returncode}'}"
            raise GitError(msg, hint="see git's message above")
        output.seek(0)
        pending = b""
        while chunk := output.read(1 << 22):
            pending += chunk
            cut = pending.rfind(marker)
            if cut > 0:
                yield pending[:cut].decode("utf-8", errors="replace")
                pending = pending[cut:]
        if pending:
            yield pending.decode("utf-8", errors="replace")


# --- state and preflight -------------------------------------------------------------------


def remote_default_branch(repo: git.Repo, remote: str) -> str | None:
    """The branch ``remote``'s HEAD points at: the local ``refs/remotes/<remote>/HEAD``, else
    ``git ls-remote --symref``; None when neither says (no such remote, unreachable)."""
    import git

    try:
        out = repo.git.execute(["git", "symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD"])
        ref = str(out).strip()
        if ref.startswith(f"refs/remotes/{remote}/"):
            return ref.removeprefix(f"refs/remotes/{remote}/")
    except git.GitCommandError:
        pass
    if remote_url(repo, remote) is None:
        return None
    try:
        out = repo.git.execute(
            ["git", "ls-remote", "--symref", remote, "HEAD"],
            env={"GIT_TERMINAL_PROMPT": "0"},
        )
    except git.GitCommandError:
        return None
    for line in str(out).splitlines():
        if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
            return line.removeprefix("ref: refs/heads/").removesuffix("\tHEAD")
    return None


def tags_by_date(repo: git.Repo, *, merged: bool) -> list[str]:
    """Every tag, the most recently made (or committed, for a lightweight tag) first.

    With ``merged`` only the tags whose commit HEAD contains.
    """
    if not has_commits(repo):
        return []
    args = ["tag", "--list", "--sort=-creatordate", "--format=%(refname:strip=2)"]
    if merged:
        args.append("--merged=HEAD")
    return run_git(repo, *args).splitlines()


def tag_dates(repo: git.Repo) -> list[tuple[str, str]]:
    """(tag, YYYY-MM-DD of its making) of every tag, the most recent first."""
    out = run_git(
        repo,
        "for-each-ref",
        "refs/tags",
        "--sort=-creatordate",
        "--format=%(refname:strip=2)%09%(creatordate:short)",
    )
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if "\t" in line]  # type: ignore[misc]


def is_shallow(repo: git.Repo) -> bool:
    """Whether the clone holds only part of the history (``git clone --depth``)."""
    return run_git(repo, "rev-parse", "--is-shallow-repository") == "true"


def unshallow(repo: git.Repo, remote: str) -> None:
    """Fetch the rest of the history (and the tags) from ``remote``."""
    run_git(repo, "fetch", "--quiet", "--unshallow", "--tags", remote)


def head_sha(repo: git.Repo) -> str | None:
    return resolve_commit(repo, "HEAD")


def current_branch(repo: git.Repo) -> str | None:
    """The branch HEAD is on, or None when HEAD is detached."""
    import git

    try:
        out = repo.git.execute(["git", "symbolic-ref", "--quiet", "--short", "HEAD"])
    except git.GitCommandError:
        return None
    return str(out).strip() or None


def uncommitted(repo: git.Repo) -> list[str]:
    """Paths with changes not committed, untracked files included and ignored ones not."""
    out = run_git(repo, "status", "--porcelain", "--untracked-files=all")
    return [line[3:] for line in out.splitlines() if line.strip()]


def fetch_branch(repo: git.Repo, remote: str, branch: str) -> bool:
    """Fetch ``branch`` from ``remote`` into its tracking ref; False when the remote lacks it."""
    import git

    refspec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
    try:
        repo.git.execute(["git", "fetch", "--quiet", "--no-tags", remote, refspec])
    except git.GitCommandError as error:
        stderr = (error.stderr or "").strip()
        if "couldn't find remote ref" in stderr:
            return False
        msg = f"cannot fetch {branch} from {remote}: {_first_line(stderr) or error}"
        raise GitError(msg, hint=f"check that the remote '{remote}' is reachable") from None
    return True


def ahead_behind(repo: git.Repo, local: str, upstream: str) -> tuple[int, int]:
    """How many commits ``local`` has that ``upstream`` lacks, and the other way round."""
    out = run_git(repo, "rev-list", "--left-right", "--count", f"{local}...{upstream}")
    ahead, behind = out.split()
    return int(ahead), int(behind)


def tag_exists(repo: git.Repo, tag: str) -> bool:
    return resolve_commit(repo, f"refs/tags/{tag}") is not None


def remote_tag_exists(repo: git.Repo, remote: str, tag: str) -> bool:
    import git

    try:
        out = repo.git.execute(["git", "ls-remote", "--tags", remote, f"refs/tags/{tag}"])
    except git.GitCommandError as error:
        msg = f"cannot list the tags of {remote}: {_first_line(error.stderr or '') or error}"
        raise GitError(msg, hint=f"check that the remote '{remote}' is reachable") from None
    return bool(str(out).strip())


def commits_between(repo: git.Repo, since: str | None, paths: tuple[str, ...] = ()) -> int:
    """The number of commits in ``since..HEAD`` (all of HEAD's history when None) that
    touch ``paths`` (any commit when empty)."""
    if not has_commits(repo):
        return 0
    pathspec = ["--", *paths] if paths else []
    rev = f"{since}..HEAD" if since else "HEAD"
    return int(run_git(repo, "rev-list", "--count", rev, *pathspec))


# --- changes, each with its undo -----------------------------------------------------------


def commit_paths(repo: git.Repo, paths: list[str], message: str, *, sign: bool) -> str:
    """Stage ``paths`` and commit them with ``message``; the new commit's hash."""
    run_git(repo, "add", "--", *paths)
    args = ["commit", "--quiet", "--cleanup=verbatim", "-m", message]
    if sign:
        args.append("--gpg-sign")
    run_git(repo, *args, "--", *paths)
    return run_git(repo, "rev-parse", "HEAD")


def reset_mixed(repo: git.Repo, sha: str) -> None:
    """Move the branch back to ``sha`` and reset the index to it; the files stay as they are."""
    run_git(repo, "reset", "--quiet", "--mixed", sha)


def create_tag(repo: git.Repo, tag: str, message: str, *, sign: bool) -> None:
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


def delete_tag(repo: git.Repo, tag: str) -> None:
    run_git(repo, "tag", "--delete", tag)


def push_atomic(repo: git.Repo, remote: str, branch: str, tag: str) -> None:
    """Push ``branch`` and ``tag`` in one atomic push: both arrive, or neither does."""
    import git

    refs = [f"refs/heads/{branch}:refs/heads/{branch}", f"refs/tags/{tag}:refs/tags/{tag}"]
    try:
        repo.git.execute(["git", "push", "--atomic", "--quiet", remote, *refs])
    except git.GitCommandError as error:
        stderr = (error.stderr or "").strip().removeprefix("stderr:").strip().strip("'")
        reason = _push_reason(stderr) or str(error)
        msg = f"{remote} refused the push: {reason}"
        raise GitError(msg, hint="nothing was pushed; fix the cause and release again") from None


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


def tracked_files(repo: git.Repo, under: str | None = None) -> list[str]:
    """Every path git tracks (as the index has them), relative to the top of the work tree;
    with ``under`` (a folder relative to the top) the paths in it, relative to that folder."""
    if under is None:
        out = run_git(repo, "ls-files", "-z", "--cached")
        return [path for path in out.split("\0") if path]
    out = run_git(repo, "ls-files", "-z", "--cached", "--", under)
    prefix = under.rstrip("/") + "/"
    return [path.removeprefix(prefix) for path in out.split("\0") if path.startswith(prefix)]
