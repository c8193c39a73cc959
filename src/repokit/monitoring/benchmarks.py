"""Compare benchmark results with a baseline: regressions over a threshold and over the noise.

Reads pytest-benchmark's JSON (``--benchmark-json``: ``benchmarks[].fullname`` with
``stats``) and the simpler ``{name: {"mean": seconds}}`` form. A benchmark regressed when its
statistic (median by default) grew by more than ``threshold`` AND by more than the spread of
the two runs: twice their combined spread, each run's spread taken from its interquartile
range (IQR / 1.349 estimates a standard deviation that one slow outlier round cannot
inflate; the standard deviation stands in when no IQR was recorded). Either alone is not
enough: a 12% change within the spread is noise, and a 3% change that clears the noise is
still within what the project accepts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.monitoring.inputs import InputError, read_json

STATISTICS = ("median", "mean", "min")
NOISE_SIGMAS = 2.0


@dataclass(frozen=True)
class Stats:
    min: float
    max: float
    median: float
    mean: float
    stddev: float
    rounds: int
    iqr: float = 0.0

    @property
    def spread(self) -> float:
        """A robust estimate of the run's standard deviation."""
        return self.iqr / 1.349 if self.iqr > 0 else self.stddev

    def get(self, name: str) -> float:
        return float(getattr(self, name))


@dataclass(frozen=True)
class Comparison:
    name: str
    baseline: float
    current: float
    change: float
    verdict: str  # "regression", "faster", "noise" or "ok"


def load(path: Path) -> dict[str, Stats]:
    """Benchmarks by name from either JSON form; InputError for another shape."""
    data = read_json(path, "pytest-benchmark JSON (--benchmark-json)")
    if isinstance(data, Mapping) and isinstance(data.get("benchmarks"), list):
        result = {}
        for index, bench in enumerate(data["benchmarks"]):
            stats = bench.get("stats") if isinstance(bench, Mapping) else None
            name = (
                (bench.get("fullname") or bench.get("name")) if isinstance(bench, Mapping) else None
            )
            if not name or not isinstance(stats, Mapping):
                raise InputError(
                    f"{path}: benchmarks[{index}] has no fullname and stats", hint=_HINT
                )
            result[str(name)] = _stats(stats, f"{path}: {name}")
        return result
    if (
        isinstance(data, Mapping)
        and data
        and all(isinstance(v, Mapping) and "mean" in v for v in data.values())
    ):
        return {str(k): _stats(v, f"{path}: {k}") for k, v in data.items()}
    raise InputError(f"{path}: not benchmark results", hint=_HINT)


_HINT = "expected pytest-benchmark's --benchmark-json output, or {name: {mean: seconds}}"


def _stats(stats: Mapping[str, Any], where: str) -> Stats:
    def number(key: str, default: float | None = None) -> float:
        value = stats.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise InputError(f"{where}: stats.{key} is {value!r}", hint=_HINT)
        return float(value)

    mean = number("mean")
    return Stats(
        min=number("min", mean),
        max=number("max", mean),
        median=number("median", mean),
        mean=mean,
        stddev=number("stddev", 0.0),
        rounds=int(number("rounds", 1)),
        iqr=number("iqr", 0.0),
    )


def compare(
    baseline: Mapping[str, Stats],
    current: Mapping[str, Stats],
    *,
    threshold: float = 0.10,
    statistic: str = "median",
) -> list[Comparison]:
    rows = []
    for name in sorted(set(baseline) & set(current)):
        before, after = baseline[name], current[name]
        base, now = before.get(statistic), after.get(statistic)
        change = (now - base) / base if base else 0.0
        spread = NOISE_SIGMAS * math.hypot(before.spread, after.spread)
        beyond_noise = abs(now - base) > spread
        if change > threshold and beyond_noise:
            verdict = "regression"
        elif change < -threshold and beyond_noise:
            verdict = "faster"
        elif abs(change) > threshold:
            verdict = "noise"
        else:
            verdict = "ok"
        rows.append(Comparison(name, base, now, change, verdict))
    return rows


def table(rows: list[Comparison], *, markdown: bool = False) -> str:
    header = ("benchmark", "baseline", "current", "change", "verdict")
    cells = [header] + [
        (r.name, _seconds(r.baseline), _seconds(r.current), f"{r.change:+.1%}", r.verdict)
        for r in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|---:|---:|---:|---|"]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return "\n".join(lines) + "\n"
    widths = [max(len(row[i]) for row in cells) for i in range(5)]
    return (
        "\n".join(
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in cells
        )
        + "\n"
    )


def _seconds(value: float) -> str:
    if value >= 1:
        return f"{value:.3f} s"
    if value >= 1e-3:
        return f"{value * 1e3:.2f} ms"
    return f"{value * 1e6:.1f} us"
