"""GitHub Actions workflow files as data: their jobs, steps, triggers and matrices.

The workflow files are the single source of truth: ``make ci`` runs their jobs (see
:mod:`repokit.ci.scheduler`) and branch protection requires the checks their jobs report
(see :mod:`repokit.ci.checks`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repokit.ci.expressions import Unresolved, references
from repokit.errors import WorkflowError


@dataclass(frozen=True)
class Step:
    index: int
    id: str | None
    name: str | None
    run: str | None
    uses: str | None
    with_: Mapping[str, Any]
    env: Mapping[str, Any]
    condition: Any
    shell: str | None
    working_directory: str | None
    continue_on_error: Any
    timeout_minutes: Any
    #: ``env: ${{ matrix.env }}``: the whole mapping computed (``env`` is then empty)
    env_expression: str | None = None

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.uses:
            return f"uses {self.uses}"
        first = (self.run or "").strip().splitlines()
        return f"run {first[0]}" if first else f"step {self.index + 1}"


@dataclass(frozen=True)
class Job:
    id: str
    name: str | None
    needs: tuple[str, ...]
    runs_on: Any
    matrix: Any  # the raw strategy.matrix: a mapping, an expression string, or None
    env: Mapping[str, Any]
    condition: Any
    steps: tuple[Step, ...]
    services: Any  # {name: spec}, or an expression giving it
    uses: str | None  # a reusable workflow this job calls
    defaults: Mapping[str, Any]
    timeout_minutes: Any
    continue_on_error: Any
    outputs: Mapping[str, Any] = field(default_factory=dict)
    fail_fast: Any = True
    container: Any = None
    with_: Mapping[str, Any] = field(default_factory=dict)  # inputs of a called workflow
    secrets: Any = None  # secrets passed to a called workflow, or "inherit"
    env_expression: str | None = None  # ``env: ${{ ... }}``, the whole mapping computed

    @property
    def display_name(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Workflow:
    path: Path
    name: str
    triggers: Mapping[str, Any]
    jobs: Mapping[str, Job]
    env: Mapping[str, Any]
    defaults: Mapping[str, Any] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.path.name


# --- loading -------------------------------------------------------------------------------


def load_workflow(path: Path) -> Workflow:
    """Parse one workflow file; a WorkflowError names the file (and line) when it is not valid."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkflowError(f"{path}: cannot read: {error}", hint="check the file") from None
    try:
        try:
            data = YAML(typ="safe", pure=True).load(text)
        except YAMLError as error:
            if "'\\t'" not in str(error):
                raise
            # a tab separating a key from its value is valid YAML, and GitHub reads it
            data = YAML(typ="safe", pure=True).load(_separating_tabs_as_spaces(text))
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        msg = f"{where}: invalid YAML: {problem}"
        raise WorkflowError(msg, hint="fix the YAML syntax at that line") from None
    if not isinstance(data, Mapping):
        raise WorkflowError(f"{path}: not a workflow (no mapping at the top)", hint=_SHAPE_HINT)
    jobs_data = data.get("jobs")
    if not isinstance(jobs_data, Mapping) or not jobs_data:
        raise WorkflowError(f"{path}: no jobs", hint=_SHAPE_HINT)
    jobs = {str(job_id): _job(path, str(job_id), raw) for job_id, raw in jobs_data.items()}
    for job in jobs.values():
        for need in job.needs:
            if need not in jobs:
                msg = f"{path}: job {job.id} needs {need!r}, which is not a job of this workflow"
                raise WorkflowError(msg, hint=f"jobs here: {', '.join(jobs)}")
    return Workflow(
        path=path,
        name=str(data.get("name") or path.name),
        triggers=normalize_triggers(data.get("on", data.get(True))),
        jobs=jobs,
        env=_mapping(data.get("env")),
        defaults=_mapping(data.get("defaults")),
    )


#: ``run:<TAB>pyroma -d .``: tabs (and spaces) between a key's colon and its value
_SEPARATING_TAB = re.compile(r"^( *(?:- +)?[A-Za-z0-9_.-]+:)[ \t]*\t[ \t]*(?=\S)")
_BLOCK_START = re.compile(r"^( *)(?:- +)?[A-Za-z0-9_.-]+: *[|>][-+0-9]*\s*(?:#.*)?$")


def _separating_tabs_as_spaces(text: str) -> str:
    """``text`` with a space for the tabs between a key and its value, outside block scalars
    (a ``run: |`` script keeps its tabs)."""
    lines, block_indent = [], None
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            lines.append(line)
            continue
        block_indent = None
        start = _BLOCK_START.match(line)
        if start:
            block_indent = len(start.group(1))
        lines.append(_SEPARATING_TAB.sub(r"\1 ", line))
    return "\n".join(lines)


_SHAPE_HINT = "a workflow has 'on:' and 'jobs:' at the top; see GitHub's workflow syntax"


def load_workflows(directory: Path, files: Sequence[str] | None = None) -> list[Workflow]:
    """The workflows of ``directory`` (all *.yml and *.yaml, or just ``files``), by file name."""
    if files:
        paths = [resolve_workflow(directory, name) for name in files]
    else:
        if not directory.is_dir():
            raise WorkflowError(
                f"{directory}: no workflows folder", hint="workflows live in .github/workflows"
            )
        paths = sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml"))
    return [load_workflow(path) for path in paths]


def resolve_workflow(directory: Path, name: str) -> Path:
    """``pr``, ``pr.yml`` or a path, as the workflow file it names."""
    candidates = [directory / name, directory / f"{name}.yml", directory / f"{name}.yaml"]
    candidates.append(Path(name))  # a path, once the workflows folder has no such name
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    known = sorted(p.name for p in directory.glob("*.y*ml")) if directory.is_dir() else []
    msg = f"no workflow {name!r} in {directory}"
    raise WorkflowError(msg, hint=f"workflows here: {', '.join(known) or 'none'}")


def normalize_triggers(raw: Any) -> dict[str, Any]:
    """``on:`` in any of its forms (a string, a list, a mapping) as {event: settings}."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        return {raw: None}
    if isinstance(raw, list):
        return {str(event): None for event in raw}
    if isinstance(raw, Mapping):
        return {str(event): settings for event, settings in raw.items()}
    return {}


def _mapping(value: Any) -> dict[str, Any]:
    return {str(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _expression(value: Any) -> str | None:
    """``value`` when it is an expression standing for a whole mapping, else None."""
    return value if isinstance(value, str) and references(value) else None


def _job(path: Path, job_id: str, raw: Any) -> Job:
    if not isinstance(raw, Mapping):
        raise WorkflowError(f"{path}: job {job_id} is not a mapping", hint=_SHAPE_HINT)
    needs = raw.get("needs") or ()
    needs = (needs,) if isinstance(needs, str) else tuple(str(n) for n in needs)
    strategy = raw.get("strategy")
    if isinstance(strategy, str) and references(strategy):  # the whole strategy computed
        inner = references(strategy)[0]
        strategy = {"matrix": f"${{{{ ({inner}).matrix }}}}"}
    matrix = strategy.get("matrix") if isinstance(strategy, Mapping) else None
    steps_raw = raw.get("steps") or []
    if not isinstance(steps_raw, list):
        raise WorkflowError(f"{path}: job {job_id}: steps must be a list", hint=_SHAPE_HINT)
    steps = tuple(_step(path, job_id, i, s) for i, s in enumerate(steps_raw))
    return Job(
        id=job_id,
        name=str(raw["name"]) if raw.get("name") is not None else None,
        needs=needs,
        runs_on=raw.get("runs-on"),
        matrix=matrix,
        env=_mapping(raw.get("env")),
        condition=raw.get("if"),
        steps=steps,
        services=(
            raw.get("services")
            if isinstance(raw.get("services"), str)
            else _mapping(raw.get("services"))
        ),
        uses=str(raw["uses"]) if raw.get("uses") else None,
        defaults=_mapping(raw.get("defaults")),
        timeout_minutes=raw.get("timeout-minutes"),
        continue_on_error=raw.get("continue-on-error", False),
        outputs=_mapping(raw.get("outputs")),
        fail_fast=strategy.get("fail-fast", True) if isinstance(strategy, Mapping) else True,
        container=raw.get("container"),
        with_=_mapping(raw.get("with")),
        secrets=raw.get("secrets"),
        env_expression=_expression(raw.get("env")),
    )


def _step(path: Path, job_id: str, index: int, raw: Any) -> Step:
    if not isinstance(raw, Mapping):
        msg = f"{path}: job {job_id}, step {index + 1} is not a mapping"
        raise WorkflowError(msg, hint=_SHAPE_HINT)
    return Step(
        index=index,
        id=str(raw["id"]) if raw.get("id") is not None else None,
        name=str(raw["name"]) if raw.get("name") is not None else None,
        run=str(raw["run"]) if raw.get("run") is not None else None,
        uses=str(raw["uses"]) if raw.get("uses") else None,
        with_=_mapping(raw.get("with")),
        env=_mapping(raw.get("env")),
        condition=raw.get("if"),
        shell=str(raw["shell"]) if raw.get("shell") else None,
        working_directory=raw.get("working-directory"),
        continue_on_error=raw.get("continue-on-error", False),
        timeout_minutes=raw.get("timeout-minutes"),
        env_expression=_expression(raw.get("env")),
    )


# --- matrices ------------------------------------------------------------------------------


def combinations(matrix: Any) -> list[dict[str, Any]]:
    """The matrix's combinations in GitHub's order, include and exclude applied.

    Raises Unresolved when the matrix (or one of its lists) is an expression.
    """
    if matrix is None:
        return [{}]
    if not isinstance(matrix, Mapping):
        raise Unresolved(str(matrix))
    axes: dict[str, list[Any]] = {}
    for key, values in matrix.items():
        if key in ("include", "exclude"):
            continue
        if not isinstance(values, list):
            raise Unresolved(f"matrix.{key}: {values}")
        axes[str(key)] = values
    base = [dict(zip(axes, combo, strict=True)) for combo in itertools.product(*axes.values())]
    if not axes:
        base = []
    excludes = _entries(matrix.get("exclude"))
    base = [c for c in base if not any(_matches(c, ex) for ex in excludes)]
    result = [dict(c) for c in base]
    for entry in _entries(matrix.get("include")):
        added = False
        for original, combo in zip(base, result[: len(base)], strict=True):
            overwrites = any(k in original and original[k] != v for k, v in entry.items())
            if not overwrites:
                combo.update(entry)
                added = True
        if not added:
            result.append(dict(entry))
    return result or [{}]


def _entries(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise Unresolved(str(value))
    return [{str(k): v for k, v in entry.items()} for entry in value]


def _matches(combo: Mapping[str, Any], pattern: Mapping[str, Any]) -> bool:
    return all(combo.get(k) == v for k, v in pattern.items())
