"""``repokit codeowners`` writes the file, ``--check`` catches a stale one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from repokit.testing.sandbox import Sandbox

REPOKIT = str(Path(sys.executable).parent / "repokit")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPOKIT, *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_write_check_and_stale(sandbox: Sandbox) -> None:
    sandbox.write(
        {
            "governance/settings.yml": "codeowners:\n"
            "  - {pattern: '*', owners: ['@acme/maintainers']}\n"
            "  - {pattern: /src/, owners: ['@doug', 'doug@example.com']}\n"
            "  - {pattern: /nothing-here/, owners: ['@doug']}\n"
        }
    )
    written = run(sandbox.work, "codeowners")
    assert written.returncode == 0, written.stderr
    assert "/nothing-here/ matches no tracked file" in written.stdout
    text = (sandbox.work / ".github" / "CODEOWNERS").read_text()
    assert "* @acme/maintainers\n/src/ @doug doug@example.com\n" in text
    assert run(sandbox.work, "codeowners", "--check").returncode == 0

    (sandbox.work / ".github" / "CODEOWNERS").write_text("* @someone-else\n")
    stale = run(sandbox.work, "codeowners", "--check")
    assert stale.returncode == 1
    assert ".github/CODEOWNERS is stale" in stale.stderr


def test_a_bad_owner_writes_nothing(sandbox: Sandbox) -> None:
    sandbox.write({"governance/settings.yml": "codeowners:\n  - {pattern: '*', owners: [doug]}\n"})
    result = run(sandbox.work, "codeowners")
    assert result.returncode == 1
    assert "owner 'doug' is not @user, @org/team or an email" in result.stderr
    assert not (sandbox.work / ".github" / "CODEOWNERS").exists()


def test_with_a_token_owners_are_checked_on_github(
    sandbox: Sandbox, github_emulator: object
) -> None:
    import os

    from repokit.fixtures.github import ADMIN_TOKEN
    from repokit.testing.github import GitHubEmulator

    assert isinstance(github_emulator, GitHubEmulator)
    github_emulator.add_team(
        "acme", "maintainers", members=["octo-admin"], repos={"widget": "push"}
    )
    github_emulator.add_team("acme", "readers", members=[], repos={"widget": "pull"})
    env = {
        **os.environ,
        "GITHUB_API_URL": github_emulator.url,
        "GITHUB_TOKEN": ADMIN_TOKEN,
        "GITHUB_REPOSITORY": "acme/widget",
    }

    def codeowners(owners: str) -> subprocess.CompletedProcess[str]:
        sandbox.write(
            {"governance/settings.yml": f"codeowners:\n  - {{pattern: '*', owners: {owners}}}\n"}
        )
        return subprocess.run(
            [REPOKIT, "codeowners"], cwd=sandbox.work, env=env, capture_output=True, text=True
        )

    good = codeowners("['@acme/maintainers', '@octo-admin']")
    assert good.returncode == 0, good.stderr
    bad = codeowners("['@acme/readers', '@ghost-user']")
    assert bad.returncode == 1
    assert "team @acme/readers has no write access to acme/widget" in bad.stderr
    assert "@ghost-user does not exist on GitHub" in bad.stderr
    assert ADMIN_TOKEN not in bad.stdout + bad.stderr


def test_an_injected_pattern_is_refused_and_check_fails(sandbox: Sandbox) -> None:
    sandbox.write(
        {
            "governance/settings.yml": "codeowners:\n"
            '  - {pattern: "/src/\\n*\\t@mallory", owners: ["@doug"]}\n'
            "  - {pattern: '#private', owners: ['@doug']}\n"
        }
    )
    (sandbox.work / ".github").mkdir(exist_ok=True)
    (sandbox.work / ".github" / "CODEOWNERS").write_text("/src/\n*\t@mallory @doug\n")
    check = run(sandbox.work, "codeowners", "--check")
    assert check.returncode == 1
    assert "control character" in check.stderr and "starts with #" in check.stderr
    assert "Traceback" not in check.stderr
    assert run(sandbox.work, "codeowners").returncode == 1
    assert (sandbox.work / ".github" / "CODEOWNERS").read_text() == "/src/\n*\t@mallory @doug\n"
