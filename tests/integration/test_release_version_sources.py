"""Versions as real projects keep them, released on real git: a local version in the files
(pydantic), a setup.cfg-only project (pre-commit), twisted's incremental ``_version.py``.
The files are the projects' own (see tests/data/version_sources/SOURCES.md)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from repokit.testing.sandbox import assert_refused, git, run_repokit

DATA = Path(__file__).parent.parent / "data" / "version_sources"
CHANGELOG = "# Changelog\n\n## [1.0.0] - 2026-01-05\n\n### Fixed\n\n- first\n"


def data(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def released_project(tmp_path: Path, files: Mapping[str, str], tag: str) -> Path:
    """A work tree with a bare origin: ``files`` committed and tagged ``tag``, pushed."""
    work, remote = tmp_path / "work", tmp_path / "remote.git"
    git("init", "-q", "--bare", "-b", "main", str(remote), cwd=tmp_path)
    git("init", "-q", "-b", "main", str(work), cwd=tmp_path)
    git("remote", "add", "origin", str(remote), cwd=work)
    commit(work, "chore: start", {"CHANGELOG.md": CHANGELOG, **files})
    git("tag", "-a", tag, "-m", tag, cwd=work)
    git("push", "-q", "--follow-tags", "-u", "origin", "main", cwd=work)
    return work


def commit(work: Path, message: str, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(text.encode("utf-8"))
    git("add", "-A", cwd=work)
    git("commit", "-q", "--no-verify", "-m", message, cwd=work)


# --- a local version in the files --------------------------------------------------------

PYDANTIC_PYPROJECT = (
    '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
    '[project]\nname = "pydantic"\ndynamic = ["version"]\n\n'
    "[tool.hatch.version]\npath = 'pydantic/version.py'\n"
)


def test_a_local_version_is_decided_from_its_public_part_and_never_released(
    tmp_path: Path,
) -> None:
    """pydantic kept ``2.14.0a0+dev`` after 2.13.4 and released 2.14.0a1."""
    version_py = data("pydantic-version.py.txt")
    assert "VERSION = '2.14.0a0+dev'" in version_py
    released = version_py.replace("2.14.0a0+dev", "2.13.4")
    work = released_project(
        tmp_path, {"pyproject.toml": PYDANTIC_PYPROJECT, "pydantic/version.py": released}, "v2.13.4"
    )
    commit(work, "Start 2.14 (#13000)", {"pydantic/version.py": version_py})
    commit(work, "feat: add PyEmscripten platform tag support", {"pydantic/x.py": "x = 1\n"})

    auto = run_repokit(work, "version", "--next", "auto")
    assert auto.stdout == "2.14.0a1\n", auto.stderr
    assert "2.14.0a0+dev in the project's files has a local part" in auto.stderr
    assert run_repokit(work, "version", "--next", "patch").stdout == "2.14.0\n"

    for command in ("version", "--next"), ("release", "--dry-run", "--bump"):
        local = run_repokit(work, *command, "2.15.0+dev")
        assert_refused(local, "--bump 2.15.0+dev: a local version (+dev) cannot be published")
        assert "hint: give its public part: --bump 2.15.0\n" in local.stderr

    dry = run_repokit(work, "release", "--bump", "auto", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "release 2.14.0a0+dev -> 2.14.0a1, tag v2.14.0a1\n" in dry.stdout
    assert "-VERSION = '2.14.0a0+dev'\n+VERSION = '2.14.0a1'\n" in dry.stdout


# --- setup.cfg without pyproject.toml ----------------------------------------------------

SETUP_PY = "from __future__ import annotations\n\nfrom setuptools import setup\nsetup()\n"


def test_a_setup_cfg_only_project_releases_its_setup_cfg_version(tmp_path: Path) -> None:
    """pre-commit has no pyproject.toml: ``version = 4.6.1`` under ``[metadata]``."""
    cfg = data("pre-commit-setup.cfg")
    files = {"setup.cfg": cfg, "setup.py": SETUP_PY, "pre_commit/__init__.py": ""}
    work = released_project(tmp_path, files, "v4.6.1")
    commit(work, "fix: fix language: node for hooks with build scripts", {"pre_commit/x.py": ""})

    explained = run_repokit(work / "pre_commit", "version", "--explain")
    assert "version: 4.6.1  (setup.cfg [metadata] version)\n" in explained.stdout, explained.stderr
    dry = run_repokit(work, "release", "--bump", "auto", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "release 4.6.1 -> 4.6.2, tag v4.6.2\n" in dry.stdout
    assert "+++ b/setup.cfg\n" in dry.stdout
    assert " name = pre_commit\n-version = 4.6.1\n+version = 4.6.2\n description" in dry.stdout
    assert "+++ b/pyproject.toml" not in dry.stdout


# --- twisted's incremental -----------------------------------------------------------------

TWISTED_PYPROJECT = (
    '[build-system]\nrequires = [\n    "hatchling >= 1.10.0",\n    "incremental >= 24.7.0",\n]\n'
    'build-backend = "hatchling.build"\n\n[project]\nname = "Twisted"\n'
    'dynamic = [\n    "version",\n    "readme",\n]\n\n'
    '[tool.hatch.version]\nsource = "incremental"\n'
)
VERSION_PY = "src/twisted/_version.py"
FAILURE = "src/twisted/python/failure.py"
OCTOBER = "1729350000"  # 2024-10-19, the day of twisted 24.10.0rc1
NOVEMBER = "1731000000"  # 2024-11-07


def test_twisted_s_incremental_version_is_read_and_written_in_its_call_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """twisted tags twisted-24.7.0, marks development with ``post=0``, then makes
    24.10.0rc1 and its final (in November: the final keeps the candidate's period)."""
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):  # tags of the years they name
        monkeypatch.setenv(name, "2024-08-08T08:42:43+01:00")
    final, post = data("twisted-_version-final.py.txt"), data("twisted-_version-post.py.txt")
    files = {"pyproject.toml": TWISTED_PYPROJECT, VERSION_PY: final}
    work = released_project(tmp_path, files, "twisted-24.7.0")
    failure = data("twisted-failure-excerpt.py.txt")
    post_files = {VERSION_PY: post, FAILURE: failure, ".gitignore": "src/twisted/scratch.py\n"}
    commit(work, "python -m incremental.update Twisted --post", post_files)
    (work / "src/twisted/scratch.py").write_text('Version("Twisted", "NEXT", 0, 0)\n')
    commit(work, "feat: Python 3.13 is now supported", {"src/twisted/py313.py": ""})

    explained = run_repokit(work, "version", "--explain")
    assert "version: 24.7.0.post0  (src/twisted/_version.py (incremental))\n" in explained.stdout
    auto = run_repokit(work, "version", "--next", "auto", SOURCE_DATE_EPOCH=OCTOBER)
    assert auto.stdout == "24.10.0\n", auto.stderr
    assert "24.7.0.post0 in the project's files marks development after the release 24.7.0" in (
        auto.stderr
    )
    as_written = run_repokit(work, "version", "--next", "24.7.0.post0")
    assert as_written.stdout == "24.7.0.post0\n", as_written.stderr
    rc = run_repokit(
        work, "release", "--bump", "calver", "--pre", "rc", "--dry-run", SOURCE_DATE_EPOCH=OCTOBER
    )
    assert rc.returncode == 0, rc.stderr
    assert "release 24.7.0.post0 -> 24.10.0rc1, tag twisted-24.10.0rc1\n" in rc.stdout
    assert (
        ' from incremental import Version\n \n-__version__ = Version("Twisted", 24, 7, 0, post=0)\n'
        '+__version__ = Version("Twisted", 24, 10, 0, release_candidate=1)\n'
        ' __all__ = ["__version__"]\n'
    ) in rc.stdout
    assert (
        '-    @deprecatedProperty(Version("Twisted", "NEXT", 0, 0))\n'
        '+    @deprecatedProperty(Version("Twisted", 24, 10, 0, release_candidate=1))\n'
    ) in rc.stdout
    assert "scratch.py" not in rc.stdout  # not tracked: not the release's

    commit(
        work,
        "python -m incremental.update Twisted --rc",
        {VERSION_PY: data("twisted-_version-rc.py.txt")},
    )
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, "2024-10-19T21:20:33+01:00")
    git("tag", "-a", "twisted-24.10.0rc1", "-m", "24.10.0rc1", cwd=work)
    commit(work, "fix: close the TLS endpoint", {"src/twisted/tls.py": ""})
    after_rc = run_repokit(work, "version", "--next", "auto", SOURCE_DATE_EPOCH=NOVEMBER)
    assert after_rc.stdout == "24.10.0\n", after_rc.stderr
    beta = run_repokit(work, "release", "--bump", "24.11.0b1", "--dry-run")
    assert_refused(beta, "incremental has no alpha or beta, so 24.11.0b1 cannot be written")
