"""The monitoring scripts as CI runs them, on real inputs made here."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from repokit.monitoring.benchmarks import Stats

ROOT = Path(__file__).resolve().parents[2]


def script(
    name: str, *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_costs_alert_over_the_threshold_and_keep_the_run(tmp_path: Path) -> None:
    (tmp_path / "usage.json").write_text(json.dumps({"groq_calls": 60_000, "evaluator_calls": 0}))
    history = tmp_path / "test-reports" / "cost-history.jsonl"
    over = script(
        "track_llm_costs.py", "--report", "usage.json", "--alert-threshold", "5.00", cwd=tmp_path
    )
    assert over.returncode == 1, over.stderr
    assert "ALERT: cost $6.00 exceeds the threshold $5.00" in over.stdout
    under = script(
        "track_llm_costs.py", "--report", "usage.json", "--alert-threshold", "10", cwd=tmp_path
    )
    assert under.returncode == 0
    entries = [json.loads(line) for line in history.read_text().splitlines()]
    assert [e["total_cost"] for e in entries] == [6.0, 6.0]  # the alerting run is in the trend


def test_bad_cost_input_exits_2_and_leaves_the_history(tmp_path: Path) -> None:
    history = tmp_path / "test-reports" / "cost-history.jsonl"
    history.parent.mkdir()
    history.write_text('{"date": "2026-11-01T02:00:00+00:00", "total_cost": 1.0}\n')
    (tmp_path / "bad.json").write_text(
        '{"usage": [{"provider": "x", "model": "unknown-model", "calls": 1}]}'
    )
    for report in ("missing.json", "bad.json"):
        result = script("track_llm_costs.py", "--report", report, cwd=tmp_path)
        assert result.returncode == 2, result.stdout
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert history.read_text().count("\n") == 1


def test_a_month_of_history_becomes_a_report_and_a_chart(tmp_path: Path) -> None:
    today = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    lines = []
    for day in range(30):
        when = today - timedelta(days=day)
        total = 1.0 + day % 3 + (4.5 if day == 2 else 0.0)
        lines.append(
            json.dumps(
                {
                    "date": when.isoformat(),
                    "total_cost": total,
                    "commit": f"c{day:06d}",
                    "breakdown": {"groq/llama": total * 0.75, "openai/gpt-4o": total * 0.25},
                }
            )
        )
    (tmp_path / "history.jsonl").write_text("\n".join(lines) + "\n")
    output = tmp_path / "github_output"
    result = script(
        "generate_cost_report.py",
        "--input",
        "history.jsonl",
        "--output",
        "report.md",
        "--today",
        "2026-11-23",
        "--summary-file",
        "summary.txt",
        cwd=tmp_path,
        env={"GITHUB_OUTPUT": str(output)},
    )
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "report.md").read_text()
    assert "# LLM cost report, 2026-11-17 to 2026-11-23" in report
    assert "| groq/llama |" in report and "| openai/gpt-4o |" in report
    assert "| 2026-11-21 | $7.50 | over |" in report
    assert "1 run(s) over $5.00" in report
    assert "vs the week before" in report
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "summary.txt").read_text().startswith("LLM costs 2026-11-17..2026-11-23: $")
    assert output.read_text().startswith("summary=LLM costs")


def compare(cwd: Path, current: Path | str, baseline: Path, *extra: str) -> Any:
    """compare_performance.py of ``current`` against ``baseline``."""
    return script(
        "compare_performance.py",
        "--current",
        str(current),
        "--baseline",
        str(baseline),
        *extra,
        cwd=cwd,
    )


def generated(path: Path, seed: int, centre: float, noise: float) -> Path:
    """pytest-benchmark JSON of 40 generated rounds around ``centre`` seconds."""
    rng = random.Random(seed)
    stats = Stats.from_samples([rng.gauss(centre, centre * noise) for _ in range(40)])
    bench = {"fullname": "test_tiny.py::test_tiny", "stats": dataclasses.asdict(stats)}
    path.write_text(json.dumps({"benchmarks": [bench]}))
    return path


def test_a_20_percent_slowdown_fails_and_noise_does_not(tmp_path: Path) -> None:
    baseline = generated(tmp_path / "baseline.json", 1, 0.002, noise=0.02)
    same = generated(tmp_path / "same.json", 2, 0.002, noise=0.02)
    slow = generated(tmp_path / "slow.json", 3, 0.0024, noise=0.02)
    noisy = generated(tmp_path / "noisy.json", 4, 0.0023, noise=0.30)
    for current in (same, noisy):
        ok = compare(tmp_path, current, baseline)
        assert ok.returncode == 0, ok.stdout
    regressed = compare(tmp_path, slow, baseline, "--markdown", "t.md")
    assert regressed.returncode == 1, regressed.stdout
    assert "regression" in regressed.stdout and "test_tiny" in regressed.stdout
    assert (
        "| benchmark | baseline | current | change | verdict |" in (tmp_path / "t.md").read_text()
    )
    bad = compare(tmp_path, "nope.json", baseline)
    assert bad.returncode == 2 and "nope.json: no such file" in bad.stderr


BENCH = """\
import os, time

def test_tiny(benchmark):
    delay = 0.002 * float(os.environ.get("SLOWDOWN", "1"))
    benchmark.pedantic(time.sleep, args=(delay,), rounds=40, iterations=1)
"""


def bench(tmp_path: Path, name: str, slowdown: str) -> Path:
    out = tmp_path / name
    # a pytest of its own: pytest-benchmark switches itself off inside an xdist worker
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_tiny.py"]
    command += ["--benchmark-only", f"--benchmark-json={out}"]
    result = subprocess.run(
        command, cwd=tmp_path, env={**env, "SLOWDOWN": slowdown}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.timing
def test_real_benchmark_runs_a_20_percent_slowdown_fails(tmp_path: Path) -> None:
    """Real timings: run by the integration and nightly workflows, not on pull requests."""
    (tmp_path / "test_tiny.py").write_text(BENCH)
    baseline = bench(tmp_path, "baseline.json", "1")
    same = bench(tmp_path, "same.json", "1")
    slow = bench(tmp_path, "slow.json", "1.2")
    ok = compare(tmp_path, same, baseline)
    assert ok.returncode == 0, ok.stdout
    regressed = compare(tmp_path, slow, baseline)
    assert regressed.returncode == 1, regressed.stdout


def test_track_flakes_names_the_flaky_test(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for run in range(10):
        failure = '<failure message="boom"/>' if run == 7 else ""
        steady = '<testcase classname="tests.test_api" name="test_steady"/>'
        wobbly = f'<testcase classname="tests.test_api" name="test_wobbly">{failure}</testcase>'
        (reports / f"run{run}.xml").write_text(
            f'<testsuite name="pytest">{steady}{wobbly}</testsuite>'
        )
    result = script("track_flakes.py", "--junit", "reports", "--commit", "abc123", cwd=tmp_path)
    assert result.returncode == 1
    assert "tests.test_api::test_wobbly: failed 1 of 10 runs (10%)" in result.stdout
    assert "test_steady" not in result.stdout
    assert (tmp_path / "test-reports" / "flake-history.jsonl").exists()


def usage_report(path: Path, mode: str) -> None:
    rows = [{"provider": "openai", "model": "gpt-4o", "calls": 10, "input_tokens": 200_000}]
    path.write_text(json.dumps({"schema": 1, "mode": mode, "usage": rows}))


def test_each_llm_mode_is_priced_as_what_it_means_and_reported_apart(tmp_path: Path) -> None:
    totals = {}
    for mode in ("real", "cached", "mock"):
        usage_report(tmp_path / f"{mode}.json", mode)
        result = script("track_llm_costs.py", "--report", f"{mode}.json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        totals[mode] = result.stdout.splitlines()[0]
    assert totals["real"].endswith("(real LLM mode: spent)")
    assert totals["cached"].split()[3] == totals["real"].split()[3] != "$0.0000"
    assert totals["mock"].startswith("Estimated LLM costs: $0.0000 (mock LLM mode")
    history = tmp_path / "test-reports" / "cost-history.jsonl"
    entries = [json.loads(line) for line in history.read_text().splitlines()]
    assert [e["mode"] for e in entries] == ["real", "cached", "mock"]
    today = datetime.fromisoformat(entries[0]["date"]).date().isoformat()
    result = script(
        "generate_cost_report.py",
        "--input",
        str(history),
        "--output",
        "week.md",
        "--today",
        today,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    spent = entries[0]["total_cost"]
    assert result.stdout.startswith("LLM costs ") and f"${spent:.2f} over 1 run(s)" in result.stdout
    week = (tmp_path / "week.md").read_text()
    assert f"| real | 1 | ${spent:.4f} (spent) |" in week
    assert f"| cached | 1 | ${spent:.4f} (would have cost; replayed) |" in week
    assert "| mock | 1 | $0.0000 (emulated: nothing spent) |" in week
