"""What ``repokit init`` would write in a repository: a list of FileEdits and notes.

Nothing here writes: the command shows the edits' diffs, asks once, then applies them.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from repokit.config import PYPROJECT, Config, load, load_repository
from repokit.edits import FileEdit
from repokit.errors import RepokitError
from repokit.init import texts

PROBOT_FILE = ".github/settings.yml"

#: Reads the live settings of the repository as a settings file, or None without a token.
Exporter = Callable[[Config], "str | None"]


@dataclass
class InitPlan:
    root: Path
    edits: list[FileEdit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: The folder holding the project's tasks.py and Makefile (the root, or --project's).
    project: Path | None = None
    #: Whether the project is a Python project (so ``inv release`` can run there).
    python: bool = False
    #: Whether the release remote exists (else a release is tried with --no-push).
    remote: bool = True

    @property
    def changes(self) -> list[FileEdit]:
        return [edit for edit in self.edits if edit.changed]


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        msg = f"{path}: cannot read: {error}"
        raise RepokitError(msg, hint="check the file's permissions and encoding") from None


def _edit(path: Path, before: str | None, after: str) -> FileEdit:
    old = None if before is None else before.encode("utf-8")
    return FileEdit(path, old, after.encode("utf-8"))


def plan(
    start: Path | str = ".",
    *,
    project: Path | str | None = None,
    export: Exporter | None = None,
    workflows: bool = False,
) -> InitPlan:
    """The edits that adopt repokit in the repository holding ``start``.

    ``project`` is a folder of a monorepo holding one project: its tasks.py, Makefile and
    pyproject.toml are the ones written. The governance file and the workflows belong to
    the repository, at its root.
    """
    config = load_repository(start)
    resolved = config
    root = config.root
    here = _project_folder(root, project) if project is not None else root
    result = InitPlan(root, project=here, python=(here / PYPROJECT).is_file())
    tasks_path = here / "tasks.py"
    tasks_before = _read(tasks_path)
    result.edits.append(_edit(tasks_path, tasks_before, texts.tasks_py(tasks_before)))
    if tasks_before is not None and "repokit.tasks" not in tasks_before:
        result.notes.append("tasks.py has its own tasks: repokit's are under 'inv repokit.*'")
    make_path = here / "Makefile"
    make_before = _read(make_path)
    project_config = load(here) if result.python else None
    bump = _release_bump(project_config) if project_config is not None else "patch"
    made = texts.makefile(make_before, python=result.python, bump=bump)
    result.edits.append(_edit(make_path, make_before, made))
    if project_config is not None:
        edits, resolved = _pyproject(project_config, result.notes)
        result.edits += edits
        result.remote = _has_remote(resolved)
    else:
        result.notes.append(
            f"no {PYPROJECT}: release is for Python projects (no release target); "
            "ci and governance work"
        )
    result.notes += _nested_projects(root, Path(start), project)
    result.edits += _governance(config, result.notes, export)
    if workflows and here != root:
        result.notes.append("workflows: --workflows writes them for a project at the root only")
    elif workflows:
        result.edits += workflow_edits(resolved, _branch(resolved), result.notes)
    return result


def _has_remote(config: Config) -> bool:
    from repokit import gitrepo

    try:
        return gitrepo.remote_url(gitrepo.open_repo(config.root), config.remote) is not None
    except RepokitError:
        return False


def _project_folder(root: Path, project: Path | str) -> Path:
    """``--project``'s folder, checked: a folder of this repository."""
    folder = Path(project).resolve()
    if not folder.is_dir():
        msg = f"--project {project}: no such folder"
        raise RepokitError(msg, hint="give the folder of the project, e.g. --project packages/api")
    if not folder.is_relative_to(root):
        msg = f"--project {project}: not inside the repository at {root}"
        raise RepokitError(msg, hint="give a folder of this repository")
    return folder


def _nested_projects(root: Path, start: Path, project: Path | str | None) -> list[str]:
    """A note when init runs from a project folder below the root without --project."""
    if project is not None:
        return []
    here = start.resolve()
    for folder in (here, *here.parents):
        if folder == root or not folder.is_relative_to(root):
            break
        if (folder / PYPROJECT).is_file():
            shown = folder.relative_to(root).as_posix()
            return [f"{shown} is a Python project: 'repokit init --project {shown}' adopts it"]
    return []


def _release_bump(config: Config) -> str:
    """The bump ``make release`` makes: ``patch``, or ``calver`` for a version ending with
    the day of its release (such a scheme has no patch)."""
    from repokit.release.calver import scheme_of
    from repokit.release.sources import read_version

    try:
        scheme = scheme_of(read_version(config))
    except RepokitError:
        return "patch"
    return "calver" if scheme is not None and not scheme.takes_patch else "patch"


def _pyproject(config: Config, notes: list[str]) -> tuple[list[FileEdit], Config]:
    """``[tool.repokit]`` only for what repokit cannot infer: the version's other copies."""
    from repokit import gitrepo
    from repokit.release.conventions import resolve
    from repokit.release.sources import project_names, read_source
    from repokit.release.version_files import undeclared_paths

    repo = gitrepo.open_repo(config.root)
    try:
        resolved = resolve(config, repo, project_names(config))
        source = read_source(resolved.config, repo)
    except RepokitError as error:
        notes.append(f"release conventions: {error.message}")
        return [], config
    notes += [f"{c.name}: {c.value}  ({c.source})" for c in resolved.conventions]
    tracked = gitrepo.tracked_files(repo, gitrepo.subdir(repo, config.root))
    found = undeclared_paths(resolved.config, tracked, source.raw, source.path)
    if not found:
        return [], resolved.config
    before = _read(config.pyproject) or ""
    after = texts.pyproject(before, {"version_files": found})
    return [_edit(config.pyproject, before, after)], resolved.config


def _governance(config: Config, notes: list[str], export: Exporter | None) -> list[FileEdit]:
    path = config.root / config.governance_file
    for existing in (path, config.root / PROBOT_FILE):
        if existing.exists():
            notes.append(f"governance: {existing.relative_to(config.root)} exists, kept as it is")
            return []
    text = export(config) if export is not None else None
    if text is not None:
        notes.append("governance: exported from the live repository (applying it changes nothing)")
        return [_edit(path, None, text)]
    from repokit.governance.codeowners import existing_rules

    rules, source = existing_rules(config.root)
    branch = _branch(config)
    notes.append("governance: no GitHub token, so a starter file (review it before applying)")
    required = _pull_request_workflows(config, branch, notes)
    return [_edit(path, None, texts.governance_starter(branch, rules, source, required))]


def _pull_request_workflows(config: Config, branch: str, notes: list[str]) -> list[str]:
    """The workflows whose checks report on every pull request into ``branch``, by file name.

    Only these can be required: a deploy or release workflow (workflow_dispatch, push of a
    tag) never reports on a pull request, and requiring its checks would block every merge.
    """
    from repokit.ci.checks import checks

    directory = config.root / config.workflows_dir
    if not directory.is_dir():
        return []
    try:
        found = checks(directory, None, branch=branch)
    except RepokitError as error:
        notes.append(f"governance: the workflows cannot be read ({error.message}): no checks")
        return []
    silent = list(dict.fromkeys(c.workflow for c in found if not c.reports_on_pull_requests))
    unnamed = [
        w for w in dict.fromkeys(c.workflow for c in found if not c.resolved) if w not in silent
    ]
    if silent:
        notes.append(
            f"governance: required checks leave out {', '.join(silent)} "
            f"(not run on every pull request into {branch})"
        )
    if unnamed:
        notes.append(
            f"governance: required checks leave out {', '.join(unnamed)} (a check's name is "
            "only known when it runs: list checks: by hand)"
        )
    return [w for w in dict.fromkeys(c.workflow for c in found) if w not in silent + unnamed]


def _branch(config: Config) -> str:
    """The configured or inferred branch, else the remote's default, else the current one."""
    from repokit import gitrepo

    if "branch" in config.explicit or config.branch != "main":
        return config.branch

    repo = gitrepo.open_repo(config.root)
    return (
        gitrepo.remote_default_branch(repo, config.remote)
        or gitrepo.current_branch(repo)
        or config.branch
    )


def workflow_edits(config: Config, branch: str, notes: list[str]) -> list[FileEdit]:
    """The PR and release workflows, each only if no workflow of that file name exists."""
    from repokit.init.workflows import pr_workflow, python_version, release_workflow

    requires = None
    if (config.root / PYPROJECT).is_file():
        from repokit.config import read_pyproject

        project = read_pyproject(config.root).get("project", {})
        requires = project.get("requires-python") if isinstance(project, dict) else None
    python = python_version(requires if isinstance(requires, str) else None)
    directory = config.root / config.workflows_dir
    edits: list[FileEdit] = []
    for name, text in (
        ("pr.yml", pr_workflow(branch, python)),
        ("release.yml", release_workflow(config.tag_format.replace("{version}", "[0-9]*"), python)),
    ):
        path = directory / name
        if path.exists():
            notes.append(f"workflows: {path.relative_to(config.root)} exists, kept as it is")
            continue
        edits.append(_edit(path, None, text))
    if edits:
        notes.append("workflows: manual only until 'repokit workflows.enable'")
    return edits


def next_steps(found: InitPlan, cwd: Path) -> list[str]:
    """What to run next, each line working as printed from ``cwd``: commit, then try.

    A release refuses uncommitted changes, so the commit comes first.
    """

    def here(path: Path) -> str:
        return shlex.quote(os.path.relpath(path, cwd))

    paths = " ".join(here(edit.path) for edit in found.changes)
    folder = found.project or found.root
    enter = "" if folder.resolve() == cwd.resolve() else f"cd {here(folder)} && "
    settings = "repokit governance --dry-run shows what applying the settings file changes"
    release = "inv release --bump patch --dry-run" + ("" if found.remote else " --no-push")
    try_out = release if found.python else "inv --list"
    return [
        f"{settings}; {enter}inv --list shows the commands",
        f'next: git add {paths} && git commit -m "chore: adopt repokit" && {enter}{try_out}',
    ]
