"""What GitHub accepts as a CODEOWNERS pattern and owner.

A CODEOWNERS line is ``pattern owner owner ...``, split on whitespace, ``#`` starting a
comment. A value that carries a line break, a tab or any other control character would
write lines nobody reviewed (``"/src/\\n* @mallory"`` makes @mallory own everything), and a
pattern starting with ``#`` is a comment to GitHub (which has no escape for it): both are
refused, as are the gitignore features GitHub does not support (``!``, ``[ ]``).
"""

from __future__ import annotations

import re

USER = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
TEAM = re.compile(r"@[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


def pattern_problem(pattern: str) -> str | None:
    """Why GitHub cannot read ``pattern`` as written (None: it can)."""
    shown = repr(pattern)
    control = _CONTROL.search(pattern)
    if control:
        return f"pattern {shown} holds a control character ({control.group()!r}): one line each"
    text = pattern.strip(" ")
    if not text:
        return "expected a path pattern"
    if text.startswith("#"):
        return f"pattern {shown} starts with #: GitHub reads that line as a comment"
    if "#" in text:
        return f"pattern {shown} holds #: GitHub reads the rest of the line as a comment"
    if text.startswith("!"):
        return f"pattern {shown}: GitHub does not support ! (negation)"
    if "[" in text or "]" in text:
        return f"pattern {shown}: GitHub does not support [ ] ranges"
    if "\\" in text:
        return f"pattern {shown} holds a backslash: GitHub reads it as an escape"
    return None


def owner_problem(owner: str) -> str | None:
    """Why ``owner`` is not an owner GitHub can read (None: it is)."""
    if USER.fullmatch(owner) or TEAM.fullmatch(owner) or EMAIL.fullmatch(owner):
        return None
    return f"owner {owner!r} is not @user, @org/team or an email"
