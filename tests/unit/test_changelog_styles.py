"""A new changelog section written in the heading style of the file, on real changelogs.

The samples in tests/data/changelogs are the top lines of real projects' changelogs (see
SOURCES.md there); each test adds a release to one and checks the bytes of the new top.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from repokit.release import dates
from repokit.release.changelog import render_section
from repokit.release.changelog_file import add_section
from repokit.release.conventional import parse_commit
from repokit.release.underlined import UnderlinedError

SAMPLES = Path(__file__).parent.parent / "data" / "changelogs"
COMMITS = [
    parse_commit("a" * 40, "feat(cli): add a --quiet flag", ""),
    parse_commit("b" * 40, "fix: close the file on error (#12)", ""),
]
DAY = dt.date(2026, 12, 1)


def _section(version: str, date: dt.date | None = DAY, repo_url: str | None = None) -> str:
    return render_section(
        version, date, COMMITS, repo_url=repo_url, previous_tag="v1.0.0", tag=f"v{version}"
    )


def _sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def _path(name: str) -> Path:
    """The file name the project uses: the sample's name without the project in front."""
    return Path(name.removeprefix("python-semantic-release-").split("-", 1)[-1])


@pytest.mark.parametrize(
    ("name", "anchor", "block"),
    [
        pytest.param(
            "attrs-CHANGELOG.md",
            "## [26.1.0](https://github.com/python-attrs/attrs/tree/26.1.0) - 2026-03-19\n",
            (
                "## [99.1.0](https://github.com/python-attrs/attrs/tree/99.1.0) - 2026-12-01\n"
                "\n"
                "### Features\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "### Bug fixes\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="attrs",
        ),
        pytest.param(
            "cachetools-CHANGELOG.rst",
            "v7.0.6 (2026-04-20)\n",
            (
                "v99.1.0 (2026-12-01)\n"
                "====================\n"
                "\n"
                "**Features**\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "**Bug fixes**\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="cachetools",
        ),
        pytest.param(
            "click-CHANGES.md",
            "## Version 8.4.2\n",
            (
                "## Version 99.1.0\n"
                "\n"
                "Released 2026-12-01\n"
                "\n"
                "### Features\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "### Bug fixes\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="click",
        ),
        pytest.param(
            "commitizen-CHANGELOG.md",
            "## v4.13.9 (2026-02-25)\n",
            (
                "## v99.1.0 (2026-12-01)\n"
                "\n"
                "### Features\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "### Bug fixes\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="commitizen",
        ),
        pytest.param(
            "filelock-changelog.rst",
            "********************\n 3.32.3 (2026-08-13)\n",
            (
                "********************\n"
                " 99.1.0 (2026-12-01)\n"
                "********************\n"
                "\n"
                "**Features**\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "**Bug fixes**\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="filelock",
        ),
        pytest.param(
            "logfire-CHANGELOG.md",
            "## [v4.41.0] (2026-08-20)\n",
            (
                "## [v99.1.0] (2026-12-01)\n"
                "\n"
                "### Features\n"
                "\n"
                "* **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "### Bug fixes\n"
                "\n"
                "* close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="logfire",
        ),
        pytest.param(
            "markupsafe-CHANGES.rst",
            "Version 3.1.0\n",
            (
                "Version 99.1.0\n"
                "--------------\n"
                "\n"
                "Released 2026-12-01\n"
                "\n"
                "**Features**\n"
                "\n"
                "-   **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "**Bug fixes**\n"
                "\n"
                "-   close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="markupsafe",
        ),
        pytest.param(
            "openai-python-CHANGELOG.md",
            "## [3.3.1](https://github.com/openai/openai-python/compare/v3.3.0...v3.3.1)"
            " (2026-08-19)\n",
            (
                "## [99.1.0](https://github.com/openai/openai-python/compare/v3.3.1...v99.1.0)"
                " (2026-12-01)\n"
                "\n"
                "### Features\n"
                "\n"
                "* **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "### Bug fixes\n"
                "\n"
                "* close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="openai",
        ),
        pytest.param(
            "pluggy-CHANGELOG.rst",
            "pluggy 1.6.0 (2025-05-15)\n",
            (
                "pluggy 99.1.0 (2026-12-01)\n"
                "==========================\n"
                "\n"
                "Features\n"
                "--------\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "Bug fixes\n"
                "---------\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="pluggy",
        ),
        pytest.param(
            "python-semantic-release-CHANGELOG.rst",
            ".. _changelog-v10.6.1:\n",
            (
                ".. _changelog-v99.1.0:\n"
                "\n"
                "v99.1.0 (2026-12-01)\n"
                "====================\n"
                "\n"
                "Features\n"
                "--------\n"
                "\n"
                "* **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "Bug fixes\n"
                "---------\n"
                "\n"
                "* close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="python",
        ),
        pytest.param(
            "requests-HISTORY.md",
            "2.34.2 (2026-05-14)\n",
            (
                "99.1.0 (2026-12-01)\n"
                "-------------------\n"
                "\n"
                "**Features**\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "**Bug fixes**\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="requests",
        ),
        pytest.param(
            "rich-CHANGELOG.md",
            "## [14.3.3] - 2026-02-19\n",
            (
                "## [99.1.0] - 2026-12-01\n"
                "\n"
                "### Features\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "### Bug fixes\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="rich",
        ),
        pytest.param(
            "twine-changelog.rst",
            "twine 7.0.0 (2026-07-27)\n",
            (
                "twine 99.1.0 (2026-12-01)\n"
                "-------------------------\n"
                "\n"
                "Features\n"
                "^^^^^^^^\n"
                "\n"
                "- **cli:** add a --quiet flag (aaaaaaa)\n"
                "\n"
                "Bug fixes\n"
                "^^^^^^^^^\n"
                "\n"
                "- close the file on error (#12) (bbbbbbb)\n"
                "\n"
            ),
            id="twine",
        ),
    ],
)
def test_a_release_section_takes_the_style_of_the_newest_release(
    name: str, anchor: str, block: str
) -> None:
    existing = _sample(name)

    after, written = add_section(_path(name), existing, "99.1.0", _section("99.1.0"))

    assert after == existing.replace(anchor, block + anchor, 1)
    if block.startswith(".. _"):  # a target for the docs' links is not for the tag message
        block = block.split("\n\n", 1)[1]
    assert written == block.rstrip("\n") + "\n"  # what the tag carries


def test_keep_a_changelog_files_keep_their_link_definitions() -> None:
    existing = _sample("rich-CHANGELOG.md")
    section = _section("14.4.0", repo_url="https://github.com/textualize/rich")

    after, _ = add_section(Path("CHANGELOG.md"), existing, "14.4.0", section)

    assert after.endswith(
        "\n\n[14.4.0]: https://github.com/textualize/rich/compare/v1.0.0...v14.4.0\n"
    )
    assert (
        "\n## [14.4.0] - 2026-12-01\n\n### Features\n\n- **cli:** add a --quiet flag ([aaa" in after
    )


def test_a_labelled_heading_gets_its_label_defined() -> None:
    existing = _sample("logfire-CHANGELOG.md")
    section = _section("4.42.0", repo_url="https://github.com/pydantic/logfire")

    after, written = add_section(Path("CHANGELOG.md"), existing, "4.42.0", section)

    assert written.startswith("## [v4.42.0] (2026-12-01)\n")
    assert after.endswith(
        "\n[v4.42.0]: https://github.com/pydantic/logfire/compare/v1.0.0...v4.42.0\n"
    )


def test_an_unreleased_section_becomes_the_release_in_the_file_style() -> None:
    existing = _sample("httpx-CHANGELOG.md")

    after, written = add_section(Path("CHANGELOG.md"), existing, "0.29.0", _section("0.29.0"))

    new = (
        "## 0.29.0 (1st December, 2026)\n"
        "\n"
        "### Removed\n"
        "\n"
        "* Drop support for Python 3.8\n"
        "\n"
        "### Added\n"
        "\n"
        "* Expose `FunctionAuth` from the public API. (#3699)\n"
        "\n"
        "### Features\n"
        "\n"
        "* **cli:** add a --quiet flag (aaaaaaa)\n"
        "\n"
        "### Bug fixes\n"
        "\n"
        "* close the file on error (#12) (bbbbbbb)\n"
    )
    top, rest = existing.split("## [UNRELEASED]\n", 1)
    assert after == top + new + "\n## 0.28.1" + rest.split("\n## 0.28.1", 1)[1]
    assert written == new


def test_a_linked_unreleased_heading_becomes_the_release_with_its_compare_link() -> None:
    existing = _sample("structlog-CHANGELOG.md")

    after, written = add_section(Path("CHANGELOG.md"), existing, "26.2.0", _section("26.2.0"))

    heading = (
        "## [26.2.0](https://github.com/hynek/structlog/compare/26.1.0...26.2.0) - 2026-12-01\n"
    )
    unreleased = "## [Unreleased](https://github.com/hynek/structlog/compare/26.1.0...HEAD)\n\n\n"
    assert after == existing.replace(unreleased, written + "\n")
    assert written == (
        heading + "\n### Features\n\n- **cli:** add a --quiet flag (aaaaaaa)\n\n"
        "### Bug fixes\n\n- close the file on error (#12) (bbbbbbb)\n"
    )


def test_a_section_written_ahead_is_dated_and_is_the_tag_message() -> None:
    existing = _sample("markupsafe-CHANGES.rst")

    after, written = add_section(Path("CHANGES.rst"), existing, "3.1.0", _section("3.1.0"))

    assert after == existing.replace("Unreleased\n", "Released 2026-12-01\n", 1)
    assert written == (
        "Version 3.1.0\n"
        "-------------\n"
        "\n"
        "Released 2026-12-01\n"
        "\n"
        "-   Drop support for Python 3.9.\n"
        "-   Remove previously deprecated code.\n"
    )


def test_a_markdown_section_written_ahead_is_dated_like_the_others() -> None:
    existing = (
        "## Version 2.1.0\n\nUnreleased\n\n- Add a flag.\n\n"
        "## Version 2.0.0\n\nReleased on May 4, 2026\n\n- First.\n"
    )

    after, written = add_section(Path("CHANGES.md"), existing, "2.1.0", _section("2.1.0"))

    assert after == existing.replace("Unreleased", "Released on December 1, 2026", 1)
    assert written == "## Version 2.1.0\n\nReleased on December 1, 2026\n\n- Add a flag.\n"


def test_the_unreleased_section_is_headed_at_the_file_level_without_a_date() -> None:
    existing = _sample("commitizen-CHANGELOG.md")

    after, _ = add_section(
        Path("CHANGELOG.md"), existing, "Unreleased", _section("Unreleased", None)
    )

    assert after.startswith("## Unreleased\n\n### Features\n\n- **cli:** add a --quiet flag")
    assert after.endswith(existing)


def test_an_unreleased_underlined_section_is_titled_unreleased() -> None:
    existing = _sample("twine-changelog.rst")

    after, _ = add_section(
        Path("changelog.rst"), existing, "Unreleased", _section("Unreleased", None)
    )

    assert (
        "\n.. towncrier release notes start\n\nUnreleased\n----------\n\nFeatures\n^^^^^^^^\n"
        in after
    )


def test_level_one_release_headings_go_under_the_title() -> None:
    existing = "# Changelog\n\n# Version 1.1.0\n\n* Fixed.\n\n# Version 1.0.0\n\n* First.\n"

    after, _ = add_section(Path("CHANGELOG.md"), existing, "1.2.0", _section("1.2.0"))

    assert after == existing.replace(
        "# Version 1.1.0",
        "# Version 1.2.0\n\n## Features\n\n* **cli:** add a --quiet flag (aaaaaaa)\n\n"
        "## Bug fixes\n\n* close the file on error (#12) (bbbbbbb)\n\n# Version 1.1.0",
    )


DEFAULT_TOP = "## [1.2.0] - 2026-12-01\n\n### Features\n\n- **cli:** add a --quiet flag"


@pytest.mark.parametrize(
    "releases",
    [
        "## 1.1.0 (2026-01-01)\n\n- Fixed.\n\n## v1.0.0 - 2025-12-01\n",  # two styles
        "## 1.1.0 (Jan 2026)\n\n- Fixed.\n",  # a date shape that is not read
        "## 1.1.0 - codename 7\n\n- Fixed.\n",  # a number that is not the version
        "## [1.1.0](https://example.com/1.0.0/1.0.1/1.1.0) - 2026-01-01\n",  # other versions
    ],
)
def test_a_style_that_cannot_be_read_surely_gives_the_default(releases: str) -> None:
    existing = "# Changelog\n\n" + releases

    after, _ = add_section(Path("CHANGELOG.md"), existing, "1.2.0", _section("1.2.0"))

    assert after.startswith("# Changelog\n\n" + DEFAULT_TOP)
    assert after.endswith(releases)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-05-01", "2026-12-01"),
        ("2024/05/01", "2026/12/01"),
        ("6th December, 2024", "1st December, 2026"),
        ("22nd May 2024", "1st December 2026"),
        ("May 4, 2024", "December 1, 2026"),
        ("May 04, 2024", "December 01, 2026"),
        ("4 May 2024", "1 December 2026"),
        ("Dec 13, 2024", "Dec 1, 2026"),
    ],
)
def test_dates_are_written_in_the_format_of_the_sample(written: str, expected: str) -> None:
    fmt = dates.format_of(written)

    assert fmt is not None
    assert dates.render(DAY, fmt) == expected


def test_unknown_date_shapes_are_not_read() -> None:
    assert dates.format_of("2024-5-1") is None
    assert dates.format_of("Q2 2024") is None


def test_a_yanked_mark_is_not_copied_to_the_new_heading() -> None:
    existing = "# Changelog\n\n## 1.1.0 (2026-02-01) [YANKED]\n\n- Oops.\n\n## 1.0.0 (2026-01-01)\n"

    after, written = add_section(Path("CHANGELOG.md"), existing, "1.2.0", _section("1.2.0"))

    assert written.startswith("## 1.2.0 (2026-12-01)\n\n### Features\n")
    assert after == existing.replace("## 1.1.0", written + "\n## 1.1.0")


def test_a_crlf_changelog_gets_its_styled_section_in_crlf() -> None:
    existing = _sample("click-CHANGES.md").replace("\n", "\r\n")

    after, written = add_section(Path("CHANGES.md"), existing, "8.5.0", _section("8.5.0"))

    assert after == written.replace("\n", "\r\n") + "\r\n" + existing
    assert written.startswith("## Version 8.5.0\n\nReleased 2026-12-01\n\n### Features\n")


NAMES = ["CHANGELOG.md", "CHANGES.rst"]
_LINE = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=20)
_STYLED = st.sampled_from(
    [
        "",
        "## Version 1.0.0",
        "## v0.9.0 (2024-01-01)",
        "Released 2024-01-01",
        "-   an entry",
        "* an entry",
        "1.0.0 (2024-01-01)",
        "------------------",
        "```",
    ]
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.one_of(_LINE, _STYLED), max_size=20), name=st.sampled_from(NAMES))
def test_every_existing_line_is_kept_in_order_whatever_the_style(
    lines: list[str], name: str
) -> None:
    existing = "\n".join(lines) + "\n"
    assume("unreleased" not in existing.lower())  # that section is the release's to take
    assume(existing.strip())  # blank lines alone are no content to keep (.rst starts anew)

    try:
        after, _ = add_section(Path(name), existing, "1.2.0", _section("1.2.0"))
    except UnderlinedError:
        return  # an .rst file without a release heading is refused, not guessed at
    kept = iter(after.split("\n"))
    assert all(line in kept for line in existing.split("\n"))


def test_unreleased_changes_belong_to_the_section_written_ahead() -> None:
    existing = _sample("markupsafe-CHANGES.rst")

    after, written = add_section(
        Path("CHANGES.rst"), existing, "Unreleased", _section("Unreleased", None)
    )

    assert after == existing
    assert written == (
        "Version 3.1.0\n-------------\n\nUnreleased\n\n"
        "-   Drop support for Python 3.9.\n-   Remove previously deprecated code.\n"
    )


def test_an_underlined_unreleased_heading_is_the_unreleased_section() -> None:
    existing = (
        "Changelog\n---------\n\n*unreleased*\n~~~~~~~~~~~~\n\n* A fix.\n\n"
        "1.0 - 2024-01-01\n~~~~~~~~~~~~~~~~\n"
    )

    after, _ = add_section(
        Path("CHANGELOG.rst"), existing, "Unreleased", _section("Unreleased", None)
    )

    assert after == existing
