"""Date versions as their maintainers use them: patch on a counter, calver to the current
period in the same shape, auto from the commits and the calendar, and no refusal that names
a bump which then refuses again."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from repokit.config import Config
from repokit.errors import RepokitError, VersionError
from repokit.release.bump_decision import decide, decide_by_kinds
from repokit.release.calver import period_just_ended, scheme_of
from repokit.release.conventional import Commit, parse_commit
from repokit.release.versioning import bump_version
from repokit.release.written import dated_patch_base

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("current", "counter_start", "name"),
    [
        ("2026.08.17", None, "YYYY.MM.DD"),  # certifi
        ("2024.11.0b5", None, "YYYY.M.N"),  # home-assistant
        ("26.5.1", None, "YY.M.N"),
        ("26.1.0", 0, "YY.N.N"),
        ("25.1", 0, "YY.N"),  # pip
        ("24.10", None, "YY.M"),
    ],
)
def test_the_scheme_is_read_from_the_version(
    current: str, counter_start: int | None, name: str
) -> None:
    scheme = scheme_of(current, TODAY, counter_start)
    assert scheme is not None and scheme.name == name


@pytest.mark.parametrize(
    ("current", "counter_start", "expected"),
    [
        ("26.5.1", None, "26.5.2"),
        ("2024.11.0b5", None, "2024.11.0"),
        ("2024.11.0", None, "2024.11.1"),
        ("26.1.0", 0, "26.1.1"),
        ("25.1", 0, "25.1.1"),
        ("25.1.1", 0, "25.1.2"),
    ],
)
def test_a_counter_last_takes_patch(current: str, counter_start: int | None, expected: str) -> None:
    assert bump_version(current, "patch", today=TODAY, counter_start=counter_start) == expected


@pytest.mark.parametrize(
    ("current", "counter_start", "expected"),
    [
        ("26.5.1", None, "26.12.0"),
        ("2024.11.0b5", None, "2026.12.0"),
        ("2026.12.0b1", None, "2026.12.0"),
        ("2026.08.17", None, "2026.12.07"),
        ("2026.12.07", None, "2026.12.07.1"),
        ("25.2", 0, "26.0"),
        ("26.1.0", 0, "26.2.0"),
        ("26.12.1", None, "26.12.2"),
    ],
)
def test_calver_moves_to_the_current_period_in_the_same_shape(
    current: str, counter_start: int | None, expected: str
) -> None:
    assert bump_version(current, "calver", today=TODAY, counter_start=counter_start) == expected


def _commits(*subjects: str) -> list[Commit]:
    return [parse_commit(f"{n:040d}", subject) for n, subject in enumerate(subjects)]


@pytest.mark.parametrize(
    ("current", "subjects", "calver_auto", "bump"),
    [
        ("26.12.1", ["fix: close the file"], "", "patch"),
        ("26.12.1", ["feat: a flag"], "", "calver"),
        ("26.12.1", ["fix!: drop a flag"], "", "calver"),
        ("26.5.1", ["fix: close the file"], "", "calver"),  # another month
        ("26.12.1", ["feat: a flag"], "patch", "patch"),
        ("26.12.1", ["fix: close the file"], "calver", "calver"),
        ("2026.08.17", ["fix: close the file"], "", "calver"),  # the day moved
        ("2026.12.07", ["fix: close the file"], "patch", "calver"),  # a day takes no patch
    ],
)
def test_auto_on_a_date_version(
    current: str, subjects: list[str], calver_auto: str, bump: str
) -> None:
    picked = decide(
        current,
        _commits(*subjects),
        since="x",
        conventional=True,
        today=TODAY,
        calver_auto=calver_auto,
    )
    assert picked.bump == bump


@pytest.mark.parametrize(
    ("current", "breaking", "feature", "bump"),
    [
        ("26.12.1", True, False, "calver"),  # a removal fragment: the next period, not 27
        ("26.12.1", False, True, "calver"),
        ("26.12.1", False, False, "patch"),
        ("26.5.1", False, False, "calver"),  # another month
        ("2026.12.07", False, False, "calver"),  # a day takes no patch
        ("1.4.0", True, False, "major"),
        ("0.4.0", True, False, "minor"),
    ],
)
def test_notes_kinds_on_a_date_version(
    current: str, breaking: bool, feature: bool, bump: str
) -> None:
    picked = decide_by_kinds(current, breaking=breaking, feature=feature, today=TODAY)
    assert picked.bump == bump


def test_an_unconventional_history_is_told_to_name_the_bump() -> None:
    with pytest.raises(RepokitError) as info:
        decide("1.2.3", _commits("Tidy up"), since="v1.2.2", conventional=False, today=TODAY)
    assert "Conventional Commits" in info.value.message
    assert "--bump patch" in (info.value.hint or "")


_NAMED = re.compile(r"--bump (\w+)")

#: (current, counter_start, the commits since the release, conventional history)
SITUATIONS = [
    (current, start, subjects, conventional)
    for current, start in [
        ("2026.08.17", None),
        ("2026.12.07", None),
        ("26.5.1", None),
        ("26.12.1", None),
        ("2024.11.0b5", None),
        ("2026.12.0b1", None),
        ("26.1.0", 0),
        ("25.1", 0),
        ("26.2", 0),
        ("24.10", None),
        ("1.2.3", None),
        ("0.4.0rc1", None),
    ]
    for subjects in (["docs: a page"], ["Tidy up"], ["fix: x"], [])
    for conventional in (True, False)
]


@pytest.mark.parametrize(("current", "start", "subjects", "conventional"), SITUATIONS)
def test_every_bump_a_refusal_names_is_taken(
    current: str, start: int | None, subjects: list[str], conventional: bool
) -> None:
    """Walk every refusal of auto and of each bump word: the bump it names must not refuse."""
    attempts: list[RepokitError] = []
    try:
        picked = decide(
            current,
            _commits(*subjects),
            since="x",
            conventional=conventional,
            today=TODAY,
            counter_start=start,
        )
        bump_version(current, picked.bump, today=TODAY, counter_start=start)
    except RepokitError as error:
        attempts.append(error)
    for bump in ("major", "minor", "patch", "calver"):
        try:
            bump_version(current, bump, today=TODAY, counter_start=start)
        except VersionError as error:
            attempts.append(error)
    for error in attempts:
        named = _NAMED.findall(error.hint or "")
        if "X.Y.Z" not in (error.hint or ""):
            assert named, f"{error.message}: no bump named in {error.hint!r}"
        for bump in named:
            assert bump_version(current, bump, today=TODAY, counter_start=start)


@pytest.mark.parametrize(
    ("current", "breaking", "feature", "bump"),
    [
        ("1.2.3", False, True, "minor"),
        ("26.12.1", False, True, "calver"),
        ("26.12.1", False, False, "patch"),
        ("26.5.1", False, False, "calver"),  # another month
        ("2026.12.07", False, False, "calver"),  # a day takes no patch
    ],
)
def test_notes_kinds_on_a_date_version_follow_its_calendar(
    current: str, breaking: bool, feature: bool, bump: str
) -> None:
    assert decide_by_kinds(current, breaking=breaking, feature=feature, today=TODAY).bump == bump


def test_a_patch_on_a_date_development_marker_goes_to_the_last_release(tmp_path: Path) -> None:
    config = Config(root=tmp_path)
    # pip: "26.3.dev0" in the files after 26.2, and a bug fix released as 26.2.1
    base = dated_patch_base(config, "26.3.dev0", config.tag_for("26.2"), TODAY, 0)
    assert base == "26.2"
    assert bump_version(base, "patch", today=TODAY, counter_start=0) == "26.2.1"
    # a semantic version's marker is the release the patch makes: 1.5.0.dev0 gives 1.5.0
    assert dated_patch_base(config, "1.5.0.dev0", config.tag_for("1.4.0"), TODAY, None) is None
    assert dated_patch_base(config, "26.3", config.tag_for("26.2"), TODAY, 0) is None


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("24.7.0.post0", "24.10.0rc1"),  # twisted after 24.7.0, as incremental.update --rc
        ("24.10.0rc1", "24.10.0rc2"),
        ("24.10.0b1", "24.10.0rc1"),
        ("24.10.0", "24.10.1rc1"),
    ],
)
def test_calver_with_pre_gives_the_period_s_pre_release(current: str, expected: str) -> None:
    assert bump_version(current, "calver", "rc", today=dt.date(2024, 10, 19)) == expected


@pytest.mark.parametrize(
    ("raw", "today", "ended"),
    [
        ("24.7.0rc2", dt.date(2024, 8, 8), True),  # twisted's final, two days into August
        ("24.6.0b1", dt.date(2024, 6, 20), False),  # the current period, not the one before
        ("24.12.0rc1", dt.date(2025, 1, 3), True),
        ("2026.8.0b5", dt.date(2026, 12, 7), False),
        ("2026.12.06", dt.date(2026, 12, 7), True),
    ],
)
def test_the_period_just_ended_is_last_month_or_yesterday(
    raw: str, today: dt.date, ended: bool
) -> None:
    scheme = scheme_of(raw, today, None)
    assert scheme is not None
    assert period_just_ended(raw, scheme, today) is ended
