"""incremental's ``Version(...)`` call (twisted's ``_version.py``) read and written back in the
same shape; the files are twisted's own (tests/data/version_sources/SOURCES.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.config import Config
from repokit.errors import VersionError
from repokit.release.sources import read_source, version_edits

DATA = Path(__file__).parent.parent / "data" / "version_sources"
#: twisted's pyproject.toml, cut to what picks the version source.
TWISTED_PYPROJECT = (
    '[build-system]\nrequires = [\n    "hatchling >= 1.10.0",\n    "incremental >= 24.7.0",\n]\n'
    'build-backend = "hatchling.build"\n\n[project]\nname = "Twisted"\n'
    'dynamic = [\n    "version",\n    "readme",\n]\n\n'
    '[tool.hatch.version]\nsource = "incremental"\n'
)
FINAL = 'Version("Twisted", 24, 7, 0)'
POST = 'Version("Twisted", 24, 7, 0, post=0)'
RC = 'Version("Twisted", 24, 10, 0, release_candidate=1)'


def twisted(root: Path, version_py: str, pyproject: str = TWISTED_PYPROJECT) -> Config:
    (root / "pyproject.toml").write_text(pyproject)
    (root / "src" / "twisted").mkdir(parents=True)
    (root / "src" / "twisted" / "_version.py").write_bytes(version_py.encode())
    return Config(root=root)


@pytest.mark.parametrize(
    ("name", "call", "version"),
    [
        ("twisted-_version-final.py.txt", FINAL, "24.7.0"),
        ("twisted-_version-post.py.txt", POST, "24.7.0.post0"),
        ("twisted-_version-rc.py.txt", RC, "24.10.0rc1"),
    ],
)
def test_twisted_s_version_is_read_from_its_version_call(
    tmp_path: Path, name: str, call: str, version: str
) -> None:
    text = (DATA / name).read_text()
    assert f"__version__ = {call}\n" in text
    source = read_source(twisted(tmp_path, text))
    assert (source.raw, source.where) == (version, "src/twisted/_version.py (incremental)")


@pytest.mark.parametrize(
    ("name", "new", "call"),
    [
        ("twisted-_version-post.py.txt", "24.10.0rc1", RC),
        (
            "twisted-_version-rc.py.txt",
            "24.10.0rc2",
            'Version("Twisted", 24, 10, 0, release_candidate=2)',
        ),
        ("twisted-_version-rc.py.txt", "24.10.0", 'Version("Twisted", 24, 10, 0)'),
        ("twisted-_version-final.py.txt", "24.7.0.post0", POST),
        ("twisted-_version-final.py.txt", "25.1.0.dev3", 'Version("Twisted", 25, 1, 0, dev=3)'),
    ],
)
def test_the_new_version_is_written_in_the_same_call_shape(
    tmp_path: Path, name: str, new: str, call: str
) -> None:
    text = (DATA / name).read_text()
    config = twisted(tmp_path, text)
    edits = version_edits(config, new)
    assert [e.path for e in edits] == [tmp_path / "src" / "twisted" / "_version.py"]
    before, _, after = text.partition("__version__ = ")
    # the rest of the file, its comments and __all__, stays byte for byte
    assert edits[0].after.decode() == before + f"__version__ = {call}" + after.split(")", 1)[1]


def test_setuptools_plugin_table_and_single_quotes_are_kept(tmp_path: Path) -> None:
    pyproject = (
        '[build-system]\nrequires = ["setuptools", "incremental>=24.7.0"]\n'
        '[project]\nname = "widgetbox"\ndynamic = ["version"]\n\n[tool.incremental]\n'
    )
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "widgetbox").mkdir()
    path = tmp_path / "widgetbox" / "_version.py"
    path.write_text(
        "from incremental import Version\n\n__version__ = Version('widgetbox', 24, 1, 0)\n"
    )
    config = Config(root=tmp_path)
    assert read_source(config).raw == "24.1.0"
    edited = version_edits(config, "24.2.0rc1")[0].after.decode()
    assert edited.endswith("__version__ = Version('widgetbox', 24, 2, 0, release_candidate=1)\n")


@pytest.mark.parametrize(
    ("new", "words"),
    [
        ("24.11.0b1", "incremental has no alpha or beta, so 24.11.0b1 cannot be written"),
        ("24.11.0.1", "incremental cannot write 24.11.0.1: it takes major.minor.micro only"),
    ],
)
def test_what_incremental_cannot_say_is_refused(tmp_path: Path, new: str, words: str) -> None:
    config = twisted(tmp_path, (DATA / "twisted-_version-final.py.txt").read_text())
    with pytest.raises(VersionError) as info:
        version_edits(config, new)
    assert words in info.value.message


def test_an_undecided_or_missing_version_names_the_file(tmp_path: Path) -> None:
    text = (
        (DATA / "twisted-_version-final.py.txt")
        .read_text()
        .replace(FINAL, 'Version("Twisted", "NEXT", 0, 0)')
    )
    config = twisted(tmp_path, text)
    with pytest.raises(
        VersionError, match="the version is NEXT, which incremental leaves undecided"
    ):
        read_source(config)
    (tmp_path / "src" / "twisted" / "_version.py").unlink()
    with pytest.raises(VersionError) as info:
        read_source(config)
    assert "incremental is on, but there is no src/twisted/_version.py or twisted/_version.py" in (
        info.value.message
    )
    assert info.value.hint == "create it: python -m incremental.update Twisted --create"


def test_the_package_s_placeholders_take_the_new_version(tmp_path: Path) -> None:
    """As ``incremental.update Twisted --rc`` did for 24.10.0rc1: the NEXT placeholders of
    src/twisted become the version; files outside the package are not touched."""
    failure = (DATA / "twisted-failure-excerpt.py.txt").read_text()
    test_failure = (DATA / "twisted-test_failure-excerpt.py.txt").read_text()
    config = twisted(tmp_path, (DATA / "twisted-_version-post.py.txt").read_text())
    docs = "Deprecated since Twisted NEXT.\n"
    for name, text in (
        ("src/twisted/python/failure.py", failure),
        ("src/twisted/test/test_failure.py", test_failure),
        ("docs/howto.rst", docs),
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    edits = {
        e.path.relative_to(tmp_path).as_posix(): e.after.decode()
        for e in version_edits(config, "24.10.0rc1")
    }

    assert sorted(edits) == [
        "src/twisted/_version.py",
        "src/twisted/python/failure.py",
        "src/twisted/test/test_failure.py",
    ]
    assert edits["src/twisted/python/failure.py"] == failure.replace(
        '@deprecatedProperty(Version("Twisted", "NEXT", 0, 0))',
        '@deprecatedProperty(Version("Twisted", 24, 10, 0, release_candidate=1))',
    )
    assert edits["src/twisted/test/test_failure.py"] == test_failure.replace(
        "was deprecated in Twisted NEXT", "was deprecated in Twisted 24.10.0rc1"
    )


def test_after_a_candidate_its_version_in_the_package_moves_on(tmp_path: Path) -> None:
    """As ``incremental.update Twisted --rc`` did for 24.7.0rc2 in src/twisted/internet."""
    version_py = (
        (DATA / "twisted-_version-rc.py.txt").read_text().replace(RC, RC.replace("10", "7"))
    )
    config = twisted(tmp_path, version_py)
    defer = (DATA / "twisted-defer-excerpt.py.txt").read_text()
    (tmp_path / "src/twisted/internet").mkdir()
    (tmp_path / "src/twisted/internet/defer.py").write_text(defer)
    assert read_source(config).raw == "24.7.0rc1"

    edits = version_edits(config, "24.7.0rc2")

    assert [e.path.name for e in edits] == ["_version.py", "defer.py"]
    assert edits[1].after.decode() == defer.replace("release_candidate=1", "release_candidate=2")
