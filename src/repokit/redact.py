"""Keep secrets out of everything repokit prints, logs or raises."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

#: Environment variables whose values are secrets wherever they appear.
SECRET_VARIABLES = (
    "GITHUB_TOKEN",
    "GH_TOKEN",
    "TWINE_PASSWORD",
    "TWINE_USERNAME_PASSWORD",
    "PYPI_API_TOKEN",
    "CODECOV_TOKEN",
    "SLACK_WEBHOOK",
)

MASK = "***"
_extra: set[str] = set()
#: Any user information in a URL: ``user:password@``, and a token alone as the user
#: (``https://ghp_...@github.com/``), the form git credential helpers and CI tokens take.
_CREDENTIAL_IN_URL = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)


def register_secret(value: str | None) -> None:
    """Treat ``value`` as a secret from now on (a token that does not come from the environment)."""
    if value and len(value) >= 4:
        _extra.add(value)


def secret_values(environ: dict[str, str] | None = None) -> Iterable[str]:
    env = os.environ if environ is None else environ
    for name in SECRET_VARIABLES:
        value = env.get(name)
        if value and len(value) >= 4:
            yield value
    yield from _extra


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every known secret, and any password in a URL, replaced by ``***``."""
    for value in sorted({*secret_values(), *extra}, key=len, reverse=True):
        if value:
            text = text.replace(value, MASK)
    return _CREDENTIAL_IN_URL.sub(lambda m: f"{m.group('scheme')}{MASK}@", text)
