"""``--bump auto`` and the notes on real git: bots and updates release nothing, a history
that is not conventional is told to name the bump, date versions keep their scheme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from repokit.testing.sandbox import Sandbox, assert_refused, run_repokit

repokit = run_repokit
refused = assert_refused

PRE_COMMIT_CI = "pre-commit-ci[bot] <66853113+pre-commit-ci[bot]@users.noreply.github.com>"
DEPENDABOT = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
ACTIONS = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"


def commit_as(sandbox: Sandbox, author: str, message: str) -> None:
    counter = sandbox.work / "changes.txt"
    counter.write_text((counter.read_text() if counter.exists() else "") + message + "\n")
    sandbox.git("add", "-A")
    sandbox.git("commit", "-q", "--no-verify", f"--author={author}", "-m", message)


def bot_commits(sandbox: Sandbox) -> None:
    commit_as(sandbox, PRE_COMMIT_CI, "[pre-commit.ci] pre-commit autoupdate (#722)")
    commit_as(sandbox, DEPENDABOT, "build(deps): bump actions/checkout from 6.0.2 to 7.0.0")
    commit_as(sandbox, ACTIONS, "fix: regenerate the schema")
    sandbox.commit("fix(deps): update dependency urllib3 to v2.2.2 [security]")


def test_bots_and_updates_release_nothing_and_stay_out_of_the_notes(sandbox: Sandbox) -> None:
    sandbox.git("reset", "-q", "--hard", "v0.1.0")
    bot_commits(sandbox)

    refused(repokit(sandbox.work, "version", "--next", "auto"), "nothing to release")
    refused(repokit(sandbox.work, "release", "--bump", "auto", "--dry-run"), "nothing to release")

    sandbox.commit("🐛 fix(greet): close the file")
    assert repokit(sandbox.work, "version", "--next", "auto").stdout == "0.1.1\n"
    notes = repokit(sandbox.work, "changelog")
    assert notes.returncode == 0, notes.stderr
    assert "- **greet:** close the file" in notes.stdout
    for noise in ("autoupdate", "actions/checkout", "regenerate", "urllib3"):
        assert noise not in notes.stdout


def test_include_bots_brings_them_back(make_sandbox: Callable[..., Sandbox]) -> None:
    sandbox = make_sandbox(pyproject_extra="changelog_include_bots = true\n")
    sandbox.git("reset", "-q", "--hard", "v0.1.0")
    bot_commits(sandbox)

    assert repokit(sandbox.work, "version", "--next", "auto").stdout == "0.1.1\n"
    notes = repokit(sandbox.work, "changelog").stdout
    assert "- regenerate the schema" in notes
    assert "- **deps:** update dependency urllib3 to v2.2.2 [security]" in notes


def test_a_history_that_is_not_conventional_is_told_to_name_the_bump(sandbox: Sandbox) -> None:
    for number in range(12):
        sandbox.commit(f"Tidy the greeting, take {number}")

    result = repokit(sandbox.work, "release", "--bump", "auto", "--dry-run")
    refused(result, "Conventional Commits", "--bump patch")
    named = repokit(sandbox.work, "release", "--bump", "patch", "--dry-run")
    assert named.returncode == 0, named.stderr
    assert "release 0.1.0 -> 0.1.1" in named.stdout


def test_a_date_version_with_a_counter_takes_patch_and_calver(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="2026.8.0b5")
    june = "1780000000"  # 2026-05-28
    patch = repokit(sandbox.work, "release", "--bump", "patch", "--dry-run", SOURCE_DATE_EPOCH=june)
    assert patch.returncode == 0, patch.stderr
    assert "release 2026.8.0b5 -> 2026.8.0, tag v2026.8.0" in patch.stdout
    december = "1796601600"  # 2026-12-07
    for bump in ("calver", "auto"):
        done = repokit(sandbox.work, "version", "--next", bump, SOURCE_DATE_EPOCH=december)
        assert done.stdout == "2026.12.0\n", done.stderr
    refused(
        repokit(sandbox.work, "release", "--bump", "minor", "--dry-run"),
        "YYYY.M.N",
        "--bump calver",
        "--bump patch",
    )


def test_init_writes_make_release_with_calver_for_a_version_ending_with_the_day(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="2026.08.17")
    done = repokit(sandbox.work, "init", "--yes", GITHUB_TOKEN="", GH_TOKEN="")
    assert done.returncode == 0, done.stderr
    makefile = (sandbox.work / "Makefile").read_text()
    assert "\trepokit release --bump $(or $(BUMP),calver)\n" in makefile


def test_a_version_already_written_is_released_as_it_stands(sandbox: Sandbox) -> None:
    init = f"src/{sandbox.package}/__init__.py"
    pyproject = (sandbox.work / "pyproject.toml").read_text().replace("0.1.0", "0.3.0")
    sandbox.commit(
        "Prepare release 0.3.0",
        {"pyproject.toml": pyproject, init: '"""demo-greeter."""\n\n__version__ = "0.3.0"\n'},
    )
    sandbox.push()

    assert repokit(sandbox.work, "version", "--next", "auto").stdout == "0.3.0\n"
    assert repokit(sandbox.work, "version", "--next", "minor").stdout == "0.4.0\n"
    named = repokit(sandbox.work, "release", "--bump", "0.3.0", "--dry-run")
    assert named.returncode == 0, named.stderr
    assert "release 0.3.0 -> 0.3.0, tag v0.3.0" in named.stdout

    before = (sandbox.work / "pyproject.toml").read_bytes()
    done = repokit(sandbox.work, "release", "--bump", "auto", "--yes")
    assert done.returncode == 0, done.stderr
    assert (sandbox.work / "pyproject.toml").read_bytes() == before
    assert sandbox.git("show", "--name-only", "--format=", "HEAD").split() == ["CHANGELOG.md"]
    assert sandbox.remote_refs()["refs/tags/v0.3.0^{}"] == sandbox.git("rev-parse", "HEAD")
    assert "## [0.3.0] - " in (sandbox.work / "CHANGELOG.md").read_text()
    assert repokit(sandbox.work, "version", "--next", "auto").stdout != "0.3.0\n"


def test_a_monorepo_package_releases_in_its_own_tag_family(tmp_path: Path) -> None:
    """Shaped as langchain-ai/langgraph: libs/checkpoint tags ``checkpoint==X``, the main
    package libs/langgraph plain ``X``, and the sibling's tags are the newest."""
    from repokit.testing.sandbox import git

    work = tmp_path / "work"
    git("init", "-q", "-b", "main", str(work), cwd=tmp_path)

    def commit(message: str, path: str, text: str) -> None:
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_text(text)
        git("add", "-A", cwd=work)
        git("commit", "-q", "-m", message, cwd=work)

    for folder, name, version, tag in (
        ("checkpoint", "langgraph-checkpoint", "4.2.0", "checkpoint==4.2.0"),
        ("langgraph", "langgraph", "1.2.11", "1.2.11"),
    ):
        pyproject = f'[project]\nname = "{name}"\nversion = "{version}"\n'
        commit(f"chore: start {name}", f"libs/{folder}/pyproject.toml", pyproject)
        git("tag", "-a", tag, "-m", tag, cwd=work)
    commit("fix(checkpoint): close the saver", "libs/checkpoint/saver.py", "x = 1\n")
    commit("feat: stream events", "libs/langgraph/graph.py", "x = 1\n")

    checkpoint = repokit(
        work, "release", "--bump", "auto", "--dry-run", "--no-push", "--project", "libs/checkpoint"
    )
    assert checkpoint.returncode == 0, checkpoint.stderr
    assert "release 4.2.0 -> 4.2.1, tag checkpoint==4.2.1" in checkpoint.stdout
    assert "tag format: checkpoint=={version}" in checkpoint.stdout
    main = repokit(work, "version", "--next", "auto", "--project", "libs/langgraph")
    assert main.stdout == "1.3.0\n", main.stderr


def test_a_maturin_project_releases_the_version_of_its_crate(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    sandbox = make_sandbox(version="2.41.5", backend="setuptools")
    pyproject = (sandbox.work / "pyproject.toml").read_text()
    pyproject = pyproject.replace('requires = ["setuptools>=61"]', 'requires = ["maturin>=1,<2"]')
    pyproject = pyproject.replace('"setuptools.build_meta"', '"maturin"')
    pyproject = pyproject.replace('version = "2.41.5"\n', 'dynamic = ["version"]\n')
    cargo = '[package]\nname = "demo-greeter"\nversion = "2.41.5"\nedition = "2021"\n'
    lock = 'version = 4\n\n[[package]]\nname = "demo-greeter"\nversion = "2.41.5"\n'
    sandbox.commit(
        "build: build with maturin",
        {"pyproject.toml": pyproject, "Cargo.toml": cargo, "Cargo.lock": lock},
    )
    sandbox.push()

    explained = repokit(sandbox.work, "version", "--explain")
    assert "version: 2.41.5  (Cargo.toml [package] (maturin))" in explained.stdout, explained.stderr
    dry = repokit(sandbox.work, "release", "--bump", "minor", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "release 2.41.5 -> 2.42.0" in dry.stdout
    assert '-version = "2.41.5"\n+version = "2.42.0"\n' in dry.stdout
    assert "+++ b/Cargo.toml" in dry.stdout and "+++ b/Cargo.lock" in dry.stdout


def test_news_fragments_on_a_date_version_follow_its_calendar(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    """pip's shape: a date version and towncrier fragments; a feature fragment moves to the
    current period instead of asking for a minor bump the scheme refuses."""
    notes = Path(__file__).parent.parent / "data" / "notes"
    sandbox = make_sandbox(version="26.5.1")
    pyproject = (sandbox.work / "pyproject.toml").read_text()
    sandbox.commit(
        "docs: news fragments",
        {
            "pyproject.toml": pyproject + "\n" + (notes / "pluggy-towncrier.toml").read_text(),
            "CHANGELOG.rst": (notes / "pluggy-CHANGELOG.rst").read_text(),
            "changelog/_template.rst": (notes / "pluggy-_template.rst").read_text(),
            "changelog/700.feature.rst": "Hooks can be called with keyword arguments only.\n",
        },
    )
    may, december = "1779000000", "1796601600"  # 2026-05-17, 2026-12-07
    within = repokit(sandbox.work, "version", "--next", "auto", SOURCE_DATE_EPOCH=may)
    assert within.stdout == "26.5.2\n", within.stderr
    later = repokit(sandbox.work, "version", "--next", "auto", SOURCE_DATE_EPOCH=december)
    assert later.stdout == "26.12.0\n", later.stderr


def test_a_version_that_only_looks_like_a_date_is_bumped_as_a_version(
    make_sandbox: Callable[..., Sandbox],
) -> None:
    # virtualenv's 21.6.1 and 21.6.2, tagged years after 2021: a version, not a date
    sandbox = make_sandbox(version="21.6.1", history=())
    sandbox.commit("fix: keep the prompt", {"src/demo_greeter/prompt.py": "PROMPT = 1\n"})
    sandbox.git("tag", "-a", "v21.6.2", "-m", "21.6.2")
    sandbox.commit("feat: a new seeder", {"src/demo_greeter/seed.py": "SEED = 1\n"})

    auto = repokit(sandbox.work, "version", "--next", "auto")
    minor = repokit(sandbox.work, "version", "--next", "minor")

    assert auto.stdout == "21.7.0\n", auto.stderr
    assert minor.stdout == "21.7.0\n", minor.stderr
