"""GitHub's documented answers, each told by its cause, against a repository in GitHub's
default state (the nine labels, the creator an admin, alerts off, nothing protected).

Each test applies a settings file as ``inv governance --yes`` does (library calls, over
real HTTP to the emulator) and checks the requests sent and the message a user reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from repokit.config import load as load_config
from repokit.errors import RepokitError
from repokit.fixtures.github import ADMIN_LOGIN, ADMIN_TOKEN
from repokit.github import GitHub
from repokit.governance.model import load
from repokit.governance.reconcile import (
    SECTIONS,
    Reconcile,
    apply,
    desired_branches,
    plan,
    verify,
)
from repokit.testing.github import Contract, GitHubEmulator

AUTH = {"Authorization": f"token {ADMIN_TOKEN}"}


@pytest.fixture
def fresh(github_emulator: GitHubEmulator) -> GitHubEmulator:
    """``acme/fresh``, created by the organisation's owner as GitHub creates a repository."""
    github_emulator.create_repo("acme", "fresh", creator=ADMIN_LOGIN)
    github_emulator.add_team("acme", "docs")
    github_emulator.add_user("dora")
    return github_emulator


def planned(emulator: GitHubEmulator, tmp_path: Path, text: str) -> tuple[GitHub, Reconcile]:
    """The plan of ``text`` for acme/fresh, as ``inv governance`` makes it."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "fresh"\nversion = "1.0.0"\n')
    path = tmp_path / "settings.yml"
    path.write_text(text)
    github = GitHub("acme/fresh", api_url=emulator.url, auth_token=ADMIN_TOKEN)
    settings = load(path)
    desired, _ = desired_branches(settings, load_config(tmp_path), allow_unreported=True)
    return github, plan(settings, desired, github, sections=SECTIONS)


def apply_file(emulator: GitHubEmulator, tmp_path: Path, text: str) -> list[str]:
    """Apply ``text`` to acme/fresh; the writes made (read back as the command does)."""
    github, result = planned(emulator, tmp_path, text)
    applied = apply(result, github, progress=lambda _: None)
    verify(result, github, SECTIONS, applied)
    return applied


def failure(emulator: GitHubEmulator, tmp_path: Path, text: str) -> RepokitError:
    with pytest.raises(RepokitError) as caught:
        apply_file(emulator, tmp_path, text)
    error = caught.value
    assert "\n" not in error.message
    assert error.hint
    return error


def test_a_new_repository_starts_in_githubs_default_state(fresh: GitHubEmulator) -> None:
    def get(path: str) -> requests.Response:
        return requests.get(f"{fresh.url}/repos/acme/fresh{path}", headers=AUTH, timeout=10)

    labels = get("/labels?per_page=100").json()
    assert [(label["name"], label["color"], label["default"]) for label in labels] == [
        ("bug", "d73a4a", True),
        ("documentation", "0075ca", True),
        ("duplicate", "cfd3d7", True),
        ("enhancement", "a2eeef", True),
        ("good first issue", "7057ff", True),
        ("help wanted", "008672", True),
        ("invalid", "e4e669", True),
        ("question", "d876e3", True),
        ("wontfix", "ffffff", True),
    ]
    assert get("/vulnerability-alerts").status_code == 404
    assert get("/automated-security-fixes").status_code == 404
    protection = get("/branches/main/protection")
    assert (protection.status_code, protection.json()["message"]) == (404, "Branch not protected")
    people = get("/collaborators?affiliation=direct").json()
    assert [(p["login"], p["role_name"]) for p in people] == [(ADMIN_LOGIN, "admin")]
    fixes = get("").json()["security_and_analysis"]["dependabot_security_updates"]
    assert fixes == {"status": "disabled"}


def test_security_fixes_without_alerts_are_refused_before_any_write(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    text = "repository:\n  enable_automated_security_fixes: true\n"
    error = failure(fresh, tmp_path, text)
    assert "settings.yml:2: repository.enable_automated_security_fixes" in error.message
    assert "enable_vulnerability_alerts: true" in str(error.hint)
    assert fresh.writes() == []


def test_security_fixes_with_alerts_converge_from_the_default_state(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    text = (
        "repository:\n  enable_vulnerability_alerts: true\n"
        "  enable_automated_security_fixes: true\n"
    )
    assert apply_file(fresh, tmp_path, text) == [
        "PUT vulnerability-alerts",
        "PUT automated-security-fixes",
    ]
    fresh.clear_log()
    assert apply_file(fresh, tmp_path, text) == []
    assert fresh.writes() == []


def test_safe_settings_security_block_turns_the_alerts_on_and_converges(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    text = (
        "repository:\n  security:\n    enableVulnerabilityAlerts: true\n"
        "    enableAutomatedSecurityFixes: true\n"
    )
    assert apply_file(fresh, tmp_path, text) == [
        "PUT vulnerability-alerts",
        "PUT automated-security-fixes",
    ]
    assert fresh.repo("acme", "fresh").vulnerability_alerts is True
    fresh.clear_log()
    assert apply_file(fresh, tmp_path, text) == []
    assert fresh.writes() == []


def test_the_branch_named_default_protects_the_default_branch(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    """safe-settings' ``name: default`` is the repository's default branch, whatever its name."""
    repo = fresh.repo("acme", "fresh")
    repo.branches["trunk"] = branch = repo.branches.pop("main")
    branch.name = "trunk"
    repo.default_branch = "trunk"
    text = "branches:\n  - name: default\n    protection:\n      enforce_admins: true\n"
    assert apply_file(fresh, tmp_path, text) == ["PUT protection of trunk"]
    assert fresh.branch("acme", "fresh", "trunk").protection is not None
    fresh.clear_log()
    assert apply_file(fresh, tmp_path, text) == []
    text += "  - name: trunk\n    protection:\n      enforce_admins: true\n"
    message = failure(fresh, tmp_path, text).message
    assert message.endswith("'default' and 'trunk' both name the default branch of this repository")


def test_a_security_fixes_read_answering_404_is_off_not_a_lost_repository(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    """A repository answer without the security block makes repokit ask the toggle itself."""
    github = GitHub("acme/fresh", api_url=fresh.url, auth_token=ADMIN_TOKEN)
    from repokit.governance.live import toggle

    github.repo.raw_data.pop("security_and_analysis", None)
    assert toggle(github, "enable_automated_security_fixes") is False
    assert ("GET", "/repos/acme/fresh/automated-security-fixes") in [
        (r.method, r.path) for r in fresh.requests
    ]


def test_an_unknown_collaborator_is_named_not_a_lost_repository(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    text = (
        "labels:\n  - {name: ci, color: 000000}\n"
        "collaborators:\n  - {username: ghost-user, permission: push}\n"
    )
    error = failure(fresh, tmp_path, text)
    assert error.message.startswith(
        "create collaborators ghost-user: collaborator ghost-user: no such user on GitHub"
    )
    assert "applied: create labels ci" in error.message
    assert "access was lost" not in error.message and "not found (or" not in error.message
    assert "collaborators:" in str(error.hint)


def test_an_unknown_team_is_named(fresh: GitHubEmulator, tmp_path: Path) -> None:
    error = failure(fresh, tmp_path, "teams:\n  - {name: ghosts, permission: push}\n")
    assert "team ghosts does not exist in acme" in error.message
    assert "teams:" in str(error.hint)


def test_a_label_removed_since_it_was_read_is_told_as_such(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    from repokit.testing.github import Fault

    fresh.faults.add(Fault(404, "Not Found", only="PATCH /repos/acme/fresh/labels/bug"), 1)
    error = failure(fresh, tmp_path, "labels:\n  - {name: bug, color: 000000}\n")
    assert "labels bug is no longer on GitHub (removed since it was read)" in error.message
    assert "run the same command again" in str(error.hint)


def test_the_default_labels_of_a_file_converge_on_the_default_state(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    text = "labels:\n  - {name: bug, color: d73a4a}\n  - {name: dora-label, color: 123456}\n"
    assert apply_file(fresh, tmp_path, text) == ["create labels dora-label"]
    assert apply_file(fresh, tmp_path, text) == []


def test_a_three_digit_color_is_the_six_digit_one_github_stores(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    text = 'labels:\n  - {name: wontfix, color: fff}\n  - {name: wip, color: "#0aF"}\n'
    assert apply_file(fresh, tmp_path, text) == ["create labels wip"]
    colors = {label.name: label.color for label in fresh.repo("acme", "fresh").labels}
    assert (colors["wontfix"], colors["wip"]) == ("ffffff", "00aaff")
    assert apply_file(fresh, tmp_path, text) == []


CHECKS_FILES = {
    "contexts": "      contexts: [ci, lint]\n",
    "checks without app_id": "      checks: [{context: ci}, {context: lint}]\n",
    "checks with app_id": "      checks: [{context: ci, app_id: 15368}, {context: l, app_id: 9}]\n",
    "checks of any app": "      checks: [{context: ci, app_id: -1}, {context: lint, app_id: -1}]\n",
}


@pytest.mark.parametrize("shape", ["checks", "checks-without-app", "contexts"])
@pytest.mark.parametrize("variant", sorted(CHECKS_FILES))
def test_required_checks_converge_on_each_answer_shape(
    github_contract: Contract | None, tmp_path: Path, shape: str, variant: str
) -> None:
    """api.github.com answers ``checks`` with app ids; older servers and stand-ins answer
    ``checks`` without them, or ``contexts`` alone (shapes its description does not have,
    so this emulator runs without the contract)."""
    from repokit.fixtures.github import seed

    emulator = GitHubEmulator(contract=github_contract if shape == "checks" else None)
    seed(emulator)
    emulator.create_repo("acme", "fresh", creator=ADMIN_LOGIN)
    emulator.status_checks_shape = shape
    text = (
        "branches:\n  - name: main\n    protection:\n      required_status_checks:\n"
        "        strict: true\n" + CHECKS_FILES[variant].replace("      ", "        ", 1)
    )
    with emulator:
        assert apply_file(emulator, tmp_path, text) == ["PUT protection of main"]
        emulator.clear_log()
        assert apply_file(emulator, tmp_path, text) == []
        assert emulator.writes() == []
    assert emulator.take_violations() == []


def lockouts(emulator: GitHubEmulator, tmp_path: Path, text: str) -> list[str]:
    return planned(emulator, tmp_path, text)[1].lockouts


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "collaborators:\n  prune: true\n  items: [{username: dora, permission: push}]\n",
            "collaborators: it removes octo-admin, who is applying it",
        ),
        (
            "collaborators:\n  - {username: octo-admin, permission: pull}\n",
            "collaborators: it makes octo-admin, who is applying it, a pull collaborator",
        ),
        (
            "rulesets:\n  - name: freeze\n    enforcement: active\n"
            "    conditions: {ref_name: {include: ['~ALL'], exclude: []}}\n"
            "    rules: [{type: update}, {type: deletion}, {type: non_fast_forward}]\n",
            "ruleset freeze: it blocks every update of main",
        ),
        (
            "branches:\n  - name: main\n    protection:\n      enforce_admins: true\n"
            "      required_pull_request_reviews: {required_approving_review_count: 2}\n",
            "branch main: it needs 2 approving reviews, enforced for admins, and only 1",
        ),
        (
            "rulesets:\n  - name: reviewed\n    enforcement: active\n"
            "    conditions: {ref_name: {include: ['~DEFAULT_BRANCH'], exclude: []}}\n"
            "    rules:\n      - type: pull_request\n        parameters:\n"
            "          required_approving_review_count: 2\n"
            "          dismiss_stale_reviews_on_push: false\n"
            "          require_code_owner_review: false\n"
            "          require_last_push_approval: false\n"
            "          required_review_thread_resolution: false\n",
            "ruleset reviewed: it needs 2 approving reviews on main and no one may bypass it",
        ),
    ],
)
def test_a_plan_that_locks_the_applying_admin_out_is_found_before_any_write(
    fresh: GitHubEmulator, tmp_path: Path, text: str, said: str
) -> None:
    found = lockouts(fresh, tmp_path, text)
    assert any(said in reason for reason in found), found
    assert fresh.writes() == []


def test_reviews_the_repository_can_give_are_no_lockout(
    fresh: GitHubEmulator, tmp_path: Path
) -> None:
    fresh.repo("acme", "fresh").collaborators["dora"] = "push"
    text = (
        "branches:\n  - name: main\n    protection:\n      enforce_admins: true\n"
        "      required_pull_request_reviews: {required_approving_review_count: 2}\n"
        "collaborators:\n  - {username: octo-admin, permission: admin}\n"
    )
    assert lockouts(fresh, tmp_path, text) == []


def test_an_empty_teams_list_is_nothing_to_do_in_a_users_repository(
    github_emulator: GitHubEmulator, tmp_path: Path
) -> None:
    github_emulator.create_repo(ADMIN_LOGIN, "own", creator=ADMIN_LOGIN)
    github = GitHub(f"{ADMIN_LOGIN}/own", api_url=github_emulator.url, auth_token=ADMIN_TOKEN)
    path = tmp_path / "settings.yml"
    path.write_text("repository:\n  has_wiki: false\nteams: []\n")
    result = plan(load(path), {}, github, sections=SECTIONS)
    assert [write.description for write in result.writes] == ["PATCH repository: has_wiki"]
    path.write_text("teams:\n  - {name: docs, permission: push}\n")
    with pytest.raises(RepokitError) as caught:
        plan(load(path), {}, github, sections=SECTIONS)
    assert caught.value.message.endswith("belongs to a user, and only an organization has teams")
