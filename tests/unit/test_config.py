"""[tool.repokit]: defaults, validation of every key at once, and errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.config import load
from repokit.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_without_a_table(tmp_path: Path) -> None:
    config = load(write(tmp_path, '[project]\nname = "x"\nversion = "1.0"\n'))
    assert config.branch == "main"
    assert config.tag_for("1.2.0") == "v1.2.0"
    assert config.tag_glob() == "v*"
    assert config.version_files == ()
    assert config.build_isolation is True


def test_values_are_read(tmp_path: Path) -> None:
    config = load(
        write(
            tmp_path,
            "[tool.repokit]\nbranch = 'trunk'\ntag_format = 'release-{version}'\n"
            "version_files = ['src/x/__init__.py']\npre_release_command = 'make ci'\n"
            "[tool.repokit.costs]\nmodel = 1\n",
        )
    )
    assert config.branch == "trunk"
    assert config.tag_for("2.0.0") == "release-2.0.0"
    assert config.version_files == ("src/x/__init__.py",)
    assert config.pre_release_command == "make ci"
    assert config.sections == {"costs": {"model": 1}}


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "[tool.repokit]\nbrnach = 'main'\nsign = 'yes'\ntag_format = 'v'\nversion_files = [1]\n",
    )
    with pytest.raises(ConfigError) as info:
        load(root)
    message = info.value.message
    assert message.startswith(f"{root / 'pyproject.toml'} [tool.repokit]: ")
    assert "unknown key 'brnach' (did you mean 'branch'?)" in message
    assert "sign: expected bool, got str" in message
    assert "tag_format: must contain {version}" in message
    assert "version_files: every entry must be a path or" in message
    assert info.value.hint


def test_missing_pyproject_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert str(tmp_path / "pyproject.toml") in info.value.message


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(write(tmp_path, "[project]\nname = \n"))
    assert "invalid TOML" in info.value.message
    assert "line 2" in info.value.message
