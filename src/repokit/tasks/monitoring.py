"""``inv bench``: run the benchmarks and compare them with the committed baseline."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from invoke.collection import Collection
from invoke.context import Context
from invoke.tasks import task

from repokit.tasks._guard import guarded


@task(
    help={
        "update-baseline": "write this run's results to the baseline instead of comparing",
        "threshold": "the slowdown that fails, as a fraction (default 0.10: 10%)",
        "stat": "the statistic compared: median (default), mean or min",
        "baseline": "the baseline file (default: benchmarks/baseline.json)",
        "reference": "a benchmark measuring the machine, to calibrate the others by "
        "(default: test_bare_git_log_of_the_same_range; '' for none)",
    }
)
@guarded
def bench(
    c: Context,
    update_baseline: bool = False,
    threshold: float = 0.10,
    stat: str = "median",
    baseline: str = "benchmarks/baseline.json",
    reference: str = "test_bare_git_log_of_the_same_range",
) -> None:
    """Run tests/performance with pytest-benchmark and compare with benchmarks/baseline.json.

    Fails (exit 1) on a benchmark slower than the threshold and beyond the run-to-run noise.
    """
    from repokit.config import load
    from repokit.errors import RepokitError
    from repokit.monitoring.benchmarks import calibration_note, compare, table
    from repokit.monitoring.benchmarks import load as load_results

    root = load().root
    current = root / "test-reports" / "benchmark.json"
    current.parent.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "pytest", "tests/performance", "--benchmark-only"]
    command.append(f"--benchmark-json={current}")
    print("$ " + " ".join(command[2:]), flush=True)
    if subprocess.run(command, cwd=root, check=False).returncode != 0:
        raise RepokitError("the benchmarks failed", hint="see pytest's output above")
    target = root / baseline
    if update_baseline:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(current, target)
        print(f"wrote {baseline}")
        return
    rows = compare(
        load_results(target),
        load_results(current),
        threshold=threshold,
        statistic=stat,
        reference=reference or None,
    )
    print(table(rows), end="")
    if note := calibration_note(rows):
        print(note)
    slower = [r.name for r in rows if r.verdict == "regression"]
    if slower:
        msg = f"{len(slower)} benchmark(s) regressed over {threshold:.0%}: {', '.join(slower)}"
        raise RepokitError(
            msg, hint="find the cause, or accept it with 'inv bench --update-baseline'"
        )
    print(f"all benchmarks within {threshold:.0%} of {Path(baseline).name}")


def register(namespace: Collection) -> None:
    """Add this family's tasks to ``namespace``."""
    namespace.add_task(bench)
