"""LLM costs of a test run: read the usage report, price it, keep the history, alert.

The usage comes from the ``llm_usage`` pytest fixture (per provider and model: calls and
tokens) or in the simple form ``{"groq_calls": N, "evaluator_calls": M}``. Tokens are
priced with genai-prices (pydantic's maintained price data, offline); per-token or per-call
prices in ``[tool.repokit.costs]`` cover models it does not know::

    [tool.repokit.costs.per_call]
    groq_calls = 0.0001

    [tool.repokit.costs.models."groq/my-finetune"]
    input_per_mtok = 0.05     # USD per million input tokens
    output_per_mtok = 0.08
    # or: per_call = 0.001
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from repokit.monitoring.inputs import InputError, amount, count, read_json

#: The seed's prices of its simple report, per call (USD), unless configured.
DEFAULT_PER_CALL = {"groq_calls": 0.0001, "evaluator_calls": 0.0002}
_MODEL_KEYS = {"input_per_mtok", "output_per_mtok", "per_call"}
#: The LLM test modes a usage report can come from.
MODES = ("mock", "cached", "real")


@dataclass(frozen=True)
class Usage:
    provider: str
    model: str
    calls: int
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def key(self) -> str:
        return f"{self.provider}/{self.model}" if self.model else self.provider


@dataclass(frozen=True)
class CostLine:
    key: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost: float
    priced_by: str  # "genai-prices", "configured", "per call" or "mock"


@dataclass(frozen=True)
class CostReport:
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> float:
        return sum(line.cost for line in self.lines)


def load_usage(path: Path) -> list[Usage]:
    """The usage in the report at ``path``, in either of its forms."""
    data = read_json(path, "LLM usage report (test-reports/llm-usage.json)")
    if not isinstance(data, Mapping):
        raise InputError(f"{path}: expected a JSON object", hint="see the README's Monitoring")
    if "usage" in data:
        entries = data["usage"]
        if not isinstance(entries, list):
            raise InputError(f"{path}: usage must be a list", hint="see the README's Monitoring")
        result = []
        for index, entry in enumerate(entries):
            where = f"{path}: usage[{index}]"
            if not isinstance(entry, Mapping) or not entry.get("provider"):
                raise InputError(f"{where}: needs provider and model", hint="fix the report")
            result.append(
                Usage(
                    provider=str(entry["provider"]),
                    model=str(entry.get("model") or ""),
                    calls=count(entry.get("calls", 0), f"{where}.calls"),
                    input_tokens=count(entry.get("input_tokens", 0), f"{where}.input_tokens"),
                    output_tokens=count(entry.get("output_tokens", 0), f"{where}.output_tokens"),
                )
            )
        return result
    calls = {k: v for k, v in data.items() if str(k).endswith("_calls")}
    if not calls:
        msg = f"{path}: neither a usage list nor <name>_calls counts"
        raise InputError(msg, hint='expected {"usage": [...]} or {"groq_calls": N, ...}')
    return [
        Usage(provider=str(k), model="", calls=count(v, f"{path}: {k}")) for k, v in calls.items()
    ]


def load_mode(path: Path) -> str | None:
    """The LLM mode that produced the report (``mock``, ``cached``, ``real``), if it says."""
    data = read_json(path, "LLM usage report (test-reports/llm-usage.json)")
    mode = data.get("mode") if isinstance(data, Mapping) else None
    if mode is not None and mode not in MODES:
        msg = f"{path}: mode is {mode!r}"
        raise InputError(msg, hint=f"one of {', '.join(MODES)}, or no mode for a real run")
    return str(mode) if mode is not None else None


def price(
    usages: list[Usage], settings: Mapping[str, Any] | None = None, *, mode: str | None = None
) -> CostReport:
    """The cost of each usage line; a model without a known price is an InputError.

    A mock run costs nothing whatever its models; a cached run is priced as the calls
    would cost live.
    """
    settings = settings or {}
    if mode == "mock":
        return CostReport(tuple(_line(usage, 0.0, "mock") for usage in usages))
    per_call = {**DEFAULT_PER_CALL, **_per_call(settings)}
    models = _models(settings)
    lines = []
    for usage in usages:
        if not usage.model:
            if usage.provider not in per_call:
                msg = f"no per-call price for {usage.provider}"
                hint = f"add {usage.provider} = <USD> under [tool.repokit.costs.per_call]"
                raise InputError(msg, hint=hint)
            cost = usage.calls * per_call[usage.provider]
            lines.append(_line(usage, cost, "per call"))
        elif usage.key in models:
            rates = models[usage.key]
            cost = (
                usage.calls * rates.get("per_call", 0.0)
                + usage.input_tokens * rates.get("input_per_mtok", 0.0) / 1e6
                + usage.output_tokens * rates.get("output_per_mtok", 0.0) / 1e6
            )
            lines.append(_line(usage, cost, "configured"))
        else:
            lines.append(_line(usage, _genai_price(usage), "genai-prices"))
    return CostReport(tuple(lines))


def _line(usage: Usage, cost: float, priced_by: str) -> CostLine:
    return CostLine(
        usage.key, usage.calls, usage.input_tokens, usage.output_tokens, cost, priced_by
    )


def _genai_price(usage: Usage) -> float:
    try:
        from genai_prices import Usage as TokenUsage
        from genai_prices import calc_price
    except ImportError:
        msg = f"pricing {usage.key} needs genai-prices, of the extra 'monitoring'"
        hint = "pip install 'repokit[monitoring]', or set its price in [tool.repokit.costs]"
        raise InputError(msg, hint=hint) from None

    tokens = TokenUsage(input_tokens=usage.input_tokens, output_tokens=usage.output_tokens)
    # The provider is a guess for a call through a gateway (named by its API's shape): a
    # model the named provider does not list is looked up by its name among all providers.
    for provider_id in (usage.provider, None):
        try:
            return float(calc_price(tokens, usage.model, provider_id=provider_id).total_price)
        except LookupError:
            continue
    msg = f"no known price for model {usage.model} of provider {usage.provider}"
    hint = f'add [tool.repokit.costs.models."{usage.key}"] with input_per_mtok/output_per_mtok'
    raise InputError(msg, hint=hint)


def _per_call(settings: Mapping[str, Any]) -> dict[str, float]:
    table = settings.get("per_call", {})
    if not isinstance(table, Mapping):
        raise InputError("[tool.repokit.costs.per_call]: must be a table", hint="name = price")
    return {str(k): amount(v, f"[tool.repokit.costs.per_call] {k}") for k, v in table.items()}


def _models(settings: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    table = settings.get("models", {})
    if not isinstance(table, Mapping):
        raise InputError("[tool.repokit.costs.models]: must be a table", hint="see the README")
    result = {}
    for key, rates in table.items():
        where = f'[tool.repokit.costs.models."{key}"]'
        if not isinstance(rates, Mapping) or not rates or set(rates) - _MODEL_KEYS:
            hint = f"use {', '.join(sorted(_MODEL_KEYS))}"
            raise InputError(
                f"{where}: expected prices ({', '.join(sorted(_MODEL_KEYS))})", hint=hint
            )
        result[str(key)] = {k: amount(v, f"{where} {k}") for k, v in rates.items()}
    unknown = set(settings) - {"per_call", "models"}
    if unknown:
        raise InputError(
            f"[tool.repokit.costs]: unknown key {sorted(unknown)[0]!r}", hint="per_call or models"
        )
    return result


def history_entry(
    report: CostReport, when: datetime, commit: str | None, mode: str | None = None
) -> dict[str, Any]:
    return {
        "date": when.isoformat(),
        "commit": commit,
        "mode": mode or "real",
        "total_cost": round(report.total, 6),
        "breakdown": {line.key: round(line.cost, 6) for line in report.lines},
        "lines": [asdict(line) for line in report.lines],
    }


def append_history(path: Path, entry: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as history:
        history.write(json.dumps(entry, sort_keys=True) + "\n")
