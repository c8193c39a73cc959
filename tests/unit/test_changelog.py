"""Rendering a Keep a Changelog section and inserting it into CHANGELOG.md text, byte for byte."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repokit.release.changelog import github_repo_url, render_section
from repokit.release.conventional import Commit, parse_commit
from repokit.release.keepachangelog import _names_version, insert_section, merged_section
from repokit.release.section import SectionEntries

URL = "https://github.com/octo/widgets"


def _commit(digit: str, subject: str, body: str = "") -> Commit:
    return parse_commit(digit * 40, subject, body)


#: Newest first, as git log lists them.
HISTORY = [
    _commit("1", "feat(cli)!: rename the colour flag", "BREAKING CHANGE: --colour is now --color"),
    _commit("2", "fix(parser): accept tabs"),
    _commit("3", "perf: cache lookups"),
    _commit("4", 'Revert "feat: add a beta flag"', "This reverts commit 5555555."),
    _commit("5", "docs: explain the install"),
    _commit("6", "chore(deps): bump ruff"),
    _commit("7", "Update README"),
    _commit("8", "feat: greet people by name"),
    _commit("9", "refactor!: drop the legacy API"),
]


# --- github_repo_url ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "remote",
    [
        "https://github.com/octo/widgets.git",
        "https://github.com/octo/widgets",
        "https://github.com/octo/widgets/",
        "http://github.com/octo/widgets.git",
        "https://www.github.com/octo/widgets.git",
        "git@github.com:octo/widgets.git",
        "git@github.com:octo/widgets",
        "ssh://git@github.com/octo/widgets.git",
        "ssh://git@github.com:22/octo/widgets.git",
        "git://github.com/octo/widgets.git",
        "https://x-access-token:ghs_secret123@github.com/octo/widgets.git",
        "  https://GitHub.com/octo/widgets.git\n",
    ],
)
def test_github_remotes_give_the_https_page(remote: str) -> None:
    assert github_repo_url(remote) == URL


def test_dots_and_dashes_in_names_survive() -> None:
    assert github_repo_url("git@github.com:my-org/repo.kit.git") == (
        "https://github.com/my-org/repo.kit"
    )


@pytest.mark.parametrize(
    "remote",
    [
        "https://gitlab.com/octo/widgets.git",
        "git@gitlab.com:octo/widgets.git",
        "https://github.example.com/octo/widgets.git",
        "https://github.com.evil.example/octo/widgets.git",
        "https://github.com/octo",
        "https://github.com/octo/widgets/tree/main",
        "/srv/git/widgets.git",
        "../remote.git",
        "",
    ],
)
def test_other_remotes_give_none(remote: str) -> None:
    assert github_repo_url(remote) is None


# --- render_section --------------------------------------------------------------------------


def test_section_groups_commits_in_the_fixed_order_with_plain_hashes() -> None:
    text = render_section(
        "1.2.0", dt.date(2024, 5, 1), HISTORY, repo_url=None, previous_tag="v1.1.0", tag="v1.2.0"
    )

    assert text == (
        "## [1.2.0] - 2024-05-01\n"
        "\n"
        "### Breaking changes\n"
        "\n"
        "- **cli:** --colour is now --color (1111111)\n"
        "- drop the legacy API (9999999)\n"
        "\n"
        "### Features\n"
        "\n"
        "- **cli:** rename the colour flag (1111111)\n"
        "- greet people by name (8888888)\n"
        "\n"
        "### Bug fixes\n"
        "\n"
        "- **parser:** accept tabs (2222222)\n"
        "\n"
        "### Performance\n"
        "\n"
        "- cache lookups (3333333)\n"
        "\n"
        "### Reverts\n"
        "\n"
        "- feat: add a beta flag (4444444)\n"
        "\n"
        "### Documentation\n"
        "\n"
        "- explain the install (5555555)\n"
        "\n"
        "### Other\n"
        "\n"
        "- Update README (7777777)\n"
    )


def test_chores_and_refactors_show_only_when_listed_with_their_type() -> None:
    text = render_section(
        "1.2.0",
        None,
        HISTORY,
        repo_url=None,
        previous_tag=None,
        tag=None,
        extra_types=("chore", "refactor"),
    )
    other = text.split("### Other\n\n", 1)[1]
    assert other == (
        "- **chore(deps):** bump ruff (6666666)\n"
        "- Update README (7777777)\n"
        "- **refactor:** drop the legacy API (9999999)\n"
    )


def test_section_links_commits_and_compares_with_the_previous_tag() -> None:
    commits = [_commit("a", "feat(api): add search"), _commit("b", "fix: handle empty")]

    text = render_section(
        "2.0.0", "2024-06-30", commits, repo_url=URL, previous_tag="v1.9.0", tag="v2.0.0"
    )

    assert text == (
        "## [2.0.0] - 2024-06-30\n"
        "\n"
        "### Features\n"
        "\n"
        f"- **api:** add search ([aaaaaaa]({URL}/commit/{'a' * 40}))\n"
        "\n"
        "### Bug fixes\n"
        "\n"
        f"- handle empty ([bbbbbbb]({URL}/commit/{'b' * 40}))\n"
        "\n"
        f"[2.0.0]: {URL}/compare/v1.9.0...v2.0.0\n"
    )


def test_first_release_links_to_the_commits_of_its_tag() -> None:
    text = render_section(
        "0.1.0",
        "2024-01-02",
        [_commit("c", "feat: start")],
        repo_url=URL,
        previous_tag=None,
        tag="v0.1.0",
    )

    assert text.endswith(f"\n\n[0.1.0]: {URL}/commits/v0.1.0\n")


def test_unreleased_section_has_no_date_and_compares_with_head() -> None:
    text = render_section(
        "Unreleased", None, [_commit("d", "fix: x")], repo_url=URL, previous_tag="v3.0.0", tag=None
    )

    assert text.startswith("## [Unreleased]\n\n### Bug fixes\n")
    assert text.endswith(f"\n\n[Unreleased]: {URL}/compare/v3.0.0...HEAD\n")


def test_include_other_false_drops_only_non_conventional_commits() -> None:
    text = render_section(
        "1.2.0",
        "2024-05-01",
        HISTORY,
        repo_url=None,
        previous_tag=None,
        tag=None,
        include_other=False,
    )

    assert "Update README" not in text
    assert "### Other" not in text
    assert "- drop the legacy API (9999999)" in text  # breaking, under Breaking changes


def test_no_commits_give_a_section_that_says_so() -> None:
    text = render_section(
        "1.0.1", "2024-05-01", [], repo_url=None, previous_tag="v1.0.0", tag="v1.0.1"
    )

    assert text == "## [1.0.1] - 2024-05-01\n\nNo notable changes.\n"


def test_rendering_is_deterministic() -> None:
    def render() -> str:
        return render_section(
            "1.0.0", "2024-05-01", list(HISTORY), repo_url=URL, previous_tag=None, tag="v1.0.0"
        )

    assert render() == render()


def test_entries_added_commit_by_commit_render_the_same_section() -> None:
    entries = SectionEntries(repo_url=URL, extra_types=("chore",))
    for commit in HISTORY:  # as the history streams in
        entries.add([commit])

    text = entries.render("1.2.0", "2024-05-01", previous_tag="v1.1.0", tag="v1.2.0")

    assert text == render_section(
        "1.2.0",
        "2024-05-01",
        HISTORY,
        repo_url=URL,
        previous_tag="v1.1.0",
        tag="v1.2.0",
        extra_types=("chore",),
    )
    assert f"- **chore(deps):** bump ruff ([6666666]({URL}/commit/{'6' * 40}))\n" in text


# --- insert_section --------------------------------------------------------------------------

SECTION = "## [1.2.0] - 2024-05-01\n" "\n" "### Features\n" "\n" "- add search (aaaaaaa)\n"
LINKED_SECTION = SECTION + "\n[1.2.0]: https://github.com/octo/widgets/compare/v1.1.0...v1.2.0\n"


@pytest.mark.parametrize("existing", [None, ""])
def test_a_missing_or_empty_changelog_gets_header_and_intro(existing: str | None) -> None:
    text = insert_section(existing, LINKED_SECTION, "1.2.0")

    assert text == (
        "# Changelog\n"
        "\n"
        "All notable changes to this project are documented in this file.\n"
        "\n"
        "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n"
        "\n"
        "## [1.2.0] - 2024-05-01\n"
        "\n"
        "### Features\n"
        "\n"
        "- add search (aaaaaaa)\n"
        "\n"
        "[1.2.0]: https://github.com/octo/widgets/compare/v1.1.0...v1.2.0\n"
    )


HAND_WRITTEN = (
    "# Changes to Widgets\n"
    "\n"
    "Hand-written intro, kept *exactly*.   \n"
    "\n"
    "## [1.1.0] - 2024-04-01\n"
    "\n"
    "### Added\n"
    "\n"
    "-  odd  spacing stays\n"
    "\n"
    "[1.1.0]: https://github.com/octo/widgets/compare/v1.0.0...v1.1.0\n"
)


def test_section_goes_above_the_newest_release_and_its_link_joins_the_others() -> None:
    text = insert_section(HAND_WRITTEN, LINKED_SECTION, "1.2.0")

    assert text == (
        "# Changes to Widgets\n"
        "\n"
        "Hand-written intro, kept *exactly*.   \n"
        "\n"
        "## [1.2.0] - 2024-05-01\n"
        "\n"
        "### Features\n"
        "\n"
        "- add search (aaaaaaa)\n"
        "\n"
        "## [1.1.0] - 2024-04-01\n"
        "\n"
        "### Added\n"
        "\n"
        "-  odd  spacing stays\n"
        "\n"
        "[1.2.0]: https://github.com/octo/widgets/compare/v1.1.0...v1.2.0\n"
        "[1.1.0]: https://github.com/octo/widgets/compare/v1.0.0...v1.1.0\n"
    )


def test_crlf_file_keeps_its_bytes_and_gets_crlf_lines() -> None:
    existing = HAND_WRITTEN.replace("\n", "\r\n").encode()

    text = insert_section(existing.decode(), LINKED_SECTION, "1.2.0")

    expected = insert_section(HAND_WRITTEN, LINKED_SECTION, "1.2.0").replace("\n", "\r\n")
    assert text.encode() == expected.encode()
    assert "\n" not in text.replace("\r\n", "")


def test_unreleased_section_becomes_the_release_with_its_notes_first() -> None:
    existing = (
        "# Changelog\n"
        "\n"
        "## [Unreleased]\n"
        "\n"
        "- notes written by hand\n"
        "\n"
        "## [1.1.0] - 2024-04-01\n"
        "\n"
        "- older\n"
        "\n"
        "[unreleased]: https://github.com/octo/widgets/compare/v1.1.0...HEAD\n"
        "[1.1.0]: https://github.com/octo/widgets/releases/tag/v1.1.0\n"
    )

    text = insert_section(existing, LINKED_SECTION, "1.2.0")

    assert text == (
        "# Changelog\n"
        "\n"
        "## [1.2.0] - 2024-05-01\n"
        "\n"
        "- notes written by hand\n"
        "\n"
        "### Features\n"
        "\n"
        "- add search (aaaaaaa)\n"
        "\n"
        "## [1.1.0] - 2024-04-01\n"
        "\n"
        "- older\n"
        "\n"
        "[unreleased]: https://github.com/octo/widgets/compare/v1.2.0...HEAD\n"
        "[1.2.0]: https://github.com/octo/widgets/compare/v1.1.0...v1.2.0\n"
        "[1.1.0]: https://github.com/octo/widgets/releases/tag/v1.1.0\n"
    )
    assert merged_section(existing, LINKED_SECTION) == (
        "## [1.2.0] - 2024-05-01\n"
        "\n"
        "- notes written by hand\n"
        "\n"
        "### Features\n"
        "\n"
        "- add search (aaaaaaa)\n"
        "\n"
        "[1.2.0]: https://github.com/octo/widgets/compare/v1.1.0...v1.2.0\n"
    )


def test_unreleased_notes_take_the_entries_they_lack_under_their_own_titles() -> None:
    existing = (
        "## [Unreleased]\n"
        "\n"
        "### Features\n"
        "\n"
        "- Add search, with a long explanation by hand.\n"
        "\n"
        "### Removed\n"
        "\n"
        "- Python 3.8\n"
        "\n"
        "## [1.1.0] - 2024-04-01\n"
    )
    section = (
        "## [1.2.0] - 2024-05-01\n\n### Features\n\n- add search (aaaaaaa)\n"
        "- add export (bbbbbbb)\n\n### Bug fixes\n\n- **io:** close files (ccccccc)\n"
    )

    text = insert_section(existing, section, "1.2.0")

    assert text == (
        "## [1.2.0] - 2024-05-01\n"
        "\n"
        "### Features\n"
        "\n"
        "- Add search, with a long explanation by hand.\n"
        "- add export (bbbbbbb)\n"
        "\n"
        "### Removed\n"
        "\n"
        "- Python 3.8\n"
        "\n"
        "### Bug fixes\n"
        "\n"
        "- **io:** close files (ccccccc)\n"
        "\n"
        "## [1.1.0] - 2024-04-01\n"
    )


def test_an_entry_whose_pull_request_the_notes_name_is_not_repeated() -> None:
    existing = "## [Unreleased]\n\n* Expose `Auth` from the public API. (#3699)\n"
    section = "## [1.2.0] - 2024-05-01\n\n### Other\n\n- Expose `Auth` in `__all__` (#3699) (a1)\n"

    assert insert_section(existing, section, "1.2.0") == (
        "## [1.2.0] - 2024-05-01\n\n* Expose `Auth` from the public API. (#3699)\n"
    )


def test_an_empty_unreleased_section_is_replaced_by_the_release() -> None:
    existing = "# Changelog\n\n## Unreleased\n\n## [1.1.0]\n\n- older\n"

    text = insert_section(existing, SECTION, "1.2.0")

    assert text == "# Changelog\n\n" + SECTION + "\n## [1.1.0]\n\n- older\n"


def test_file_without_release_headings_gets_the_section_at_its_end() -> None:
    existing = "# Changelog\n\nWe write notes here."  # no final newline

    text = insert_section(existing, LINKED_SECTION, "1.2.0")

    assert text == (
        "# Changelog\n"
        "\n"
        "We write notes here.\n"
        "\n" + SECTION + "\n"
        "[1.2.0]: https://github.com/octo/widgets/compare/v1.1.0...v1.2.0\n"
    )


def test_headings_inside_code_fences_are_not_releases() -> None:
    existing = (
        "# Changelog\n"
        "\n"
        "```markdown\n"
        "## [0.0.1] - example inside a fence\n"
        "```\n"
        "\n"
        "## [1.1.0] - 2024-04-01\n"
    )

    text = insert_section(existing, SECTION, "1.2.0")

    assert text == existing.replace("## [1.1.0]", SECTION + "\n## [1.1.0]")


def test_markers_and_linked_headings_of_other_generators_are_kept() -> None:
    existing = (
        "# Changelog\n"
        "<!-- insertion marker -->\n"
        "## [1.1.0](https://github.com/octo/widgets/releases/tag/1.1.0) - 2024-04-01\n"
    )

    text = insert_section(existing, SECTION, "1.2.0")

    assert text == (
        "# Changelog\n"
        "<!-- insertion marker -->\n"
        "\n" + SECTION + "\n"
        "## [1.1.0](https://github.com/octo/widgets/releases/tag/1.1.0) - 2024-04-01\n"
    )


@pytest.mark.parametrize(
    "heading",
    [
        "## [1.2.0] - 2024-05-01",
        "## 1.2.0 (1st May, 2024)",
        "## [1.2.0](https://github.com/octo/widgets/compare/v1.1.0...v1.2.0) (2024-05-01)",
        "## v1.2.0",
        "## 1.2.0",
    ],
)
def test_a_version_that_already_has_a_section_is_not_added_again(heading: str) -> None:
    existing = f"# Changelog\n\n{heading}\n\n- done\n"

    assert insert_section(existing, LINKED_SECTION, "1.2.0") == existing


@pytest.mark.parametrize("heading", ["## [1.2.0rc1] - 2024-04-20", "## [1.2.01]", "## [11.2.0]"])
def test_similar_versions_are_other_sections(heading: str) -> None:
    existing = f"# Changelog\n\n{heading}\n"

    assert insert_section(existing, SECTION, "1.2.0") == f"# Changelog\n\n{SECTION}\n{heading}\n"


def test_inserting_twice_adds_one_section() -> None:
    once = insert_section(HAND_WRITTEN, LINKED_SECTION, "1.2.0")

    assert insert_section(once, LINKED_SECTION, "1.2.0") == once


def test_an_existing_link_definition_for_the_label_is_not_duplicated() -> None:
    existing = "# Changelog\n\n## [1.1.0]\n\n[1.2.0]: https://example.com/custom\n"

    text = insert_section(existing, LINKED_SECTION, "1.2.0")

    assert text.count("[1.2.0]:") == 1
    assert text.endswith("[1.2.0]: https://example.com/custom\n")


def test_unreleased_section_is_written_once() -> None:
    section = "## [Unreleased]\n\n### Bug fixes\n\n- x (1234567)\n"

    once = insert_section(HAND_WRITTEN, section, "Unreleased")

    assert once.index("## [Unreleased]") < once.index("## [1.1.0]")
    assert insert_section(once, section, "Unreleased") == once


_LINE = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.one_of(_LINE, st.sampled_from(["", "## [0.9.0]", "## [Unreleased]", "```", "[x]: y"])),
        max_size=25,
    ),
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
)
def test_every_existing_line_is_kept_in_order(
    lines: list[str], newline: str, final_newline: bool
) -> None:
    existing = newline.join(lines) + (newline if final_newline and lines else "")

    text = insert_section(existing, LINKED_SECTION, "1.2.0")

    used = newline if newline in existing else "\n"  # a one-line file gets the default
    remaining = iter(text.split(used))
    # a release replaces an [Unreleased] heading on top, and the spacing of its section
    unreleased = any(_names_version(line, "Unreleased") for line in lines)
    kept = [
        line
        for line in lines
        if not _names_version(line, "Unreleased") and (line.strip() or not unreleased)
    ]
    assert all(any(line == candidate for candidate in remaining) for line in kept)
    assert insert_section(text, LINKED_SECTION, "1.2.0") == text
