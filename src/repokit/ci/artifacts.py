"""``actions/upload-artifact`` and ``download-artifact`` through ``.ci-artifacts/``."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repokit.ci.job import JobRun

ARTIFACTS = ".ci-artifacts"


def upload(state: JobRun, inputs: Mapping[str, str]) -> bool:
    name = inputs.get("name") or "artifact"
    target = state.root / ARTIFACTS / state.planned.key / name
    copied = 0
    for pattern in (p.strip() for p in inputs.get("path", "").splitlines()):
        if not pattern or pattern.startswith("!"):
            continue
        matches = state.root.glob(pattern) if "*" in pattern else [state.root / pattern]
        for source in (m for m in matches if m.exists()):
            inside = source.is_relative_to(state.root)
            relative = source.relative_to(state.root) if inside else Path(source.name)
            destination = target / relative
            if source.is_dir():
                shutil.copytree(source, destination, dirs_exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)
            copied += 1
    if not copied:
        missing = inputs.get("if-no-files-found", "warn")
        state.say(f"upload-artifact {name}: no files found ({missing})")
        return missing != "error"
    state.say(f"upload-artifact {name}: copied into {target.relative_to(state.root)}")
    return True


def download(state: JobRun, inputs: Mapping[str, str]) -> bool:
    name = inputs.get("name") or "artifact"
    sources = sorted((state.root / ARTIFACTS).glob(f"*/{name}"))
    if not sources:
        state.say(f"download-artifact {name}: no such artifact in {ARTIFACTS}/")
        return False
    target = state.root / (inputs.get("path") or ".")
    for source in sources:
        shutil.copytree(source, target, dirs_exist_ok=True)
    state.say(f"download-artifact {name}: copied into {target}")
    return True
