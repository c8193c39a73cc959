"""How many terminal columns text takes: wide characters and emoji count two, marks none.

A terminal draws East Asian wide and fullwidth characters (most emoji among them) in two
cells, combining marks, zero-width joiners and variation selectors in none, and a narrow
symbol followed by the emoji variation selector (``⚠️``) in two. The rules of wcwidth,
taken from the Unicode data of the running Python, without a dependency.
"""

from __future__ import annotations

import unicodedata

_ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_PRESENTATION = "\ufe0f"
_ZERO_CATEGORIES = ("Mn", "Me", "Cf")


def char_width(char: str) -> int:
    """Cells of one character outside any sequence: 0, 1 or 2."""
    if unicodedata.category(char) in _ZERO_CATEGORIES or char == _EMOJI_PRESENTATION:
        return 0
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Cells ``text`` takes on one line of a terminal."""
    total = 0
    previous = ""
    joined = False
    for char in text:
        if char == _EMOJI_PRESENTATION and previous and char_width(previous) == 1:
            total += 1  # the narrow symbol before it is drawn as an emoji: two cells
        elif not joined:
            total += char_width(char)
        joined = char == _ZERO_WIDTH_JOINER
        if char_width(char):
            previous = char
    return total


def fit(text: str, cells: int) -> str:
    """``text`` cut to at most ``cells`` columns, ending in ``…`` when it was cut."""
    if width(text) <= cells:
        return text
    kept = ""
    for char in text:
        if width(kept + char) > cells - 1:
            break
        kept += char
    return kept + "…"


def wrap(text: str, cells: int) -> list[str]:
    """``text`` in lines of at most ``cells`` columns, broken between words where it can."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if width(candidate) <= cells:
            line = candidate
            continue
        if line:
            lines.append(line)
        while width(word) > cells:  # a word longer than a line (a path) is cut across lines
            head = ""
            for char in word:
                if width(head + char) > cells:
                    break
                head += char
            head = head or word[0]  # a wide character in a one-column line
            lines.append(head)
            word = word[len(head) :]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` columns (by width, not by length)."""
    return text + " " * max(0, cells - width(text))
