"""``actions/upload-artifact`` and ``download-artifact`` (v4) through ``.ci-artifacts/<run>/``.

As GitHub stores them: the files of an upload are kept relative to the least common
ancestor of its search paths (``dist/*`` keeps no ``dist/`` prefix), hidden files are left
out, a name is uploaded once per run. A run sees only its own artifacts. ``.ci-artifacts/``
holds a ``.gitignore`` of ``*`` so the working tree stays clean.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repokit.ci.job_state import JobRun

ARTIFACTS = ".ci-artifacts"


def run_folder(root: Path, run_id: str) -> Path:
    """``.ci-artifacts/<run_id>``, created with the ``.gitignore`` that keeps the tree clean."""
    base = root / ARTIFACTS
    base.mkdir(exist_ok=True)
    ignore = base / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    folder = base / run_id
    folder.mkdir()
    return folder


def _absolute(workspace: Path, pattern: str) -> str:
    return os.path.normpath(workspace / pattern)


def _search_root(workspace: Path, pattern: str) -> Path:
    """The folder a pattern's files are stored relative to: before the first wildcard."""
    fixed: list[str] = []
    for part in Path(_absolute(workspace, pattern)).parts:
        if any(c in part for c in "*?["):
            return Path(*fixed)
        fixed.append(part)
    path = Path(*fixed)
    return path if path.is_dir() else path.parent


def _files(workspace: Path, pattern: str, hidden: bool) -> list[Path]:
    # glob.glob, not Path.glob: the pattern may be absolute or climb out with ``..``
    found = glob.glob(_absolute(workspace, pattern), recursive=True)  # noqa: PTH207
    matches = [Path(m) for m in found]
    files: list[Path] = []
    for match in matches:
        inside = [match] if match.is_file() else [p for p in match.rglob("*") if p.is_file()]
        files += [f for f in inside if hidden or not _is_hidden(f, match)]
    return files


def _is_hidden(path: Path, under: Path) -> bool:
    relative = path.relative_to(under) if path != under else Path(path.name)
    return any(part.startswith(".") for part in relative.parts)


def upload(state: JobRun, inputs: Mapping[str, str]) -> bool:
    name = inputs.get("name") or "artifact"
    target = state.run.artifacts / "artifacts" / name
    if target.exists() and inputs.get("overwrite", "false") != "true":
        state.say(f"upload-artifact {name}: an artifact of this name was already uploaded")
        return False
    shutil.rmtree(target, ignore_errors=True)
    hidden = inputs.get("include-hidden-files", "false") == "true"
    # an absolute path is as the job's processes see it (``${{ github.workspace }}/dist``)
    patterns = [_actual(state, p.strip()) for p in inputs.get("path", "").splitlines() if p.strip()]
    excluded = [p[1:] for p in patterns if p.startswith("!")]
    roots: list[Path] = []
    files: set[Path] = set()
    for pattern in (p for p in patterns if not p.startswith("!")):
        roots.append(_search_root(state.workspace, pattern))
        files |= set(_files(state.workspace, pattern, hidden))
    files = {f for f in files if not any(_excluded(state, f, ex) for ex in excluded)}
    if not files:
        missing = inputs.get("if-no-files-found", "warn")
        state.say(f"upload-artifact {name}: no files found ({missing})")
        return missing != "error"
    root = Path(os.path.commonpath([str(r) for r in roots]))
    for source in sorted(files):
        destination = target / source.relative_to(root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    state.say(f"upload-artifact {name}: {len(files)} file(s)")
    return True


def _excluded(state: JobRun, path: Path, pattern: str) -> bool:
    relative = os.path.relpath(path, state.workspace)
    return fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern + "/*")


def _actual(state: JobRun, pattern: str) -> str:
    """A path pattern (``!`` first to exclude) with the job's shared path made its real one."""
    excluded = "!" if pattern.startswith("!") else ""
    bare = pattern.removeprefix("!")
    return excluded + (str(state.actual(bare)) if Path(bare).is_absolute() else bare)


def download(state: JobRun, inputs: Mapping[str, str]) -> bool:
    stored = state.run.artifacts / "artifacts"
    available = sorted(p.name for p in stored.iterdir()) if stored.is_dir() else []
    target = state.actual(state.workspace / (inputs.get("path") or "."))
    name, pattern = inputs.get("name", ""), inputs.get("pattern", "")
    if name:
        if name not in available:
            state.say(f"download-artifact: no artifact {name!r} in this run")
            return False
        shutil.copytree(stored / name, target, dirs_exist_ok=True)
        state.say(f"download-artifact {name}: into {inputs.get('path') or '.'}")
        return True
    chosen = [a for a in available if not pattern or fnmatch.fnmatchcase(a, pattern)]
    merge = inputs.get("merge-multiple", "false") == "true"
    for artifact in chosen:
        shutil.copytree(
            stored / artifact, target if merge else target / artifact, dirs_exist_ok=True
        )
    state.say(f"download-artifact: {len(chosen)} artifact(s) into {inputs.get('path') or '.'}")
    return True
