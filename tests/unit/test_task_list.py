"""What ``inv --list`` shows an adopter: the project's commands, each once, each help whole."""

from __future__ import annotations

from collections.abc import Iterator

from invoke.collection import Collection
from invoke.tasks import Task

from repokit.tasks import namespace
from repokit.tasks.console import namespace as console
from repokit.tasks.development import namespace as development


def listed(collection: Collection, prefix: str = "") -> Iterator[tuple[str, Task[object]]]:
    for name, task in collection.tasks.items():
        yield prefix + name, task
    for name, sub in collection.collections.items():
        yield from listed(sub, f"{prefix}{name}.")


def test_an_adopter_sees_only_the_projects_commands() -> None:
    names = {name for name, _ in listed(namespace)}
    assert {"release.release", "status", "governance.governance", "ci", "init"} <= names
    assert not names & {"bench", "demo", "serve-github", "release.status"}


def test_each_command_is_listed_once() -> None:
    for collection in (namespace, console, development):
        tasks = [task for _, task in listed(collection)]
        assert len(tasks) == len({id(task) for task in tasks})


def test_each_one_line_help_ends_at_a_sentence_end() -> None:
    for name, task in listed(console):
        first = (task.__doc__ or "").strip().splitlines()[0]
        assert first.endswith("."), f"{name}: {first!r}"
        assert first.rstrip(".").count("(") == first.count(")"), name


def test_the_console_script_and_repokits_own_repository_add_their_tools() -> None:
    assert {"demo", "serve-github"} <= set(console.tasks)
    assert {"bench", "demo"} <= set(development.tasks)
    assert "bench" not in console.tasks
