"""Run repokit on real repositories as their maintainers would, and print what it found.

For each repository given (a URL or a local path that ``git clone`` accepts), the script
clones it into a temporary folder, then runs, without any ``[tool.repokit]`` setting:

    repokit version --next auto
    repokit changelog
    repokit release --bump auto --dry-run --no-push

and prints one table row: the branch and tag format repokit inferred, the versions and the
tag it would release, the changelog's range and size, and the first error line if any.
Nothing is pushed and the clones are removed afterwards.

With ``--history N`` it replays instead the last N releases of each repository (see
release_history.py): the version ``--bump auto`` gives at the commit before each release
next to the real one, and the notes' entries found, missing and extra. ``SOURCE#FOLDER``
tries the project in that folder of a monorepo.

Usage: python scripts/try_real_repositories.py [--repokit PATH] [--depth N] [--history N]
SOURCE[#FOLDER]...
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Row:
    name: str
    branch: str = "?"
    tag_format: str = "?"
    version: str = "?"
    next_auto: str = "?"
    tag: str = "?"
    since: str = "?"
    commits: str = "?"
    entries: str = "?"
    problem: str = ""


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env_drop = ("GITHUB_TOKEN", "GH_TOKEN", "TWINE_PASSWORD")
    import os

    env = {k: v for k, v in os.environ.items() if k not in env_drop}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
        env=env,
        timeout=600,
    )


def first_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    return lines[0].removeprefix("error: ")[:90] if lines else ""


def try_one(source: str, repokit: str, top: Path, depth: int | None) -> Row:
    url, _, folder = source.partition("#")
    name = re.sub(r"(\.git)?/*$", "", url).rsplit("/", 2)
    label = "/".join(part.split("+")[-1] for part in name[-2:] if part and part != "repo")
    label += f"#{folder}" if folder else ""
    clone_to = top / re.sub(r"\W+", "-", label)
    clone = ["git", "clone", "--quiet", *(["--depth", str(depth)] if depth else []), url]
    done = run([*clone, str(clone_to)], top)
    row = Row(label)
    if done.returncode != 0:
        row.problem = f"clone failed: {done.stderr.strip()[:80]}"
        return row
    work = clone_to / folder if folder else clone_to
    version = run([repokit, "version", "--explain"], work)
    for line in version.stdout.splitlines():
        key, _, rest = line.partition(": ")
        value = rest.split("  (", 1)[0]
        if key == "branch":
            row.branch = value
        elif key == "tag format":
            row.tag_format = value
        elif key == "version":
            row.version = value
    auto = run([repokit, "version", "--next", "auto"], work)
    row.next_auto = auto.stdout.strip() or "refused"
    if auto.returncode != 0 and "nothing to release" in auto.stderr:
        row.next_auto = "nothing new"
    changelog = run([repokit, "changelog"], work)
    row.entries = str(sum(1 for line in changelog.stdout.splitlines() if line.startswith("- ")))
    bump = "auto" if auto.returncode == 0 else "patch"
    dry = run([repokit, "release", "--bump", bump, "--dry-run", "--no-push"], work)
    found = re.search(r"^release (\S+) -> (\S+), tag (\S+)$", dry.stdout, re.MULTILINE)
    if found:
        row.tag = found.group(3)
    counted = re.search(r"^(\d+) commit\(s\) since (.+)$", dry.stdout, re.MULTILINE)
    if counted:
        row.commits, row.since = counted.group(1), counted.group(2)
    row.problem = first_error(dry) or first_error(changelog) or first_error(version)
    return row


def print_table(table: Sequence[Sequence[object]]) -> None:
    """The rows of ``table`` (its header first) as columns separated by ``|``."""
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
    for row in table:
        print(" | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="repository URLs or paths to clone")
    parser.add_argument(
        "--repokit",
        default=str(Path(sys.executable).parent / "repokit"),
        help="the repokit command to try (default: the one beside this Python)",
    )
    parser.add_argument("--depth", type=int, help="make shallow clones of this depth")
    parser.add_argument("--history", type=int, help="replay the last N releases of each")
    args = parser.parse_args(argv)
    if args.history:
        return history(args.sources, args.repokit, args.history)
    top = Path(tempfile.mkdtemp(prefix="repokit-trial-"))
    rows: list[Row] = []
    try:
        for source in args.sources:
            print(f"-> {source}", file=sys.stderr, flush=True)
            rows.append(try_one(source, args.repokit, top, args.depth))
    finally:
        shutil.rmtree(top, ignore_errors=True)
    header = (
        "project",
        "branch",
        "tag format",
        "version",
        "auto",
        "tag",
        "since",
        "commits",
        "entries",
        "problem",
    )
    table = [header] + [
        (
            r.name,
            r.branch,
            r.tag_format,
            r.version,
            r.next_auto,
            r.tag,
            r.since,
            r.commits,
            r.entries,
            r.problem,
        )
        for r in rows
    ]
    print_table(table)
    return 0


def history(sources: list[str], repokit: str, count: int) -> int:
    """Replay the last ``count`` releases of each source; print one row a release."""
    from release_history import Replay, replay

    top = Path(tempfile.mkdtemp(prefix="repokit-history-"))
    rows: list[Replay] = []
    try:
        for source in sources:
            print(f"-> {source}", file=sys.stderr, flush=True)
            url, _, folder = source.partition("#")
            label = "/".join(re.sub(r"(\.git)?/*$", "", url).rsplit("/", 2)[-2:])
            label = label.split("+")[-1] if "+" in label else label
            label = re.sub(r"/repo$", "", label) + (f"#{folder}" if folder else "")
            work = top / re.sub(r"\W+", "-", label)
            if run(["git", "clone", "--quiet", url, str(work)], top).returncode != 0:
                continue
            project = work / folder if folder else work
            explained = run([repokit, "version", "--explain"], project).stdout
            values = dict(
                (key, rest.split("  (", 1)[0])
                for key, _, rest in (line.partition(": ") for line in explained.splitlines())
            )
            if "tag format" not in values:
                print(f"   cannot read {label}", file=sys.stderr)
                continue
            branch = values.get("branch", "main")
            rows += replay(
                work, project, label, values["tag format"], branch, count, [repokit], run
            )
    finally:
        shutil.rmtree(top, ignore_errors=True)
    header = ("project", "release", "real", "auto", "exact", "found", "missing", "extra", "problem")
    table = [header] + [
        (
            r.project,
            r.tag,
            r.real,
            r.auto,
            "yes" if r.exact else "NO",
            r.found,
            r.missing,
            r.extra,
            r.problem,
        )
        for r in rows
    ]
    print_table(table)
    exact = sum(r.exact for r in rows)
    print(f"\n{exact} of {len(rows)} versions exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
