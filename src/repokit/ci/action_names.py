"""The actions repokit mirrors, by name, and what each does here: what a plan shows.

Below both the plan and the actions' handlers (:mod:`repokit.ci.actions`), which read it.
"""

from __future__ import annotations


def action_name(uses: str) -> str:
    """``owner/name`` of a ``uses:`` value, lowercased, without its ref or sub-folder."""
    name = uses.split("@", 1)[0]
    return "/".join(name.split("/")[:2]).lower()


#: What each mirrored action does on this machine.
MIRRORED: dict[str, str] = {
    "actions/checkout": "the working tree, a copy per job",
    "actions/setup-python": "a fresh environment of that Python version, if installed",
    "astral-sh/setup-uv": "uv from repokit's tool cache",
    "hynek/setup-cached-uv": "uv from repokit's tool cache",
    "actions/cache": "a cache miss (nothing is cached)",
    "actions/upload-artifact": "copies into .ci-artifacts/<run>/",
    "actions/download-artifact": "copies from .ci-artifacts/<run>/",
    "pre-commit/action": "pre-commit run --all-files",
    "zizmorcore/zizmor-action": "zizmor --offline",
    "hynek/build-and-inspect-python-package": (
        "builds sdist and wheel, checks them (check-wheel-contents, twine check --strict, "
        "the PyPI README), uploads Packages, Package Metadata and PyPI README"
    ),
    "re-actors/alls-green": "decides from needs",
    "github/codeql-action": "skipped: CodeQL runs in GitHub's code scanning (the job is partial)",
    "codecov/codecov-action": "skipped: uploads to a service (the job is partial)",
}


def describe_action(uses: str) -> str:
    if uses.startswith("./"):
        return "runs the local action's steps"
    if uses.startswith("docker://"):
        return "skipped: a container action is not run here"
    return MIRRORED.get(action_name(uses), "skipped: no local equivalent (the job is partial)")
