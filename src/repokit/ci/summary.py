"""The table ``inv ci`` ends with: a row per job, within 100 terminal columns.

Columns are measured in terminal cells (an emoji in a job's name takes two); the last
column (the log and the reason) wraps onto indented lines, and a job's name longer than
its share of the width wraps too, so nothing is cut off and no line is wider than the width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from repokit.ci.cells import fit, pad, width, wrap
from repokit.ci.plan import JobResult

#: The width the summary fits in: a terminal of 100 columns.
COLUMNS = 100
_GAP = "  "
_HEADER = ("job", "result", "duration", "log / reason")
_NAME_SHARE = 36  # the most a job's name takes before it wraps
_KINDS = ("passed", "failed", "partial", "skipped")


@dataclass(frozen=True)
class Section:
    """One workflow's results, shown under its name when a run has several."""

    heading: str
    results: Sequence[JobResult]


def one_line(text: str) -> str:
    """A cell's text on one line: a multi-line ``if:`` or reason, its whitespace folded."""
    return " ".join(text.split())


def row_of(result: JobResult, root: Path) -> tuple[str, str, str, str]:
    log = ""
    if result.log is not None:
        log = (
            str(result.log.relative_to(root))
            if result.log.is_relative_to(root)
            else str(result.log)
        )
    detail = "\n".join(x for x in (log, one_line(result.reason or "")) if x)
    verdict = f"{result.result} (allowed)" if result.allowed else result.result
    return (one_line(result.title or result.key), verdict, f"{result.duration:.1f}s", detail)


@dataclass(frozen=True)
class Layout:
    """The columns' widths in cells: the name, the result, the duration, the rest."""

    name: int
    result: int
    duration: int
    detail: int


def layout(rows: Sequence[tuple[str, str, str, str]], columns: int = COLUMNS) -> Layout:
    everything = [_HEADER, *rows]
    result, duration = (max(width(row[i]) for row in everything) for i in (1, 2))
    name = min(max(width(row[0]) for row in everything), _NAME_SHARE)
    room = columns - name - result - duration - 3 * len(_GAP)
    if room < 20:  # a narrow terminal: the name gives way to the reason
        name = max(len(_HEADER[0]), name - (20 - room))
        room = columns - name - result - duration - 3 * len(_GAP)
    return Layout(name, result, duration, max(room, 1))


def block(row: tuple[str, str, str, str], columns: Layout) -> list[str]:
    """One row's lines: the name and the detail wrapped (the log, then the reason on a line
    of its own), the other cells on the first."""
    names = wrap(row[0], columns.name)
    details = [line for part in row[3].split("\n") for line in wrap(part, columns.detail)]
    lines = []
    for i in range(max(len(names), len(details))):
        first = i == 0
        cells = [
            pad(names[i] if i < len(names) else "", columns.name),
            pad(row[1] if first else "", columns.result),
            pad(row[2] if first else "", columns.duration),
            details[i] if i < len(details) else "",
        ]
        lines.append(_GAP.join(cells).rstrip())
    return lines


def table(rows: Sequence[tuple[str, str, str, str]], columns: int = COLUMNS) -> list[str]:
    """The rows under the header, every line at most ``columns`` cells wide."""
    shape = layout(rows, columns)
    return [line for row in (_HEADER, *rows) for line in block(row, shape)]


def counts_line(results: Sequence[JobResult], strict: bool) -> str:
    counts = {kind: sum(r.result == kind for r in results) for kind in _KINDS}
    return (
        f"jobs: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['partial']} partial, {counts['skipped']} skipped"
        + (" (--strict: partial and skipped fail)" if strict else "")
    )


def summary(
    sections: Sequence[Section], root: Path, strict: bool, columns: int = COLUMNS
) -> list[str]:
    """The summary's lines: the table (a heading per workflow when there are several)."""
    rows = [[row_of(r, root) for r in section.results] for section in sections]
    shape = layout([row for part in rows for row in part], columns)
    lines = block(_HEADER, shape)
    for section, part in zip(sections, rows, strict=True):
        if len(sections) > 1:
            lines.append(fit(section.heading, columns))
        lines += [line for row in part for line in block(row, shape)]
    everything = [r for section in sections for r in section.results]
    return ["", *lines, "", counts_line(everything, strict)]
