"""The weekly LLM cost report: Markdown, a PNG chart of daily cost, and a one-line summary.

Budgets are the seed's: $2 a night and an alert at $5 a run. Only real runs spend money:
the runs of the cached LLM mode are shown as what they would have cost, and those of the
mock mode as counted only (an entry without a mode is a real run).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from repokit.monitoring.inputs import InputError

NIGHTLY_BUDGET = 2.00
RUN_ALERT = 5.00
MODE_ORDER = ("real", "cached", "mock")
MODE_MEANING = {
    "real": "(spent)",
    "cached": "(would have cost; replayed)",
    "mock": "(emulated: nothing spent)",
}


@dataclass(frozen=True)
class Run:
    when: datetime
    total: float
    breakdown: Mapping[str, float]
    commit: str | None
    mode: str = "real"


def load_history(path: Path) -> list[Run]:
    """The runs of the JSONL history; a malformed line is an InputError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", hint="run track_llm_costs.py first") from None
    runs = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data: Any = json.loads(line)
            when = datetime.fromisoformat(str(data["date"]))
            runs.append(
                Run(
                    when=when if when.tzinfo else when.replace(tzinfo=UTC),
                    total=float(data["total_cost"]),
                    breakdown={str(k): float(v) for k, v in (data.get("breakdown") or {}).items()},
                    commit=data.get("commit"),
                    mode=str(data.get("mode") or "real"),
                )
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            msg = f"{path}:{number}: not a cost history entry"
            raise InputError(msg, hint="each line is written by track_llm_costs.py") from None
    return runs


@dataclass(frozen=True)
class Week:
    start: date
    end: date  # inclusive
    #: The real runs: what was spent.
    runs: list[Run]
    previous_total: float
    #: The cached and mock runs of the week: not spent, shown apart.
    other_runs: list[Run] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(run.total for run in self.runs)

    def per_mode(self) -> dict[str, tuple[int, float]]:
        """Runs and cost per LLM mode, real first."""
        result: dict[str, tuple[int, float]] = {}
        for run in self.runs + self.other_runs:
            count, cost = result.get(run.mode, (0, 0.0))
            result[run.mode] = (count + 1, cost + run.total)
        return dict(
            sorted(
                result.items(),
                key=lambda item: (
                    MODE_ORDER.index(item[0]) if item[0] in MODE_ORDER else len(MODE_ORDER)
                ),
            )
        )

    def per_day(self) -> dict[date, float]:
        days = {
            self.start + timedelta(days=i): 0.0 for i in range((self.end - self.start).days + 1)
        }
        for run in self.runs:
            days[run.when.date()] = days.get(run.when.date(), 0.0) + run.total
        return days

    def per_key(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for run in self.runs:
            for key, cost in run.breakdown.items():
                totals[key] += cost
        return dict(sorted(totals.items(), key=lambda item: -item[1]))

    @property
    def change(self) -> float | None:
        if self.previous_total == 0:
            return None
        return (self.total - self.previous_total) / self.previous_total


def week(runs: list[Run], today: date) -> Week:
    start = today - timedelta(days=6)
    previous_start = start - timedelta(days=7)
    this = [run for run in runs if start <= run.when.date() <= today]
    previous = sum(
        r.total for r in runs if previous_start <= r.when.date() < start and r.mode == "real"
    )
    return Week(
        start=start,
        end=today,
        runs=[r for r in this if r.mode == "real"],
        previous_total=previous,
        other_runs=[r for r in this if r.mode != "real"],
    )


def summary(w: Week) -> str:
    change = "" if w.change is None else f" ({w.change:+.0%} vs the week before)"
    over = sum(1 for run in w.runs if run.total > RUN_ALERT)
    return (
        f"LLM costs {w.start}..{w.end}: ${w.total:.2f} over {len(w.runs)} run(s){change}; "
        f"{over} run(s) over ${RUN_ALERT:.2f}"
    )


def markdown(w: Week, chart: str | None) -> str:
    lines = [f"# LLM cost report, {w.start} to {w.end}", "", summary(w), ""]
    lines += ["## Per day", "", "| day | cost | budget ($2.00/night) |", "|---|---:|---|"]
    for day, cost in w.per_day().items():
        status = "over" if cost > NIGHTLY_BUDGET else "ok"
        lines.append(f"| {day} | ${cost:.2f} | {status} |")
    lines += ["", "## Per provider and model", "", "| provider/model | cost |", "|---|---:|"]
    for key, cost in w.per_key().items():
        lines.append(f"| {key} | ${cost:.4f} |")
    lines += ["", "## Runs per LLM mode", "", "| mode | runs | cost |", "|---|---:|---|"]
    for mode, (count, cost) in w.per_mode().items():
        lines.append(f"| {mode} | {count} | ${cost:.4f} {MODE_MEANING.get(mode, '')} |")
    lines += ["", "## Most expensive runs", "", "| when | commit | cost |", "|---|---|---:|"]
    for run in sorted(w.runs, key=lambda r: -r.total)[:5]:
        lines.append(
            f"| {run.when:%Y-%m-%d %H:%M} | {(run.commit or '-')[:7]} | ${run.total:.2f} |"
        )
    previous = f"${w.previous_total:.2f}" if w.previous_total else "no runs"
    lines += ["", f"Week before: {previous}. Alerts: runs over ${RUN_ALERT:.2f}."]
    if chart:
        lines += ["", f"![daily cost]({chart})"]
    return "\n".join(lines) + "\n"


def chart(w: Week, path: Path) -> bool:
    """A PNG bar chart of daily cost; False without matplotlib (extra 'monitoring')."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    days = w.per_day()
    figure, axes = plt.subplots(figsize=(8, 3.5))
    axes.bar([d.strftime("%a %d") for d in days], list(days.values()), color="#4c72b0")
    axes.axhline(NIGHTLY_BUDGET, color="#c44e52", linestyle="--", label="budget $2/night")
    axes.set_ylabel("USD")
    axes.set_title(f"LLM cost per day, {w.start} to {w.end}")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)
    return True
