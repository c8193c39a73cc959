"""Replay a repository's last releases: what repokit would have released, next to what the
maintainers released (``try_real_repositories.py --history N``).

For each of the last N release tags of the project (its tag family, as repokit infers it),
newest first: the tags made from that one on are deleted from the clone (as they did not
exist yet), the commit before the tag's commit is checked out on the release branch, and

    repokit version --next auto
    repokit release --bump auto --dry-run --no-push

run there on the day of the tag (``SOURCE_DATE_EPOCH``). The version is compared with the
tag's; the notes' entries (``- `` lines of the dry run's section) with the lines the release
commit added to the project's changelog: found (an entry of the maintainers' shares most of
its words with one of repokit's), missing and extra.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

Runner = Callable[[list[str], Path], subprocess.CompletedProcess[str]]

_CHANGELOG = re.compile(r"(?i)(^|/)(changelog|changes|history|news|release-?notes)[^/]*$")
_CHANGELOG_NAME = re.compile(
    r"(?i)(^|/)(changelog|changes|history|news|release[-_]?notes)(\.(md|rst|txt))?$"
)
_ENTRY = re.compile(r"^\s*[-*+]\s+(?P<text>\S.*)$")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class Replay:
    """One release replayed: the real version and what repokit gave."""

    project: str
    tag: str
    real: str
    auto: str
    exact: bool
    found: int = 0
    missing: int = 0
    extra: int = 0
    problem: str = ""


def family_tags(work: Path, tag_format: str, run: Runner) -> list[tuple[str, str, int]]:
    """``(tag, version, unix time)`` of the tags following ``tag_format``, newest first."""
    prefix, _, suffix = tag_format.partition("{version}")
    out = run(
        [
            "git",
            "tag",
            "--list",
            "--sort=-creatordate",
            "--format=%(refname:strip=2) %(creatordate:unix)",
        ],
        work,
    ).stdout
    found: list[tuple[str, str, int]] = []
    for line in out.splitlines():
        tag, _, when = line.rpartition(" ")
        if not tag.startswith(prefix) or not tag.endswith(suffix):
            continue
        text = tag[len(prefix) : len(tag) - len(suffix)]
        try:
            Version(text)
        except InvalidVersion:
            continue
        if text[:1].isdigit() and not Version(text).is_devrelease:  # a dev tag marks a start
            found.append((tag, text, int(when)))
    return found


def replay(
    work: Path,
    folder: Path,
    project: str,
    tag_format: str,
    branch: str,
    count: int,
    repokit: list[str],
    run: Runner,
) -> list[Replay]:
    """The last ``count`` releases of the clone ``work`` replayed (see the module); repokit
    runs in the project's ``folder``."""
    results: list[Replay] = []
    tags = family_tags(work, tag_format, run)[:count]
    commits = {
        tag: run(["git", "rev-list", "-n", "1", tag], work).stdout.strip() for tag, _, _ in tags
    }
    for tag, version, when in tags:
        commit = commits[tag]
        later = run(
            ["git", "tag", "--list", "--format=%(refname:strip=2) %(creatordate:unix)"], work
        ).stdout.split("\n")
        doomed = [
            line.rpartition(" ")[0]
            for line in later
            if line and int(line.rpartition(" ")[2]) >= when
        ]
        if doomed:
            run(["git", "tag", "-d", *doomed], work)
        run(["git", "checkout", "-q", "-f", "-B", branch, f"{commit}^"], work)
        env = {"SOURCE_DATE_EPOCH": str(when)}
        auto = _run_env(run, [*repokit, "version", "--next", "auto"], folder, env)
        got = auto.stdout.strip() or "refused"
        row = Replay(project, tag, version, got, _same(got, version))
        if auto.returncode != 0:
            row.problem = _first_error(auto.stderr)
        dry = _run_env(
            run, [*repokit, "release", "--bump", "auto", "--dry-run", "--no-push"], folder, env
        )
        if dry.returncode != 0 and not row.problem:
            row.problem = _first_error(dry.stderr)
        # the section as the tag message shows it (the changelog diff wraps entries in + lines)
        message = dry.stdout.partition("\ntag message:\n")[2].partition("\nsteps:\n")[0]
        ours = [m["text"] for m in map(_ENTRY.match, message.splitlines()) if m]
        theirs = _maintainers_entries(work, version, commit, run)
        row.found, row.missing, row.extra = compare_entries(ours, theirs)
        results.append(row)
    return results


def compare_entries(ours: list[str], theirs: list[str]) -> tuple[int, int, int]:
    """``(found, missing, extra)``: the maintainers' entries repokit has, has not, and the
    entries of repokit's that none of theirs matches."""
    mine = [_words(entry) for entry in ours]
    used: set[int] = set()
    found = 0
    for entry in theirs:
        words = _words(entry)
        match = next(
            (i for i, other in enumerate(mine) if i not in used and _close(words, other)), None
        )
        if match is not None:
            used.add(match)
            found += 1
    return found, len(theirs) - found, len(mine) - len(used)


def _maintainers_entries(work: Path, version: str, commit: str, run: Runner) -> list[str]:
    """The entries of the released version's section in the changelog at the release
    ``commit`` (the tag's, which is gone from the clone by then); when no section names the
    version, the entry lines the release commit added to its changelog."""
    for name in _changelog_files(work, commit, run):
        text = run(["git", "show", f"{commit}:{name}"], work).stdout
        section = version_section(text.splitlines(), version)
        if section is not None:
            return [m["text"] for m in map(_ENTRY.match, section) if m]
    names = run(["git", "diff", "--name-only", f"{commit}^", commit], work).stdout.split()
    files = [name for name in names if _CHANGELOG.search(name)]
    if not files:
        return []
    diff = run(["git", "diff", "-U0", f"{commit}^", commit, "--", files[0]], work).stdout
    added = [
        line[1:]
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    return [m["text"] for m in map(_ENTRY.match, added) if m]


def _changelog_files(work: Path, tag: str, run: Runner) -> list[str]:
    """The changelog-named files at ``tag`` (root first, then docs), not fragments."""
    names = run(["git", "ls-tree", "-r", "--name-only", tag], work).stdout.splitlines()
    found = [
        name
        for name in names
        if _CHANGELOG_NAME.search(name)
        and name.count("/") <= 4
        and Path(name).suffix.lower() in ("", ".md", ".rst", ".txt")
        and not re.search(r"(?i)(^|/)(changelog|changes|news)(\.d)?/", name)
    ]
    return sorted(found, key=lambda name: (name.count("/"), name))


def version_section(lines: list[str], version: str) -> list[str] | None:
    """The lines under the heading that names ``version``, up to the next version heading."""
    named = re.compile(rf"(?<![\w.]){re.escape(version)}(?![\w]|\.\d)")
    heads = [i for i, line in enumerate(lines) if _is_heading(lines, i)]
    for number, i in enumerate(heads):
        if named.search(lines[i]):
            later = [j for j in heads[number + 1 :] if _VERSIONISH.search(lines[j])]
            return lines[i + 1 : later[0] if later else len(lines)]
    return None


_VERSIONISH = re.compile(r"(?<![\w.])v?\d+\.\d+")
_UNDERLINE = re.compile(r"^([=\-~^*+#`'\"])\1{2,}\s*$")


def _is_heading(lines: list[str], i: int) -> bool:
    line = lines[i]
    if not line.strip() or _ENTRY.match(line):
        return False
    if line.startswith("#"):
        return True
    following = lines[i + 1] if i + 1 < len(lines) else ""
    return bool(_UNDERLINE.match(following)) and not _UNDERLINE.match(line)


def _words(text: str) -> set[str]:
    text = re.sub(r"\(\[?[0-9a-f]{7,40}\]?(\([^)]*\))?\)", " ", text.lower())
    return {word for word in _WORD.findall(text) if len(word) > 2}


def _close(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) * 2 >= min(len(a), len(b))


def _same(got: str, real: str) -> bool:
    try:
        return Version(got) == Version(real)
    except InvalidVersion:
        return False


def _first_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    return lines[0].removeprefix("error: ")[:90] if lines else ""


def _run_env(
    run: Runner, command: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    import os

    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return run(command, cwd)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
