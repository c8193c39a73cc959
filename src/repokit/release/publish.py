"""Upload the built package with twine, after making sure the version is not on the index yet.

Credentials come from TWINE_USERNAME/TWINE_PASSWORD, .pypirc or keyring, as twine finds
them; repokit never reads or prints them. Wheels go first, then the sdist, one file per
upload, so a failure can say which files made it.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from packaging.utils import canonicalize_name

from repokit.errors import RepokitError
from repokit.redact import redact

log = logging.getLogger(__name__)

PYPI_UPLOAD = "https://upload.pypi.org/legacy/"
_KNOWN_SIMPLE = {
    "https://upload.pypi.org/legacy/": "https://pypi.org/simple/",
    "https://test.pypi.org/legacy/": "https://test.pypi.org/simple/",
}


class PublishError(RepokitError):
    """The package cannot be, or was not entirely, uploaded."""


def simple_url(upload_url: str) -> str:
    """The simple index (PEP 503) that shows what ``upload_url`` received."""
    if upload_url in _KNOWN_SIMPLE:
        return _KNOWN_SIMPLE[upload_url]
    base = upload_url.rstrip("/")
    base = base.removesuffix("/legacy")
    return base + "/simple/"


def files_on_index(simple: str, name: str) -> set[str] | None:
    """The file names the index has for project ``name``; None when it cannot be reached."""
    url = f"{simple}{canonicalize_name(name)}/"
    try:
        with urllib.request.urlopen(url, timeout=15) as answer:  # noqa: S310 - the configured index
            page = answer.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return set() if error.code == 404 else None
    except OSError:
        return None
    return set(re.findall(r">\s*([^<>\s]+\.(?:whl|tar\.gz|zip))\s*<", page))


def ordered(artifacts: list[Path]) -> list[Path]:
    """Wheels first, then the sdist."""
    return sorted(artifacts, key=lambda p: (not p.name.endswith(".whl"), p.name))


def choose_index(
    repository_url: str | None, repository: str | None, configured: str | None
) -> tuple[str | None, str | None]:
    """(upload URL, .pypirc repository) in twine's order of precedence, repokit's config third.

    The command line first, then ``TWINE_REPOSITORY_URL``/``TWINE_REPOSITORY``, then
    ``[tool.repokit] package_index_url``; (None, None) means PyPI.
    """
    if repository_url or repository:
        return repository_url, repository
    if os.environ.get("TWINE_REPOSITORY_URL", "").strip():
        return os.environ["TWINE_REPOSITORY_URL"].strip(), None
    if os.environ.get("TWINE_REPOSITORY", "").strip():
        return None, os.environ["TWINE_REPOSITORY"].strip()
    return configured, None


def shown_index(repository_url: str | None, repository: str | None) -> str:
    """The index as it may be printed: credentials in the URL are dropped."""
    if repository_url:
        return re.sub(r"//[^/@]*@", "//", repository_url)
    return f"the .pypirc repository {repository}" if repository else "PyPI"


def publish(
    artifacts: list[Path],
    name: str,
    version: str,
    *,
    repository_url: str | None = None,
    repository: str | None = None,
    progress: Callable[[str], None] = log.info,
) -> list[str]:
    """Upload ``artifacts``; refuse before any upload if the version is already there."""
    if not artifacts:
        raise PublishError("nothing to publish: dist/ has no wheel or sdist", hint="run inv build")
    upload = repository_url or (None if repository else PYPI_UPLOAD)
    if upload:
        present = files_on_index(simple_url(upload), name)
        if present is None:
            msg = f"cannot reach the index {simple_url(upload)} to check for {name} {version}"
            raise PublishError(msg, hint="check the URL and the network; nothing was uploaded")
        clash = sorted(present & {a.name for a in artifacts})
        if clash:
            msg = f"{name} {version} is already on {upload}: {', '.join(clash)}"
            hint = "versions on an index cannot be replaced: bump the version and release again"
            raise PublishError(msg, hint=hint)
    target = ["--repository-url", upload] if upload else ["--repository", str(repository)]
    uploaded: list[str] = []
    for artifact in ordered(artifacts):
        progress(f"upload {artifact.name}")
        command = [sys.executable, "-m", "twine", "upload", "--non-interactive", *target]
        result = subprocess.run(
            [*command, str(artifact)],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
        )
        if result.returncode != 0:
            output = redact((result.stdout + result.stderr).strip())
            reason = (output.splitlines() or ["no output"])[-1]
            missing = [a.name for a in not_uploaded(artifacts, uploaded)]
            msg = (
                f"upload of {artifact.name} failed: {reason} -- uploaded: "
                f"{', '.join(uploaded) or 'nothing'}; not uploaded: {', '.join(missing)}"
            )
            raise PublishError(msg, hint="fix the cause and run 'inv publish' again")
        uploaded.append(artifact.name)
    return uploaded


def not_uploaded(artifacts: list[Path], uploaded: list[str]) -> list[Path]:
    return [a for a in ordered(artifacts) if a.name not in uploaded]
