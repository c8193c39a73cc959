"""Tasks of the governance family."""

from __future__ import annotations

from invoke.collection import Collection


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
