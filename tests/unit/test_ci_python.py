"""Finding the Python a workflow asks for among the interpreters installed here."""

from __future__ import annotations

from pathlib import Path

from repokit.ci import python
from repokit.ci.expressions import Context, evaluate
from repokit.ci.functions import hash_files


def test_versions_are_found_by_any_spelling() -> None:
    newest = python.interpreters()[0]
    assert python.find(newest.short) == newest
    assert python.find(f"{newest.short}.{newest.version[2]}") == newest
    assert python.find("3.x") == newest
    assert python.find("3.99") is None and python.find("pypy-3.10") is None
    assert "Python 3.99 is not installed here; found " + newest.short[:2] in (
        python.missing_reason("3.99")
    )


def test_python_version_file_is_read_as_setup_python_does(tmp_path: Path) -> None:
    newest = python.interpreters()[0]
    (tmp_path / ".python-version").write_text("3.12.1\n")
    assert python.version_from_file(tmp_path / ".python-version") == "3.12.1"
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.10"\n')
    assert python.version_from_file(tmp_path / "pyproject.toml") == newest.short
    (tmp_path / ".tool-versions").write_text("nodejs 20\npython 3.11.7\n")
    assert python.version_from_file(tmp_path / ".tool-versions") == "3.11.7"


def test_hash_files_is_githubs_and_to_json_takes_any_context(tmp_path: Path) -> None:
    assert hash_files(tmp_path, ["*.lock"]) == ""
    (tmp_path / "a.lock").write_bytes(b"x")
    first = hash_files(tmp_path, ["*.lock"])
    (tmp_path / "b.lock").write_bytes(b"y")
    assert hash_files(tmp_path, ["*.lock", "!b.lock"]) == first != hash_files(tmp_path, ["*.lock"])
    context = Context(values={"secrets": {"TOKEN": "t"}, "needs": {"a": {"result": "success"}}})
    assert '"result": "success"' in evaluate("toJSON(needs)", context)
    assert evaluate("contains(fromJSON('[\"a\", \"b\"]'), 'b')", context) is True
    assert evaluate("format('{0}-{1}', 'x', 1)", context) == "x-1"
    assert evaluate("join(fromJSON('[1, 2]'), '+')", context) == "1+2"


def test_a_python_uv_could_not_download_means_the_job_cannot_run_here() -> None:
    line = (
        "  cause: Failed to download `https://github.com/astral-sh/python-build-standalone/"
        "releases/download/20261124/cpython-3.99.1%2B20261124-x86_64-unknown-linux-gnu-"
        "install_only_stripped.tar.gz`"
    )
    gap = python.download_gap(line)
    assert gap is not None and gap.startswith("Python 3.99 is not installed here; found ")
    assert gap.endswith(", and uv could not download it")
    assert python.download_gap("error: Failed to download `https://pypi.org/x.whl`") is None
