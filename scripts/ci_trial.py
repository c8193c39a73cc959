#!/usr/bin/env python3
"""Run ``repokit ci`` over checkouts of real projects, as their maintainers would, and tabulate.

Usage: python scripts/ci_trial.py CHECKOUT [CHECKOUT ...] [--timeout SECONDS] [--save DIR]

Each CHECKOUT is a git clone of a project. The script makes a trial branch there with one
harmless change to a Python file (a comment), so that a pull request's ``paths`` filters
see a source change, runs ``repokit ci --event pull_request`` (every workflow a pull
request starts), and prints one row per job: passed / failed / partial / skipped and why.
It also counts tracebacks (exit code 3 or a Python traceback in the output). Nothing of
the checkouts is kept here; run it on clones in a scratch folder. With ``--save DIR``, each
project's whole output (the plan, the step lines, the summary) is kept as ``DIR/<project>.txt``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPOKIT = str(Path(sys.executable).parent / "repokit")
_ROW = re.compile(r"\s{2,}")


def prepare(checkout: Path) -> None:
    """A trial branch with one comment added to a Python file, as a small pull request."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=checkout, capture_output=True, text=True)
        return done.stdout.strip()

    if git("branch", "--show-current") == "repokit-trial":
        return
    git("checkout", "-q", "-B", "repokit-trial")
    tracked = [p for p in git("ls-files", "*.py").splitlines() if "test" not in p]
    target = next((p for p in tracked if p.startswith(("src/", checkout.name))), None)
    target = target or (tracked[0] if tracked else None)
    if target:
        with (checkout / target).open("a", encoding="utf-8") as handle:
            handle.write("\n# a comment, the change of a trial pull request\n")
        git(
            "-c", "user.name=trial", "-c", "user.email=trial@example.com", "commit", "-qam", "trial"
        )


def summary(output: str) -> list[tuple[str, str, str]]:
    """(job, result, reason) for each row of repokit's summary table."""
    rows: list[tuple[str, str, str]] = []
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("job ") and "result" in line:
            for row in lines[i + 1 :]:
                if not row.strip():
                    break
                cells = _ROW.split(row.strip())
                if len(cells) >= 3:
                    result = cells[1]
                    detail = " ".join(c for c in cells[3:] if not c.startswith(".ci-artifacts"))
                    rows.append((cells[0], result, detail))
    return rows


def trial(checkout: Path, timeout: int, jobs: int, save: Path | None) -> dict[str, object]:
    prepare(checkout)
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "NO_COLOR")}
    try:
        done = subprocess.run(
            [REPOKIT, "ci", "--event", "pull_request", "--jobs", str(jobs)],
            cwd=checkout,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or b""
        output = out.decode() if isinstance(out, bytes) else out
        code = -1
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        (save / f"{checkout.name}.txt").write_text(output, encoding="utf-8")
    return {
        "project": checkout.name,
        "exit": code,
        "seconds": round(time.monotonic() - started),
        "traceback": code == 3 or "Traceback (most recent call last)" in output.split("\njob ")[-1],
        "jobs": summary(output),
        "not run": [line for line in output.splitlines() if ": not run (" in line],
        "error": next((line for line in output.splitlines() if line.startswith("error:")), ""),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--save", type=Path, help="keep each project's whole output here")
    args = parser.parse_args()
    totals: dict[str, int] = {}
    tracebacks = 0
    print("| project | job | result | why |\n|---|---|---|---|")
    for checkout in args.checkouts:
        outcome = trial(checkout.resolve(), args.timeout, args.jobs, args.save)
        tracebacks += bool(outcome["traceback"])
        jobs = outcome["jobs"]
        assert isinstance(jobs, list)
        if not jobs:
            why = outcome["error"] or f"exit {outcome['exit']}, no summary"
            print(f"| {outcome['project']} | - | - | {why} |")
        for job, result, why in jobs:
            totals[result] = totals.get(result, 0) + 1
            print(f"| {outcome['project']} | {job} | {result} | {why[:120]} |")
        sys.stdout.flush()
    print(f"\njobs: {totals}; tracebacks: {tracebacks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
