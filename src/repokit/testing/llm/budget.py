"""``--llm-budget``: price the run's LLM usage once its report is written, against a budget.

Only a real run spends money: a cached run is priced as what it would have cost, a mock run
as nothing, and neither fails the budget.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from repokit.testing.llm_usage import LLMUsage


@dataclass(frozen=True)
class Verdict:
    over: bool
    line: str


def check(usage: LLMUsage, report: Path, budget: float, rootdir: Path) -> Verdict:
    from repokit.monitoring.costs import load_usage, price
    from repokit.monitoring.inputs import InputError

    mode = usage.mode or "real"
    try:
        total = price(load_usage(report), cost_settings(rootdir), mode=mode).total
    except InputError as error:
        line = f"LLM budget ${budget:.2f}: cannot price {report}: {error} ({error.hint})"
        return Verdict(over=mode == "real", line=line)
    if mode != "real":
        spent = "nothing was spent" if mode == "mock" else "what the replayed calls would cost"
        return Verdict(False, f"LLM cost of this {mode} run: ${total:.4f} ({spent})")
    if total > budget:
        return Verdict(True, f"LLM BUDGET EXCEEDED: this run cost ${total:.4f}, over ${budget:.2f}")
    return Verdict(False, f"LLM cost of this run: ${total:.4f}, within the budget ${budget:.2f}")


def cost_settings(rootdir: Path) -> dict[str, Any]:
    """``[tool.repokit.costs]`` of the project's pyproject.toml, if any."""
    try:
        data = tomllib.loads((rootdir / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    costs = data.get("tool", {}).get("repokit", {}).get("costs", {})
    return costs if isinstance(costs, dict) else {}
