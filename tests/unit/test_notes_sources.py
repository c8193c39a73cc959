"""Where the notes come from, the unreleased section in every spelling, curated releases,
fragment bumps, towncrier's insertion point and where the changelog is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.config import load
from repokit.errors import ConfigError
from repokit.release import curated, fragments, notes_source, towncrier_run, unreleased_section
from repokit.release.changelog_locate import locate
from repokit.release.curated import CuratedNotesError
from repokit.release.fragments import bump_of, fragment_type

DATA = Path(__file__).parent.parent / "data"
NOTES = DATA / "notes"
CHANGELOGS = DATA / "changelogs"
HEADING = "## [2.0.0] - 2026-03-04\n\nNo notable changes.\n"

# --- the unreleased section, every spelling ------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "## [Unreleased]",
        "## Unreleased",
        "## NEXT (UNRELEASED)",
        "## main (unreleased)",
        "## Latest Changes",
        "## 2.0.0 (unreleased)",
        "## [2.0.0] - Unreleased",
        "## Dev",
        "## 2.0.0 (...)",
        "## 2.0.0 (TBD)",
        "## Upcoming release",
    ],
)
def test_every_spelling_of_the_unreleased_section_is_found(heading: str) -> None:
    text = f"# Changelog\n\n{heading}\n\n- Fix the thing.\n\n## 1.0.0 (2026-01-02)\n\n- First.\n"

    found = unreleased_section.find(text)

    assert found is not None
    assert found.body == "- Fix the thing.\n"
    assert found.kept == (heading == "## Latest Changes")
    assert found.version == ("2.0.0" if "2.0.0" in heading else None)


def test_an_underlined_unreleased_section_is_found() -> None:
    text = "Changelog\n=========\n\nUnreleased\n----------\n\n- Fix.\n\n1.0.0\n-----\n\n- First.\n"

    found = unreleased_section.find(text)

    assert found is not None and found.markdown_level is None
    assert found.body == "- Fix.\n"


def test_a_file_whose_newest_section_is_released_has_no_unreleased_section() -> None:
    text = "# Changelog\n\n## 1.0.0 (2026-01-02)\n\n- First.\n\n## Unreleased\n\n- old\n"

    assert unreleased_section.find(text) is None


# --- curated releases: the notes as written ------------------------------------------------


def test_next_unreleased_becomes_the_release_in_the_file_s_heading_style() -> None:
    text = (
        "# Changes\n\n## NEXT (UNRELEASED)\n\n### Fixes\n\n- Fix the thing. #12\n\n"
        "## 1.4.0 (2026-01-02)\n\n- First.\n"
    )

    after, section = curated.release(Path("CHANGES.md"), text, "2.0.0", "2026-03-04", HEADING)

    assert after == (
        "# Changes\n\n## 2.0.0 (2026-03-04)\n\n### Fixes\n\n- Fix the thing. #12\n\n"
        "## 1.4.0 (2026-01-02)\n\n- First.\n"
    )
    assert section == "## 2.0.0 (2026-03-04)\n\n### Fixes\n\n- Fix the thing. #12\n"


def test_latest_changes_keeps_its_heading_and_gets_the_release_under_it() -> None:
    text = (NOTES / "fastapi-release-notes.md").read_text()

    heading = "## [0.141.1] - 2026-07-29\n"

    after, section = curated.release(
        Path("release-notes.md"), text, "0.141.1", "2026-07-29", heading
    )

    assert after == text.replace(
        "## Latest Changes\n\n", "## Latest Changes\n\n## 0.141.1 (2026-07-29)\n\n"
    )
    assert section.startswith("## 0.141.1 (2026-07-29)\n\n### Fixes\n\n* 🐛 Fix support")
    assert section.endswith("by [@tiangolo](https://github.com/tiangolo).\n")
    assert "0.141.0" not in section


def test_keep_a_changelog_unreleased_is_released_with_its_links_and_no_commit_lines() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- A hand-written entry.\n\n"
        "## [1.0.0] - 2026-01-02\n\n- First.\n\n"
        "[unreleased]: https://github.com/o/r/compare/v1.0.0...HEAD\n"
        "[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n"
    )
    heading = "## [2.0.0] - 2026-03-04\n\nNo notable changes.\n\n[2.0.0]: https://github.com/o/r/compare/v1.0.0...v2.0.0\n"

    after, section = curated.release(Path("CHANGELOG.md"), text, "2.0.0", "2026-03-04", heading)

    assert after == (
        "# Changelog\n\n## [2.0.0] - 2026-03-04\n\n### Added\n\n- A hand-written entry.\n\n"
        "## [1.0.0] - 2026-01-02\n\n- First.\n\n"
        "[unreleased]: https://github.com/o/r/compare/v2.0.0...HEAD\n"
        "[2.0.0]: https://github.com/o/r/compare/v1.0.0...v2.0.0\n"
        "[1.0.0]: https://github.com/o/r/releases/tag/v1.0.0\n"
    )
    assert "No notable changes" not in section


def test_an_underlined_unreleased_section_gets_the_file_s_underlined_heading() -> None:
    text = (
        "Changelog\n=========\n\nUnreleased\n----------\n\n- Fix.\n\n"
        "1.0.0 (2026-01-02)\n------------------\n\n- First.\n"
    )

    after, section = curated.release(Path("CHANGES.rst"), text, "1.1.0", "2026-03-04", HEADING)

    assert after == (
        "Changelog\n=========\n\n1.1.0 (2026-03-04)\n------------------\n\n- Fix.\n\n"
        "1.0.0 (2026-01-02)\n------------------\n\n- First.\n"
    )
    assert section == "1.1.0 (2026-03-04)\n------------------\n\n- Fix.\n"


def test_a_section_written_ahead_is_dated() -> None:
    text = (
        "## Version 8.5.0\n\nUnreleased\n\n- New.\n\n"
        + (CHANGELOGS / "click-CHANGES.md").read_text()
    )

    after, section = curated.release(Path("CHANGES.md"), text, "8.5.0", "2026-03-04", HEADING)

    assert after == text.replace("\nUnreleased\n", "\nReleased 2026-03-04\n", 1)
    assert section == "## Version 8.5.0\n\nReleased 2026-03-04\n\n- New.\n"


def test_an_empty_unreleased_section_is_refused_with_the_hint() -> None:
    text = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-02\n\n- First.\n"

    with pytest.raises(CuratedNotesError) as refused:
        curated.release(Path("CHANGELOG.md"), text, "1.1.0", "2026-03-04", HEADING)

    assert refused.value.message == "CHANGELOG.md: no release notes under Unreleased"
    assert refused.value.hint == (
        "write the release notes under the Unreleased heading, "
        "or pass --changelog-source commits to list the commits instead"
    )


def test_notes_written_for_another_version_name_it() -> None:
    text = "# Changelog\n\n## 3.0.0 (unreleased)\n\n- Big.\n\n## 1.0.0 (2026-01-02)\n\n- First.\n"

    with pytest.raises(CuratedNotesError) as refused:
        curated.release(Path("CHANGELOG.md"), text, "1.1.0", "2026-03-04", HEADING)

    assert refused.value.hint == "release them as written: --bump 3.0.0"


# --- which source ---------------------------------------------------------------------------


def _decide(changelog: str | None, **options: object) -> notes_source.NotesSource:
    defaults: dict[str, object] = {
        "override": None,
        "configured": None,
        "towncrier": None,
        "folder": None,
        "changelog": changelog,
        "changelog_name": "CHANGELOG.md",
    }
    return notes_source.decide(**{**defaults, **options})  # type: ignore[arg-type]


def test_hand_written_releases_with_unreleased_notes_are_curated() -> None:
    click = (
        "## Version 8.5.0\n\nUnreleased\n\n- New.\n\n"
        + (CHANGELOGS / "click-CHANGES.md").read_text()
    )
    fastapi = (NOTES / "fastapi-release-notes.md").read_text()

    assert _decide(click).kind == "curated"
    assert _decide((CHANGELOGS / "click-CHANGES.md").read_text()).kind == "commits"
    assert _decide(fastapi).kind == "curated"


def test_sections_with_commit_hashes_are_commits() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n\n- feat: x ([abc1234](https://github.com/o/r/commit/"
        "abc1234))\n\n## [1.0.0] - 2026-01-02\n\n- fix: y (def5678)\n"
    )
    released_only = (CHANGELOGS / "pluggy-CHANGELOG.rst").read_text()

    assert _decide(text) == notes_source.NotesSource(
        "commits", "default: no fragments, no hand-written unreleased notes"
    )
    assert _decide(released_only).kind == "commits"


def test_the_flag_then_the_config_then_towncrier_decide(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n' + (NOTES / "pluggy-towncrier.toml").read_text()
    )
    towncrier = fragments.read_config(tmp_path)
    click = (CHANGELOGS / "click-CHANGES.md").read_text()

    assert _decide(click, towncrier=towncrier) == notes_source.NotesSource(
        "fragments", "towncrier is configured in pyproject.toml [tool.towncrier]"
    )
    assert _decide(click, towncrier=towncrier, configured="commits").where == (
        "[tool.repokit] changelog_source"
    )
    assert _decide(click, configured="commits", override="none") == notes_source.NotesSource(
        "none", "--changelog-source"
    )


def test_a_notes_source_that_is_not_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.repokit]\nchangelog_source = "towncrier"\n'
    )

    with pytest.raises(ConfigError) as refused:
        load(tmp_path)

    assert "changelog_source: 'towncrier' is not one of fragments, curated, commits, none" in (
        refused.value.message
    )


# --- fragments ------------------------------------------------------------------------------


def test_fragment_names_are_read_as_towncrier_reads_them() -> None:
    types = ("feature", "bugfix", "removal")

    assert fragment_type("123.feature.md", types) == "feature"
    assert fragment_type("+orphan.bugfix.2", types) == "bugfix"
    assert fragment_type("fix-1.2.3.removal.rst", types) == "removal"
    assert fragment_type("README.rst", types) is None


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        ([("breaking", "Removals and backward incompatible breaking changes")], (True, False)),
        ([("removal", "Removals")], (True, False)),
        ([("feature", "Features"), ("bugfix", "Bug Fixes")], (False, True)),
        ([("deprecation", "Deprecations (removal in next major release)")], (False, True)),
        ([("removal", "Deprecations and Removals")], (False, True)),
        ([("bugfix", "Bug Fixes"), ("doc", "Docs")], (False, False)),
    ],
)
def test_fragment_types_decide_the_bump(
    types: list[tuple[str, str]], expected: tuple[bool, bool]
) -> None:
    assert bump_of(types) == (*expected, True)


def test_fragment_bumps_map_a_type() -> None:
    assert bump_of([("security", "Security")], {"security": "major"}) == (True, False, True)
    assert bump_of([("removal", "Removals")], {"removal": "patch"}) == (False, False, True)
    assert bump_of([]) == (False, False, False)


def test_pending_fragments_skip_the_template_and_readme(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n' + (NOTES / "pluggy-towncrier.toml").read_text()
    )
    folder = tmp_path / "changelog"
    folder.mkdir()
    for name in ("632.removal.rst", "629.bugfix.rst"):
        (folder / name).write_bytes((NOTES / name).read_bytes())
    (folder / "_template.rst").write_bytes((NOTES / "pluggy-_template.rst").read_bytes())
    (folder / "README.rst").write_text("How to write a fragment.\n")
    config = fragments.read_config(tmp_path)
    assert config is not None

    found = fragments.pending(config)

    assert [(f.path.name, f.type) for f in found] == [
        ("629.bugfix.rst", "bugfix"),
        ("632.removal.rst", "removal"),
    ]
    assert config.news_file == tmp_path / "CHANGELOG.rst"
    assert fragments.pending_types(tmp_path) == [
        ("bugfix", "Bug Fixes"),
        ("removal", "Deprecations and Removals"),
    ]


def test_the_rendered_section_goes_after_the_start_string(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n' + (NOTES / "pluggy-towncrier.toml").read_text()
    )
    news = tmp_path / "CHANGELOG.rst"
    news.write_bytes((NOTES / "pluggy-CHANGELOG.rst").read_bytes())
    config = fragments.read_config(tmp_path)
    assert config is not None
    content = "pluggy 1.7.0 (2026-03-04)\n=========================\n\n- Fix.\n\n"

    edit = towncrier_run.news_edit(config, content, news)

    before = news.read_text()
    head, rest = before.split(".. towncrier release notes start\n")
    assert (
        edit.after
        == (
            f"{head.rstrip()}\n\n.. towncrier release notes start\n\n{content}{rest.lstrip()}"
        ).encode()
    )


def test_without_towncrier_the_refusal_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(fragments.FragmentsError) as refused:
        towncrier_run.command(tmp_path)

    assert refused.value.message == "the notes are news fragments, and towncrier is not installed"
    assert "pip install 'repokit[towncrier]'" in (refused.value.hint or "")


# --- where the changelog lives -------------------------------------------------------------


def _file(root: Path, name: str, text: str = "# Changelog\n\n## 1.0.0\n\n- First.\n") -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_changelog_under_docs_is_found_deep_down(tmp_path: Path) -> None:
    notes = _file(tmp_path, "docs/en/docs/release-notes.md")

    found = locate(tmp_path)

    assert (found.path, found.where) == (notes, "found in docs/en/docs/")


def test_a_root_stub_leads_to_the_file_it_points_to(tmp_path: Path) -> None:
    _file(tmp_path, "CHANGELOG.rst", (NOTES / "pytest-CHANGELOG.rst").read_text())
    real = _file(tmp_path, "doc/en/changelog.rst", "Changelog\n=========\n\n1.0.0\n-----\n")

    found = locate(tmp_path)

    assert (found.path, found.where) == (real, "CHANGELOG.rst at the root leads to it")


def test_a_stub_including_another_file_leads_to_it(tmp_path: Path) -> None:
    _file(tmp_path, "CHANGES.rst", ".. include:: docs/changes.rst\n")
    real = _file(tmp_path, "docs/changes.rst", "Changes\n=======\n\n1.0.0\n-----\n")

    assert locate(tmp_path).path == real


def test_a_monorepo_prefers_the_file_named_after_the_package(tmp_path: Path) -> None:
    project = tmp_path / "libs" / "checkpoint"
    project.mkdir(parents=True)
    _file(tmp_path, "docs/history/core.md")
    own = _file(tmp_path, "docs/history/checkpoint.md")

    found = locate(project, package_names=("checkpoint",), repository_root=tmp_path)

    assert found.path == own
    assert found.where == "found in the repository's docs/history/, named after the package"


def test_the_documentation_s_navigation_breaks_ties(tmp_path: Path) -> None:
    _file(tmp_path, "docs/a/changelog.md")
    listed = _file(tmp_path, "docs/b/changelog.md")
    _file(tmp_path, "mkdocs.yml", "site_name: x\nnav:\n  - Changes: b/changelog.md\n")

    found = locate(tmp_path)

    assert found.path == listed
    assert found.where == "found in docs/b/, listed in the documentation's navigation"


def test_a_new_changelog_is_proposed_only_when_there_is_none(tmp_path: Path) -> None:
    found = locate(tmp_path)

    assert found.path == tmp_path / "CHANGELOG.md"
    assert found.where == "no changelog anywhere: a new CHANGELOG.md will be created"


@pytest.mark.parametrize(
    ("fragment", "breaking", "feature"),
    [
        ("1317.removal.rst", True, False),  # twine 7.0.0: metadata 2.0 no longer allowed
        ("556.removal.rst", False, True),  # pluggy 1.6.0: Python 3.8 no longer supported
        ("632.removal.rst", False, True),  # pluggy: a DeprecationWarning
    ],
)
def test_a_deprecations_and_removals_entry_says_which_it_is(
    tmp_path: Path, fragment: str, breaking: bool, feature: bool
) -> None:
    (tmp_path / "pyproject.toml").write_text((DATA / "notes" / "pluggy-towncrier.toml").read_text())
    (tmp_path / "changelog").mkdir()
    (tmp_path / "changelog" / fragment).write_bytes((DATA / "notes" / fragment).read_bytes())
    assert bump_of(fragments.pending_types(tmp_path)) == (breaking, feature, True)


def test_a_deprecations_type_naming_the_next_major_stays_a_minor(tmp_path: Path) -> None:
    # tox and aiohttp: "Deprecations (removal in next major release)"
    table = (DATA / "notes" / "pluggy-towncrier.toml").read_text()
    deprecations = 'name = "Deprecations (removal in next major release)"'
    (tmp_path / "pyproject.toml").write_text(
        table.replace('name = "Deprecations and Removals"', deprecations)
    )
    (tmp_path / "changelog").mkdir()
    (tmp_path / "changelog" / "1317.removal.rst").write_bytes(
        (DATA / "notes" / "1317.removal.rst").read_bytes()
    )
    assert bump_of(fragments.pending_types(tmp_path)) == (False, True, True)
