"""The errors GitHub reports for a CODEOWNERS file (``GET .../codeowners/errors``), computed.

GitHub checks each rule line: the pattern must be one its matcher supports, and
every owner must be ``@user``, ``@org/team`` or an e-mail address, and must exist
with write access to the repository. Errors carry 1-based line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

#: Where GitHub looks for the file, first found wins.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")

_USER = re.compile(r"^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_TEAM = re.compile(r"^@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CodeownersError:
    line: int
    column: int
    kind: str
    source: str
    suggestion: str | None
    message: str
    path: str

    def as_json(self) -> dict[str, object]:
        return {
            "line": self.line,
            "column": self.column,
            "kind": self.kind,
            "source": self.source,
            "suggestion": self.suggestion,
            "message": self.message,
            "path": self.path,
        }


def find_errors(
    text: str, *, path: str, owner_exists: Callable[[str], bool]
) -> list[CodeownersError]:
    """Every error in the CODEOWNERS ``text``; ``owner_exists("@x")`` says whether an owner
    exists and has write access to the repository."""
    errors: list[CodeownersError] = []
    for number, source in enumerate(text.splitlines(), start=1):
        stripped = source.strip()
        if not stripped or stripped.startswith("#"):
            continue
        without_comment = re.split(r"\s#", source, maxsplit=1)[0]
        tokens = [(m.start() + 1, m.group()) for m in re.finditer(r"\S+", without_comment)]
        pattern_column, pattern = tokens[0]
        problem = _pattern_problem(pattern)
        if problem is not None:
            kind, suggestion = "Invalid pattern", problem
            errors.append(_error(number, pattern_column, kind, source, suggestion, path))
        for column, owner in tokens[1:]:
            if not (_USER.match(owner) or _TEAM.match(owner) or _EMAIL.match(owner)):
                errors.append(_error(number, column, "Invalid owner", source, None, path))
            elif not owner_exists(owner):
                hint = f"make sure {owner} exists and has write access to the repository"
                errors.append(_error(number, column, "Unknown owner", source, hint, path))
    return errors


def _pattern_problem(pattern: str) -> str | None:
    """Why GitHub's matcher refuses ``pattern`` (as its suggestion), or None."""
    if pattern.startswith("!"):
        return "Negated patterns are not supported."
    if "[" in pattern or "]" in pattern:
        return "Character ranges are not supported."
    if "***" in pattern:
        fixed = re.sub(r"\*{3,}", "**", pattern)
        return f"Did you mean `{fixed}`?"
    return None


def _error(
    line: int, column: int, kind: str, source: str, suggestion: str | None, path: str
) -> CodeownersError:
    headline = f"{kind} on line {line}"
    if suggestion:
        headline += f": {suggestion}"
    caret = " " * (column - 1) + "^"
    message = f"{headline}\n\n  {source}\n  {caret}"
    return CodeownersError(line, column, kind, source, suggestion, message, path)
