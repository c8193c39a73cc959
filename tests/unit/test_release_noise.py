"""Commits that release nothing (bots, dependency and hook updates), and gitmoji before a type.

The subjects and identities are those real projects' histories hold.
"""

from __future__ import annotations

import pytest

from repokit.release.conventional import parse_commit, parse_log
from repokit.release.noise import is_bot_author, is_noise

PRE_COMMIT_CI = "pre-commit-ci[bot] <66853113+pre-commit-ci[bot]@users.noreply.github.com>"
DEPENDABOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
HUMAN = "William Woodruff <william@yossarian.net>"


@pytest.mark.parametrize(
    ("author", "bot"),
    [
        (PRE_COMMIT_CI, True),
        (DEPENDABOT, True),
        ("renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>", True),
        ("Renovate Bot <bot@renovateapp.com>", True),
        ("github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>", True),
        ("GitHub Action <action@github.com>", True),
        ("github-actions <github-actions@github.com>", True),
        (HUMAN, False),
        ("Bot Hakimi <bot.hakimi@example.com>", False),
        ("Abbott <abbott@example.com>", False),
    ],
)
def test_bot_identities(author: str, bot: bool) -> None:
    assert is_bot_author(author) is bot


@pytest.mark.parametrize(
    ("subject", "noise"),
    [
        ("[pre-commit.ci] pre-commit autoupdate (#722)", True),
        ("[pre-commit.ci] auto fixes from pre-commit.com hooks", True),
        ("build(deps): bump actions/checkout from 6.0.2 to 7.0.0 (#1335)", True),
        ("Bump the github-actions group with 2 updates", True),
        ("chore(deps): update dependency pytest to v8", True),
        ("Update pre-commit hooks", True),
        ("chore(deps-dev): tighten the ruff pin", True),
        ("fix(deps): update dependency urllib3 to v2.2.2 [security]", True),
        ("Lock file maintenance", True),
        ("fix: bump minimum rich dependency to 14.3.3 to prevent verbose hang (#1308)", False),
        ("Bump `packaging >= 26.1` (#1310)", False),
        ("fix(deps): pin click below 9, whose parser broke --help", False),
        ("feat: update the parser to read tabs", False),
        ("Update changelog for 7.0.0 (#1344)", False),
    ],
)
def test_dependency_and_hook_updates_by_a_human_are_noise_too(subject: str, noise: bool) -> None:
    commit = parse_commit("0" * 40, subject)
    assert is_noise(HUMAN, commit.type, commit.scope, commit.description) is noise


def _record(sha: str, author: str, message: str) -> str:
    return f"\x1e{sha}\x1f{author}\x1f{message}\n"


def test_parse_log_drops_bots_and_updates_only_when_asked() -> None:
    text = (
        _record("a" * 40, PRE_COMMIT_CI, "[pre-commit.ci] pre-commit autoupdate\n")
        + _record("b" * 40, DEPENDABOT, "build(deps): bump a from 1 to 2\n")
        + _record("c" * 40, HUMAN, "fix: close the file\n")
        + _record("d" * 40, "github-actions[bot] <x@y>", "feat: regenerate the schema\n")
        + _record("e" * 40, HUMAN, "Tidy up\n")
    )

    kept = parse_log(text, drop_noise=True)
    everything = parse_log(text)

    assert [commit.sha[0] for commit in kept] == ["c", "e"]
    assert [commit.sha[0] for commit in everything] == ["a", "b", "c", "d", "e"]
    assert kept[0].author == HUMAN


@pytest.mark.parametrize(
    ("subject", "type_", "scope", "description", "breaking"),
    [
        ("🐛 fix(parser): accept tabs", "fix", "parser", "accept tabs", False),
        ("✨ feat: add a flag", "feat", None, "add a flag", False),
        ("♻️ refactor!: rename Config", "refactor", None, "rename Config", True),
        ("⬆️ chore(deps): bump ruff", "chore", "deps", "bump ruff", False),
        (":bug: fix: close the file", "fix", None, "close the file", False),
        (":sparkles: feat(cli): colour", "feat", "cli", "colour", False),
        ("👷 ci: cache the wheels", "ci", None, "cache the wheels", False),
        ("🐛 Fix a crash", None, None, "🐛 Fix a crash", False),
    ],
)
def test_a_gitmoji_before_the_type_is_read_past(
    subject: str, type_: str | None, scope: str | None, description: str, breaking: bool
) -> None:
    one = parse_commit("0" * 40, subject)
    [logged] = parse_log(_record("0" * 40, HUMAN, subject + "\n"))

    for commit in (one, logged):
        assert (commit.type, commit.scope, commit.description, commit.breaking) == (
            type_,
            scope,
            description,
            breaking,
        )
        assert commit.subject == subject
