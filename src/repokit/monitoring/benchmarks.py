"""Compare benchmark results with a baseline: regressions over a threshold and over the noise.

Reads pytest-benchmark's JSON (``--benchmark-json``: ``benchmarks[].fullname`` with
``stats``) and the simpler ``{name: {"mean": seconds}}`` form. A benchmark regressed when its
statistic (median by default) grew by more than ``threshold`` AND by more than the spread of
the two runs: twice their combined spread, each run's spread taken from its interquartile
range (IQR / 1.349 estimates a standard deviation that one slow outlier round cannot
inflate; the standard deviation stands in when no IQR was recorded). Either alone is not
enough: a 12% change within the spread is noise, and a 3% change that clears the noise is
still within what the project accepts.

With a ``reference`` benchmark (one that measures the machine, not the project, such as a
bare ``git log``), every current result is first divided by how much the reference changed:
a machine that is 14% slower today than when the baseline was recorded makes nothing look
14% slower.
"""

from __future__ import annotations

import math
import statistics
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

    @classmethod
    def from_samples(cls, samples: list[float]) -> Stats:
        """The statistics pytest-benchmark records for these round timings (seconds)."""
        if len(samples) < 2:
            raise ValueError("statistics need at least two rounds")
        q1, _, q3 = statistics.quantiles(samples, n=4, method="inclusive")
        return cls(
            min=min(samples),
            max=max(samples),
            median=statistics.median(samples),
            mean=statistics.fmean(samples),
            stddev=statistics.stdev(samples),
            rounds=len(samples),
            iqr=q3 - q1,
        )


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


def find(results: Mapping[str, Stats], name: str) -> str:
    """The full name of the one benchmark ``name`` names (exactly, or as its ending)."""
    matches = [full for full in results if full == name or full.endswith(name)]
    if len(matches) != 1:
        found = "no benchmark" if not matches else f"{len(matches)} benchmarks"
        raise InputError(f"--reference {name}: {found} match", hint="give a unique name")
    return matches[0]


def compare(
    baseline: Mapping[str, Stats],
    current: Mapping[str, Stats],
    *,
    threshold: float = 0.10,
    statistic: str = "median",
    reference: str | None = None,
) -> list[Comparison]:
    factor, reference_name = 1.0, None
    if reference:
        reference_name = find(baseline, reference)
        find(current, reference)
        base_ref = baseline[reference_name].get(statistic)
        factor = current[reference_name].get(statistic) / base_ref if base_ref else 1.0
    rows = []
    for name in sorted(set(baseline) & set(current)):
        before, after = baseline[name], current[name]
        if name == reference_name:
            change = factor - 1.0
            base, now = before.get(statistic), after.get(statistic)
            rows.append(Comparison(name, base, now, change, "reference"))
            continue
        after = _scaled(after, factor)
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


def calibration_note(rows: list[Comparison]) -> str | None:
    """A line saying how the current values were calibrated, when a reference was used."""
    reference = next((r for r in rows if r.verdict == "reference"), None)
    if reference is None:
        return None
    return (
        f"current values calibrated by {reference.name.rsplit('::', 1)[-1]}: this machine ran "
        f"it {reference.change:+.1%} against the baseline"
    )


def _scaled(stats: Stats, factor: float) -> Stats:
    """``stats`` as they would be on the machine the baseline was recorded on."""
    if factor == 1.0:
        return stats
    return Stats(
        min=stats.min / factor,
        max=stats.max / factor,
        median=stats.median / factor,
        mean=stats.mean / factor,
        stddev=stats.stddev / factor,
        rounds=stats.rounds,
        iqr=stats.iqr / factor,
    )


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
