from __future__ import annotations

from pathlib import Path

from repokit.edits import FileEdit


def test_diff_has_git_style_headers_and_only_the_change(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    edit = FileEdit(
        path,
        b'[project]\nversion = "1.0.0"\nname = "x"\n',
        b'[project]\nversion = "1.1.0"\nname = "x"\n',
    )
    diff = edit.diff(tmp_path).splitlines()
    assert diff[:2] == ["--- a/pyproject.toml", "+++ b/pyproject.toml"]
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")] == [
        '-version = "1.0.0"',
        '+version = "1.1.0"',
    ]


def test_apply_and_revert_restore_exact_bytes(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    original = b"a\r\nb\r\nno final newline"
    path.write_bytes(original)
    edit = FileEdit(path, original, b"changed")
    edit.apply()
    assert path.read_bytes() == b"changed"
    edit.revert()
    assert path.read_bytes() == original


def test_a_new_file_is_removed_on_revert(tmp_path: Path) -> None:
    path = tmp_path / "CHANGELOG.md"
    edit = FileEdit(path, None, b"# Changelog\n")
    assert edit.diff(tmp_path).startswith("--- /dev/null\n+++ b/CHANGELOG.md\n")
    edit.apply()
    assert path.exists()
    edit.revert()
    assert not path.exists()


def test_unchanged_edit_has_empty_diff(tmp_path: Path) -> None:
    edit = FileEdit(tmp_path / "x", b"same\n", b"same\n")
    assert not edit.changed
    assert edit.diff() == ""


def test_removing_an_empty_file_shows_in_the_diff(tmp_path: Path) -> None:
    path = tmp_path / "news" / "1.trivial.rst"
    path.parent.mkdir()
    path.write_bytes(b"")
    edit = FileEdit(path, b"", None)

    shown = edit.diff(tmp_path)
    edit.apply()
    gone = not path.exists()
    edit.revert()

    assert shown == "--- a/news/1.trivial.rst\n+++ /dev/null\n"
    assert gone and path.read_bytes() == b""
