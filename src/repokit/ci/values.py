"""The values of GitHub's expressions: their text, truth, numbers and comparison.

Below both the evaluator (:mod:`repokit.ci.expressions`) and its functions
(:mod:`repokit.ci.functions`), which read values the same way.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2)
    return str(value)


def truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def compare(op: str, left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        a: Any = left.lower()
        b: Any = right.lower()
    elif type(left) is type(right) and isinstance(left, (dict, list)):
        a, b = id(left), id(right)
        if op in ("==", "!="):
            return (left is right) == (op == "==")
    else:
        a, b = number(left), number(right)
        if math.isnan(a) or math.isnan(b):
            return op == "!="
    results: dict[str, Callable[[Any, Any], bool]] = {
        "==": lambda x, y: bool(x == y),
        "!=": lambda x, y: bool(x != y),
        "<": lambda x, y: bool(x < y),
        "<=": lambda x, y: bool(x <= y),
        ">": lambda x, y: bool(x > y),
        ">=": lambda x, y: bool(x >= y),
    }
    return results[op](a, b)
