"""`changelog --write` and `release` write the new section as the file's releases are written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from test_release_conventions import repokit

from repokit.testing.sandbox import Sandbox

SAMPLES = Path(__file__).parent.parent / "data" / "changelogs"
MAY_FIRST = {"SOURCE_DATE_EPOCH": "1714521600"}  # 2024-05-01, UTC


def test_write_heads_the_section_like_the_pallets_changelog(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(tag_initial=False)
    sample = (SAMPLES / "click-CHANGES.md").read_bytes()
    sandbox.commit("docs: keep the changes", {"CHANGES.md": sample})

    result = repokit(sandbox.work, "changelog", "--write", **MAY_FIRST)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "CHANGES.md: added the section [0.1.0]\n"
    text = (sandbox.work / "CHANGES.md").read_bytes()
    assert text.startswith(
        b"## Version 0.1.0\n\nReleased 2024-05-01\n\n### Features\n\n- **cli:** "
    )
    assert text.endswith(b"\n\n" + sample)
    assert b"[0.1.0]:" not in text


def test_release_dates_the_section_written_ahead_and_tags_it(sandbox: Sandbox) -> None:
    changes = (
        "Version 0.2.0\n"
        "-------------\n"
        "\n"
        "Unreleased\n"
        "\n"
        "-   Greet people by name.\n"
        "\n"
        "\n"
        "Version 0.1.0\n"
        "-------------\n"
        "\n"
        "Released 2024-01-02\n"
        "\n"
        "-   First release.\n"
    )
    sandbox.commit("docs: notes for 0.2.0", {"CHANGES.rst": changes})
    sandbox.push()

    done = repokit(sandbox.work, "release", "--bump", "minor", "--yes", **MAY_FIRST)

    assert done.returncode == 0, done.stderr
    section = "Version 0.2.0\n-------------\n\nReleased 2024-05-01\n\n-   Greet people by name.\n"
    text = (sandbox.work / "CHANGES.rst").read_text()
    assert text == changes.replace("Unreleased", "Released 2024-05-01")
    message = sandbox.git("tag", "-l", "--format=%(contents)", "v0.2.0")
    assert message.strip() == section.strip()


def test_release_dry_run_shows_the_styled_heading_in_diff_and_tag_message(
    sandbox: Sandbox,
) -> None:
    history = "## v0.1.0 (2024-01-02)\n\n* First release.\n"
    sandbox.commit("docs: history", {"CHANGELOG.md": history})
    sandbox.push()
    before = sandbox.state()

    result = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run", **MAY_FIRST)

    assert result.returncode == 0, result.stderr
    assert "\n+## v0.2.0 (2024-05-01)\n" in result.stdout
    assert "\ntag message:\n  ## v0.2.0 (2024-05-01)\n" in result.stdout
    assert "\n+* **cli:** add a command line entry point (" in result.stdout
    assert sandbox.state() == before


def test_write_gives_a_development_version_s_changes_to_the_unreleased_section(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="0.2.0.dev0", tag_initial=False)  # no release yet
    changes = "## Version 0.2.0\n\nUnreleased\n\n- Greet people by name.\n"
    sandbox.commit("docs: notes for 0.2.0", {"CHANGES.md": changes})

    ahead = repokit(sandbox.work, "changelog", "--write")
    (sandbox.work / "CHANGES.md").write_text("## Version 0.1.0\n\nReleased 2024-01-02\n")
    plain = repokit(sandbox.work, "changelog", "--write")

    assert ahead.stdout == "CHANGES.md: already has a section [Unreleased]; nothing written\n"
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == "CHANGES.md: added the section [Unreleased]\n"
    text = (sandbox.work / "CHANGES.md").read_text()
    assert text.startswith("## Unreleased\n\n### ")
    assert text.endswith("\n\n## Version 0.1.0\n\nReleased 2024-01-02\n")
