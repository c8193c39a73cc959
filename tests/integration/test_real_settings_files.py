"""Real settings files from public repositories, each applied twice against the emulator.

The first run makes the repository match the file and reads it back; the second must find
nothing to change and make no write. ``_extends`` is fetched from the emulator as it would
be from GitHub. Sources: tests/data/settings/SOURCES.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.config import load as load_config
from repokit.fixtures.github import ADMIN_TOKEN
from repokit.github import GitHub
from repokit.governance.extends import target
from repokit.governance.model import load
from repokit.governance.reconcile import SECTIONS, apply, desired_branches, plan, verify
from repokit.governance.schemas import check
from repokit.testing.github import GitHubEmulator

DATA = Path(__file__).resolve().parent.parent / "data" / "settings"
#: Files other files extend: served from the emulator, not applied on their own here.
BASES = {
    "1337z__.github-templates.yml": ".github-templates",
    "AdmiringWorm__github-assets.yml": "github-assets",
}
FILES = sorted(p.name for p in DATA.glob("*.yml"))


def seed(emulator: GitHubEmulator) -> None:
    emulator.add_repo("acme", "widget", branches=["master", "develop", "trunk"])
    emulator.add_team("acme", "rnd")
    emulator.add_user("MarvinJWendt")  # not a member of acme: invited, as GitHub does
    for name, repo in BASES.items():
        text = (DATA / name).read_text(encoding="utf-8")
        emulator.add_repo("acme", repo, files={".github/settings.yml": text})


def run(emulator: GitHubEmulator, path: Path, project: Path) -> list[str]:
    """One `inv governance --yes`, as a library call; the descriptions of the writes made."""
    github = GitHub("acme/widget", api_url=emulator.url, auth_token=ADMIN_TOKEN)

    def extends(value: str) -> tuple[str, str]:
        repo, file = target(value, "acme")
        text = GitHub(repo, api_url=emulator.url, auth_token=ADMIN_TOKEN).file_text(file)
        return text, f"{repo}:{file}"

    settings = load(path, extends=extends)
    desired, _ = desired_branches(settings, load_config(project), allow_unreported=True)
    result = plan(settings, desired, github, sections=SECTIONS)
    requests = [
        (w.description, w.request.method, w.request.operation, w.request.body)
        for w in result.writes
    ]
    assert check(requests) == []
    if not result.writes:
        return []
    applied = apply(result, github, progress=lambda _: None)
    verify(result, github, SECTIONS, applied)
    return applied


@pytest.mark.parametrize("name", FILES)
def test_a_real_settings_file_converges_in_one_run(
    name: str, github_emulator: GitHubEmulator, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "widget"\nversion = "1.0.0"\n')
    seed(github_emulator)
    path = DATA / name
    first = run(github_emulator, path, tmp_path)
    assert first, "a fresh repository differs from every one of these files"
    github_emulator.clear_log()
    second = run(github_emulator, path, tmp_path)
    assert second == []
    assert github_emulator.writes() == []
    reads = len(github_emulator.requests)
    assert reads <= 12, [(r.method, r.path) for r in github_emulator.requests]


def test_extends_brings_the_base_labels_milestones_and_collaborators(
    github_emulator: GitHubEmulator, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "widget"\nversion = "1.0.0"\n')
    seed(github_emulator)
    run(github_emulator, DATA / "1337z__lisher.yml", tmp_path)
    repo = github_emulator.repo("acme", "widget")
    labels = {label.name: label.color for label in repo.labels}
    assert labels == {"bug": "cc0000", "feature": "336699", "first-timers-only": "ffffff"}
    assert [m.title for m in repo.milestones] == ["milestone-title"]
    assert [(i.invitee, i.permission) for i in repo.invitations] == [("MarvinJWendt", "admin")]
    protection = github_emulator.branch("acme", "widget", "master").protection
    assert protection is not None and protection.required_pull_request_reviews is not None
    assert protection.required_pull_request_reviews.required_approving_review_count == 1


def test_probot_nulls_and_empty_objects_mean_off_and_contexts_any_app(
    github_emulator: GitHubEmulator, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "widget"\nversion = "1.0.0"\n')
    seed(github_emulator)
    run(github_emulator, DATA / "AI21Labs__ai21-python.yml", tmp_path)
    protection = github_emulator.branch("acme", "widget", "main").protection
    assert protection is not None
    assert protection.flags["allow_force_pushes"] is False  # allow_force_pushes: (null)
    assert protection.required_pull_request_reviews is not None
    assert protection.required_pull_request_reviews.dismissal_restrictions is None  # {}
    assert protection.required_status_checks is not None
    assert protection.required_status_checks.checks == [("quality-checks", None)]  # any app
    assert github_emulator.teams[("acme", "rnd")].repos["acme/widget"] == "push"
    repo = github_emulator.repo("acme", "widget")
    assert repo.vulnerability_alerts and repo.automated_security_fixes
