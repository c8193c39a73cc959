"""``repokit changelog`` on real repositories: what it prints and the bytes ``--write`` leaves."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from repokit.config import load
from repokit.errors import GitError
from repokit.gitrepo import open_repo
from repokit.release.changelog import changelog_edit, read_commits, section
from repokit.release.conventional import split_message
from repokit.testing.sandbox import Sandbox

REPOKIT = Path(sys.executable).parent / "repokit"
#: 2024-05-01 00:00 UTC: the day every dated section of these tests carries.
EPOCH = "1714521600"
HEADER = (
    "# Changelog\n"
    "\n"
    "All notable changes to this project are documented in this file.\n"
    "\n"
    "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n"
    "\n"
)


def repokit(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [str(REPOKIT), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def short(sandbox: Sandbox, rev: str) -> str:
    return sandbox.git("rev-parse", rev)[:7]


def unreleased_section(sandbox: Sandbox) -> str:
    """The section the default sandbox history (four commits after v0.1.0) gives."""
    return (
        "## [Unreleased]\n"
        "\n"
        "### Features\n"
        "\n"
        f"- **cli:** add a command line entry point ({short(sandbox, 'HEAD')})\n"
        f"- greet people by name ({short(sandbox, 'HEAD~3')})\n"
        "\n"
        "### Bug fixes\n"
        "\n"
        f"- **greet:** trim spaces around the name ({short(sandbox, 'HEAD~2')})\n"
        "\n"
        "### Documentation\n"
        "\n"
        f"- explain how to install ({short(sandbox, 'HEAD~1')})\n"
    )


def test_prints_the_changes_since_the_last_release(sandbox: Sandbox) -> None:
    result = repokit(sandbox.work, "changelog")

    assert result.returncode == 0, result.stderr
    assert result.stdout == unreleased_section(sandbox)


def test_first_release_covers_the_whole_history_under_the_current_version(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(tag_initial=False)

    result = repokit(sandbox.work, "changelog")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "## [0.1.0] - 2024-05-01\n"
        "\n"
        "### Features\n"
        "\n"
        f"- **cli:** add a command line entry point ({short(sandbox, 'HEAD')})\n"
        f"- greet people by name ({short(sandbox, 'HEAD~3')})\n"
        "\n"
        "### Bug fixes\n"
        "\n"
        f"- **greet:** trim spaces around the name ({short(sandbox, 'HEAD~2')})\n"
        "\n"
        "### Documentation\n"
        "\n"
        f"- explain how to install ({short(sandbox, 'HEAD~1')})\n"
    )


def test_write_creates_the_changelog_once(sandbox: Sandbox) -> None:
    path = sandbox.work / "CHANGELOG.md"

    first = repokit(sandbox.work, "changelog", "--write")
    written = path.read_bytes()
    second = repokit(sandbox.work, "changelog", "--write")

    assert first.returncode == 0, first.stderr
    assert first.stdout == "CHANGELOG.md: added the section [Unreleased]\n"
    assert written == (HEADER + unreleased_section(sandbox)).encode()
    assert second.returncode == 0, second.stderr
    assert second.stdout == "CHANGELOG.md: already has a section [Unreleased]; nothing written\n"
    assert path.read_bytes() == written


def test_write_keeps_a_hand_written_crlf_changelog_byte_for_byte(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(tag_initial=False)
    hand_written = (
        b"# History of demo-greeter\r\n"
        b"\r\n"
        b"Written by hand; trailing spaces stay.  \r\n"
        b"\r\n"
        b"## [0.0.9] - 2023-12-24\r\n"
        b"\r\n"
        b"* A pre-release nobody used\r\n"
    )
    (sandbox.work / "CHANGELOG.md").write_bytes(hand_written)

    result = repokit(sandbox.work, "changelog", "--write")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "CHANGELOG.md: added the section [0.1.0]\n"
    section = repokit(sandbox.work, "changelog").stdout.replace("\n- ", "\n* ")  # its bullets
    intro, _, releases = hand_written.partition(b"## [0.0.9]")
    expected = intro + section.replace("\n", "\r\n").encode() + b"\r\n## [0.0.9]" + releases
    assert (sandbox.work / "CHANGELOG.md").read_bytes() == expected


def test_github_remote_links_commits_and_the_comparison(sandbox: Sandbox) -> None:
    sandbox.git("remote", "set-url", "origin", "git@github.com:octo/demo-greeter.git")
    page = "https://github.com/octo/demo-greeter"
    head = sandbox.git("rev-parse", "HEAD")

    result = repokit(sandbox.work, "changelog")

    assert result.returncode == 0, result.stderr
    assert f"- **cli:** add a command line entry point ([{head[:7]}]({page}/commit/{head}))\n" in (
        result.stdout
    )
    assert result.stdout.endswith(f"\n\n[Unreleased]: {page}/compare/v0.1.0...HEAD\n")


def test_since_picks_the_start(sandbox: Sandbox) -> None:
    result = repokit(sandbox.work, "changelog", "--since", "HEAD~2")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "## [Unreleased]\n"
        "\n"
        "### Features\n"
        "\n"
        f"- **cli:** add a command line entry point ({short(sandbox, 'HEAD')})\n"
        "\n"
        "### Documentation\n"
        "\n"
        f"- explain how to install ({short(sandbox, 'HEAD~1')})\n"
    )


def test_unknown_since_is_a_usage_error(sandbox: Sandbox) -> None:
    result = repokit(sandbox.work, "changelog", "--since", "v9.9.9")

    assert result.returncode == 2
    assert "error: --since v9.9.9: no such commit, tag or branch" in result.stderr
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr


def test_merges_and_release_commits_are_left_out(sandbox: Sandbox) -> None:
    sandbox.git("checkout", "-q", "-b", "topic")
    topic = sandbox.commit("feat(topic): work on a branch", {"topic.txt": "topic\n"})
    sandbox.git("checkout", "-q", "main")
    main = sandbox.commit("fix: meanwhile on main", {"main.txt": "main\n"})
    sandbox.git("merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic")
    sandbox.commit("chore: bump version to 0.2.0")

    commits = read_commits(open_repo(sandbox.work), "v0.1.0")

    subjects = [commit.subject for commit in commits]
    assert "Merge branch 'topic'" not in subjects
    assert "chore: bump version to 0.2.0" not in subjects
    assert {topic, main} <= {commit.sha for commit in commits}
    assert len(commits) == 6


def test_release_commits_follow_the_configured_template(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(pyproject_extra='commit_message = "release: {version} [skip ci]"\n')
    sandbox.commit("release: 0.2.0 [skip ci]")
    sandbox.commit("fix: show the release: 0.2.0 notes in full")

    result = repokit(sandbox.work, "changelog")

    assert result.returncode == 0, result.stderr
    assert "release: 0.2.0 [skip ci]" not in result.stdout
    assert "- show the release: 0.2.0 notes in full (" in result.stdout


def test_release_plan_edit_adds_the_dated_section_without_touching_the_disk(
    sandbox: Sandbox,
) -> None:
    sandbox.git("remote", "set-url", "origin", "https://github.com/octo/demo-greeter.git")
    config = load(sandbox.work)

    repo = open_repo(sandbox.work)
    rendered = section(config, repo, "0.2.0", "2024-05-02", "v0.1.0", "v0.2.0")
    edit = changelog_edit(config, "0.2.0", rendered)

    assert edit.path == sandbox.work / "CHANGELOG.md"
    assert edit.before is None
    text = edit.after.decode()
    assert text.startswith(HEADER + "## [0.2.0] - 2024-05-02\n\n### Features\n")
    assert text.endswith(
        "\n\n[0.2.0]: https://github.com/octo/demo-greeter/compare/v0.1.0...v0.2.0\n"
    )
    assert not edit.path.exists()


def test_a_changelog_that_is_not_utf8_is_refused(sandbox: Sandbox) -> None:
    original = b"# Changelog\n\n## 0.1.0\n\n- caf\xe9\n"
    (sandbox.work / "CHANGELOG.md").write_bytes(original)

    result = repokit(sandbox.work, "changelog", "--write")

    assert result.returncode == 1
    assert "error: " in result.stderr
    assert "CHANGELOG.md: not UTF-8 text" in result.stderr
    assert "hint: save the changelog as UTF-8" in result.stderr
    assert (sandbox.work / "CHANGELOG.md").read_bytes() == original


def test_outside_a_git_repository_it_says_so(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n')

    result = repokit(tmp_path, "changelog")

    assert result.returncode == 1
    assert "not inside a git repository" in result.stderr
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr


def test_a_repository_without_commits_has_no_notable_changes(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.1.0"\n')

    result = repokit(tmp_path, "changelog")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "## [0.1.0] - 2024-05-01\n\nNo notable changes.\n"
    assert read_commits(open_repo(tmp_path), None) == []


def test_a_range_git_cannot_read_raises_a_git_error(sandbox: Sandbox) -> None:
    with pytest.raises(GitError, match=r"^git log failed: .*no-such-tag"):
        read_commits(open_repo(sandbox.work), "no-such-tag")


def test_messages_keep_their_text_whatever_the_log_settings(sandbox: Sandbox) -> None:
    sandbox.git("config", "log.showSignature", "true")
    sandbox.git("config", "i18n.logOutputEncoding", "ISO-8859-1")
    sha = sandbox.commit(
        "feat(i18n): grüße auf Deutsch",
        {"de.txt": "hallo\n"},
    )

    commits = read_commits(open_repo(sandbox.work), "HEAD~1")

    assert [(commit.sha, commit.description) for commit in commits] == [(sha, "grüße auf Deutsch")]


@pytest.mark.parametrize(
    "message",
    [
        "fix: one line",
        "fix: subject\n\nBody line.\n\nFooter: x",
        "\n\nfix: after blank lines\n\nbody",
        "fix: a subject\nover two lines\n\nBody.",
        "fix: trailing spaces  \t\n\n  \n\t\n  Indented body.\n",
        "fix: crlf\r\n\r\nBody.\r\n",
        "fix: no blank line\nbefore the body",
    ],
)
def test_messages_are_cut_as_git_cuts_them(sandbox: Sandbox, message: str) -> None:
    sandbox.write({"changes.txt": message})
    sandbox.git("add", "-A")
    sandbox.git("commit", "-q", "--no-verify", "--cleanup=verbatim", "-m", message)
    raw, git_subject, git_body = _log_head(sandbox.work, "%B%x00%s%x00%b").split("\0")

    subject, body = split_message(raw)

    assert subject == git_subject
    assert body == git_body


def _log_head(work: Path, fmt: str) -> str:
    """``git log -1 --format=<fmt>`` byte for byte (no newline translation, no stripping)."""
    out = subprocess.run(
        ["git", "log", "-1", f"--format={fmt}"], cwd=work, capture_output=True, check=True
    ).stdout
    return out.decode().removesuffix("\n")
