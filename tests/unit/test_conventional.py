"""Conventional Commits parsing: headers, breaking-change footers, reverts and git log records."""

from __future__ import annotations

import pytest

from repokit.release.conventional import (
    Commit,
    breaking_notes,
    parse_commit,
    parse_log,
    release_commit_pattern,
    split_message,
    summarize,
)

SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize(
    ("subject", "type_", "scope", "description", "breaking"),
    [
        ("feat: add a flag", "feat", None, "add a flag", False),
        ("fix(parser): accept tabs", "fix", "parser", "accept tabs", False),
        ("feat!: drop Python 3.8", "feat", None, "drop Python 3.8", True),
        ("refactor(core)!: rename Config", "refactor", "core", "rename Config", True),
        ("FEAT(API): shout", "feat", "API", "shout", False),
        ("Fix: capitalised type", "fix", None, "capitalised type", False),
        ("build(deps-dev): bump ruff", "build", "deps-dev", "bump ruff", False),
        ("docs(api, cli): describe both", "docs", "api, cli", "describe both", False),
        ("feat:   extra spaces  ", "feat", None, "extra spaces", False),
    ],
)
def test_conventional_headers_give_type_scope_and_description(
    subject: str, type_: str, scope: str | None, description: str, breaking: bool
) -> None:
    commit = parse_commit(SHA, subject)

    assert (commit.type, commit.scope, commit.description, commit.breaking) == (
        type_,
        scope,
        description,
        breaking,
    )
    assert commit.subject == subject.strip()


@pytest.mark.parametrize(
    "subject",
    [
        "Update README",
        "fixup! feat: add a flag",
        "feat:no space after the colon",
        "feat: ",
        "feat(): empty scope",
        "Merge branch 'topic'",
        "WIP",
    ],
)
def test_other_messages_have_no_type_and_keep_their_subject(subject: str) -> None:
    commit = parse_commit(SHA, subject)

    assert commit.type is None
    assert commit.scope is None
    assert commit.description == subject.strip()
    assert not commit.breaking


def test_breaking_change_footer_makes_a_commit_breaking_with_its_note() -> None:
    body = "The old flag confused people.\n\nBREAKING CHANGE: --colour is now --color"

    commit = parse_commit(SHA, "feat(cli): spell color the American way", body)

    assert commit.breaking
    assert commit.breaking_notes == ("--colour is now --color",)


def test_hyphenated_footer_spelling_counts_too() -> None:
    commit = parse_commit(SHA, "fix: close files", "BREAKING-CHANGE: files close on exit")

    assert commit.breaking
    assert commit.breaking_notes == ("files close on exit",)


def test_breaking_footer_anywhere_among_other_footers_with_a_continued_note() -> None:
    body = (
        "First paragraph of the body.\n"
        "\n"
        "Second paragraph, after a blank line.\n"
        "\n"
        "Reviewed-by: Ada\n"
        "BREAKING CHANGE: the config file moved\n"
        "  to .config/app.toml\n"
        "Refs: #42\n"
        "BREAKING-CHANGE: the env var is gone"
    )

    commit = parse_commit(SHA, "feat: move the config", body)

    assert commit.breaking_notes == (
        "the config file moved to .config/app.toml",
        "the env var is gone",
    )
    assert commit.body == body


def test_a_note_ends_at_a_blank_line() -> None:
    notes = breaking_notes("BREAKING CHANGE: one\n\nUnrelated closing words.")

    assert notes == ("one",)


def test_breaking_change_inside_a_sentence_is_not_a_footer() -> None:
    body = "This is not a BREAKING CHANGE: honest.\nbreaking change: lower case is prose"

    commit = parse_commit(SHA, "fix: reword", body)

    assert not commit.breaking
    assert commit.breaking_notes == ()


def test_bang_without_footer_is_breaking_with_no_notes() -> None:
    commit = parse_commit(SHA, "perf(db)!: index by date")

    assert commit.breaking
    assert commit.breaking_notes == ()


def test_git_revert_subject_is_a_revert_of_the_quoted_header() -> None:
    body = "This reverts commit 89abcdef0123456789abcdef0123456789abcdef."

    commit = parse_commit(SHA, 'Revert "feat(cli): add a flag"', body)

    assert (commit.type, commit.scope, commit.description) == (
        "revert",
        None,
        "feat(cli): add a flag",
    )


def test_conventional_revert_type_is_a_revert() -> None:
    commit = parse_commit(SHA, "revert: feat(cli): add a flag")

    assert (commit.type, commit.description) == ("revert", "feat(cli): add a flag")


def test_short_is_the_seven_character_abbreviation() -> None:
    assert parse_commit(SHA, "feat: x").short == "0123456"


HUMAN = "Ada Lovelace <ada@example.com>"


def _record(sha: str, message: str, author: str = HUMAN) -> str:
    """One record as ``git log --format=LOG_FORMAT`` writes it (a newline closes each record)."""
    return f"\x1e{sha}\x1f{author}\x1f{message}\n"


def test_parse_log_reads_every_record_in_order() -> None:
    a, b, c = ("a" * 40, "b" * 40, "c" * 40)
    text = (
        _record(
            a, "feat(api)!: new endpoint\n\nPara one.\n\nPara two.\n\nBREAKING CHANGE: v1 gone\n"
        )
        + _record(b, "fix: typo\n")
        + _record(c, "chore: start")
    )

    commits = parse_log(text)

    assert [commit.sha for commit in commits] == [a, b, c]
    assert commits[0] == Commit(
        sha=a,
        subject="feat(api)!: new endpoint",
        body="Para one.\n\nPara two.\n\nBREAKING CHANGE: v1 gone",
        type="feat",
        scope="api",
        description="new endpoint",
        breaking=True,
        breaking_notes=("v1 gone",),
        author=HUMAN,
    )
    assert commits[1].body == ""
    assert commits[2].subject == "chore: start"


def test_parse_log_keeps_only_the_types_asked_for_and_every_breaking_change() -> None:
    a, b, c, d, e = ("a" * 40, "b" * 40, "c" * 40, "d" * 40, "e" * 40)
    text = (
        _record(a, "feat: shown\n")
        + _record(b, "chore: hidden\n")
        + _record(c, "chore!: breaking\n")
        + _record(d, "ci: footer\n\nBREAKING CHANGE: runners moved\n")
        + _record(e, "Tidy up\n")
    )

    commits = parse_log(text, only_types={"feat"})

    assert [commit.sha for commit in commits] == [a, c, d, e]
    assert commits[2].breaking_notes == ("runners moved",)


@pytest.mark.parametrize(
    ("message", "subject", "body"),
    [
        ("fix: typo\n", "fix: typo", ""),
        ("fix: typo", "fix: typo", ""),
        ("fix: typo\n\nWhy.\n", "fix: typo", "Why.\n"),
        ("\n\nfix: after blank lines\n", "fix: after blank lines", ""),
        ("fix: a subject\nover two lines\n\nBody.\n", "fix: a subject over two lines", "Body.\n"),
        ("fix: trailing \t\nspace  \n", "fix: trailing space", ""),
        ("fix: crlf\r\n\r\nBody.\r\n", "fix: crlf", "Body.\r\n"),
        (
            "fix: blank lines with spaces\n \n\t\n  Indented body.\n",
            "fix: blank lines with spaces",
            "  Indented body.\n",
        ),
        ("", "", ""),
    ],
)
def test_messages_are_cut_as_git_cuts_subject_and_body(
    message: str, subject: str, body: str
) -> None:
    assert split_message(message) == (subject, body)


def test_parse_log_of_no_output_is_empty() -> None:
    assert parse_log("") == []


@pytest.mark.parametrize(
    ("template", "subject", "matches"),
    [
        ("chore: bump version to {version}", "chore: bump version to 1.2.0", True),
        ("chore: bump version to {version}", "chore: bump version to 2.0.0rc1", True),
        ("chore: bump version to {version}", "chore: bump version to", False),
        ("chore: bump version to {version}", "chore: bump version to 1.2.0 and more", False),
        ("chore: bump version to {version}", "feat: bump version to 1.2.0", False),
        ("release({version}): cut [skip ci]", "release(1.0.0): cut [skip ci]", True),
        ("release({version}): cut [skip ci]", "release(1.0.0): cut [skip cd]", False),
        ("Release {version}\n\nMade by repokit.", "Release 3.1.4", True),
    ],
)
def test_release_commit_pattern_matches_subjects_made_from_the_template(
    template: str, subject: str, matches: bool
) -> None:
    assert (release_commit_pattern(template).fullmatch(subject) is not None) is matches


def test_summarize_reports_breaking_and_feature_commits() -> None:
    fix = parse_commit(SHA, "fix: x")
    feat = parse_commit(SHA, "feat: y")
    breaking_fix = parse_commit(SHA, "fix!: z")
    other = parse_commit(SHA, "Update docs", "BREAKING CHANGE: footers count without a type")

    assert summarize([]) == (False, False)
    assert summarize([fix]) == (False, False)
    assert summarize([fix, feat]) == (False, True)
    assert summarize([breaking_fix, fix]) == (True, False)
    assert summarize(iter([other, feat])) == (True, True)
