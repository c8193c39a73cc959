"""Tag formats, version sources, date versions and version files: pure logic over files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from repokit.config import Config, load
from repokit.errors import VersionError
from repokit.release import underlined, version_files
from repokit.release.calver import is_date_version as is_calver
from repokit.release.calver import next_date_version as next_calver
from repokit.release.conventional import is_tool_release
from repokit.release.conventions import infer_tag_format, split_version_tag, tag_version
from repokit.release.project import find_root
from repokit.release.sources import project_name, read_source, version_edits
from repokit.release.versioning import bump_version

# --- tag formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "names", "expected"),
    [
        (["8.4.2", "8.4.1", "v8.0.0"], (), "{version}"),
        (["v14.3.3", "v14.3.2"], (), "v{version}"),
        # dropped the v long ago: the newest tags decide
        (["26.1.0", "25.5.0", *[f"v0.{n}" for n in range(20)]], (), "{version}"),
        # two families: the one naming the project wins
        (["core-v2.0.0", "core-v1.9.0", "widgets-v1.2.0"], ("widgets",), "widgets-v{version}"),
        (["v10", "v10.6", "v10.6.1", "latest"], (), "v{version}"),
        (["nightly", "latest"], (), None),
    ],
)
def test_the_tag_format_is_inferred(
    tags: list[str], names: tuple[str, ...], expected: str | None
) -> None:
    assert infer_tag_format(tags, names) == expected


def test_version_tags_split_into_prefix_and_version() -> None:
    assert split_version_tag("pkg-v1.2.3") == ("pkg-v", tag_version("1.2.3", "{version}"))
    assert split_version_tag("v10") is None
    assert tag_version("a-v1.2.0", "a-v{version}") == tag_version("1.2.0", "{version}")
    assert tag_version("b-v1.2.0", "a-v{version}") is None


# --- version sources -------------------------------------------------------------------------


def project(root: Path, pyproject: str, files: dict[str, str] | None = None) -> Config:
    (root / "pyproject.toml").write_text(pyproject)
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return Config(root=root)


@pytest.mark.parametrize(
    ("pyproject", "files", "path", "after"),
    [
        (
            '[project]\nname = "x"\ndynamic = ["version"]\n'
            '[tool.hatch.version]\npath = "src/x/__about__.py"\n',
            {"src/x/__about__.py": '# keep\n__version__ = "1.2.3"\n'},
            "src/x/__about__.py",
            '# keep\n__version__ = "1.3.0"\n',
        ),
        (
            '[project]\nname = "x"\ndynamic = ["version"]\n'
            '[tool.setuptools.dynamic]\nversion = {attr = "x.VERSION"}\n',
            {"src/x/__init__.py": 'VERSION = "1.2.3"\n__version__ = VERSION\n'},
            "src/x/__init__.py",
            'VERSION = "1.3.0"\n__version__ = VERSION\n',
        ),
        (
            '[project]\nname = "x"\ndynamic = ["version"]\n'
            '[tool.pdm.version]\nsource = "file"\npath = "x/_v.py"\n',
            {"x/_v.py": "__version__: str = '1.2.3'\n"},
            "x/_v.py",
            "__version__: str = '1.3.0'\n",
        ),
        (
            '[build-system]\nrequires = ["setuptools"]\n',
            {"setup.cfg": "[metadata]\nname = x\nversion = 1.2.3\n\n[options]\nzip_safe = 1.2.3\n"},
            "setup.cfg",
            "[metadata]\nname = x\nversion = 1.3.0\n\n[options]\nzip_safe = 1.2.3\n",
        ),
    ],
)
def test_backend_version_files_are_the_source(
    tmp_path: Path, pyproject: str, files: dict[str, str], path: str, after: str
) -> None:
    config = project(tmp_path, pyproject, files)
    source = read_source(config)
    assert source.raw == "1.2.3"
    assert source.writes_version
    edits = version_edits(config, "1.3.0")
    assert [e.path for e in edits] == [tmp_path / path]
    assert edits[0].after.decode() == after


def test_an_unknown_dynamic_version_is_refused_naming_what_works(tmp_path: Path) -> None:
    config = project(tmp_path, '[project]\nname = "x"\ndynamic = ["version"]\n')
    with pytest.raises(VersionError) as info:
        read_source(config)
    assert "declares the version dynamic" in info.value.message
    assert "[tool.hatch.version] path" in (info.value.hint or "")
    assert "setuptools-scm" in (info.value.hint or "")


# --- date versions ---------------------------------------------------------------------------

TODAY = dt.date(2026, 9, 10)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("2026.08.17", "2026.09.10"),
        ("2026.9.10", "2026.9.10.1"),
        ("2026.09.10.1", "2026.09.10.2"),
        ("26.5.1", "26.9.0"),
        ("26.9.1", "26.9.2"),
        ("25.3", "26.9"),
    ],
)
def test_calver_gives_today_in_the_same_format(current: str, expected: str) -> None:
    assert next_calver(current, TODAY) == expected
    assert bump_version(current, "auto" if False else "calver", today=TODAY) == expected


def test_semantic_bumps_of_dates_are_refused_and_semver_is_no_date() -> None:
    with pytest.raises(VersionError, match="date version"):
        bump_version("2026.08.17", "minor", today=TODAY)
    assert not is_calver("1.2.3", TODAY)
    assert not is_calver("20.26.3", TODAY)  # virtualenv: a minor of 26 is no month
    assert is_calver("26.5.1", TODAY)


def test_explicit_versions_must_be_greater() -> None:
    assert bump_version("1.2.3", "2.0.0") == "2.0.0"
    assert bump_version("1.2.3", "v1.3.0rc1") == "1.3.0rc1"
    with pytest.raises(VersionError, match=r"1\.2\.0 is not greater than the current version"):
        bump_version("1.2.3", "1.2.0")


def test_an_explicit_local_version_is_refused_with_its_public_part() -> None:
    with pytest.raises(VersionError) as info:
        bump_version("2.14.0a0+dev", "v2.14.0a1+dev")
    assert info.value.message == "--bump v2.14.0a1+dev: a local version (+dev) cannot be published"
    assert info.value.hint == "give its public part: --bump 2.14.0a1"


# --- version files ---------------------------------------------------------------------------


def test_a_version_inside_a_longer_number_is_never_touched() -> None:
    text = "v1.2.3, libfoo 11.2.3, bar 1.2.3.4, 1.2.3\n"
    found = version_files.spans(text, "1.2.3", version_files.VersionFile("x"), ".txt")
    assert [text[a - 1 : b] for a, b in found] == ["v1.2.3", " 1.2.3"]


# --- release commits of other tools ----------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "bump: version 1.2.0 → 1.3.0",
        "chore(release): 1.2.0",
        "1.2.0",
        "chore(main): release 1.2.0",
        "Bump to 1.2.0",
        "Bump version: 1.2.0 → 1.3.0",
        "Release version 8.4.2",
    ],
)
def test_release_commits_of_the_common_tools_are_recognised(subject: str) -> None:
    assert is_tool_release(subject)


@pytest.mark.parametrize(
    "subject",
    ["chore(deps): bump foo from 1 to 2", "Release the GIL in the parser", "feat: release notes"],
)
def test_ordinary_commits_are_not_release_commits(subject: str) -> None:
    assert not is_tool_release(subject)


# --- underlined headings ---------------------------------------------------------------------


def test_underlined_changelogs_keep_their_heading_style() -> None:
    existing = "History\n=======\n\n1.0.0 (2024-01-01)\n++++++++++++++++++\n\n- First.\n"
    style = underlined.style_of(existing, "HISTORY.rst")
    section = "## [1.1.0] - 2024-02-02\n\n### Bug fixes\n\n- **io:** close ([abc1234](u))\n"
    text = underlined.render(section, style, "1.1.0", "2024-02-02")
    assert (
        text
        == "1.1.0 (2024-02-02)\n++++++++++++++++++\n\n**Bug fixes**\n\n- **io:** close (abc1234)\n"
    )
    inserted = underlined.insert(existing, text, "1.1.0")
    assert inserted == "History\n=======\n\n" + text + "\n" + existing.split("\n\n", 1)[1]
    assert underlined.insert(inserted, text, "1.1.0") == inserted


SETUP_PY = Path(__file__).parent.parent / "data" / "setup_py"


def test_a_setup_py_project_s_version_is_the_file_it_reads(tmp_path: Path) -> None:
    files = {
        "setup.py": (SETUP_PY / "certifi-setup.py.txt").read_text(),
        "certifi/__init__.py": (SETUP_PY / "certifi-__init__.py.txt").read_text(),
    }
    config = project(tmp_path, (SETUP_PY / "certifi-pyproject.toml").read_text(), files)
    source = read_source(config)
    assert (source.raw, source.where) == ("2026.07.22", "certifi/__init__.py (setup.py reads it)")
    edits = version_edits(config, "2026.12.07")
    assert [e.path for e in edits] == [tmp_path / "certifi" / "__init__.py"]
    assert edits[0].after.decode() == files["certifi/__init__.py"].replace(
        "2026.07.22", "2026.12.07"
    )


def test_a_version_in_the_setup_call_is_the_source(tmp_path: Path) -> None:
    setup = 'from setuptools import setup\n\nsetup(\n    name="x",\n    version="1.2.3",\n)\n'
    config = project(tmp_path, '[build-system]\nrequires = ["setuptools"]\n', {"setup.py": setup})
    assert read_source(config).raw == "1.2.3"
    assert version_edits(config, "1.3.0")[0].after.decode() == setup.replace("1.2.3", "1.3.0")


# --- setup.cfg without pyproject.toml --------------------------------------------------------

VERSION_SOURCES = Path(__file__).parent.parent / "data" / "version_sources"
PRE_COMMIT_SETUP_PY = (
    "from __future__ import annotations\n\nfrom setuptools import setup\nsetup()\n"
)


def legacy_project(root: Path, files: dict[str, str]) -> Config:
    """A project with no pyproject.toml, found and loaded as repokit finds any project."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8"))
    (root / "sub").mkdir(exist_ok=True)
    found = find_root(root / "sub")
    assert found == root
    return load(found)


def test_a_setup_cfg_project_without_pyproject_reads_and_writes_setup_cfg(tmp_path: Path) -> None:
    cfg = (VERSION_SOURCES / "pre-commit-setup.cfg").read_text(encoding="utf-8")
    config = legacy_project(tmp_path, {"setup.cfg": cfg, "setup.py": PRE_COMMIT_SETUP_PY})
    source = read_source(config)
    assert (source.raw, source.where) == ("4.6.1", "setup.cfg [metadata] version")
    assert project_name(config) == "pre_commit"
    edits = version_edits(config, "4.6.2")
    assert [e.path for e in edits] == [tmp_path / "setup.cfg"]
    assert edits[0].after == cfg.replace("version = 4.6.1\n", "version = 4.6.2\n").encode()
    crlf = cfg.replace("\n", "\r\n")
    (tmp_path / "setup.cfg").write_bytes(crlf.encode())
    assert version_edits(config, "4.6.2")[0].after == crlf.replace("4.6.1", "4.6.2").encode()


def test_a_setup_cfg_attr_version_is_followed_to_its_module(tmp_path: Path) -> None:
    cfg = (VERSION_SOURCES / "pre-commit-setup.cfg").read_text(encoding="utf-8")
    cfg = cfg.replace("version = 4.6.1", "version = attr: pre_commit.__version__")
    cfg = cfg.replace("[options]\n", "[options]\npackage_dir =\n    = lib\n")
    init = '"""pre-commit."""\n__version__ = "4.6.1"\n'
    files = {"setup.cfg": cfg, "setup.py": PRE_COMMIT_SETUP_PY, "lib/pre_commit/__init__.py": init}
    config = legacy_project(tmp_path, files)
    source = read_source(config)
    setting = "setup.cfg [metadata] version = attr: pre_commit.__version__"
    assert (source.raw, source.where) == ("4.6.1", f"lib/pre_commit/__init__.py ({setting})")
    edits = version_edits(config, "4.7.0")
    assert [e.path for e in edits] == [tmp_path / "lib" / "pre_commit" / "__init__.py"]
    assert edits[0].after.decode() == init.replace("4.6.1", "4.7.0")

    computed = "from importlib.metadata import version\n__version__ = version('pre_commit')\n"
    (tmp_path / "lib" / "pre_commit" / "__init__.py").write_text(computed)
    with pytest.raises(VersionError) as info:
        read_source(config)
    assert info.value.message == (
        f"{tmp_path / 'lib' / 'pre_commit' / '__init__.py'}: no version assignment found "
        f"(named by {setting})"
    )
    (tmp_path / "lib" / "pre_commit" / "__init__.py").unlink()
    with pytest.raises(VersionError) as missing:
        read_source(config)
    assert missing.value.message == (
        f"{tmp_path / 'setup.cfg'} [metadata] version = attr: pre_commit.__version__: "
        "module pre_commit not found"
    )
