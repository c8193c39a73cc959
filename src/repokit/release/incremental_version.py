"""incremental's version (twisted and its family): ``_version.py`` holds
``__version__ = Version("Twisted", 24, 10, 0, release_candidate=1)``, read and written back in
the same call shape.

incremental is on when pyproject.toml has ``[tool.incremental]`` (its setuptools plugin) or
``[tool.hatch.version] source = "incremental"`` (its Hatchling plugin). The package is
``[tool.incremental] name`` or ``[project] name``, lowercased, under ``src/`` or the root, as
incremental looks for it. Its Version takes major, minor and micro, then the keywords
``release_candidate`` (PEP 440's ``rcN``; ``prerelease`` is its old spelling, and a fifth
positional number means the same), ``post`` and ``dev``; it has no alpha or beta, and a
``"NEXT"`` major means "not decided yet".

As ``incremental.update`` does, a release also writes its version over the placeholders in
the package's files (``Version("Twisted", "NEXT", 0, 0)`` and ``Twisted NEXT`` in
deprecations and docstrings) and, after a release candidate, over the candidate's
(``Version("Twisted", 24, 7, 0, release_candidate=1)``, ``Twisted 24.7.0rc1``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from repokit.edits import FileEdit
from repokit.errors import VersionError

_CALL = re.compile(
    r"^[ \t]*__version__[ \t]*=[ \t]*(?:incremental\.)?Version\((?P<args>[^()\r\n]*)\)",
    re.MULTILINE,
)
_RC_KEYWORDS = ("release_candidate", "prerelease")
_HINT = 'write it as __version__ = Version("<package>", X, Y, Z) (python -m incremental.update)'


@dataclass(frozen=True)
class IncrementalVersion:
    """The ``Version(...)`` call of a ``_version.py``: its PEP 440 version and where its
    arguments are."""

    path: Path
    raw: str
    #: The package's name as the call writes it, quotes included (``"Twisted"``).
    package: str
    start: int
    end: int
    #: The package's name (``Twisted``).
    name: str


def uses_incremental(data: dict[str, Any]) -> bool:
    """Whether parsed pyproject ``data`` turns on one of incremental's build plugins."""
    tool = data.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    hatch = tool.get("hatch")
    version = hatch.get("version") if isinstance(hatch, dict) else None
    return "incremental" in tool or (
        isinstance(version, dict) and version.get("source") == "incremental"
    )


def locate(root: Path, data: dict[str, Any]) -> IncrementalVersion:
    """The project's ``_version.py`` and its version, or a VersionError naming what is wrong."""
    tool = data.get("tool", {})
    configured = tool.get("incremental", {}) if isinstance(tool, dict) else {}
    name = configured.get("name") if isinstance(configured, dict) else None
    name = name or data.get("project", {}).get("name")
    if not isinstance(name, str) or not name:
        msg = f"{root / 'pyproject.toml'}: incremental needs the package's name"
        raise VersionError(msg, hint='set name = "..." under [project] or [tool.incremental]')
    folders = dict.fromkeys((name.lower(), name.lower().replace("-", "_")))
    candidates = [Path(base, folder, "_version.py") for folder in folders for base in ("src", ".")]
    for candidate in candidates:
        if (root / candidate).is_file():
            return read(root / candidate)
    shown = " or ".join(c.as_posix().removeprefix("./") for c in candidates)
    msg = f"{root}: incremental is on, but there is no {shown}"
    raise VersionError(msg, hint=f"create it: python -m incremental.update {name} --create")


def read(path: Path) -> IncrementalVersion:
    """The ``Version(...)`` call of the incremental ``_version.py`` at ``path``."""
    text = path.read_text(encoding="utf-8")
    found = _CALL.search(text)
    if found is None:
        msg = f"{path}: no __version__ = Version(...) line"
        raise VersionError(msg, hint=_HINT)
    package, numbers, keywords = _arguments(found["args"], path)
    raw = _pep440(numbers, keywords, path)
    name = str(ast.literal_eval(package))
    return IncrementalVersion(path, raw, package, found.start("args"), found.end("args"), name)


def edit(current: IncrementalVersion, new_version: str) -> FileEdit:
    """The edit writing ``new_version`` into the call's arguments, the rest kept byte for byte."""
    before = current.path.read_bytes()
    text = before.decode("utf-8")
    arguments = render(current.package, new_version, current.path)
    after = text[: current.start] + arguments + text[current.end :]
    return FileEdit(current.path, before, after.encode("utf-8"))


def placeholder_edits(
    current: IncrementalVersion, new_version: str, files: Iterable[Path]
) -> list[FileEdit]:
    """The edits of the package's other ``files``: the placeholders, and after a release
    candidate the candidate's version, replaced by ``new_version`` (see the module)."""
    replacements: list[tuple[str, str]] = []
    new_call = f"Version({render(current.package, new_version, current.path)})"
    for quote in ('"', "'"):
        replacements.append(
            (f"Version({quote}{current.name}{quote}, {quote}NEXT{quote}, 0, 0)", new_call)
        )
    replacements.append((f"{current.name} NEXT", f"{current.name} {new_version}"))
    if Version(current.raw).pre is not None:
        for quote in ('"', "'"):
            package = f"{quote}{current.name}{quote}"
            old_call = f"Version({render(package, current.raw, current.path)})"
            replacements.append((old_call, new_call))
        replacements.append((f"{current.name} {current.raw}", f"{current.name} {new_version}"))
    edits: list[FileEdit] = []
    for path in files:
        if path == current.path or not path.is_file():
            continue
        before = path.read_bytes()
        try:
            text = before.decode("utf-8")
        except UnicodeDecodeError:
            continue
        after = text
        for old, new in replacements:
            if old in after:  # whole: never the start of 24.7.0rc10 or of a longer word
                after = re.sub(re.escape(old) + r"(?!\w)", new.replace("\\", "\\\\"), after)
        if after != text:
            edits.append(FileEdit(path, before, after.encode("utf-8")))
    return edits


def render(package: str, version: str, path: Path) -> str:
    """The arguments of ``Version(...)`` for the PEP 440 ``version``, as incremental writes them
    (``"Twisted", 24, 10, 0, release_candidate=1``), ``package`` as the call writes it;
    refused for what incremental cannot say."""
    parsed = Version(version)
    if parsed.epoch or len(parsed.release) > 3 or parsed.local is not None:
        msg = f"{path}: incremental cannot write {version}: it takes major.minor.micro only"
        raise VersionError(msg, hint="give a version of three numbers (X.Y.Z, X.Y.ZrcN)")
    if parsed.pre is not None and parsed.pre[0] != "rc":
        msg = f"{path}: incremental has no alpha or beta, so {version} cannot be written"
        raise VersionError(msg, hint="make a release candidate instead: --pre rc")
    major, minor, micro = (*parsed.release, 0, 0)[:3]
    parts = [package, str(major), str(minor), str(micro)]
    if parsed.pre is not None:
        parts.append(f"release_candidate={parsed.pre[1]}")
    if parsed.post is not None:
        parts.append(f"post={parsed.post}")
    if parsed.dev is not None:
        parts.append(f"dev={parsed.dev}")
    return ", ".join(parts)


def _arguments(text: str, path: Path) -> tuple[str, list[object], dict[str, object]]:
    source = f"Version({text})"
    try:
        call = ast.parse(source, mode="eval").body
        if not isinstance(call, ast.Call):
            raise ValueError(text)
        values = [ast.literal_eval(arg) for arg in call.args]
        keywords = {k.arg or "": ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError):
        msg = f"{path}: {source} is not made of plain values"
        raise VersionError(msg, hint=_HINT) from None
    if not values or not isinstance(values[0], str):
        msg = f"{path}: {source} does not start with the package's name"
        raise VersionError(msg, hint=_HINT)
    package = ast.get_source_segment(source, call.args[0]) or repr(values[0])
    return package, values[1:], keywords


def _pep440(numbers: list[object], keywords: dict[str, object], path: Path) -> str:
    if numbers[:1] == ["NEXT"]:
        msg = f"{path}: the version is NEXT, which incremental leaves undecided"
        raise VersionError(msg, hint="give the version: --bump X.Y.Z")
    rc = next((keywords[k] for k in _RC_KEYWORDS if keywords.get(k) is not None), None)
    rc = numbers[3] if rc is None and len(numbers) > 3 else rc
    post, dev = keywords.get("post"), keywords.get("dev")
    values = [*numbers[:3], *(v for v in (rc, post, dev) if v is not None)]
    unknown = set(keywords) - {*_RC_KEYWORDS, "post", "dev"}
    if len(numbers) < 3 or not all(isinstance(v, int) for v in values) or unknown:
        msg = f"{path}: cannot read the version from its Version(...) call"
        raise VersionError(msg, hint=_HINT)
    text = ".".join(str(n) for n in numbers[:3])
    text += f"rc{rc}" if rc is not None else ""
    text += f".post{post}" if post is not None else ""
    text += f".dev{dev}" if dev is not None else ""
    try:
        return str(Version(text))
    except InvalidVersion:  # a negative number
        msg = f"{path}: {text} is not a PEP 440 version"
        raise VersionError(msg, hint=_HINT) from None
