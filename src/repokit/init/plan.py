"""What ``repokit init`` would write in a repository: a list of FileEdits and notes.

Nothing here writes: the command shows the edits' diffs, asks once, then applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from repokit.config import PYPROJECT, Config, load, load_repository
from repokit.edits import FileEdit
from repokit.errors import RepokitError
from repokit.init import texts

#: Where GitHub looks for CODEOWNERS, in its order.
CODEOWNERS_PLACES = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
PROBOT_FILE = ".github/settings.yml"

#: Reads the live settings of the repository as a settings file, or None without a token.
Exporter = Callable[[Config], "str | None"]


@dataclass
class InitPlan:
    root: Path
    edits: list[FileEdit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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
    start: Path | str = ".", *, export: Exporter | None = None, workflows: bool = False
) -> InitPlan:
    """The edits that adopt repokit in the repository holding ``start``."""
    config = load_repository(start)
    resolved = config
    root = config.root
    result = InitPlan(root)
    tasks_path = root / "tasks.py"
    tasks_before = _read(tasks_path)
    result.edits.append(_edit(tasks_path, tasks_before, texts.tasks_py(tasks_before)))
    if tasks_before is not None and "repokit.tasks" not in tasks_before:
        result.notes.append("tasks.py has its own tasks: repokit's are under 'inv repokit.*'")
    make_path = root / "Makefile"
    make_before = _read(make_path)
    has_pyproject = (root / PYPROJECT).is_file()
    bump = _release_bump(load(root)) if has_pyproject else "patch"
    result.edits.append(_edit(make_path, make_before, texts.makefile(make_before, bump=bump)))
    if has_pyproject:
        edits, resolved = _pyproject(load(root), result.notes)
        result.edits += edits
    else:
        result.notes.append(
            f"no {PYPROJECT}: release is for Python projects; ci and governance work"
        )
    result.edits += _governance(config, result.notes, export)
    if workflows:
        result.edits += workflow_edits(resolved, _branch(resolved), result.notes)
    return result


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
    rules, source = [], ""
    for place in CODEOWNERS_PLACES:
        found = _read(config.root / place)
        if found is not None:
            from repokit.governance.codeowners import parse

            rules, source = parse(found), place
            break
    branch = _branch(config)
    notes.append("governance: no GitHub token, so a starter file (review it before applying)")
    return [_edit(path, None, texts.governance_starter(branch, rules, source))]


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
