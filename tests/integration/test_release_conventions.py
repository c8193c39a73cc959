"""Out of the box on real git: branch and tag format read from the repository, version
sources, explicit and date versions, shallow clones and monorepos."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from repokit.testing.sandbox import Sandbox, assert_refused, git, run_repokit

repokit = run_repokit
refused = assert_refused


def without_settings(sandbox: Sandbox, *, branch: str = "master", tag: str = "0.1.0") -> None:
    """The sandbox as most real projects are: no [tool.repokit] branch, ``branch`` as the
    remote's default branch, and the first release tagged ``tag``."""
    pyproject = sandbox.work / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('branch = "main"\n', ""))
    sandbox.commit("build: let repokit read the conventions", {})
    sandbox.git("branch", "-m", "main", branch)
    sandbox.git("tag", "-d", "v0.1.0")
    sandbox.git("tag", "-a", tag, "-m", tag, "HEAD~5")
    sandbox.git("push", "-q", "--follow-tags", "origin", branch)
    git("symbolic-ref", "HEAD", f"refs/heads/{branch}", cwd=sandbox.remote)
    sandbox.git("push", "-q", "origin", ":refs/heads/main", ":refs/tags/v0.1.0")
    sandbox.git("remote", "set-head", "origin", "--auto")
    sandbox.git("branch", "-q", "--set-upstream-to", f"origin/{branch}")


def test_master_and_tags_without_v_are_read_from_the_repository(sandbox: Sandbox) -> None:
    without_settings(sandbox)

    dry = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "release 0.1.0 -> 0.2.0, tag 0.2.0\n" in dry.stdout
    assert "5 commit(s) since 0.1.0\n" in dry.stdout
    assert "branch: master  (the default branch of origin)" in dry.stdout
    assert "tag format: {version}  (inferred from the newest version tags)" in dry.stdout

    done = repokit(sandbox.work, "release", "--bump", "minor", "--yes")
    assert done.returncode == 0, done.stderr
    remote = sandbox.remote_refs()
    head = sandbox.git("rev-parse", "HEAD")
    assert remote["refs/heads/master"] == head
    assert remote["refs/tags/0.2.0^{}"] == head
    assert "refs/tags/v0.2.0" not in remote


def test_version_explain_names_where_each_convention_comes_from(sandbox: Sandbox) -> None:
    without_settings(sandbox, branch="trunk", tag="v0.1.0")
    result = repokit(sandbox.work, "version", "--explain")
    assert result.returncode == 0, result.stderr
    assert "branch: trunk  (the default branch of origin)\n" in result.stdout
    assert "tag format: v{version}  (inferred from the newest version tags)\n" in result.stdout
    assert "version: 0.1.0  (pyproject.toml [project])\n" in result.stdout


def test_a_configured_tag_format_matching_no_tag_is_refused(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(pyproject_extra='tag_format = "release-{version}"\n')
    for command in (("changelog",), ("release", "--bump", "patch", "--dry-run")):
        refused(repokit(sandbox.work, *command), "release-{version}", "v0.1.0", "tag_format")


def test_explicit_versions_are_released_and_lower_ones_refused(sandbox: Sandbox) -> None:
    assert repokit(sandbox.work, "version", "--next", "2.0.0").stdout == "2.0.0\n"
    refused(
        repokit(sandbox.work, "release", "--bump", "0.0.9", "--dry-run"),
        "0.0.9 is not greater than the current version 0.1.0",
    )
    done = repokit(sandbox.work, "release", "--bump", "2.0.0", "--yes")
    assert done.returncode == 0, done.stderr
    assert 'version = "2.0.0"' in (sandbox.work / "pyproject.toml").read_text()
    assert "refs/tags/v2.0.0" in sandbox.remote_refs()


def test_date_versions_keep_their_scheme(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(version="2026.08.17")
    epoch = "1788998400"  # 2026-09-10
    auto = repokit(sandbox.work, "version", "--next", "auto", SOURCE_DATE_EPOCH=epoch)
    assert auto.stdout == "2026.09.10\n", auto.stderr
    refused(
        repokit(sandbox.work, "release", "--bump", "minor", "--dry-run"),
        "2026.08.17 is a date version",
        "--bump calver",
    )
    same_day = repokit(sandbox.work, "version", "--next", "calver", SOURCE_DATE_EPOCH="1786924800")
    assert same_day.stdout == "2026.08.17.1\n", same_day.stderr


def test_auto_refuses_when_only_docs_and_chores_changed(sandbox: Sandbox) -> None:
    sandbox.git("reset", "-q", "--hard", "v0.1.0")
    sandbox.commit("docs: explain the options")
    sandbox.commit("chore(deps): bump a pin")
    result = repokit(sandbox.work, "version", "--next", "auto")
    refused(result, "nothing to release", "--bump patch")
    sandbox.commit("Tidy the greeting")  # not conventional: a patch, with a note
    plain = repokit(sandbox.work, "version", "--next", "auto")
    assert plain.stdout == "0.1.1\n"
    assert "not conventional" in plain.stderr


def test_setuptools_scm_project_releases_by_tag_alone(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(backend="setuptools")
    pyproject = sandbox.work / "pyproject.toml"
    text = pyproject.read_text()
    text = text.replace(
        'requires = ["setuptools>=61"]', 'requires = ["setuptools>=64", "setuptools-scm>=8"]'
    )
    text = text.replace('version = "0.1.0"\n', 'dynamic = ["version"]\n')
    text = text.replace('version_files = ["src/demo_greeter/__init__.py"]\n', "")
    text += "\n[tool.setuptools_scm]\n"
    pyproject.write_text(text)
    (sandbox.work / "src/demo_greeter/__init__.py").write_text('"""demo-greeter."""\n')
    sandbox.commit("feat: take the version from the tags", {})
    sandbox.push()

    assert repokit(sandbox.work, "version").stdout == "0.1.0\n"
    dry = repokit(sandbox.work, "release", "--bump", "auto", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "release 0.1.0 -> 0.2.0, tag v0.2.0" in dry.stdout
    assert "the tag is the version, no file changes" in dry.stdout
    assert "+++ b/pyproject.toml" not in dry.stdout

    before = pyproject.read_bytes()
    done = repokit(sandbox.work, "release", "--bump", "auto", "--yes")
    assert done.returncode == 0, done.stderr
    assert pyproject.read_bytes() == before
    changed = sandbox.git("show", "--name-only", "--format=", "HEAD").split()
    assert changed == ["CHANGELOG.md"]
    assert sandbox.remote_refs()["refs/tags/v0.2.0^{}"] == sandbox.git("rev-parse", "HEAD")
    assert repokit(sandbox.work, "version").stdout == "0.2.0\n"


def test_shallow_clone_refuses_then_fetches_the_history(sandbox: Sandbox, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    git("clone", "-q", "--depth", "1", f"file://{sandbox.remote}", str(clone), cwd=tmp_path)
    for command in (("changelog",), ("release", "--bump", "patch", "--dry-run")):
        refused(repokit(clone, *command), "shallow", "fetch-depth: 0", "--fetch-history")

    fetched = repokit(clone, "changelog", "--fetch-history")
    assert fetched.returncode == 0, fetched.stderr
    assert "- greet people by name" in fetched.stdout
    assert git("rev-parse", "--is-shallow-repository", cwd=clone) == "false"


def test_a_monorepo_project_below_the_root(tmp_path: Path) -> None:
    remote, work = tmp_path / "remote.git", tmp_path / "work"
    git("init", "-q", "--bare", "-b", "main", str(remote), cwd=tmp_path)
    git("init", "-q", "-b", "main", str(work), cwd=tmp_path)
    git("remote", "add", "origin", str(remote), cwd=work)

    def commit(message: str, path: str, text: str) -> None:
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        git("add", "-A", cwd=work)
        git("commit", "-q", "-m", message, cwd=work)

    for name in ("a", "b"):
        commit(
            f"chore: start {name}",
            f"packages/{name}/pyproject.toml",
            f'[project]\nname = "{name}"\nversion = "0.1.0"\n',
        )
        git("tag", "-a", f"{name}-v0.1.0", "-m", name, cwd=work)
    commit("feat: a greets", "packages/a/src/a/greet.py", "x = 1\n")
    commit("feat: b waves", "packages/b/src/b/wave.py", "x = 1\n")
    commit("fix: a greets politely", "packages/a/src/a/greet.py", "x = 2\n")
    git("push", "-q", "--follow-tags", "origin", "main", cwd=work)

    named = repokit(work, "changelog", "--project", "packages/b")
    assert named.returncode == 0, named.stderr
    assert "- b waves" in named.stdout and "greets" not in named.stdout
    inside = work / "packages/a/src/a"
    log = repokit(inside, "changelog")
    assert log.returncode == 0, log.stderr
    assert "- a greets" in log.stdout and "- a greets politely" in log.stdout
    assert "b waves" not in log.stdout
    dry = repokit(inside, "release", "--bump", "auto", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "release 0.1.0 -> 0.2.0, tag a-v0.2.0" in dry.stdout
    assert "2 commit(s) since a-v0.1.0" in dry.stdout
    assert "+++ b/packages/a/pyproject.toml" in dry.stdout or "+++ b/pyproject.toml" in dry.stdout


def test_date_versions_that_count_releases_keep_counting(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="25.3.0", tag_initial=False)
    made = {"25.1.0": "2025-01-16T10:00:00", "25.2.0": "2025-06-02T10:00:00"}
    made["25.3.0"] = "2025-10-27T10:00:00"
    for number, (tag, when) in enumerate(made.items()):
        subprocess.run(
            ["git", "tag", "-a", tag, "-m", tag, f"HEAD~{4 - number}"],
            cwd=sandbox.work,
            env={**os.environ, "GIT_COMMITTER_DATE": when},
            check=True,
        )
    later = repokit(sandbox.work, "version", "--next", "calver", SOURCE_DATE_EPOCH="1762560000")
    assert later.stdout == "25.4.0\n", later.stderr  # 2025-11-08: the fourth of the year
    next_year = repokit(sandbox.work, "version", "--next", "auto", SOURCE_DATE_EPOCH="1780000000")
    assert next_year.stdout == "26.1.0\n", next_year.stderr
