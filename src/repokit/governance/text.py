"""Text that cannot spoof a plan: control characters, line separators and bidi overrides.

A label named ``"bug\\nX-Evil: 1"`` would print as two plan lines, an escape sequence
would retitle the terminal, a right-to-left override would show a name backwards. Such
characters are refused in the settings file (naming the field and the codepoint), and any
that come from GitHub are escaped when printed, so that one value is one line.
"""

from __future__ import annotations

import unicodedata

#: Bidirectional overrides and isolates ("Trojan Source"): they reorder what is shown.
_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unsafe(char: str) -> bool:
    """A control character (C0, DEL, C1 such as U+0085), a line or paragraph separator
    (U+2028, U+2029) or a bidi override: never part of a name, description or pattern."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI


def first_unsafe(text: str) -> str | None:
    """``U+XXXX (NAME)`` of the first unsafe character of ``text`` (None: there is none)."""
    for char in text:
        if unsafe(char):
            name = unicodedata.name(char, "") or _control_name(char)
            return f"U+{ord(char):04X} ({name})"
    return None


def _control_name(char: str) -> str:
    return {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB", "\x1b": "ESCAPE"}.get(
        char, "a control character"
    )


def one_line(text: str) -> str:
    """``text`` with every unsafe character written as an escape (``\\n``, ``\\u2028``)."""
    if not any(unsafe(char) for char in text):
        return text
    return "".join(
        _NAMED.get(char, f"\\u{ord(char):04x}") if unsafe(char) else char for char in text
    )
