"""Tasks of the version family."""

from __future__ import annotations

from invoke import Collection


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
