#!/usr/bin/env python3
"""A weekly LLM cost report from the cost history: Markdown, a PNG chart, a one-line summary.

    python scripts/generate_cost_report.py \
        --input test-reports/cost-history.jsonl --output cost-report.md

The summary line goes to stdout, to --summary-file (e.g. "$GITHUB_STEP_SUMMARY") and, when
GITHUB_OUTPUT is set, to the step output ``summary``. Exit 2 with one line for bad input.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, date, datetime
from pathlib import Path

from repokit.errors import run_guarded
from repokit.monitoring.report import chart, load_history, markdown, summary, week


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=Path("test-reports/cost-history.jsonl"))
    parser.add_argument("--output", type=Path, default=Path("cost-report.md"))
    parser.add_argument("--chart", type=Path, help="the PNG (default: next to --output)")
    parser.add_argument("--summary-file", type=Path, help="append the summary line here")
    parser.add_argument("--today", type=date.fromisoformat, help="the week's last day (YYYY-MM-DD)")
    args = parser.parse_args()
    w = week(load_history(args.input), args.today or datetime.now(UTC).date())
    png = args.chart or args.output.with_suffix(".png")
    drawn = chart(w, png)
    args.output.write_text(markdown(w, png.name if drawn else None), encoding="utf-8")
    line = summary(w)
    print(line)
    print(
        f"wrote {args.output}"
        + (f" and {png}" if drawn else " (chart skipped: pip install 'repokit[monitoring]')")
    )
    if args.summary_file:
        with args.summary_file.open("a", encoding="utf-8") as file:
            file.write(line + "\n")
    if os.environ.get("GITHUB_OUTPUT"):
        with Path(os.environ["GITHUB_OUTPUT"]).open("a", encoding="utf-8") as file:
            file.write(f"summary={line}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(run_guarded(main))
