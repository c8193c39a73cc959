"""The benchmark comparator: a regression must clear both the threshold and the noise."""

from __future__ import annotations

import json
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
