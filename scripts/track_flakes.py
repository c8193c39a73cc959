#!/usr/bin/env python3
"""Find flaky tests in the JUnit XML of several runs; fail when the flake rate is over the limit.

    python scripts/track_flakes.py --junit test-reports/ --max-rate 0.02

A test is flaky when it both passed and failed on the same commit. Prints the overall flake
rate and each test over --max-rate with its counts, appends to test-reports/flake-history.jsonl,
and exits 1 over the limit (2 with one line for bad input).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

from repokit.errors import run_guarded
from repokit.monitoring.flakes import flakes, junit_files, read_run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--junit", type=Path, nargs="+", required=True, help="XML files or folders")
    parser.add_argument("--commit", help="the commit of runs whose XML does not name one")
    parser.add_argument("--max-rate", type=float, default=0.02)
    parser.add_argument("--history", type=Path, default=Path("test-reports/flake-history.jsonl"))
    args = parser.parse_args()
    files = junit_files(args.junit)
    outcomes = [o for path in files for o in read_run(path, args.commit)]
    per_test, flaky, runs = flakes(outcomes)
    rate = flaky / runs if runs else 0.0
    print(
        f"{len(files)} run(s), {len(per_test)} test(s): flake rate {rate:.2%} ({flaky} of {runs})"
    )
    over = [f for f in per_test if f.rate > args.max_rate]
    for flake in sorted(over, key=lambda f: -f.rate):
        print(
            f"  {flake.test}: failed {flake.flaky_failures} of {flake.runs} runs ({flake.rate:.0%})"
        )
    args.history.parent.mkdir(parents=True, exist_ok=True)
    entry = {
        "date": datetime.now(UTC).isoformat(),
        "runs": len(files),
        "rate": round(rate, 6),
        "flaky": {f.test: f.flaky_failures for f in per_test if f.flaky_failures},
    }
    with args.history.open("a", encoding="utf-8") as history:
        history.write(json.dumps(entry, sort_keys=True) + "\n")
    if over or rate > args.max_rate:
        print(f"over the limit of {args.max_rate:.0%}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(run_guarded(main))
