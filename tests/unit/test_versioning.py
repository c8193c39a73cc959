"""Version bumps follow PEP 440 ordering, and writing a version changes only its bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from repokit.config import Config
from repokit.errors import UsageError, VersionError
from repokit.release.calver import next_date_version
from repokit.release.sources import read_version, version_edits
from repokit.release.version_files import check as check_version_files
from repokit.release.versioning import auto_bump, next_version


@pytest.mark.parametrize(
    ("current", "bump", "pre", "expected"),
    [
        ("1.2.3", "major", None, "2.0.0"),
        ("1.2.3", "minor", None, "1.3.0"),
        ("1.2.3", "patch", None, "1.2.4"),
        ("1.2", "patch", None, "1.2.1"),
        ("1.2.3", "prerelease", None, "1.2.4rc1"),
        ("1.2.3", "prerelease", "beta", "1.2.4b1"),
        ("1.3.0rc1", "prerelease", None, "1.3.0rc2"),
        ("1.3.0rc1", "prerelease", "rc", "1.3.0rc2"),
        ("1.3.0b2", "prerelease", "rc", "1.3.0rc1"),
        ("1.3.0rc2", "minor", None, "1.3.0"),
        ("1.3.0rc2", "patch", None, "1.3.0"),
        ("1.3.1rc2", "minor", None, "1.4.0"),
        ("2.0.0a1", "major", None, "2.0.0"),
        ("2.1.0a1", "major", None, "3.0.0"),
        ("1.2.3", "minor", "rc", "1.3.0rc1"),
        ("1.3.0rc1", "minor", "rc", "1.3.0rc2"),
        ("1.2.3.post2", "patch", None, "1.2.4"),
        ("1.3.0.dev4", "patch", None, "1.3.0"),
        ("1.3.0.dev4", "prerelease", None, "1.3.0rc1"),
        ("1!1.0.0", "minor", None, "1!1.1.0"),
        ("v2.8.1", "patch", None, "2.8.2"),
        ("2.0.0alpha1", "prerelease", None, "2.0.0a2"),
        ("0.12.0-alpha.0", "patch", None, "0.12.0"),
        ("0.0.0.1.dev0", "major", None, "1.0.0"),
        ("0.post1.dev0", "major", None, "1.0.0"),
        ("1.2.3.post1.dev0", "prerelease", None, "1.2.4rc1"),
        ("0a0.post1.dev0", "major", "alpha", "0.0.0a1"),
        ("1.3.0rc2.dev1", "prerelease", None, "1.3.0rc2"),
        ("1.2.3.4rc1", "prerelease", None, "1.2.4rc1"),
    ],
)
def test_documented_bumps(current: str, bump: str, pre: str | None, expected: str) -> None:
    assert next_version(current, bump, pre) == expected


def test_a_pre_release_kind_that_goes_backwards_is_refused() -> None:
    with pytest.raises(VersionError) as info:
        next_version("1.3.0rc1", "prerelease", "beta")
    assert "would go backwards" in info.value.message
    assert info.value.hint


def test_bad_bump_and_pre_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        next_version("1.0.0", "huge")
    with pytest.raises(UsageError):
        next_version("1.0.0", "prerelease", "gamma")


def test_invalid_and_local_versions_are_refused() -> None:
    with pytest.raises(VersionError):
        next_version("not.a.version", "patch")
    with pytest.raises(VersionError) as info:
        next_version("1.0.0+local", "patch")
    assert "local" in info.value.message


@pytest.mark.parametrize(
    ("current", "breaking", "feature", "bump"),
    [
        ("1.2.3", True, True, "major"),
        ("0.4.0", True, False, "minor"),
        ("1.2.3", False, True, "minor"),
        ("1.2.3", False, False, "patch"),
    ],
)
def test_auto_bump(current: str, breaking: bool, feature: bool, bump: str) -> None:
    assert auto_bump(current, breaking=breaking, feature=feature) == bump


versions = st.builds(
    lambda epoch, release, pre, post, dev: Version(
        f"{epoch}!{'.'.join(map(str, release))}{pre}{post}{dev}"
    ),
    epoch=st.sampled_from([0, 0, 0, 1]),
    release=st.lists(st.integers(0, 30), min_size=1, max_size=4),
    pre=st.one_of(
        st.just(""),
        st.builds(lambda k, n: f"{k}{n}", st.sampled_from(["a", "b", "rc"]), st.integers(0, 9)),
    ),
    post=st.sampled_from(["", "", ".post1"]),
    dev=st.sampled_from(["", "", ".dev0", ".dev3"]),
)


@settings(max_examples=int(os.environ.get("VERSION_EXAMPLES", "300")))
@given(
    version=versions,
    bump=st.sampled_from(["major", "minor", "patch", "prerelease"]),
    pre=st.sampled_from([None, "alpha", "beta", "rc"]),
)
def test_every_bump_goes_strictly_up(version: Version, bump: str, pre: str | None) -> None:
    try:
        result = next_version(str(version), bump, pre)
    except VersionError as error:
        assert "backwards" in error.message  # the only refusal a valid version can meet
        return
    assert Version(result) > version
    assert str(Version(result)) == result  # canonical form


def project(tmp_path: Path, pyproject: bytes, files: dict[str, bytes] | None = None) -> Config:
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    for name, data in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return Config(root=tmp_path, version_files=tuple(files or ()))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            b'[project]\nname = "x"\nversion = "1.0.0"\n',
            b'[project]\nname = "x"\nversion = "1.1.0"\n',
        ),
        (
            b"[project]\r\nname = 'x'\r\nversion = '1.0.0'  # bump me\r\n",
            b"[project]\r\nname = 'x'\r\nversion = '1.1.0'  # bump me\r\n",
        ),
        (
            b'[project]\nname        = "x"\nversion     = "1.0.0"',
            b'[project]\nname        = "x"\nversion     = "1.1.0"',
        ),
        (
            b'[tool.commitizen]\nversion = "1.0.0"\n[tool.poetry]\nname = "x"\nversion = "1.0.0"\n',
            b'[tool.commitizen]\nversion = "1.0.0"\n[tool.poetry]\nname = "x"\nversion = "1.1.0"\n',
        ),
        (
            b'[tool.other]\nversion = "9"\n[project]\n# the version\nversion = "1.0.0"\n[x]\ny=1\n',
            b'[tool.other]\nversion = "9"\n[project]\n# the version\nversion = "1.1.0"\n[x]\ny=1\n',
        ),
    ],
)
def test_pyproject_changes_in_the_version_bytes_only(
    tmp_path: Path, before: bytes, after: bytes
) -> None:
    config = project(tmp_path, before)
    assert read_version(config) == "1.0.0"
    edits = version_edits(config, "1.1.0")
    assert [edit.after for edit in edits] == [after]
    assert edits[0].before == before


def test_version_files_are_updated_and_checked(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        b'[project]\nname = "x"\nversion = "1.0.0"\n',
        {"src/x/__init__.py": b'"""x."""\n__version__ = "1.0.0"\n', "VERSION.txt": b"1.0.0\n"},
    )
    check_version_files(config, "1.0.0")
    edits = version_edits(config, "2.0.0")
    assert [edit.after for edit in edits[1:]] == [b'"""x."""\n__version__ = "2.0.0"\n', b"2.0.0\n"]


def test_a_disagreeing_version_file_is_named(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        b'[project]\nname = "x"\nversion = "1.0.0"\n',
        {"src/x/__init__.py": b'__version__ = "0.9.0"\n'},
    )
    with pytest.raises(VersionError) as info:
        check_version_files(config, "1.0.0")
    assert "src/x/__init__.py" in info.value.message
    assert "'0.9.0'" in info.value.message


def test_missing_version_file_is_named(tmp_path: Path) -> None:
    config = Config(root=tmp_path, version_files=("src/gone.py",))
    (tmp_path / "pyproject.toml").write_text('[project]\nversion = "1.0.0"\n')
    with pytest.raises(VersionError) as info:
        check_version_files(config, "1.0.0")
    assert "gone.py: version file not found" in info.value.message


@pytest.mark.parametrize(
    ("pyproject", "words"),
    [
        (b'[project]\nname = "x"\ndynamic = ["version"]\n', "dynamic"),
        (b'[project]\nname = "x"\n', "no version"),
        (b'[project]\nversion = "one"\n', "not a valid PEP 440 version"),
        (b"[project\n", "invalid TOML"),
    ],
)
def test_unreadable_versions_name_the_file(tmp_path: Path, pyproject: bytes, words: str) -> None:
    config = project(tmp_path, pyproject)
    with pytest.raises(VersionError) as info:
        read_version(config)
    assert str(tmp_path / "pyproject.toml") in info.value.message
    assert words in info.value.message
    assert info.value.hint


@pytest.mark.parametrize(
    ("current", "today", "expected"),
    [
        ("26.3", "2026-12-01", "26.4"),  # pypa/packaging: the year's fourth release
        ("26.4.dev0", "2026-12-01", "26.4"),  # the release the dev version announces
        ("26.4rc1", "2026-12-01", "26.4"),
        ("25.9.dev0", "2026-12-01", "26.0"),  # last year's: the new year's first
        ("26.5.0", "2026-12-01", "26.6.0"),  # three parts stay three
        ("26.3.post1", "2026-12-01", "26.4"),  # a post-release is out: the next number
    ],
)
def test_a_counted_date_version_keeps_its_parts_and_finalises_a_dev_release(
    current: str, today: str, expected: str
) -> None:
    import datetime as dt

    assert next_date_version(current, dt.date.fromisoformat(today), 0) == expected
