"""hynek/build-and-inspect-python-package runs whole here: a package PyPI would refuse fails."""

from __future__ import annotations

from pathlib import Path

from ci_project import ci, project, summary_row, tiny_package

WORKFLOW = (
    "jobs:\n  package:\n    steps:\n"
    "      - uses: hynek/build-and-inspect-python-package@v2\n        id: baipp\n"
    "      - run: echo NAME=${{ steps.baipp.outputs.package_name }}"
    " VERSIONS=${{ steps.baipp.outputs.supported_python_classifiers_json_array }}\n"
)


def test_a_readme_pypi_cannot_render_fails_the_job(tmp_path: Path) -> None:
    root = project(tmp_path, WORKFLOW)
    tiny_package(root, readme="tiny\n====\n\n.. no-such-directive:: x\n", readme_type="text/x-rst")
    result = ci(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "build-and-inspect: twine check --strict failed" in result.stdout
    row = " ".join(summary_row(result.stdout, "package"))
    assert "failed" in row and "hynek/build-and-inspect-python-package" in row
    assert "[package] NAME=" not in result.stdout  # the steps after it did not run


def test_a_good_package_passes_with_the_actions_outputs_and_artifacts(tmp_path: Path) -> None:
    root = project(tmp_path, WORKFLOW)
    tiny_package(root, readme="# tiny\n\nA *tiny* package.\n", readme_type="text/markdown")
    result = ci(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary_row(result.stdout, "package")[1] == "passed"
    assert "[package] NAME=tiny VERSIONS=[3.12]" in result.stdout  # the shell ate the quotes
    (artifacts,) = (root / ".ci-artifacts").glob("*/artifacts")
    assert sorted(p.name for p in (artifacts / "Packages").iterdir()) == [
        "tiny-1.0-py3-none-any.whl",
        "tiny-1.0.tar.gz",
    ]
    assert "Name: tiny" in (artifacts / "Package Metadata" / "PKG-INFO").read_text()
    readme = artifacts / "PyPI README" / "PyPI-README.md"
    assert readme.read_text() == "# tiny\n\nA *tiny* package.\n"


def test_a_readme_neither_markdown_nor_rest_fails_as_on_github(tmp_path: Path) -> None:
    root = project(tmp_path, WORKFLOW)
    tiny_package(root, readme="tiny, in plain text\n", readme_type="text/plain")
    result = ci(root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Description-Content-Type is text/plain" in result.stdout
