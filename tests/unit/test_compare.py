"""The benchmark comparator: a regression must clear both the threshold and the noise."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from repokit.monitoring.benchmarks import Stats, compare, load
from repokit.monitoring.inputs import InputError


def stats(median: float, stddev: float = 0.001, spread: float = 0.002) -> Stats:
    return Stats(
        min=median - spread,
        max=median + spread,
        median=median,
        mean=median,
        stddev=stddev,
        rounds=20,
    )


@pytest.mark.parametrize(
    ("current", "verdict"),
    [
        (stats(0.120), "regression"),  # +20%, far beyond the noise
        (stats(0.105), "ok"),  # +5%: under the threshold
        (stats(0.115, stddev=0.02, spread=0.04), "noise"),  # +15% but within the spread
        (stats(0.080), "faster"),
    ],
)
def test_verdicts(current: Stats, verdict: str) -> None:
    (row,) = compare({"b": stats(0.100)}, {"b": current}, threshold=0.10)
    assert row.verdict == verdict


def test_both_json_forms_are_read(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"test_query": {"mean": 1.5}}))
    assert load(seed)["test_query"].median == 1.5
    bench = tmp_path / "bench.json"
    bench.write_text(
        json.dumps(
            {
                "benchmarks": [
                    {
                        "fullname": "t.py::test_a",
                        "stats": {
                            "min": 1,
                            "max": 3,
                            "median": 2,
                            "mean": 2,
                            "stddev": 0.5,
                            "rounds": 5,
                        },
                    }
                ]
            }
        )
    )
    assert load(bench)["t.py::test_a"].median == 2


def test_another_shape_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"results": [1, 2, 3]}))
    with pytest.raises(InputError, match="not benchmark results"):
        load(other)


def test_a_slower_machine_is_calibrated_away_by_the_reference() -> None:
    baseline = {"t::test_git_log": stats(0.100), "t::test_mine": stats(0.200)}
    slower_machine = {"t::test_git_log": stats(0.114), "t::test_mine": stats(0.228)}
    rows = {r.name: r for r in compare(baseline, slower_machine, reference="test_git_log")}
    assert rows["t::test_git_log"].verdict == "reference"
    assert rows["t::test_mine"].verdict == "ok"
    assert rows["t::test_mine"].change == pytest.approx(0.0)
    really_slower = {"t::test_git_log": stats(0.114), "t::test_mine": stats(0.290)}
    rows = {r.name: r for r in compare(baseline, really_slower, reference="test_git_log")}
    assert rows["t::test_mine"].verdict == "regression"
    assert [r.verdict for r in compare(baseline, slower_machine)] == ["regression", "regression"]


# Generated timings with a known spread: the verdicts must hold for every seed, so the gate
# neither misses a real slowdown nor fails a pull request on a noisy machine.
SEEDS = range(50)


def timings(seed: int, centre: float, noise: float, rounds: int = 40) -> Stats:
    """``rounds`` timings around ``centre`` seconds, with relative noise and a few slow outliers
    such as a loaded machine adds (one round in ten up to three times slower)."""
    rng = random.Random(seed)
    samples = [rng.gauss(centre, centre * noise) for _ in range(rounds)]
    for index in rng.sample(range(rounds), rounds // 10):
        samples[index] *= rng.uniform(1.5, 3.0)
    return Stats.from_samples([max(s, centre / 100) for s in samples])


@pytest.mark.parametrize("seed", SEEDS)
def test_a_20_percent_shift_with_small_noise_is_a_regression(seed: int) -> None:
    baseline = timings(seed, 0.002, noise=0.02)
    current = timings(seed + 1000, 0.0024, noise=0.02)
    (row,) = compare({"b": baseline}, {"b": current}, threshold=0.10)
    assert row.verdict == "regression"
    assert row.change == pytest.approx(0.20, abs=0.04)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_same_distribution_is_not_a_regression(seed: int) -> None:
    baseline = timings(seed, 0.002, noise=0.05)
    current = timings(seed + 1000, 0.002, noise=0.05)
    (row,) = compare({"b": baseline}, {"b": current}, threshold=0.10)
    assert row.verdict == "ok"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_shift_inside_the_noise_is_not_a_regression(seed: int) -> None:
    baseline = timings(seed, 0.002, noise=0.25)
    current = timings(seed + 1000, 0.0023, noise=0.25)  # +15%, well inside a 25% spread
    (row,) = compare({"b": baseline}, {"b": current}, threshold=0.10)
    assert row.verdict in {"ok", "noise"}


def test_statistics_of_samples_are_those_pytest_benchmark_records() -> None:
    got = Stats.from_samples([0.004, 0.001, 0.003, 0.002, 0.005])
    assert (got.min, got.max, got.median, got.rounds) == (0.001, 0.005, 0.003, 5)
    assert got.mean == pytest.approx(0.003)
    assert got.iqr == pytest.approx(0.002)  # q3 0.004 - q1 0.002
    with pytest.raises(ValueError, match="two rounds"):
        Stats.from_samples([0.1])
