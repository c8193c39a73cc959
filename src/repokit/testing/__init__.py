"""Test helpers that repokit ships for its own tests and for its users' tests.

They need the extra ``testing``: without it, importing this package raises one ImportError
that names it. The pytest plugin and its fixtures live in :mod:`repokit.fixtures`, which
loads without the extra.
"""

from repokit.fixtures.extra import require_testing_extra

require_testing_extra()
