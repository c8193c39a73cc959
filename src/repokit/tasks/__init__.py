"""The Invoke collection of repokit's commands.

A project adopts repokit with one line in its ``tasks.py``::

    from repokit.tasks import namespace

Each family of commands lives in its own module here and adds its tasks through
``register(namespace)``. Task bodies only parse arguments, call one library
function and print; the heavy modules are imported inside the task bodies so
that ``inv --list`` stays fast.
"""

from __future__ import annotations

from invoke.collection import Collection

from repokit.tasks import (
    changelog,
    ci,
    demo,
    governance,
    init,
    monitoring,
    publish,
    release,
    version,
)

namespace = Collection()
for _family in (version, changelog, release, publish, ci, governance, monitoring, init, demo):
    _family.register(namespace)

__all__ = ["namespace"]
