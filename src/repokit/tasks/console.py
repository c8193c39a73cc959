"""The ``repokit`` console script's collection: a project's commands, and two about repokit.

``repokit demo`` and ``repokit serve-github`` (both need the ``testing`` extra) try repokit
out; they are not commands of the project, so an adopter's ``inv --list`` leaves them out.
"""

from __future__ import annotations

from repokit.tasks import FAMILIES, collection, demo, serve_github

namespace = collection((*FAMILIES, demo, serve_github))
