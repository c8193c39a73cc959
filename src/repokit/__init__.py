"""repokit: release and repository governance for Python projects."""

__version__ = "0.1.0"
