"""Each package reads top-down: no module imports, even lazily, one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import repokit

SOURCE = Path(repokit.__file__).parent


def _name(path: Path) -> str:
    parts = ("repokit", *path.relative_to(SOURCE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The repokit modules ``path`` imports anywhere in it (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found & modules


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of ``graph``, as the modules along it; None when there is none."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            circle = visit(target, [*path, module])
            if circle:
                return circle
        done.add(module)
        return None

    for module in sorted(graph):
        circle = visit(module, [])
        if circle:
            return circle
    return None


@pytest.mark.parametrize(
    "package",
    ["ci", "governance", "tasks", "init", "release", "fixtures", "monitoring", "testing"],
)
def test_a_package_has_no_import_circle(package: str) -> None:
    paths = {_name(path): path for path in (SOURCE / package).rglob("*.py")}
    graph = {name: _imports(path, set(paths)) - {name} for name, path in paths.items()}
    assert _circle(graph) is None


def test_the_circle_finder_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circle(graph) == ["a", "b", "c", "a"]


def test_only_the_plugin_and_the_testing_commands_import_the_testing_package() -> None:
    """``repokit.testing`` needs the extra: the core must run without it."""
    paths = {_name(path): path for path in SOURCE.rglob("*.py")}
    allowed = ("repokit.testing", "repokit.fixtures", "repokit.tasks.demo")
    allowed += ("repokit.tasks.serve_github",)
    importers = {
        name
        for name, path in paths.items()
        if any(target.startswith("repokit.testing") for target in _imports(path, set(paths)))
    }
    assert "repokit.tasks.demo" in importers  # the scan sees lazy imports
    assert sorted(name for name in importers if not name.startswith(allowed)) == []


def test_the_whole_package_has_no_import_circle() -> None:
    """Across packages too: a package imports only what lies below it."""
    paths = {_name(path): path for path in SOURCE.rglob("*.py")}
    graph = {name: _imports(path, set(paths)) - {name} for name, path in paths.items()}
    assert _circle(graph) is None
