"""The PR and release workflows ``repokit init --workflows`` writes for a project.

Actions are pinned to a commit, every job gets only the permissions it needs, the
package is published with trusted publishing (no token), and the automatic triggers
start commented out under the marker ``repokit workflows.enable`` switches on.
"""

from __future__ import annotations

from repokit.ci.switch import DISABLED

CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0"
UPLOAD = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2"
DOWNLOAD = "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093 # v4.3.0"
PYPI_PUBLISH = "pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4"

_SETUP = f"""\
      - name: Check out
        uses: {CHECKOUT}
        with:
          persist-credentials: false
          fetch-depth: 0  # the whole history and tags: the changelog starts at the last tag
      - name: Set up Python
        uses: {SETUP_PYTHON}
        with:
          python-version: "{{python}}"
"""


def pr_workflow(branch: str, python: str) -> str:
    """Tests on pull requests into ``branch``: install the project, then pytest."""
    return (
        f"""\
name: PR Validation

on:
  {DISABLED}
  # pull_request:
  #   branches: [{branch}]
  workflow_dispatch:  # manual only until 'repokit workflows.enable'

permissions: {{}}

concurrency:
  group: pr-${{{{ github.ref }}}}
  cancel-in-progress: true

jobs:
  tests:
    name: tests
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
    steps:
"""
        + _SETUP.format(python=python)
        + """\
      - name: Install the project
        run: python -m pip install -e . pytest
      - name: Run the tests
        run: python -m pytest
"""
    )


def release_workflow(tag_glob: str, python: str) -> str:
    """On a release tag: build and check, publish by trusted publishing, the GitHub release."""
    return (
        f"""\
name: Release

on:
  {DISABLED}
  # push:
  #   tags:
  #     - '{tag_glob}'
  workflow_dispatch:  # manual only until 'repokit workflows.enable'

permissions: {{}}

concurrency:
  group: release-${{{{ github.ref }}}}
  cancel-in-progress: false

jobs:
  build:
    name: build
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: read
    steps:
"""
        + _SETUP.format(python=python)
        + f"""\
      - name: Build and check the package
        run: |
          python -m pip install build twine
          python -m build
          python -m twine check --strict dist/*
      - name: Keep the distribution
        uses: {UPLOAD}
        with:
          name: dist
          path: dist/
          if-no-files-found: error

  publish:
    name: publish
    needs: build
    runs-on: ubuntu-latest
    timeout-minutes: 30
    environment: pypi
    permissions:
      id-token: write  # trusted publishing: no password or token
    steps:
      - name: Download the distribution
        uses: {DOWNLOAD}
        with:
          name: dist
          path: dist/
      - name: Publish to PyPI
        uses: {PYPI_PUBLISH}

  github-release:
    name: github-release
    needs: publish
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: write  # create the GitHub release
    steps:
"""
        + _SETUP.format(python=python)
        + """\
      - name: Create the GitHub release from the tag's changelog section
        env:
          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
          TAG: ${{ github.ref_name }}
        run: |
          python -m pip install repokit
          repokit github-release --tag "$TAG"
"""
    )


def python_version(requires_python: str | None) -> str:
    """The lowest ``3.x`` that ``requires-python`` allows, else 3.11 (repokit's own floor)."""
    import re

    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(requires_python or "")
    except InvalidSpecifier:
        return "3.11"
    for minor in range(9, 15):
        if allowed.contains(f"3.{minor}.0", prereleases=True):
            return f"3.{minor}"
    found = re.search(r"3\.\d+", requires_python or "")
    return found.group(0) if found else "3.11"
