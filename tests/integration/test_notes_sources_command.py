"""Release notes as maintainers keep them, on real git: towncrier fragments rendered by
towncrier, curated sections released as written, and the changelog where it lives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from test_release_conventions import repokit

from repokit.testing.sandbox import Sandbox

NOTES = Path(__file__).parent.parent / "data" / "notes"
EPOCH = {"SOURCE_DATE_EPOCH": "1772582400"}  # 2026-03-04
FEATURE = "Hooks can be called with keyword arguments only.\n"
UNRELEASED_EMPTY = "# Changelog\n\n## [Unreleased]\n\n## [1.4.0] - 2026-01-02\n\n- First.\n"


def _towncrier_project(make_sandbox: Callable[..., Sandbox], version: str = "1.4.0") -> Sandbox:
    """A project keeping pluggy's towncrier setup, with three fragments pending."""
    sandbox = make_sandbox(version=version)
    pyproject = (sandbox.work / "pyproject.toml").read_text()
    table = (NOTES / "pluggy-towncrier.toml").read_text()
    sandbox.commit(
        "docs: news fragments",
        {
            "pyproject.toml": f"{pyproject}\n{table}",
            "CHANGELOG.rst": (NOTES / "pluggy-CHANGELOG.rst").read_text(),
            "changelog/_template.rst": (NOTES / "pluggy-_template.rst").read_text(),
            "changelog/629.bugfix.rst": (NOTES / "629.bugfix.rst").read_text(),
            "changelog/632.removal.rst": (NOTES / "632.removal.rst").read_text(),
            "changelog/700.feature.rst": FEATURE,
        },
    )
    sandbox.push()
    return sandbox


def _towncrier(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "towncrier", "build", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_fragments_are_the_notes_their_types_the_bump_and_towncrier_writes_them(
    make_sandbox: Callable[..., Sandbox], tmp_path: Path
) -> None:
    sandbox = _towncrier_project(make_sandbox)
    expected = tmp_path / "expected"
    shutil.copytree(sandbox.work, expected)
    _towncrier(expected, "--yes", "--version", "1.5.0", "--date", "2026-03-04")

    explain = repokit(sandbox.work, "version", "--explain")
    auto = repokit(sandbox.work, "version", "--next", "auto")
    done = repokit(sandbox.work, "release", "--bump", "auto", "--yes", "--no-push", **EPOCH)

    assert "changelog: CHANGELOG.rst  (the filename towncrier writes)\n" in explain.stdout
    assert "notes: fragments  (towncrier is configured in pyproject.toml [tool.towncrier])\n" in (
        explain.stdout
    )
    assert auto.stdout == "1.5.0\n"  # a feature, and pluggy's "Deprecations and Removals"
    assert done.returncode == 0, done.stderr
    written = (sandbox.work / "CHANGELOG.rst").read_bytes()
    assert written == (expected / "CHANGELOG.rst").read_bytes()
    changed = sandbox.git("show", "--name-status", "--format=", "HEAD").splitlines()
    assert sorted(changed) == [
        "D\tchangelog/629.bugfix.rst",
        "D\tchangelog/632.removal.rst",
        "D\tchangelog/700.feature.rst",
        "M\tCHANGELOG.rst",
        "M\tpyproject.toml",
        "M\tsrc/demo_greeter/__init__.py",
    ]
    assert (sandbox.work / "changelog" / "_template.rst").exists()
    message = sandbox.git("tag", "-l", "--format=%(contents)", "v1.5.0")
    assert message.startswith("pluggy 1.5.0 (2026-03-04)\n=========================\n")
    assert message.rstrip() in written.decode()
    assert "greet people by name" not in written.decode()  # no commit entries
    assert sandbox.git("status", "--porcelain") == ""


def test_fragments_on_a_date_version_move_it_to_the_current_period(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = _towncrier_project(make_sandbox, version="26.1.0")

    auto = repokit(sandbox.work, "version", "--next", "auto", **EPOCH)
    dry = repokit(sandbox.work, "release", "--bump", "auto", "--dry-run", "--no-push", **EPOCH)

    assert auto.returncode == 0, auto.stderr
    assert auto.stdout == "26.3.0\n"  # a removal on a date version is a new period, not 27
    assert dry.returncode == 0, dry.stderr
    assert "release 26.1.0 -> 26.3.0, tag v26.3.0\n" in dry.stdout


def test_towncrier_needs_no_import_of_the_package_for_its_name(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = _towncrier_project(make_sandbox)
    pyproject = sandbox.work / "pyproject.toml"
    # aiohttp names its package, which towncrier cannot import outside aiohttp's environment
    named = pyproject.read_text().replace('package = "pluggy"', 'package = "aiohttp"')
    sandbox.commit("build: towncrier reads the package", {"pyproject.toml": named})

    shown = repokit(sandbox.work, "changelog")
    dry = repokit(sandbox.work, "release", "--bump", "auto", "--dry-run", "--no-push", **EPOCH)

    assert shown.returncode == 0, shown.stderr
    assert "Hooks can be called with keyword arguments only." in shown.stdout
    assert dry.returncode == 0, dry.stderr
    assert "+pluggy 1.5.0 (2026-03-04)\n" in dry.stdout


def test_a_development_version_left_behind_a_release_bumps_from_the_release(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="3.14.2", history=())
    # aiohttp's 3.14 branch: "3.14.2.dev0" still in the files after v3.14.2 was tagged
    files = ("pyproject.toml", "src/demo_greeter/__init__.py")
    behind = {
        name: (sandbox.work / name).read_text().replace('"3.14.2"', '"3.14.2.dev0"')
        for name in files
    }
    sandbox.commit("chore: back to development", behind)
    sandbox.commit("fix: close the file", {"src/demo_greeter/io.py": "CLOSED = True\n"})

    auto = repokit(sandbox.work, "version", "--next", "auto")
    dry = repokit(sandbox.work, "release", "--bump", "auto", "--dry-run", "--no-push")

    assert auto.stdout == "3.14.3\n", auto.stderr
    assert dry.returncode == 0, dry.stderr
    assert "release 3.14.2.dev0 -> 3.14.3, tag v3.14.3\n2 commit(s) since v3.14.2\n" in (dry.stdout)
    assert '-__version__ = "3.14.2.dev0"\n+__version__ = "3.14.3"\n' in dry.stdout


def test_after_a_released_candidate_auto_gives_its_final(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    # towncrier 24.8.0: tagged 24.8.0rc1, then the release docs, then the final
    sandbox = make_sandbox(version="24.8.0rc1", history=())
    sandbox.commit("Update release docs.", {"docs/release.rst": "Releasing\n=========\n"})

    august = "1724371200"  # 2024-08-23, the day of the final
    auto = repokit(sandbox.work, "version", "--next", "auto", SOURCE_DATE_EPOCH=august)

    assert auto.returncode == 0, auto.stderr
    assert auto.stdout == "24.8.0\n"
    assert "24.8.0rc1 is released: the next release is its final" in auto.stderr


def test_a_failed_release_puts_the_fragments_back(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = _towncrier_project(make_sandbox)
    pyproject = sandbox.work / "pyproject.toml"
    broken = pyproject.read_text().replace("flit_core.buildapi", "no_such_backend")
    sandbox.commit("build: a backend that is not there", {"pyproject.toml": broken})
    before = sandbox.state()

    done = repokit(sandbox.work, "release", "--bump", "minor", "--yes", "--no-push", **EPOCH)

    assert done.returncode == 1
    assert "error: build: the package did not build" in done.stderr
    assert sandbox.state() == before
    assert (sandbox.work / "changelog" / "700.feature.rst").read_text() == FEATURE


def test_changelog_shows_towncrier_s_draft(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = _towncrier_project(make_sandbox)

    shown = repokit(sandbox.work, "changelog")

    assert shown.returncode == 0, shown.stderr
    draft = _towncrier(sandbox.work, "--draft", "--version", "Unreleased")
    assert shown.stdout == draft.rstrip("\n") + "\n"
    assert "Hooks can be called with keyword arguments only." in shown.stdout


def test_curated_notes_under_docs_are_released_as_written(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="0.141.0")
    notes = (NOTES / "fastapi-release-notes.md").read_text()
    sandbox.commit("docs: release notes", {"docs/en/docs/release-notes.md": notes})
    sandbox.push()

    plan = repokit(sandbox.work, "release", "--bump", "patch", "--dry-run", **EPOCH)

    assert plan.returncode == 0, plan.stderr
    assert "  changelog: docs/en/docs/release-notes.md  (found in docs/en/docs/)\n" in plan.stdout
    assert (
        "  notes: curated  (docs/en/docs/release-notes.md: hand-written releases and an "
        "unreleased section)\n" in plan.stdout
    )
    assert " ## Latest Changes\n+\n+## 0.141.1 (2026-03-04)\n \n ### Fixes\n" in plan.stdout
    message = plan.stdout.split("tag message:\n", 1)[1].split("\nsteps:", 1)[0]
    assert message.startswith("  ## 0.141.1 (2026-03-04)\n\n  ### Fixes\n\n  * 🐛 Fix support")
    assert "greet people by name" not in plan.stdout  # no commit lines
    assert not (sandbox.work / "CHANGELOG.md").exists()


def test_an_empty_unreleased_section_is_refused_until_commits_are_asked_for(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="1.4.0")
    sandbox.commit("docs: changelog", {"CHANGELOG.md": UNRELEASED_EMPTY})
    sandbox.push()

    refused = repokit(sandbox.work, "release", "--bump", "patch", "--dry-run")
    commits = repokit(
        sandbox.work, "release", "--bump", "patch", "--dry-run", "--changelog-source", "commits"
    )

    assert refused.returncode == 1
    assert refused.stderr == (
        "error: CHANGELOG.md: no release notes under Unreleased\n"
        "hint: write the release notes under the Unreleased heading, "
        "or pass --changelog-source commits to list the commits instead\n"
    )
    assert commits.returncode == 0, commits.stderr
    assert "  notes: commits  (--changelog-source)\n" in commits.stdout
    assert "+- greet people by name (" in commits.stdout


def test_the_config_key_decides_and_the_plan_says_a_changelog_will_be_created(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(
        pyproject_extra='changelog_source = "commits"\nfragment_bumps = {security = "patch"}\n'
    )

    plan = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")

    assert plan.returncode == 0, plan.stderr
    assert (
        "  changelog: CHANGELOG.md  (no changelog anywhere: a new CHANGELOG.md will be created)\n"
        in plan.stdout
    )
    assert "  notes: commits  ([tool.repokit] changelog_source)\n" in plan.stdout
    assert "--- /dev/null\n+++ b/CHANGELOG.md\n" in plan.stdout


def test_changelog_prints_restructuredtext_for_an_rst_changelog(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox()
    history = "Changelog\n=========\n\n0.1.0 (2024-01-01)\n------------------\n\n- First.\n"
    sandbox.commit("docs: history", {"HISTORY.rst": history})

    shown = repokit(sandbox.work, "changelog")

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Unreleased\n----------\n\n**Features**\n\n- ")
    assert "## " not in shown.stdout and "[Unreleased]" not in shown.stdout


def test_curated_notes_decide_the_bump_by_their_titles_or_their_version(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="1.4.0")
    added = UNRELEASED_EMPTY.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- X.\n")
    ahead = "## Version 1.6.0\n\nUnreleased\n\n- X.\n\n## Version 1.4.0\n\nReleased 2026-01-02\n"
    breaking = "# Changes\n\n## Dev\n\n**Breaking changes**:\n\n- X.\n\n## 1.4.0 (2026)\n\n- A.\n"

    answers = []
    for text in (added, ahead, breaking):
        sandbox.commit("docs: notes", {"CHANGELOG.md": text})
        answers.append(repokit(sandbox.work, "version", "--next", "auto").stdout)

    assert answers == ["1.5.0\n", "1.6.0\n", "2.0.0\n"]
