"""Switch a workflow's automatic triggers on and off by editing its ``on:`` block as text.

Workflows start manual-only: their automatic triggers are written out but commented,
under a marker line::

    on:
      # DISABLED: Uncomment when ready for automated CI
      # pull_request:
      #   branches: [main]
      workflow_dispatch:

Enabling uncomments the lines under the marker and turns the marker into the ENABLED one;
disabling does the reverse, so that enable then disable gives the file back byte for
byte. Every other line, comment and line ending stays as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

from repokit.edits import FileEdit
from repokit.errors import WorkflowError

DISABLED = "# DISABLED: Uncomment when ready for automated CI"
ENABLED = "# ENABLED: automatic triggers on; 'inv workflows.disable' comments them out again"

_ON = re.compile(r"^(?:on|\"on\"|'on')\s*:\s*(#.*)?$")


def enable(path: Path) -> FileEdit:
    """The edit that turns the commented automatic triggers of ``path`` on."""
    return _switch(path, on=True)


def disable(path: Path) -> FileEdit:
    """The edit that comments the automatic triggers of ``path`` out again."""
    return _switch(path, on=False)


def _switch(path: Path, *, on: bool) -> FileEdit:
    before = path.read_bytes()
    lines = before.decode("utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _ON.match(line.rstrip("\r\n"))), None)
    if start is None:
        msg = f"{path}: no top-level 'on:' block to switch"
        raise WorkflowError(msg, hint="write the triggers as a mapping under 'on:'")
    marker_text, other_text = (DISABLED, ENABLED) if on else (ENABLED, DISABLED)
    marker = _find_marker(lines, start, marker_text)
    if marker is None:
        if _find_marker(lines, start, other_text) is not None:
            return FileEdit(path, before, before)  # already in the state asked for
        msg = f"{path}: no '{DISABLED}' line under 'on:'"
        hint = "put the automatic triggers, commented, under that marker line (see the README)"
        raise WorkflowError(msg, hint=hint)
    indent = _indent(lines[marker])
    lines[marker] = indent + other_text + _ending(lines[marker])
    for i in range(marker + 1, len(lines)):
        body = lines[i].rstrip("\r\n")
        ending = lines[i][len(body) :]
        if on:
            if not body.startswith(indent + "# "):
                break
            lines[i] = indent + body[len(indent) + 2 :] + ending
        else:
            if not body.strip() or len(_indent(body)) < len(indent):
                break
            if body[len(indent) :].startswith(("workflow_dispatch", "#")):
                break
            lines[i] = indent + "# " + body[len(indent) :] + ending
    return FileEdit(path, before, "".join(lines).encode("utf-8"))


def _find_marker(lines: list[str], start: int, text: str) -> int | None:
    for i in range(start + 1, len(lines)):
        body = lines[i].rstrip("\r\n")
        if body.strip() and not body.startswith((" ", "\t", "#")):
            return None  # the next top-level key: the on: block has ended
        if body.strip() == text:
            return i
    return None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]
