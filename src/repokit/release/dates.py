"""Dates as changelogs write them: read one written date's format, write another date in it.

A format is a small template: ``%Y``, ``%m``, ``%B`` and ``%b`` as in ``strftime`` (English
month names whatever the locale), ``{day}`` for the day without a leading zero and
``{ordinal}`` for ``6th``, ``21st``. Only the shapes listed here are recognised; a date in any
other shape is not read, so the caller keeps its default instead of copying it wrongly.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_MONTH = "(?:" + "|".join(MONTHS) + ")"
_ABBREVIATED = "(?:" + "|".join(m[:3] for m in MONTHS) + r")\.?"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)"

#: (pattern, format), most specific first. The day of ``{day}`` has no leading zero: a
#: sample with one (``May 01, 2024``) is read as ``%d``.
_SHAPES = (
    (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
    (r"\d{4}/\d{2}/\d{2}", "%Y/%m/%d"),
    (r"\d{4}\.\d{2}\.\d{2}", "%Y.%m.%d"),
    (rf"{_ORDINAL} {_MONTH},? \d{{4}}", None),
    (rf"\d{{1,2}} {_MONTH},? \d{{4}}", None),
    (rf"{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}", None),
    (rf"\d{{1,2}} {_ABBREVIATED},? \d{{4}}", None),
    (rf"{_ABBREVIATED} \d{{1,2}},? \d{{4}}", None),
)
DATE = re.compile("|".join(f"(?:{pattern})" for pattern, _ in _SHAPES))


def find(text: str) -> re.Match[str] | None:
    """The first date written in a recognised shape in ``text``, not inside a longer number."""
    for match in DATE.finditer(text):
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        if not (before.isalnum() or after.isalnum()):
            return match
    return None


def format_of(written: str) -> str | None:
    """The format of the date ``written`` (all of it), None when its shape is not known."""
    for pattern, fixed in _SHAPES:
        if re.fullmatch(pattern, written):
            return fixed or _words_format(written)
    return None


def render(when: dt.date, fmt: str) -> str:
    """``when`` written in ``fmt`` (see the module's docstring)."""
    day = when.day
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    month = MONTHS[when.month - 1]
    return (
        fmt.replace("{ordinal}", f"{day}{suffix}")
        .replace("{day}", str(day))
        .replace("%d", f"{day:02d}")
        .replace("%m", f"{when.month:02d}")
        .replace("%Y", f"{when.year:04d}")
        .replace("%B", month)
        .replace("%b", month[:3])
    )


def _words_format(written: str) -> str:
    """The format of a date with a month name: its words, each replaced by its field."""
    out = []
    for token in re.split(r"(\W+)", written):
        if re.fullmatch(_ORDINAL, token):
            out.append("{ordinal}")
        elif re.fullmatch(r"\d{4}", token):
            out.append("%Y")
        elif re.fullmatch(r"0\d", token):
            out.append("%d")
        elif token.isdigit():
            out.append("{day}")
        elif token in MONTHS:
            out.append("%B")
        elif token[:3] in (m[:3] for m in MONTHS) and token.isalpha():
            out.append("%b")
        else:
            out.append(token)
    return "".join(out)
