"""``repokit init`` on repositories shaped like real ones, then the commands it sets up.

The shape: a ``master`` branch pushed to a real bare remote, release tags without ``v``,
an existing Makefile and CODEOWNERS, a ``__version__`` copy, no tasks.py. The governance
file is exported from the GitHub emulator (over real HTTP, checked against GitHub's
OpenAPI description) when a token is given, else written as a starter.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from repokit.fixtures.github import ADMIN_TOKEN
from repokit.governance.codeowners import parse
from repokit.testing.github import GitHubEmulator

BIN = Path(sys.executable).parent
MAKEFILE = "# our own targets\nall: test\n\ntest:\n\tpytest -q\n\nci:\n\t./run-ci.sh\n"
CODEOWNERS = "# reviewers\n*       @acme/core\n/docs/  @alice docs@example.com\n"


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    done = subprocess.run(["git", *identity, *args], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def real_shaped(tmp_path: Path) -> Path:
    """A library on master with tags 1.0.0 and 1.1.0 pushed to a bare remote."""
    work, remote = tmp_path / "oldlib", tmp_path / "oldlib.git"
    (work / "oldlib").mkdir(parents=True)
    (work / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
        '[project]\nname = "oldlib"\nversion = "1.1.0"\n'
    )
    (work / "oldlib" / "__init__.py").write_text('__version__ = "1.1.0"\n')
    (work / "Makefile").write_text(MAKEFILE)
    (work / ".github").mkdir()
    (work / ".github" / "CODEOWNERS").write_text(CODEOWNERS)
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch", "master", str(remote))
    git(work, "init", "--quiet", "--initial-branch", "master")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "first")
    git(work, "tag", "1.0.0")
    git(work, "commit", "--quiet", "--allow-empty", "-m", "fix: a bug")
    git(work, "tag", "1.1.0")
    git(work, "commit", "--quiet", "--allow-empty", "-m", "fix: another bug")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "--quiet", "origin", "master", "--tags")
    return work


def rules(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(rule.pattern, rule.owners) for rule in parse(text)]


def rules_of(settings: str) -> list[tuple[str, tuple[str, ...]]]:
    """The codeowners rules of a settings file's text."""
    listed = yaml.safe_load(settings).get("codeowners") or []
    return [(rule["pattern"], tuple(rule["owners"])) for rule in listed]


def run(
    cwd: Path, *command: str, emulator: GitHubEmulator | None = None, token: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["GH_CONFIG_DIR"] = str(cwd / ".no-gh")  # never a real gh login
    if emulator is not None:
        env.update(GITHUB_API_URL=emulator.url, GITHUB_REPOSITORY="acme/widget")
        env["REPOKIT_GITHUB_BACKOFF"] = "0"
        if token:
            env["GITHUB_TOKEN"] = ADMIN_TOKEN
    program = BIN / command[0]
    return subprocess.run(
        [str(program) if program.exists() else command[0], *command[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def test_init_adopts_a_real_shaped_repository_in_one_command(
    tmp_path: Path, github_emulator: GitHubEmulator
) -> None:
    work = real_shaped(tmp_path)
    (work / "docs").mkdir()
    before = git(work, "status", "--porcelain")

    done = run(work / "docs", "repokit", "init", "--yes", emulator=github_emulator)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (work / "tasks.py").read_text().splitlines()[-1] == "from repokit.tasks import namespace"
    makefile = (work / "Makefile").read_text()
    assert makefile.startswith(MAKEFILE), "the user's targets are kept byte for byte"
    assert "\nrelease:\n\trepokit release" in makefile
    assert "\ngovernance:\n\trepokit governance\n" in makefile
    assert makefile.count("\nci:") == 1, "the user's own ci target is not replaced"
    pyproject = (work / "pyproject.toml").read_text()
    assert pyproject.endswith('[tool.repokit]\nversion_files = ["oldlib/__init__.py"]\n')
    assert "branch" not in pyproject and "tag_format" not in pyproject, "both are inferred"
    assert (work / "governance" / "settings.yml").is_file()
    assert before == "", "the repository was clean before init"

    snapshot = {p: p.read_bytes() for p in work.rglob("*") if p.is_file() and ".git" not in p.parts}
    again = run(work, "repokit", "init", "--yes", emulator=github_emulator)
    assert again.returncode == 0, again.stderr
    assert "nothing to change" in again.stdout
    assert snapshot == {
        p: p.read_bytes() for p in work.rglob("*") if p.is_file() and ".git" not in p.parts
    }

    settings = (work / "governance" / "settings.yml").read_text()
    assert '  - pattern: "/docs/"' not in settings  # YAML of the export, not the starter's
    assert rules_of(settings) == rules(CODEOWNERS), "the export keeps the CODEOWNERS rules"
    assert "has_issues" not in settings and "milestones" not in settings, "defaults left out"
    check = run(work, "repokit", "codeowners", "--check")
    assert check.returncode == 0, check.stdout + check.stderr

    last = done.stdout.splitlines()[-1]
    assert last.startswith("next: git add ") and "inv release --bump patch --dry-run" in last
    step = run(work / "docs", "bash", "-c", last.removeprefix("next: "))
    assert step.returncode == 0, step.stdout + step.stderr
    assert "create the annotated tag 1.1.1" in step.stdout
    assert git(work, "status", "--porcelain") == ""
    git(work, "push", "--quiet", "origin", "master")
    listing = run(work / "docs", "inv", "--list")
    assert listing.returncode == 0, listing.stderr
    assert "release" in listing.stdout and "governance" in listing.stdout
    assert "bench" not in listing.stdout and "demo" not in listing.stdout
    assert listing.stdout.count("  status ") == 1

    release = run(work, "inv", "release", "--bump", "patch", "--dry-run")
    assert release.returncode == 0, release.stderr
    assert "create the annotated tag 1.1.1" in release.stdout
    assert "oldlib/__init__.py" in release.stdout
    assert "git push --atomic origin refs/heads/master refs/tags/1.1.1" in release.stdout
    assert "not declared" not in release.stdout

    governance = run(work / "docs", "inv", "governance", "--dry-run", emulator=github_emulator)
    assert governance.returncode == 0, governance.stderr
    assert "no changes" in governance.stdout
    writes = [r for r in github_emulator.requests if r.method not in ("GET", "HEAD")]
    assert writes == [], "neither init nor the dry run changed anything on GitHub"


def test_without_a_token_init_writes_a_starter_that_imports_codeowners(tmp_path: Path) -> None:
    work = real_shaped(tmp_path)
    (work / "tasks.py").write_text(
        "from invoke import task\n\n\n@task\ndef docs(c):\n    c.run('mkdocs build')\n"
    )
    plan = run(work, "repokit", "init", "--dry-run", token=False)
    assert plan.returncode == 0, plan.stderr
    assert "+++ b/governance/settings.yml" in plan.stdout
    assert "nothing was changed" in plan.stdout
    assert not (work / "governance").exists()

    done = run(work, "repokit", "init", "--yes", token=False)
    assert done.returncode == 0, done.stderr
    settings = (work / "governance" / "settings.yml").read_text()
    assert '  - name: "master"' in settings
    assert "      # required_status_checks:" in settings, "no workflow: no required checks yet"
    assert '  - pattern: "/docs/"\n    owners: ["@alice", "docs@example.com"]' in settings
    codeowners = run(work, "repokit", "codeowners", token=False)
    assert codeowners.returncode == 0, codeowners.stdout + codeowners.stderr
    rendered = (work / ".github" / "CODEOWNERS").read_text()
    assert rules(rendered) == rules(CODEOWNERS), "the imported rules render back the same"

    tasks = (work / "tasks.py").read_text()
    assert tasks.startswith("from invoke import task\n\n\n@task\ndef docs(c):\n")
    listing = run(work, "inv", "--list")
    assert listing.returncode == 0, listing.stderr
    assert "docs" in listing.stdout and "repokit.release" in listing.stdout


def test_commands_that_do_not_read_the_project_work_in_any_repository(
    tmp_path: Path, github_emulator: GitHubEmulator
) -> None:
    """A Go repository: no pyproject.toml, commands run from a subfolder."""
    work = tmp_path / "gosvc"
    (work / "cmd" / "svc").mkdir(parents=True)
    (work / "go.mod").write_text("module example.com/gosvc\n\ngo 1.22\n")
    (work / ".github" / "workflows").mkdir(parents=True)
    (work / ".github" / "workflows" / "go.yml").write_text(
        "name: Go\non:\n  pull_request:\n    branches: [main]\njobs:\n"
        "  vet:\n    runs-on: ubuntu-latest\n    steps: [{run: 'true'}]\n"
    )
    git(work, "init", "--quiet", "--initial-branch", "main")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "start")
    here = work / "cmd" / "svc"

    checks = run(here, "repokit", "checks")
    assert checks.returncode == 0, checks.stderr
    assert "vet" in checks.stdout

    init = run(here, "repokit", "init", "--yes", emulator=github_emulator)
    assert init.returncode == 0, init.stderr
    assert "no pyproject.toml" in init.stdout
    assert not (work / "pyproject.toml").exists()

    governance = run(here, "repokit", "governance", "--dry-run", emulator=github_emulator)
    assert governance.returncode == 0, governance.stderr
    assert "no changes" in governance.stdout

    git(work, "tag", "-a", "v0.1.0", "-m", "v0.1.0: the first cut")
    published = run(here, "repokit", "github-release", "--tag", "v0.1.0", emulator=github_emulator)
    assert published.returncode == 0, published.stderr
    assert "created the GitHub release v0.1.0" in published.stdout

    release = run(here, "repokit", "release", "--bump", "patch", "--dry-run")
    assert release.returncode == 1
    assert release.stderr.startswith("error: ") and "Traceback" not in release.stderr


def test_init_workflows_are_pinned_least_privilege_and_manual_only(tmp_path: Path) -> None:
    work = real_shaped(tmp_path)
    done = run(work, "repokit", "init", "--workflows", "--yes", token=False)
    assert done.returncode == 0, done.stderr
    release = (work / ".github" / "workflows" / "release.yml").read_text()
    assert "  #     - '[0-9]*'\n" in release, "the tags without v of this repository"
    assert "permissions: {}\n" in release and "id-token: write" in release
    uses = [line.split("uses: ")[1] for line in release.splitlines() if "uses: " in line]
    assert uses and all("@" in use and len(use.split("@")[1].split()[0]) == 40 for use in uses)
    pr = (work / ".github" / "workflows" / "pr.yml").read_text()
    assert "  # pull_request:\n  #   branches: [master]\n" in pr

    checks = run(work, "repokit", "checks", "--branch", "master", token=False)
    assert checks.returncode == 0, checks.stderr
    assert "tests" in checks.stdout and "workflow_dispatch" in checks.stdout
    assert "pull_request" not in checks.stdout, "manual only until workflows.enable"
    enabled = run(work, "repokit", "workflows.enable", token=False)
    assert enabled.returncode == 0, enabled.stderr
    checks = run(work, "repokit", "checks", "--branch", "master", token=False)
    assert "pull_request, workflow_dispatch" in checks.stdout

    again = run(work, "repokit", "init", "--workflows", "--yes", token=False)
    assert "nothing to change" in again.stdout


DEPLOY = (
    "name: Deploy\non:\n  workflow_dispatch:\n  push:\n    tags: ['v*']\njobs:\n"
    "  deploy:\n    runs-on: ubuntu-latest\n    steps: [{run: 'true'}]\n"
)
CI = (
    "name: CI\non:\n  pull_request:\njobs:\n"
    "  test:\n    runs-on: ubuntu-latest\n    steps: [{run: 'true'}]\n"
)


def test_a_go_repository_with_a_deploy_workflow_needs_no_hand_edit(tmp_path: Path) -> None:
    work = tmp_path / "gosvc"
    (work / ".github" / "workflows").mkdir(parents=True)
    (work / "go.mod").write_text("module example.com/gosvc\n\ngo 1.22\n")
    (work / ".github" / "workflows" / "deploy.yml").write_text(DEPLOY)
    (work / ".github" / "workflows" / "ci.yml").write_text(CI)
    git(work, "init", "--quiet", "--initial-branch", "main")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "start")

    done = run(work, "repokit", "init", "--yes", token=False)

    assert done.returncode == 0, done.stderr
    assert "release" not in (work / "Makefile").read_text(), "no release target outside Python"
    settings = (work / "governance" / "settings.yml").read_text()
    assert 'from_workflows: ["ci.yml"]' in settings
    assert "governance: required checks leave out deploy.yml" in done.stdout
    governance = run(work, "repokit", "governance", "--dry-run", token=False)
    assert governance.returncode == 0, governance.stdout + governance.stderr
    assert "required_status_checks" in governance.stdout

    everything = settings.replace('from_workflows: ["ci.yml"]', "from_workflows: true")
    (work / "governance" / "settings.yml").write_text(everything)
    refused = run(work, "repokit", "governance", "--dry-run", token=False)
    assert refused.returncode == 1
    hint = refused.stderr.splitlines()[-1]
    assert hint == (
        "hint: leave deploy.yml out of the required checks: list the pull-request workflows "
        "(from_workflows: [ci.yml]), or pass --allow-unreported-checks"
    )
    (work / "governance" / "settings.yml").write_text(settings)

    last = done.stdout.splitlines()[-1]
    assert last.startswith("next: git add ") and last.endswith("&& inv --list")
    step = run(work, "bash", "-c", last.removeprefix("next: "))
    assert step.returncode == 0, step.stdout + step.stderr
    assert "protect-main" in step.stdout, "inv --list ran"
    assert git(work, "status", "--porcelain") == ""


def test_a_monorepo_project_is_adopted_in_its_own_folder(tmp_path: Path) -> None:
    work = tmp_path / "mono"
    api = work / "packages" / "api"
    (api / "api").mkdir(parents=True)
    (api / "pyproject.toml").write_text('[project]\nname = "api"\nversion = "0.3.0"\n')
    (api / "api" / "__init__.py").write_text("")
    (work / "Makefile").write_text("all:\n\tgo build ./...\n")
    git(work, "init", "--quiet", "--initial-branch", "main")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "start")
    git(work, "tag", "api-v0.3.0")

    hinted = run(api, "repokit", "init", "--dry-run", token=False)
    assert hinted.returncode == 0, hinted.stderr
    assert "note: packages/api is a Python project: 'repokit init --project packages/api'" in (
        hinted.stdout
    )

    done = run(work, "repokit", "init", "--project", "packages/api", "--yes", token=False)

    assert done.returncode == 0, done.stderr
    assert (work / "Makefile").read_text() == "all:\n\tgo build ./...\n", "the root is untouched"
    assert not (work / "tasks.py").exists()
    assert "\nrelease:\n\trepokit release" in (api / "Makefile").read_text()
    assert (api / "tasks.py").read_text().endswith("from repokit.tasks import namespace\n")
    assert (work / "governance" / "settings.yml").is_file(), "governance is the repository's"
    last = done.stdout.splitlines()[-1]
    assert "cd packages/api && inv release --bump patch --dry-run --no-push" in last
    step = run(work, "bash", "-c", last.removeprefix("next: "))
    assert step.returncode == 0, step.stdout + step.stderr
    assert "0.3.1" in step.stdout

    outside = run(work, "repokit", "init", "--project", str(tmp_path), "--dry-run", token=False)
    assert outside.returncode == 1
    assert "not inside the repository" in outside.stderr and "Traceback" not in outside.stderr
