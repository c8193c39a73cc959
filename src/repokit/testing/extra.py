"""The ``testing`` extra: one clear ImportError when it is not installed.

The pytest plugin lives in this package and loads into every test run of every project
that installs repokit, so the package itself imports nothing beyond the standard library
and pytest; the parts that need the extra (the GitHub emulator, the local package index,
the demo, the LLM cassettes) call :func:`require_testing_extra` when they are imported.
"""

from __future__ import annotations

import importlib.util

#: The importable modules of the extra's distributions, by distribution name.
TESTING_MODULES = {
    "openapi-schema-validator": "openapi_schema_validator",
    "pypiserver": "pypiserver",
    "vcrpy": "vcr",
}


def missing(modules: dict[str, str]) -> list[str]:
    """The distributions of ``modules`` whose module cannot be found (nothing is imported)."""
    return [name for name, module in modules.items() if importlib.util.find_spec(module) is None]


def require_testing_extra(*distributions: str) -> None:
    """Raise one ImportError naming the extra when a distribution of it is missing."""
    wanted = {name: TESTING_MODULES[name] for name in distributions or TESTING_MODULES}
    absent = missing(wanted)
    if absent:
        msg = (
            f"repokit.testing needs the extra 'testing' ({', '.join(absent)} not installed):"
            " pip install 'repokit[testing]'"
        )
        raise ImportError(msg, name=wanted[absent[0]])
