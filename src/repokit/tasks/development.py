"""repokit's own repository: a project's commands, the demo, and ``inv bench``.

``inv bench`` compares tests/performance with benchmarks/baseline.json, files only
repokit's own repository holds; its tasks.py imports this collection.
"""

from __future__ import annotations

from repokit.tasks import FAMILIES, collection, demo, monitoring

namespace = collection((*FAMILIES, monitoring, demo))
