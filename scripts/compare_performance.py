#!/usr/bin/env python3
"""Compare benchmark results with the baseline; fail on a regression over the threshold.

    python scripts/compare_performance.py --current test-reports/benchmark.json \\
        --baseline benchmarks/baseline.json --threshold 0.10

Exit 0 without regressions, 1 with one, 2 with one line for bad input. The table also goes
to --markdown FILE, or to $GITHUB_STEP_SUMMARY when that is set.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from repokit.errors import run_guarded
from repokit.monitoring.benchmarks import STATISTICS, calibration_note, compare, load, table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--current", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--threshold", type=float, default=0.10, help="0.10 = 10%% slower")
    parser.add_argument("--stat", choices=STATISTICS, default="median")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    parser.add_argument(
        "--reference",
        help="a benchmark that measures the machine (e.g. a bare git log): results are "
        "calibrated by how much it changed",
    )
    args = parser.parse_args()
    baseline, current = load(args.baseline), load(args.current)
    rows = compare(
        baseline, current, threshold=args.threshold, statistic=args.stat, reference=args.reference
    )
    print(table(rows), end="")
    if note := calibration_note(rows):
        print(note)
    for name in sorted(set(current) - set(baseline)):
        print(f"new: {name}")
    for name in sorted(set(baseline) - set(current)):
        print(f"removed: {name}")
    summary = args.markdown or (
        Path(os.environ["GITHUB_STEP_SUMMARY"]) if os.environ.get("GITHUB_STEP_SUMMARY") else None
    )
    if summary:
        with summary.open("a", encoding="utf-8") as file:
            file.write(table(rows, markdown=True))
    regressions = [r for r in rows if r.verdict == "regression"]
    if regressions:
        names = ", ".join(r.name for r in regressions)
        print(f"Performance regressions over {args.threshold:.0%}: {names}")
        return 1
    print(f"Performance within {args.threshold:.0%} of the baseline ({args.stat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_guarded(main))
