"""The changelog a maintainer keeps, version copies, temporary folders and hints, on real git."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from test_release_conventions import repokit

from repokit.testing.sandbox import Sandbox

UNRELEASED = """\
# Changelog

## [Unreleased]

### Features

- Greet people by name, with a long note written by hand.

### Removed

- Python 3.8 support.

## [0.1.0] - 2024-01-01

- First release.

[unreleased]: https://github.com/octo/demo-greeter/compare/v0.1.0...HEAD
[0.1.0]: https://github.com/octo/demo-greeter/releases/tag/v0.1.0
"""


def test_commit_notes_join_the_unreleased_section_when_asked(
    sandbox: Sandbox,
) -> None:
    sandbox.commit("docs: notes for the next release", {"CHANGELOG.md": UNRELEASED})
    sandbox.push()

    done = repokit(
        sandbox.work, "release", "--bump", "minor", "--yes", "--changelog-source", "commits"
    )
    assert done.returncode == 0, done.stderr

    text = (sandbox.work / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" not in text
    section = text.split("## [0.2.0] - ", 1)[1].split("## [0.1.0]", 1)[0]
    # the hand-written lines first, then the entries they lack, the feat they cover left out
    assert section.index("with a long note written by hand") < section.index("- Python 3.8")
    assert "- **cli:** add a command line entry point" in section
    assert "- greet people by name (" not in section
    assert text.endswith(UNRELEASED.split("- First release.\n", 1)[1])  # links kept
    message = sandbox.git("tag", "-l", "--format=%(contents)", "v0.2.0")
    assert "with a long note written by hand" in message
    assert "- Python 3.8 support." in message


def test_an_existing_history_file_is_kept_and_no_changelog_is_made(sandbox: Sandbox) -> None:
    history = (
        "Release History\n===============\n\n0.1.0 (2024-01-01)\n------------------\n\n- First.\n"
    )
    sandbox.commit("docs: keep a history", {"HISTORY.md": history})
    sandbox.push()

    done = repokit(sandbox.work, "release", "--bump", "minor", "--yes")
    assert done.returncode == 0, done.stderr

    assert not (sandbox.work / "CHANGELOG.md").exists()
    text = (sandbox.work / "HISTORY.md").read_text()
    date = text.split("0.2.0 (", 1)[1][:10]
    heading = f"0.2.0 ({date})\n" + "-" * len(f"0.2.0 ({date})") + "\n"
    assert text.startswith("Release History\n===============\n\n" + heading)
    assert "\n\n**Features**\n\n- **cli:** add a command line entry point (" in text
    assert "\n\n\n" not in text
    assert text.endswith("0.1.0 (2024-01-01)\n------------------\n\n- First.\n")


def test_an_rst_changelog_gets_an_rst_section(sandbox: Sandbox) -> None:
    rst = "Changes\n=======\n\nVersion 0.1.0\n-------------\n\nReleased 2024-01-01\n\n- First.\n"
    sandbox.commit("docs: keep changes", {"docs/changes.rst": rst})

    written = repokit(sandbox.work, "changelog", "--write")
    assert written.returncode == 0, written.stderr
    text = (sandbox.work / "docs/changes.rst").read_text()
    assert text.startswith("Changes\n=======\n\nUnreleased\n----------\n\n**")
    assert "##" not in text


def test_an_rst_changelog_without_headings_is_refused_before_any_change(
    sandbox: Sandbox,
) -> None:
    sandbox.commit("docs: changes", {"CHANGES.rst": "Nothing here yet, just prose.\n"})
    sandbox.push()
    before = sandbox.state()
    result = repokit(sandbox.work, "release", "--bump", "minor", "--yes")
    assert result.returncode == 1
    assert "CHANGES.rst: no release heading" in result.stderr
    assert "Traceback" not in result.stderr
    assert sandbox.state() == before


def test_version_files_change_whole_versions_only(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(
        version="1.2.3",
        pyproject_extra='[[tool.repokit.version_files]]\npath = "NOTES.txt"\n'
        'search = "demo {version}"\n',
    )
    pyproject = sandbox.work / "pyproject.toml"
    text = pyproject.read_text().replace(
        'version_files = ["src/demo_greeter/__init__.py"]\n',
        'version_files = ["src/demo_greeter/__init__.py", "README.md", '
        '{path = "NOTES.txt", search = "demo {version}"}]\n',
    )
    pyproject.write_text(text.split("[[tool.repokit.version_files]]")[0])
    sandbox.commit(
        "docs: requirements",
        {
            "README.md": "# demo\n\nVersion 1.2.3. Requires libfoo 11.2.3 and bar 1.2.3.4.\n",
            "NOTES.txt": "libfoo 1.2.3\ndemo 1.2.3\n",
        },
    )
    sandbox.commit("fix: a fix")
    sandbox.push()

    done = repokit(sandbox.work, "release", "--bump", "patch", "--yes")
    assert done.returncode == 0, done.stderr
    readme = (sandbox.work / "README.md").read_text()
    assert readme == "# demo\n\nVersion 1.2.4. Requires libfoo 11.2.3 and bar 1.2.3.4.\n"
    assert (sandbox.work / "NOTES.txt").read_text() == "libfoo 1.2.3\ndemo 1.2.4\n"


def test_an_ambiguous_version_file_is_refused_naming_the_lines(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox()
    pyproject = sandbox.work / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'version_files = ["src/demo_greeter/__init__.py"]',
            'version_files = ["src/demo_greeter/__init__.py", "README.md"]',
        )
    )
    sandbox.commit("docs: twice", {"README.md": "0.1.0\n\nsee 0.1.0\n"})
    result = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert result.returncode == 1
    assert "README.md: version 0.1.0 found 2 times (lines 1, 3)" in result.stderr
    assert "search" in result.stderr


def test_an_undeclared_version_copy_is_named_with_the_line_to_add(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox()
    pyproject = sandbox.work / "pyproject.toml"
    text = pyproject.read_text().replace('version_files = ["src/demo_greeter/__init__.py"]\n', "")
    sandbox.commit("build: forget the version file", {"pyproject.toml": text})
    result = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert (
        "warning: src/demo_greeter/__init__.py holds the version 0.1.0 but is not declared"
        in result.stdout
    )
    assert 'add version_files = ["src/demo_greeter/__init__.py"]' in result.stdout


def test_no_build_folder_is_left_behind_and_keep_dist_keeps_the_files(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    sandbox.write({".gitignore": "dist/\nbuild/\n*.egg-info/\n__pycache__/\n"})
    done = repokit(
        sandbox.work, "release", "--bump", "minor", "--yes", "--keep-dist", TMPDIR=str(scratch)
    )
    assert done.returncode == 0, done.stderr
    assert list(scratch.iterdir()) == []
    kept = sorted(p.name for p in (sandbox.work / "dist").iterdir())
    assert len(kept) == 2
    assert kept == ["demo_greeter-0.2.0-py3-none-any.whl", "demo_greeter-0.2.0.tar.gz"]

    sandbox.commit(
        "fix: break the build",
        {
            "pyproject.toml": "[build-system]\nrequires = []\n"
            'build-backend = "nowhere"\n[project]\nname = "demo-greeter"\n'
            'version = "0.2.0"\n[tool.repokit]\nbranch = "main"\n'
        },
    )
    sandbox.push()
    failed = repokit(sandbox.work, "release", "--bump", "patch", "--yes", TMPDIR=str(scratch))
    assert failed.returncode == 1
    assert list(scratch.iterdir()) == []


def test_a_missing_remote_names_the_remote_setting(sandbox: Sandbox) -> None:
    sandbox.git("remote", "rename", "origin", "upstream")
    result = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert result.returncode == 1
    assert "no remote named 'origin'" in result.stderr
    assert "[tool.repokit] remote" in result.stderr


def test_a_tag_published_on_the_remote_is_never_to_be_deleted(sandbox: Sandbox) -> None:
    sandbox.git("tag", "-a", "v0.2.0", "-m", "someone else's release")
    sandbox.git("push", "-q", "origin", "v0.2.0")
    result = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert result.returncode == 1
    assert "tag v0.2.0 already exists" in result.stderr
    assert "git tag -d" not in result.stderr
    assert "published release on origin" in result.stderr


def test_a_version_released_from_another_branch_asks_to_merge_it(sandbox: Sandbox) -> None:
    """Shaped as pallets/click: 8.5.0 tagged on its release commit, not merged into main."""
    pyproject = (sandbox.work / "pyproject.toml").read_text().replace("0.1.0", "0.2.0")
    sandbox.git("switch", "-q", "-c", "stable")
    released = sandbox.commit("Release version 0.2.0", {"pyproject.toml": pyproject})
    sandbox.git("tag", "-a", "v0.2.0", "-m", "0.2.0")
    sandbox.git("push", "-q", "origin", "v0.2.0")
    sandbox.git("switch", "-q", "main")
    result = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert result.returncode == 1
    assert result.stderr == (
        "error: tag v0.2.0 already exists, on a commit this branch does not contain "
        f"({released[:7]} Release version 0.2.0)\n"
        "hint: 0.2.0 was released from another branch: merge it first (git merge v0.2.0), "
        "then release what comes after\n"
    )
