#!/usr/bin/env python3
"""Price the LLM usage of a test run, keep it in the history, and alert over a threshold.

    python scripts/track_llm_costs.py --report test-reports/llm-usage.json --alert-threshold 5.00

The run is appended to the history (test-reports/cost-history.jsonl) whether or not it
alerts, so the trend keeps the costly runs. Exit 0 under the threshold, 1 over it, and 2
with one line for bad input (the history is then left untouched).
"""

from __future__ import annotations

import argparse
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from repokit.errors import run_guarded
from repokit.monitoring.costs import (
    append_history,
    history_entry,
    load_mode,
    load_usage,
    price,
)

#: What the total means for a run of each LLM test mode (a report without a mode is real).
MODE_NOTES = {
    "mock": " (mock LLM mode: answered by the emulator, nothing spent)",
    "cached": " (cached LLM mode: what the replayed calls would cost live; nothing spent)",
    "real": " (real LLM mode: spent)",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, default=Path("test-reports/llm-usage.json"))
    parser.add_argument("--alert-threshold", type=float, default=5.0, help="USD (default 5.00)")
    parser.add_argument("--history", type=Path, default=Path("test-reports/cost-history.jsonl"))
    parser.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"))
    args = parser.parse_args()
    settings = _settings(args.pyproject)
    mode = load_mode(args.report)
    report = price(load_usage(args.report), settings, mode=mode)
    print(f"Estimated LLM costs: ${report.total:.4f}{MODE_NOTES.get(mode or '', '')}")
    width = max((len(line.key) for line in report.lines), default=10)
    for line in report.lines:
        tokens = f"{line.input_tokens} in / {line.output_tokens} out tokens"
        cost = f"${line.cost:.4f}  ({line.priced_by})"
        print(f"  {line.key.ljust(width)}  {line.calls:>6} calls  {tokens:<28} {cost}")
    entry = history_entry(report, datetime.now(UTC), _commit(), mode)
    append_history(args.history, entry)
    print(f"appended to {args.history}")
    if report.total > args.alert_threshold:
        print(f"ALERT: cost ${report.total:.2f} exceeds the threshold ${args.alert_threshold:.2f}")
        return 1
    return 0


def _settings(pyproject: Path) -> dict[str, object]:
    if not pyproject.is_file():
        return {}
    from repokit.config import load

    return load(pyproject.parent).sections.get("costs", {})


def _commit() -> str | None:
    if os.environ.get("GITHUB_SHA"):
        return os.environ["GITHUB_SHA"]
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or None


if __name__ == "__main__":
    raise SystemExit(run_guarded(main))
