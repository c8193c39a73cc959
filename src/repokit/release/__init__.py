"""The release pipeline: version sources and bumps, commits, changelog, the plan of steps
with their undo, build, publish, announce and status.

Each module has one job; :mod:`repokit.release.plan` ties them into a release.
"""
