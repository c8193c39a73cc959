"""The Invoke collections of repokit's commands.

A project adopts repokit with one line in its ``tasks.py``::

    from repokit.tasks import namespace

``namespace`` holds the commands meant for a project: release, publish, ci, governance,
init. The ``repokit`` console script adds the ones about repokit itself (``demo``,
``serve-github``: :mod:`repokit.tasks.console`), and repokit's own repository adds
``bench`` (:mod:`repokit.tasks.development`).

Each family of commands lives in its own module here and adds its tasks through
``register(namespace)``. Task bodies only parse arguments, call one library
function and print; the heavy modules are imported inside the task bodies so
that ``inv --list`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from types import ModuleType

from invoke.collection import Collection

from repokit.errors import end_quietly_when_the_reader_goes
from repokit.tasks import changelog, ci, governance, init, publish, release, version

#: The families of commands a project that adopts repokit gets, in their listing order.
FAMILIES = (version, changelog, release, publish, ci, governance, init)


def collection(families: Iterable[ModuleType]) -> Collection:
    """A new collection holding the commands of ``families``."""
    built = Collection()
    for family in families:
        family.register(built)
    return built


namespace = collection(FAMILIES)
end_quietly_when_the_reader_goes(sys.argv[0] if sys.argv else "")

__all__ = ["FAMILIES", "collection", "namespace"]
