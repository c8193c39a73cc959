"""Reading the monitoring scripts' input files: one clear line (exit 2) for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from repokit.errors import EXIT_USAGE, RepokitError


class InputError(RepokitError):
    """An input file is missing, is not the JSON expected, or holds impossible values."""

    exit_code = EXIT_USAGE


def read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint=f"give the path of the {what}") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}", hint="check the path") from None
    try:
        return json.loads(text)
    except ValueError as error:
        msg = f"{path}: not valid JSON (line {getattr(error, 'lineno', '?')})"
        raise InputError(msg, hint=f"expected the {what}") from None


def count(value: Any, where: str) -> int:
    """A non-negative whole number, or an InputError naming where it came from."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}: expected a whole number, got {value!r}", hint="fix the report")
    if value < 0:
        raise InputError(f"{where}: negative count {value}", hint="counts cannot be negative")
    return value


def amount(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise InputError(f"{where}: expected a price of 0 or more, got {value!r}", hint="fix it")
    return float(value)
